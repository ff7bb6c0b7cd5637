/**
 * The generic encoder: picks the first table row whose operand types match
 * (NASM's rule), then walks that row's codes to produce bytes and fixups.
 * There is no per-mnemonic code here: behaviour lives in the table.
 */
import type { Value } from '../core/value.js';
import { encodeEffectiveAddress, impliedAddressSize, newEffectiveAddress } from './ea.js';
import { isLeadingPrefixByte, regOpIsCreg, registerRex, REX_R, REX_W } from './rex.js';
import {
  displacementWarning,
  ignoredSegmentWarning,
  relativeRequested,
  resolveRipRelative,
  wantsRipRelative,
} from './rip.js';
import {
  CodeOp,
  CPU_LEVELS,
  NASM_CPU_NAMES,
  parseRow,
  ROWS_BY_MNEMONIC,
  type Row,
  type TemplateOperand,
} from './table.js';
import type {
  EncodeContext,
  EncodeResult,
  Fixup,
  InstructionRequest,
  MemoryOperand,
  Operand,
  RegisterOperand,
} from './types.js';

/** Match failures, ranked as NASM ranks them when it picks which error to print. */
const enum Fail {
  None = 0,
  InvalidOperands = 1,
  SizeMissing = 2,
  SizeMismatch = 3,
  BadCpu = 4,
  /** The only matching rows are 64-bit-only (`long`): "instruction not supported in N-bit mode". */
  BadMode = 5,
}

const MESSAGES: Record<number, string> = {
  [Fail.InvalidOperands]: 'invalid combination of opcode and operands',
  [Fail.SizeMissing]: 'operation size not specified',
  [Fail.SizeMismatch]: 'mismatch in operand sizes',
  [Fail.BadCpu]: 'no instruction for this cpu level',
};

function failureMessage(f: Fail, bits: number): string {
  return f === Fail.BadMode ? `instruction not supported in ${bits}-bit mode` : (MESSAGES[f] as string);
}

const SEGMENT_PREFIX: Record<string, number> = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64, gs: 0x65 };
const LOCK_REP_PREFIX: Record<string, number> = {
  lock: 0xf0,
  rep: 0xf3,
  repe: 0xf3,
  repz: 0xf3,
  repne: 0xf2,
  repnz: 0xf2,
  xacquire: 0xf2,
  xrelease: 0xf3,
  bnd: 0xf2,
};
const OTHER_PREFIXES = new Set(['o16', 'o32', 'o64', 'a16', 'a32', 'a64', 'wait', 'nobnd', 'asp', 'osp']);

export function isPrefixName(name: string): boolean {
  return name in SEGMENT_PREFIX || name in LOCK_REP_PREFIX || OTHER_PREFIXES.has(name);
}

/** Per-call scratch state, reused to keep the hot path allocation-light. */
const scratch = new Uint8Array(64);
const ea = newEffectiveAddress({ offset: 0n, base: null, unknown: false, wrt: null, segmentOf: false });
/** Sizes forced on unsized memory operands by the "only one size fits" retry. */
const forcedSizes: number[] = [0, 0, 0, 0, 0];
/** Bit set of candidate sizes per operand, collected from rows that failed only for a missing size. */
const missingMask: number[] = [0, 0, 0, 0, 0];
/**
 * The same for 64-bit-only rows: outside BITS 64 they only count when no other
 * row is a candidate (`movd mm0,[eax]` is the dword form, `cmpxchg16b [eax]`
 * still reaches the mode error), unless flagged `fz` (PTWRITE: measured
 * "operation size not specified" for `ptwrite [eax]`).
 */
const longMissingMask: number[] = [0, 0, 0, 0, 0];
/** Candidate sizes of the row being matched; merged into missingMask only if the row fails for that reason alone. */
const rowMissing: number[] = [0, 0, 0, 0, 0];

function isPlain(v: Value): boolean {
  return v.base === null && !v.unknown && v.wrt === null && !v.segmentOf && (v.minusBase ?? null) === null;
}

function defaultOpSize(bits: number): 16 | 32 {
  return bits === 16 ? 16 : 32;
}

/** The operand size a `ds` row must have to take unsized operands: BITS 64's branches and pushes are 64-bit. */
function dsOpSize(bits: number): 16 | 32 | 64 {
  return bits === 64 ? 64 : defaultOpSize(bits);
}

function defaultAddrSize(bits: number): 16 | 32 | 64 {
  return bits === 16 ? 16 : bits === 32 ? 32 : 64;
}

/** Whether the line has a register operand (outside BITS 64 only such lines reach a 64-bit row's size). */
let opsHaveReg = false;
/** Whether the line carries an `a32` prefix (BITS 64: the moffs forms need it, or a `qword` address). */
let addr32Written = false;

function cpuLevel(name: string): number {
  return NASM_CPU_NAMES[name] ?? CPU_LEVELS[name] ?? 30;
}

/** Size of the first operand that has one (register size or size keyword), for `sm` rows. */
function sharedSize(ops: readonly Operand[]): number {
  for (const o of ops) {
    if (o.kind === 'reg') {
      const c = o.reg.cls;
      if (c === 'gpr8' || c === 'gpr16' || c === 'gpr32' || c === 'gpr64' || c === 'sreg') return o.reg.size;
    } else if (o.size !== null) return o.size;
  }
  return 0;
}

function regClassMatches(t: TemplateOperand, o: Operand): boolean {
  if (o.kind !== 'reg') return false;
  if (t.regClass !== o.reg.cls) return false;
  if (t.to !== (o.to === true)) return false;
  return t.fixedReg < 0 || t.fixedReg === o.reg.num;
}

/** The cpu level a match needs: `nat` rows written without any size are NASM's level-free natural-size forms. */
function rowLevel(row: Row, req: InstructionRequest): number {
  if (!row.naturalSize) return row.cpu;
  for (const o of req.operands) if (o.kind === 'reg' || o.size !== null) return row.cpu;
  return 0;
}

/** The one operand size of a size-flagged (`ni`) row: its largest sized memory/immediate operand. */
function rowSize(row: Row): number {
  let size = 0;
  for (const t of row.operands)
    if ((t.kind === 'rm' || t.kind === 'mem' || t.kind === 'imm') && t.size > size) size = t.size;
  return size;
}

function fitsDword(n: bigint, kind: 's' | 'u'): boolean {
  if (kind === 'u') return BigInt.asUintN(64, n) < 1n << 32n;
  const t = BigInt.asIntN(64, n);
  return t >= -(1n << 31n) && t < 1n << 31n;
}

function fitsSbyte(n: bigint, opBytes: number): boolean {
  const t = BigInt.asIntN(opBytes * 8, n);
  return t >= -128n && t <= 127n;
}

/** Matches one operand against one template operand. */
function matchOperand(row: Row, t: TemplateOperand, o: Operand, i: number, ctx: EncodeContext, shared: number): Fail {
  const dsOk = row.opSize === 0 || row.opSize === dsOpSize(ctx.bits);
  switch (o.kind) {
    case 'reg':
      if (t.kind === 'reg' || t.kind === 'rm') {
        if (!regClassMatches(t, o)) return Fail.InvalidOperands;
        // A size keyword on a register: ignored on general, segment, control and
        // debug registers (`mov word eax,1`); MMX registers take `qword` only. On x87/XMM registers NASM compares
        // it with the template: an r/m operand's own size (else the row does not
        // apply: `movups oword xmm1,xmm2` takes the store form), or for a plain
        // register the size of a size-flagged row (`addsd qword xmm1,xmm2`), else
        // a mismatch (`fld tword st1`).
        const c = o.reg.cls;
        if (o.size !== null && row.regSize === 'nx' && (c === 'mmx' || c === 'xmm')) return Fail.SizeMismatch;
        if (o.size !== null && c === 'mmx') return o.size === 8 ? Fail.None : Fail.SizeMismatch;
        if (o.size !== null && (c === 'fpu' || c === 'xmm' || c === 'ymm' || c === 'zmm')) {
          if (t.kind === 'rm') return o.size === t.size ? Fail.None : Fail.InvalidOperands;
          return (row.noSizedImm || row.regSize === 'xs') && o.size === rowSize(row) ? Fail.None : Fail.SizeMismatch;
        }
        return Fail.None;
      }
      return Fail.InvalidOperands;
    case 'mem': {
      if (t.kind !== 'rm' && t.kind !== 'mem') return Fail.InvalidOperands;
      const isFar = o.distance === 'far';
      // `far` written on memory for a row that is not a far pointer counts as a wrong size.
      if (t.far !== isFar)
        return isFar && (t.size === 0 || row.sm || row.noSizedImm) ? Fail.SizeMismatch : Fail.InvalidOperands;
      if (t.moffs) {
        if (o.registers.some((r) => r.scale !== 0)) return Fail.InvalidOperands;
        // BITS 64 takes A0-A3 only for `[qword x]` or an a32 address (measured: `mov eax,[5]` is 8B 04 25).
        if (ctx.bits === 64) {
          if (o.displacementSize !== 8 && !addr32Written) return Fail.InvalidOperands;
          if (relativeRequested(o, ctx.defaultRel, o.segment?.name ?? null)) return Fail.InvalidOperands;
        } else if (o.displacementSize !== null && o.displacementSize !== 2 && o.displacementSize !== 4)
          return Fail.InvalidOperands;
      }
      const size = o.size ?? (forcedSizes[i] || null);
      if (t.anySize) return Fail.None;
      if (size !== null) {
        if (t.size === size) return Fail.None;
        // NASM's ranking: a size keyword on an unsized-memory row, or any size clash on a
        // size-matched row, is a "mismatch"; otherwise the row simply does not apply.
        return t.size === 0 || row.sm || row.noSizedImm ? Fail.SizeMismatch : Fail.InvalidOperands;
      }
      if (t.size === 0) return Fail.None;
      if (row.ds) return dsOk ? Fail.None : Fail.InvalidOperands;
      if (row.sm && shared === t.size) return Fail.None;
      rowMissing[i] = 1 << sizeBit(t.size);
      return Fail.SizeMissing;
    }
    case 'imm': {
      if (o.farSegment !== null) {
        if (t.kind !== 'far') return Fail.InvalidOperands;
        // NASM rejects `jmp far seg:off` (any distance keyword on a far pointer) this way.
        if (o.distance !== null) return Fail.SizeMismatch;
        // (BITS 64 has no far pointer: the `nolong` rows then give the mode error.)
        if (o.size === null)
          return row.ds && !dsOk && !(row.noLong && ctx.bits === 64) ? Fail.InvalidOperands : Fail.None;
        return o.size === t.size ? Fail.None : Fail.SizeMismatch;
      }
      // A 64-bit-only immediate or branch form needs the `qword` written: a bare
      // number keeps its ordinary rows (and their errors, e.g. the cpu level).
      // (Single-operand rows only: `add rax,1` outside BITS 64 is still the mode error.)
      if (row.long && o.size === null && t.size === 8 && ctx.bits !== 64 && row.operands.length === 1)
        return Fail.InvalidOperands;
      if (t.kind === 'imm') {
        if (t.one)
          return o.size === null && isPlain(o.value) && o.value.offset === 1n ? Fail.None : Fail.InvalidOperands;
        if (row.noSizedImm && o.size !== null) return Fail.SizeMismatch;
        const clash = row.sm || row.noSizedImm ? Fail.SizeMismatch : Fail.InvalidOperands;
        // `short`/`near` on a plain immediate weighs like a wrong size keyword.
        if (o.distance !== null) return clash;
        if (t.exact) {
          if (o.size === null) return Fail.InvalidOperands;
          return o.size === t.size ? Fail.None : clash;
        }
        if (o.size !== null) {
          if (t.size !== 0 && o.size !== t.size) return clash;
        } else if (row.ds && !dsOk) return Fail.InvalidOperands;
        if (t.dword) {
          // MOV r64,imm: -Ox picks B8+r imm32 (zero-extended) or C7 imm32 (sign-extended) when the value fits.
          if (ctx.optimize < 2 || o.strict) return Fail.InvalidOperands;
          const unknownPlain = o.value.unknown && o.value.base === null;
          if (!unknownPlain && (!isPlain(o.value) || !fitsDword(o.value.offset, t.dword))) return Fail.InvalidOperands;
        }
        if (t.sbyte) {
          if (ctx.optimize === 0 || o.strict) return Fail.InvalidOperands;
          // nasm is optimistic about a value it does not know yet (a forward
          // reference in pass 1): it assumes the short `imm8,s` form, exactly
          // as it assumes short jumps. Measured: `push K` / `K equ 1` later.
          const unknownPlain = o.value.unknown && o.value.base === null;
          if (!unknownPlain && (!isPlain(o.value) || !fitsSbyte(o.value.offset, t.size))) return Fail.InvalidOperands;
        }
        return Fail.None;
      }
      if (t.kind === 'rel') {
        if (t.size === 0) {
          // Short forms. rel8: always short (LOOP/JCXZ); rel8o: the optimiser's pick.
          if (o.distance === 'far') return Fail.InvalidOperands;
          // LOOP/JCXZ take no size and no distance keyword at all (measured: `loop short x` is a mismatch).
          if (!t.optimizable) return o.distance !== null || o.size !== null ? Fail.SizeMismatch : Fail.None;
          if (o.distance === 'near' || o.size !== null) return Fail.SizeMismatch;
          if (o.distance === 'short') return Fail.None;
          if (row.jcc && ctx.optimize === 0) return Fail.None;
          if (ctx.optimize < 2) return Fail.InvalidOperands;
          // -Ox: short when the target is unknown yet or known to be in reach (checked after encoding).
          return o.value.unknown || (o.value.base === ctx.segment && o.value.wrt === null)
            ? Fail.None
            : Fail.InvalidOperands;
        }
        if (o.distance === 'far') return Fail.InvalidOperands;
        if (o.distance === 'short' || (o.distance === 'near' && row.noNear)) return Fail.SizeMismatch;
        // Jcc near forms take a size only together with `near` (`jz near word x`; `jz word x` is a mismatch).
        if (row.jcc && o.size !== null && o.distance !== 'near') return Fail.SizeMismatch;
        if (o.size === null) return row.ds && !dsOk ? Fail.InvalidOperands : Fail.None;
        return o.size === t.size ? Fail.None : Fail.SizeMismatch;
      }
      return Fail.InvalidOperands;
    }
  }
}

function sizeBit(size: number): number {
  return size === 1
    ? 0
    : size === 2
      ? 1
      : size === 4
        ? 2
        : size === 8
          ? 3
          : size === 10
            ? 4
            : size === 16
              ? 5
              : size === 32
                ? 6
                : 7;
}
const SIZE_OF_BIT = [1, 2, 4, 8, 10, 16, 32, 64];

function matchRow(row: Row, req: InstructionRequest, ctx: EncodeContext, shared: number): Fail {
  const ops = req.operands;
  if (row.operands.length !== ops.length) return Fail.InvalidOperands;
  let worst = Fail.None;
  for (let i = 0; i < ops.length; i++) rowMissing[i] = 0;
  for (let i = 0; i < ops.length; i++) {
    const f = matchOperand(row, row.operands[i] as TemplateOperand, ops[i] as Operand, i, ctx, shared);
    if (f === Fail.InvalidOperands) return f;
    if (f > worst) worst = f;
  }
  if (worst === Fail.SizeMissing) {
    const outsideLong = row.long && !row.fuzzyLong && ctx.bits !== 64;
    const mask = outsideLong ? longMissingMask : missingMask;
    for (let i = 0; i < ops.length; i++) mask[i] = (mask[i] as number) | (rowMissing[i] as number);
  }
  return worst;
}

/** The row the encoder uses for `req` (for the table tests), or null on error. */
export function chooseRow(req: InstructionRequest, ctx: EncodeContext): Row | null {
  lastRow = null;
  const r = encode(req, ctx);
  return r.ok ? lastRow : null;
}
let lastRow: Row | null = null;

/** A row with no codes: a line holding only prefixes (`rep`, `o32`, `lock`) emits just the prefix bytes. */
const PREFIX_ONLY_ROW: Row = parseRow('PREFIXES | | 8086');

export function encode(req: InstructionRequest, ctx: EncodeContext): EncodeResult {
  const mnemonic = req.mnemonic.toLowerCase();
  const rows = ROWS_BY_MNEMONIC.get(mnemonic);
  if (!rows) {
    if (isPrefixName(mnemonic) && req.operands.length === 0) {
      return emit(
        PREFIX_ONLY_ROW,
        { mnemonic, prefixes: [...req.prefixes, mnemonic], operands: [] },
        ctx,
      ) as EncodeResult;
    }
    return { ok: false, error: `unrecognised instruction \`${req.mnemonic}'` };
  }
  if (req.operands.length > 5) return { ok: false, error: MESSAGES[Fail.InvalidOperands] as string };
  // Byte registers that exist only with REX (spl…dil) are refused outside 64-bit
  // mode once a row matches; rows flagged `norex` take them as plain 4…7.
  // A `seg:off` pointer is only an operand of the far JMP/CALL forms; for any
  // other instruction NASM reads the colon as a misplaced segment override.
  if (
    req.operands.some((o) => o.kind === 'imm' && o.farSegment !== null) &&
    !rows.some((r) => r.operands.some((t) => t.kind === 'far'))
  ) {
    return { ok: false, error: 'invalid segment override' };
  }
  const shared = sharedSize(req.operands);
  addr32Written = req.prefixes.includes('a32');
  opsHaveReg = req.operands.some((o) => o.kind === 'reg');
  const level = cpuLevel(ctx.cpu);
  for (let i = 0; i < 5; i++) forcedSizes[i] = 0;
  let firstError: Fail = Fail.None;
  for (let attempt = 0; attempt < 2; attempt++) {
    for (let i = 0; i < 5; i++) missingMask[i] = longMissingMask[i] = 0;
    let best: Fail = Fail.None;
    let anyMissing = false;
    for (const row of rows) {
      let f = matchRow(row, req, ctx, shared);
      if (row.pre386 && level >= 3) continue;
      // A 64-bit-only row above the cpu level is a cpu-level failure first (`push dword 5` under `cpu 286`).
      if (f === Fail.None && row.long && ctx.bits !== 64) f = rowLevel(row, req) > level ? Fail.BadCpu : Fail.BadMode;
      else if (f === Fail.None && row.noLong && ctx.bits === 64) f = Fail.BadMode;
      else if (f === Fail.None && rowLevel(row, req) > level) f = Fail.BadCpu;
      if (f !== Fail.None) {
        if (f === Fail.SizeMissing) anyMissing = true;
        if (f > best) best = f;
        continue;
      }
      const result = emit(row, req, ctx);
      if (result === null) continue; // optimiser's short form does not reach: try the next row
      lastRow = row;
      return result;
    }
    firstError = best;
    if (!anyMissing || attempt === 1) break;
    // NASM's fuzzy size rule: an unsized memory operand gets the size if exactly one size is possible.
    let unique = true;
    for (let i = 0; i < req.operands.length; i++) {
      const mask = (missingMask[i] as number) || (longMissingMask[i] as number);
      if (mask === 0) continue;
      if ((mask & (mask - 1)) !== 0) unique = false;
      forcedSizes[i] = SIZE_OF_BIT[31 - Math.clz32(mask)] as number;
    }
    if (!unique) break;
  }
  let err = firstError === Fail.None ? Fail.InvalidOperands : firstError;
  // Outside BITS 64, a guessed memory size that only a 64-bit-only row with an
  // immediate accepts (`add [ebx],qword 1`) is no guess at all for NASM:
  // "operation size not specified" (measured), unlike `imul rbx,[ebx],5`.
  if (err === Fail.BadMode && forcedSizes.some((x) => x !== 0) && !opsHaveReg)
    if (req.operands.some((o) => o.kind === 'imm')) err = Fail.SizeMissing;
  return { ok: false, error: failureMessage(err, ctx.bits) };
}

/** NASM's prefix slots: two different names in one slot (`rep repe`, `es fs`, `o16 o32`) conflict. */
function prefixSlot(pfx: string): string {
  if (pfx in SEGMENT_PREFIX) return 'seg';
  if (pfx === 'o16' || pfx === 'o32' || pfx === 'o64') return 'osize';
  if (pfx === 'a16' || pfx === 'a32' || pfx === 'a64') return 'asize';
  if (pfx in LOCK_REP_PREFIX && pfx !== 'lock') return 'rep';
  return pfx;
}

function conflictingPrefixes(prefixes: readonly string[]): boolean {
  for (let i = 0; i < prefixes.length; i++) {
    for (let j = i + 1; j < prefixes.length; j++) {
      const a = prefixes[i] as string;
      const b = prefixes[j] as string;
      if (a !== b && prefixSlot(a) === prefixSlot(b)) return true;
    }
  }
  return false;
}

function absoluteAddress(value: Value): MemoryOperand {
  return {
    kind: 'mem',
    size: null,
    strict: false,
    segment: null,
    registers: [],
    displacement: value,
    hasDisplacement: true,
    displacementSize: null,
    nosplit: false,
    relative: null,
  };
}

function writeLE(buf: Uint8Array, at: number, n: bigint, width: number): void {
  let v = BigInt.asUintN(width * 8, n);
  for (let k = 0; k < width; k++) {
    buf[at + k] = Number(v & 0xffn);
    v >>= 8n;
  }
}

const WIDTH_NAME: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

/** Range warning NASM gives for a plain number stored in a field of `width` bytes. */
function rangeWarning(
  n: bigint,
  width: number,
  warnings: Array<{ message: string; warningClass: string }>,
  what: string,
): void {
  const bits = BigInt(width * 8);
  if (n < -(1n << (bits - 1n)) || n >= 1n << bits) {
    warnings.push({ message: `${WIDTH_NAME[width]} ${what} exceeds bounds`, warningClass: 'number-overflow' });
  }
}

/**
 * Produces the bytes for a matched row, or null when the row is an optimiser
 * short-branch form whose target turns out to be out of reach.
 */
function emit(row: Row, req: InstructionRequest, ctx: EncodeContext): EncodeResult | null {
  const ops = req.operands;
  const bits = ctx.bits;
  for (const o of ops) {
    if (o.kind !== 'reg') continue;
    // PINSRB (`norex`) takes spl…dil as plain 4…7 and refuses ah…bh.
    const byteRexFree = row.noRex && o.reg.cls === 'gpr8' && o.reg.num < 8;
    if (byteRexFree && o.reg.num >= 4 && !o.reg.needsRex)
      return { ok: false, error: 'instruction cannot use high registers' };
    if (o.reg.needsRex && !byteRexFree && bits !== 64)
      return { ok: false, error: 'invalid operands in non-64-bit mode' };
  }
  if (row.rexW && bits !== 64) return { ok: false, error: 'invalid operands in non-64-bit mode' };
  const warnings: Array<{ message: string; warningClass: string }> = [];
  const fixups: Fixup[] = [];
  let p = 0;
  const buf = scratch;

  // Operand and address size prefixes.
  // `osopt` rows (MOV sreg,r16/r32) carry their o16/o32 only below -Ox (measured: `mov ss,cx` is 66 8E D1 at -O1, 8E D1 at -Ox).
  let opSize: number = row.osBelowOx && ctx.optimize === 2 ? 0 : row.opSize;
  let addrSize: number = row.addrSize || 0;
  let segment: string | null = null;
  let need66 = opSize !== 0 && opSize !== 64 && opSize !== defaultOpSize(bits);
  let rexW = bits === 64 && opSize === 64 && !row.noRexW;
  let prefixAddr = 0;
  for (const pfx of req.prefixes) {
    // An operand-size prefix against the size the instruction itself implies (`o16 lodsd`): nasm warns.
    if (
      (pfx === 'o16' && opSize === 32) ||
      (pfx === 'o32' && opSize === 16) ||
      (pfx === 'o64' && (opSize === 16 || opSize === 32))
    ) {
      warnings.push({ message: `invalid operand size prefix, must be o${opSize}`, warningClass: 'prefix-opsize' });
    }
    if (pfx === 'o16') need66 = bits !== 16;
    else if (pfx === 'o32') need66 = bits === 16;
    else if (pfx === 'o64') {
      if (bits !== 64) return { ok: false, error: 'instruction not supported in non-64-bit mode' };
      rexW = true;
    } else if (pfx === 'a16') prefixAddr = 16;
    else if (pfx === 'a32') prefixAddr = 32;
    else if (pfx === 'a64') prefixAddr = 64;
    else if (pfx in SEGMENT_PREFIX) segment = pfx;
  }
  if (prefixAddr === 16 && bits === 64) return { ok: false, error: 'impossible combination of address sizes' };
  if (prefixAddr === 64 && bits !== 64) return { ok: false, error: 'impossible combination of address sizes' };
  if (opSize === 0) opSize = rexW ? 64 : need66 ? (bits === 16 ? 32 : 16) : defaultOpSize(bits);

  const rmWritten = row.rmIndex >= 0 ? (ops[row.rmIndex] as Operand) : null;
  // A bare number in the r/m place (`lea eax,5`) is NASM's absolute address [5].
  const rmOp: RegisterOperand | MemoryOperand | null =
    rmWritten && rmWritten.kind === 'imm' ? absoluteAddress(rmWritten.value) : rmWritten;
  const memOp: MemoryOperand | null = rmOp && rmOp.kind === 'mem' ? rmOp : null;
  const natural = defaultAddrSize(bits);
  ea.rex = 0;
  ea.ripRelative = false;
  if (memOp) {
    const implied = impliedAddressSize(memOp, bits);
    if (implied === -1) return { ok: false, error: 'impossible combination of address sizes' };
    if (implied === -3) return { ok: false, error: `invalid ${bits}-bit effective address` };
    if ((implied === 64) !== (bits === 64) && (implied === 64 || implied === 16))
      return { ok: false, error: 'impossible combination of address sizes' };
    addrSize = implied || prefixAddr || (row.addrPrefixOnly ? 0 : addrSize) || natural;
    if (memOp.segment) segment = memOp.segment.name;
    if (bits === 64 && memOp.segment) ignoredSegmentWarning(segment, warnings);
    const moffs = (row.operands[row.rmIndex] as TemplateOperand).moffs;
    if (!moffs) {
      const rip = bits === 64 && addrSize !== 16 && wantsRipRelative(memOp, ctx, segment, warnings);
      const err = encodeEffectiveAddress(memOp, addrSize as 16 | 32 | 64, bits, ea, rip);
      if (err) return { ok: false, error: err };
      if (bits === 64 && memOp.displacementSize === 8 && memOp.registers.length === 0)
        warnings.push({ message: 'displacement size ignored on absolute address', warningClass: 'ea-dispsize' });
    }
  } else if (!addrSize) addrSize = prefixAddr || natural;
  else if (prefixAddr) addrSize = prefixAddr;
  if (bits === 64 && addrSize === 16) return { ok: false, error: 'impossible combination of address sizes' };
  // A row's own a16/a32 (MOVDIR64B's register size, ENQCMD's a16) asks for 67h
  // even when the memory operand implies the other size: NASM then emits one
  // 67h and encodes the address as written (measured: `movdir64b ax,[esi]` in
  // BITS 32 is 67 66 0F 38 F8 06).
  const need67 = addrSize !== natural || (memOp !== null && row.addrSize !== 0 && row.addrSize !== natural);

  // REX (BITS 64), or outside it the LOCK byte NASM uses for cr8 (`mov eax,cr8` is F0 0F 20 C0).
  const rexNeeds = registerRex(row, ops, ea.rex);
  let rex = rexNeeds.bits | (rexW ? REX_W : 0);
  if (bits !== 64) {
    if (rex & REX_R && regOpIsCreg(row, ops)) rex = -1;
    else rex = 0;
  } else if (rexNeeds.highByte && (rex !== 0 || rexNeeds.forced))
    return { ok: false, error: 'cannot use high byte register in rex instruction' };
  const rexByte = rex > 0 || (bits === 64 && rexNeeds.forced) ? 0x40 | rex : -1;

  // Prefix bytes in NASM's order (measured): wait, the REP slot (rep/repne/…,
  // or an `rs` row's own F2/F3), lock, segment, 0x66, 0x67 — whatever order
  // they were written in. Two different prefixes for one slot are an error.
  if (conflictingPrefixes(req.prefixes)) return { ok: false, error: 'instruction has conflicting prefixes' };
  if (new Set(req.prefixes).size !== req.prefixes.length)
    warnings.push({ message: 'instruction has redundant prefixes', warningClass: 'other' });
  // BND: only near branches take it; on JMP's short form NASM refuses an explicit
  // `short` and silently-short jumps lose the prefix with a warning.
  let dropBnd = false;
  if (req.prefixes.includes('bnd')) {
    const relOp = ops.find((o) => o.kind === 'imm');
    if (row.bndShort && relOp?.kind === 'imm' && relOp.distance !== 'short') {
      dropBnd = true;
      warnings.push({ message: 'jmp short does not init bnd regs - bnd prefix dropped', warningClass: 'prefix-bnd' });
    } else if (!row.bnd) return { ok: false, error: 'bnd prefix is not allowed' };
  }
  let repByte = -1;
  let lockWritten = false;
  for (const pfx of req.prefixes) {
    const b = LOCK_REP_PREFIX[pfx];
    if (b === undefined) continue;
    if (pfx === 'lock') {
      lockWritten = true;
      // NASM: LOCK is only meaningful on a lockable row with a memory destination.
      if (!row.lock || !memOp) warnings.push({ message: 'instruction is not lockable', warningClass: 'prefix-lock' });
    } else if (!(pfx === 'bnd' && dropBnd)) repByte = b;
  }
  const hle = req.prefixes.find((x) => x === 'xacquire' || x === 'xrelease');
  if (hle) {
    // NASM's HLE checks: XCHG takes both alone, MOV-to-memory takes XRELEASE,
    // other lockable rows need LOCK with them, the rest take neither.
    let problem: string;
    if (row.hle === 'x') problem = '';
    else if (row.hle === 'r') problem = hle === 'xacquire' ? 'invalid with this instruction' : '';
    else if (row.lock && memOp) problem = lockWritten ? '' : 'with this instruction requires lock';
    else problem = 'invalid with this instruction';
    if (problem) warnings.push({ message: `${hle} ${problem}`, warningClass: 'prefix-hle' });
  }
  const repWritten = repByte >= 0;
  const firstCode = row.codes[0];
  if (!repWritten && row.repSlot && firstCode) repByte = firstCode.value;
  if (row.wait || req.prefixes.includes('wait')) buf[p++] = 0x9b;
  if (repByte >= 0) buf[p++] = repByte;
  if (lockWritten || rex === -1) buf[p++] = 0xf0;
  if (segment) buf[p++] = SEGMENT_PREFIX[segment] as number;
  if (need66) buf[p++] = 0x66;
  if (need67) buf[p++] = 0x67;

  const regOp = row.regIndex >= 0 ? (ops[row.regIndex] as Operand) : null;
  const regNum = regOp && regOp.kind === 'reg' ? regOp.reg.num & 7 : 0;
  let immIndex = 0;
  let relAt = -1;
  let relWidth = 0;
  let relValue: Value | null = null;
  let ripAt = -1;
  let finalPassError: string | undefined;

  const nextImm = (): Operand | undefined => {
    while (immIndex < ops.length) {
      const t = row.operands[immIndex] as TemplateOperand;
      const o = ops[immIndex++];
      if (t.role === 'i') return o;
    }
    return undefined;
  };

  const field = (v: Value, width: number, signed: boolean, check: (n: bigint) => void): void => {
    if (isPlain(v)) {
      check(v.offset);
      writeLE(buf, p, v.offset, width);
    } else {
      writeLE(buf, p, v.unknown ? 0n : v.offset, width);
      fixups.push({ at: p, size: width as 1 | 2 | 4, value: v, relative: false, signed });
    }
    p += width;
  };

  const writeModRm = (reg: number): void => {
    if (!rmOp) return;
    if (rmOp.kind === 'reg') {
      buf[p++] = 0xc0 | (reg << 3) | (rmOp.reg.num & 7);
      return;
    }
    buf[p++] = ea.modRm | (reg << 3);
    if (ea.sib >= 0) buf[p++] = ea.sib;
    if (ea.ripRelative) {
      ripAt = p;
      p += 4;
    } else if (ea.dispSize)
      field(ea.disp, ea.dispSize, ea.dispSize === 1, (n) => {
        if (bits === 64) displacementWarning(n, ea.dispSize, warnings);
      });
  };

  let codeIndex = 0;
  let rexPending = rexByte >= 0;
  for (const code of row.codes) {
    // A REP-slot F2/F3 (`rs` rows) went out with the prefixes (or was replaced by a written rep).
    if (codeIndex++ === 0 && row.repSlot) continue;
    if (rexPending && !isLeadingPrefixByte(code, codeIndex - 1, row)) {
      buf[p++] = rexByte;
      rexPending = false;
    }
    switch (code.op) {
      case CodeOp.Byte:
        buf[p++] = code.value;
        break;
      case CodeOp.BytePlusReg:
        buf[p++] = code.value + regNum;
        break;
      case CodeOp.ModRmReg:
        writeModRm(regNum);
        break;
      case CodeOp.ModRmSame:
        buf[p++] = 0xc0 | (regNum << 3) | regNum;
        break;
      case CodeOp.ModRmDigit:
        writeModRm(code.value);
        break;
      case CodeOp.Imm: {
        const o = nextImm();
        if (!o || o.kind !== 'imm') break;
        const width = code.value;
        if (code.mode === 's' && width === 4) {
          field(o.value, 4, true, (n) => {
            const t = BigInt.asIntN(64, n);
            if (t < -(1n << 31n) || t >= 1n << 31n) {
              warnings.push({ message: 'signed dword immediate exceeds bounds', warningClass: 'number-overflow' });
              warnings.push({ message: 'dword data exceeds bounds', warningClass: 'number-overflow' });
            }
          });
        } else if (code.mode === 's') {
          field(o.value, 1, true, (n) => {
            const opBytes = opSize / 8;
            if (opBytes === 2 || opBytes === 4) rangeWarning(n, opBytes, warnings, 'value');
            const t = BigInt.asIntN(opSize, n);
            if (t < -128n || t > 127n)
              warnings.push({ message: 'signed byte value exceeds bounds', warningClass: 'number-overflow' });
          });
        } else
          field(o.value, width, false, (n) => {
            rangeWarning(n, width, warnings, 'data');
          });
        break;
      }
      case CodeOp.FarSegment: {
        const o = ops[immIndex - 1];
        if (o && o.kind === 'imm' && o.farSegment)
          field(o.farSegment, 2, false, (n) => {
            rangeWarning(n, 2, warnings, 'data');
          });
        break;
      }
      case CodeOp.Moffs:
        if (memOp) field(memOp.displacement, addrSize / 8, false, () => {});
        break;
      case CodeOp.Rel: {
        const o = nextImm();
        if (!o || o.kind !== 'imm') break;
        relAt = p;
        relWidth = code.value;
        relValue = o.value;
        p += relWidth;
        break;
      }
    }
  }

  if (relValue !== null) {
    const v: Value = relValue;
    const t = row.operands.find((x) => x.kind === 'rel');
    if (!v.unknown && v.base === ctx.segment && v.wrt === null && !v.segmentOf && (v.minusBase ?? null) === null) {
      const disp = v.offset - (ctx.offset + BigInt(p));
      if (relWidth === 1 && (disp < -128n || disp > 127n)) {
        // An optimiser-chosen short form that does not reach: let the caller try the near row.
        const o = ops[row.operands.findIndex((x) => x.kind === 'rel')];
        // (Also at -O0: NASM still sizes conditional jumps there, measured `jo $-1000` → 0F 80.)
        if (t?.optimizable && o?.kind === 'imm' && o.distance === null) return null;
        finalPassError = 'short jump is out of range';
      }
      writeLE(buf, relAt, disp, relWidth);
    } else {
      for (let k = 0; k < relWidth; k++) buf[relAt + k] = 0;
      fixups.push({ at: relAt, size: relWidth as 1 | 2 | 4, value: v, relative: true, signed: relWidth === 1 });
    }
  }

  if (rexPending) buf[p++] = rexByte; // a row of prefix bytes only (`o64` alone)
  if (ripAt >= 0) resolveRipRelative(ea.disp, ripAt, p, ctx, buf, fixups);

  const result: EncodeResult = { ok: true, bytes: buf.slice(0, p), fixups, warnings };
  if (finalPassError) result.finalPassError = finalPassError;
  return result;
}
