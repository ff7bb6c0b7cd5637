/**
 * Decode patterns, derived from the encoder's instruction table (no second
 * opcode map): each row's codes say which bytes must be present (mandatory
 * 66/F2/F3, opcode bytes, a `/digit` in ModR/M, a byte after ModR/M) and
 * which fields follow. Built once, at first use, and indexed by the first
 * opcode byte.
 */
import { ALL_ROWS, CodeOp, type Code, type Row } from '../encoder/table.js';

export interface Pattern {
  readonly row: Row;
  /** 66, F2 or F3 written in the row before the opcode (a mandatory prefix), or -1. */
  readonly mandatory: number;
  /** Opcode bytes; for `XX+r` the last byte is the base (low three bits hold the register). */
  readonly opcode: readonly number[];
  readonly plusReg: boolean;
  /** The row has a ModR/M byte (`/r`, `/rr` or `/digit`). */
  readonly modrm: boolean;
  /** The `/digit`, or -1. */
  readonly digit: number;
  /** A fixed byte after ModR/M (3DNow! suffix, CMPccPS predicate), or -1. */
  readonly suffix: number;
  /** Fields after the opcode/ModR/M in order: immediates, branch offsets, far segment, moffs. */
  readonly tail: readonly Code[];
  /** Required ModR/M mod: 'mem' (mod != 3), 'reg' (mod = 3) or 'any'. */
  readonly mod: 'mem' | 'reg' | 'any';
  /** Position in the table, for stable preference between equal matches. */
  readonly order: number;
  /**
   * Prefixes the form is not decoded behind (NASM's `np`): 'sse' refuses
   * 66/F2/F3, 'rep' only F2/F3 (a form whose 66h is its operand size).
   * ndisasm then writes the prefix alone (`F3 0F 28 C1` is `rep`, `movaps`).
   */
  noPrefix: '' | 'sse' | 'rep';
}

function modRequirement(row: Row): Pattern['mod'] {
  const rm = row.operands[row.rmIndex];
  if (!rm) return 'any';
  if (rm.kind === 'mem') return 'mem';
  if (rm.kind === 'reg') return 'reg';
  return 'any';
}

export function patternOf(row: Row, order: number): Pattern | null {
  const bytes: number[] = [];
  let i = 0;
  const codes = row.codes;
  while (i < codes.length && codes[i]?.op === CodeOp.Byte) {
    bytes.push((codes[i] as Code).value);
    i++;
  }
  let plusReg = false;
  if (codes[i]?.op === CodeOp.BytePlusReg) {
    bytes.push((codes[i] as Code).value);
    plusReg = true;
    i++;
  }
  let modrm = false;
  let digit = -1;
  const c = codes[i];
  if (c && (c.op === CodeOp.ModRmReg || c.op === CodeOp.ModRmSame || c.op === CodeOp.ModRmDigit)) {
    modrm = true;
    if (c.op === CodeOp.ModRmDigit) digit = c.value;
    i++;
  }
  let suffix = -1;
  if (modrm && codes[i]?.op === CodeOp.Byte) suffix = (codes[i++] as Code).value;
  const tail = codes.slice(i);
  if (tail.some((t) => t.op === CodeOp.Byte || t.op === CodeOp.BytePlusReg)) return null;
  let mandatory = -1;
  const first = bytes[0];
  if ((first === 0x66 || first === 0xf2 || first === 0xf3) && bytes.length > 1) {
    mandatory = first;
    bytes.shift();
  }
  if (bytes.length === 0) return null;
  return {
    row,
    mandatory,
    opcode: bytes,
    plusReg,
    modrm,
    digit,
    suffix,
    tail,
    mod: modrm ? modRequirement(row) : 'any',
    order,
    noPrefix: '',
  };
}

const indexes = new Map<boolean, Map<number, Pattern[]>>();

const opcodeKey = (p: Pattern): string => p.opcode.join(',');

/**
 * Marks the `np` patterns: rows flagged `np`, and the MMX/SSE forms of the 0F
 * map without a mandatory prefix whose opcode (and `/digit` where both have
 * one) some row of any mode uses behind 66/F2/F3 (`0F 28` movaps, `66 0F 28`
 * movapd). Cyrix and 3DNow! forms take the prefixes (`rep paveb`).
 */
function markNoPrefix(patterns: readonly Pattern[]): void {
  const prefixed = new Map<string, number[]>();
  for (const p of patterns) {
    if (p.mandatory < 0) continue;
    const digits = prefixed.get(opcodeKey(p)) ?? [];
    digits.push(p.digit);
    prefixed.set(opcodeKey(p), digits);
  }
  const simd = (p: Pattern): boolean => p.row.operands.some((t) => t.regClass === 'mmx' || t.regClass === 'xmm');
  for (const p of patterns) {
    const row = p.row;
    if (p.mandatory >= 0) continue;
    if (row.noSsePrefix) {
      p.noPrefix = row.opSize === 0 ? 'sse' : 'rep';
      continue;
    }
    if (p.opcode[0] !== 0x0f || p.opcode[1] === 0x0f || row.opSize !== 0 || row.cyrix || !simd(p)) continue;
    const digits = prefixed.get(opcodeKey(p)) ?? [];
    if (digits.some((d) => d === p.digit || d < 0 || p.digit < 0)) p.noPrefix = 'sse';
  }
}

let allPatterns: Pattern[] | null = null;

/** Every table row's pattern (any mode), in table order. */
function everyPattern(): Pattern[] {
  if (!allPatterns) {
    allPatterns = [];
    ALL_ROWS.forEach((row, order) => {
      if (row.mnemonic === 'prefixes' || row.codes.some((c) => c.op === CodeOp.ModRmSame)) return;
      // VEX/XOP and EVEX rows are decoded by vex.ts (their bytes start with C4/C5/8F/62).
      if (row.vex || row.evex) return;
      const p = patternOf(row, order);
      if (p) allPatterns?.push(p);
    });
    markNoPrefix(allPatterns);
  }
  return allPatterns;
}

/** Whether the row is a form of the mode: 64-bit-only rows in BITS 64 only, `nolong` and 16-bit-address rows outside it. */
function inMode(row: Row, longMode: boolean): boolean {
  // BITS 64 has no rel16 branch field: a 66h there still reads rel32 (`66 0F B8` + 4 bytes is `jmpe word …`).
  const rel16 = row.codes.some((c) => c.op === CodeOp.Rel && c.value === 2);
  if (longMode) return !row.noLong && row.addrSize !== 16 && !rel16;
  return !row.long && !row.rexW;
}

/** Patterns whose first opcode byte is `byte` (for `XX+r`, any of the eight), in BITS 64 or not. */
export function patternsFor(byte: number, longMode = false): readonly Pattern[] {
  let index = indexes.get(longMode);
  if (!index) {
    const built = new Map<number, Pattern[]>();
    index = built;
    indexes.set(longMode, built);
    // `/rr` rows (`imul eax,5` = `imul eax,eax,5`) are the assembler's shorthand; the full form decodes.
    for (const p of everyPattern()) {
      const row = p.row;
      // NASM's Jcc-over-JMP rows are not decodable forms.
      if (!inMode(row, longMode) || row.pre386) continue;
      const first = p.opcode[0] as number;
      const keys = p.plusReg && p.opcode.length === 1 ? [0, 1, 2, 3, 4, 5, 6, 7].map((r) => first + r) : [first];
      for (const k of keys) {
        const list = built.get(k) ?? [];
        if (list.length === 0) built.set(k, list);
        list.push(p);
      }
    }
  }
  return index.get(byte) ?? [];
}

/** patternsAt's lists, per mode, at `first * 257 + second + 1`. */
const pairIndexes: [Array<readonly Pattern[] | null>, Array<readonly Pattern[] | null>] = [
  // Filled up front so the arrays keep fast elements (a sparse array of 65k slots would be a dictionary).
  new Array<readonly Pattern[] | null>(256 * 257).fill(null),
  new Array<readonly Pattern[] | null>(256 * 257).fill(null),
];

/**
 * The patterns that can match an instruction whose opcode starts with `first`
 * then `second` (-1 when the bytes end): those of `patternsFor(first)` with a
 * one-byte opcode, or whose second opcode byte is `second` (for `XX+r`, any of
 * the eight). The decoder's only hot loop tries each candidate, and the 0F map
 * alone has hundreds of rows; filtering on the second byte here, once per pair,
 * leaves a handful. Rows marked not to disassemble (`nd`) are left out. The order is patternsFor's (the decoder's choice does not
 * depend on it: best rank, then table order).
 */
export function patternsAt(first: number, second: number, longMode = false): readonly Pattern[] {
  const index = pairIndexes[longMode ? 1 : 0];
  const key = first * 257 + second + 1;
  let list = index[key];
  if (!list) {
    list = patternsFor(first, longMode).filter((p) => {
      if (!p.row.disassemble) return false;
      if (p.opcode.length === 1) return true;
      const want = p.opcode[1] as number;
      if (second < 0) return false;
      return p.plusReg && p.opcode.length === 2 ? (second & 0xf8) === want : second === want;
    });
    index[key] = list;
  }
  return list;
}

/**
 * A per-key index of the table's patterns for one prefix family, built at first use, in table
 * order. `accepts` picks the family's rows; `keyOf` gives a pattern's key (prefix kind, map and
 * opcode byte), or null for a form the family's decoder does not read.
 */
export function lazyPatternIndex(
  accepts: (row: Row) => boolean,
  keyOf: (pattern: Pattern) => string | null,
): (key: string) => readonly Pattern[] {
  let index: Map<string, Pattern[]> | null = null;
  return (key) => {
    if (!index) {
      const built = new Map<string, Pattern[]>();
      ALL_ROWS.forEach((row, order) => {
        if (!accepts(row) || !row.disassemble) return;
        const p = patternOf(row, order);
        const k = p ? keyOf(p) : null;
        if (!p || k === null) return;
        const list = built.get(k) ?? [];
        if (list.length === 0) built.set(k, list);
        list.push(p);
      });
      index = built;
    }
    return index.get(key) ?? [];
  };
}
