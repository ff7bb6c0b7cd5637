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
  /**
   * What the form alone says for it when several forms fit the same bytes (decode.ts ranks them,
   * adding what the prefixes and REX say): computed once, as the decoder ranks every candidate.
   */
  readonly preference: number;
  /** The form names MPX bnd registers (decode.ts checks the ModR/M names one of the four). */
  readonly bndRegisters: boolean;
}

/**
 * The form's own part of its rank (decode.ts, rank): more specific bytes rank first. Weights:
 * 100 for each byte a form explains that another does not (prefixes, in decode.ts), 10 per opcode byte.
 */
function preferenceOf(
  row: Row,
  opcodeLength: number,
  mandatory: number,
  digit: number,
  suffix: number,
  mod: Pattern['mod'],
): number {
  let score = opcodeLength * 10;
  // A mandatory prefix says more than a 66h that REX.W overrides (`66 48 0F 6E` is MOVQ xmm, not MOVQ mm), and
  // a row whose mandatory 66/F2/F3 is present explains that byte better than one where REX.W merely overrides it
  // (`66 48 0F 6E C0` is `movq xmm0,rax`, not the MMX `movd`).
  if (mandatory >= 0) score += 50 + 1;
  if (digit >= 0) score += 5;
  if (suffix >= 0) score += 5;
  if (mod !== 'any') score += 2;
  // The reserved-NOP space (0F 18-1F) is what ndisasm falls back to; a real form of the same bytes wins (BNDLDX).
  if (row.mnemonic.startsWith('hint_nop')) score -= 10;
  // The x87 `wait` rows (FINIT = 9B + FNINIT) decode only right after an FWAIT byte, and win there.
  if (row.wait) score += 1000;
  // Of otherwise equal forms, the one with fewer operands.
  return score - row.operands.length;
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
    // A row whose F3 fills the REP slot (PadLock's MONTMUL, XSHA1, XCRYPTECB …) needs no prefix to
    // ndisasm: `0F A6 C0` is montmul, and a present F3 is a `rep` prefix like any other (measured).
    if (!row.repSlot) mandatory = first;
    bytes.shift();
  }
  if (bytes.length === 0) return null;
  const mod = modrm ? modRequirement(row) : 'any';
  return {
    row,
    mandatory,
    opcode: bytes,
    plusReg,
    modrm,
    digit,
    suffix,
    tail,
    mod,
    order,
    noPrefix: '',
    preference: preferenceOf(row, bytes.length, mandatory, digit, suffix, mod),
    bndRegisters: row.operands.some((t) => t.regClass === 'bnd'),
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

let rows: readonly Row[] | null = null;

/**
 * The table's rows (ALL_ROWS) as a plain array, copied once: ALL_ROWS is a proxy that parses the
 * table at first use, and every element read through it (three passes over ~7,600 rows) went
 * through its traps.
 */
function tableRows(): readonly Row[] {
  return (rows ??= Array.from(ALL_ROWS));
}

let allPatterns: Pattern[] | null = null;

/** Every table row's pattern (any mode), in table order. */
function everyPattern(): Pattern[] {
  if (!allPatterns) {
    allPatterns = [];
    tableRows().forEach((row, order) => {
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

/** The candidates after one first opcode byte (candidatesAfter). */
interface Candidates {
  /** Forms with a one-byte opcode, per digit in the ModR/M the next byte is (at 8: no byte follows). */
  readonly byDigit: ReadonlyArray<readonly Pattern[]>;
  /** Where longer opcodes start with the byte (0F, the x87 escapes…): every candidate, at second + 1; else null. */
  readonly bySecond: ReadonlyArray<readonly Pattern[]> | null;
}

/** patternsAt's candidates, per mode ([outside BITS 64, BITS 64]) and first opcode byte. */
const candidateIndexes: [Array<Candidates | undefined>, Array<Candidates | undefined>] = [[], []];

/**
 * The candidates after one first opcode byte. Forms with a one-byte opcode are candidates
 * whatever follows but for their `/digit`: the byte after the opcode is then the ModR/M, whose
 * reg field must hold it. So nine lists serve most opcode bytes, and the few hundred lists stay
 * in the processor's cache (one list per pair seen, as random bytes see most of the 65,792,
 * did not; nor did a table of 257 per opcode byte).
 */
function candidatesAfter(first: number, longMode: boolean): Candidates {
  const byDigit: Pattern[][] = [[], [], [], [], [], [], [], [], []];
  const longer = new Map<number, Pattern[]>();
  for (const p of patternsFor(first, longMode)) {
    if (!p.row.disassemble) continue;
    if (p.opcode.length === 1) {
      for (let digit = 0; digit <= 8; digit++) {
        if (!p.modrm || p.digit < 0 || digit === 8 || digit === p.digit) byDigit[digit]!.push(p);
      }
      continue;
    }
    // `XX+r` as the second byte: any of the eight.
    const want = p.opcode[1]!;
    const reach = p.plusReg && p.opcode.length === 2 ? 8 : 1;
    for (let second = want; second < want + reach; second++) {
      const list = longer.get(second);
      if (list) list.push(p);
      else longer.set(second, [p]);
    }
  }
  if (longer.size === 0) return { byDigit, bySecond: null };
  const bySecond: Array<readonly Pattern[]> = [byDigit[8]!];
  for (let second = 0; second < 256; second++) {
    const oneByte = byDigit[(second >> 3) & 7]!;
    const more = longer.get(second);
    bySecond.push(more ? [...oneByte, ...more] : oneByte);
  }
  return { byDigit, bySecond };
}

/**
 * The patterns that can match an instruction whose opcode starts with `first`
 * then `second` (-1 when the bytes end): those of `patternsFor(first)` with a
 * one-byte opcode (and the `/digit`, if any, that `second` as a ModR/M holds),
 * or whose second opcode byte is `second` (for `XX+r`, any of the eight). The
 * decoder's only hot loop tries each candidate, and the 0F map alone has
 * hundreds of rows; filtering on the second byte here, once, leaves a handful.
 * Rows marked not to disassemble (`nd`) are left out. The order is not the
 * table's (the decoder's choice does not depend on it: best rank, then table order).
 */
export function patternsAt(first: number, second: number, longMode = false): readonly Pattern[] {
  const index = candidateIndexes[longMode ? 1 : 0];
  const candidates = (index[first] ??= candidatesAfter(first, longMode));
  if (candidates.bySecond) return candidates.bySecond[second + 1]!;
  return candidates.byDigit[second < 0 ? 8 : (second >> 3) & 7]!;
}

/**
 * A per-key index of the table's patterns for one prefix family, built at first use, in table
 * order, per mode: a form of BITS 64 (`nolong` rows left out) or of BITS 16/32 (64-bit-only rows
 * left out). `accepts` picks the family's rows; `keyOf` gives a pattern's key (a number made of
 * prefix kind, map and opcode byte), or null for a form the family's decoder does not read;
 * `arrange` puts a key's patterns of one mode in the order the decoder tries them (made once,
 * not per instruction).
 */
export function lazyPatternIndex(
  accepts: (row: Row) => boolean,
  keyOf: (pattern: Pattern) => number | null,
  arrange: (patterns: readonly Pattern[], longMode: boolean) => readonly Pattern[] = (patterns) => patterns,
): (key: number, longMode: boolean) => readonly Pattern[] {
  let index: Map<number, Pattern[]> | null = null;
  const byMode = [new Map<number, readonly Pattern[]>(), new Map<number, readonly Pattern[]>()];
  return (key, longMode) => {
    if (!index) {
      const built = new Map<number, Pattern[]>();
      tableRows().forEach((row, order) => {
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
    const cache = byMode[longMode ? 1 : 0]!;
    let list = cache.get(key);
    if (list === undefined) {
      const all = index.get(key) ?? [];
      list = arrange(
        all.filter((p) => (longMode ? !p.row.noLong : !p.row.long)),
        longMode,
      );
      cache.set(key, list);
    }
    return list;
  };
}
