/**
 * Row matching: whether a table row fits the written operands, and how badly
 * it fails if not (NASM's error ranking), including NASM's guess of an
 * unsized memory operand's size ("only one size fits"). The per-line state
 * here is reset by encode() for each line.
 */
import { isPlainNumber } from '../core/value.js';
import { hasAddressRegister } from './ea.js';
import { cpuState } from './cpu.js';
import { outsideRange } from './field-warnings.js';
import type { Row, TemplateOperand } from './table.js';
import type { Decorators, EncodeContext, InstructionRequest, MemoryOperand, Operand } from './types.js';
import { decoratorProblem, encodingMismatch, encodingMismatchMessage, evexOnlyRegister } from './evex-match.js';
import { relativeRequested } from './rip.js';
import { vectorIndex } from './vsib.js';
/** Match failures, ranked as NASM ranks them when it picks which error to print. */
export const enum Fail {
  None = 0,
  InvalidOperands = 1,
  SizeMissing = 2,
  SizeMismatch = 3,
  /** AVX-512 decorators the row does not take, in NASM's rank order (evex-match.ts). */
  BroadcastNotHere = 4,
  BroadcastCount = 5,
  MaskNotHere = 6,
  DecoratorNotHere = 7,
  BadCpu = 8,
  /** The only matching rows are 64-bit-only (`long`): "instruction not supported in N-bit mode". */
  BadMode = 9,
  /** `{evex}` on a row that is not EVEX, `{vex…}` on an EVEX row. */
  EncodingMismatch = 10,
  /** A register group (`zmm4+3`) where the row takes none / of the wrong size. */
  RegisterGroup = 11,
  RegisterGroupSize = 12,
}

export const MESSAGES: Record<number, string> = {
  [Fail.InvalidOperands]: 'invalid combination of opcode and operands',
  [Fail.SizeMissing]: 'operation size not specified',
  [Fail.SizeMismatch]: 'mismatch in operand sizes',
  [Fail.BroadcastNotHere]: 'broadcast not permitted on this operand',
  [Fail.BroadcastCount]: 'mismatch in the number of broadcasting elements',
  [Fail.MaskNotHere]: 'mask not permitted on this operand',
  [Fail.DecoratorNotHere]: 'unsupported mode decorator for instruction',
  [Fail.BadCpu]: 'no instruction for this cpu level',
  [Fail.RegisterGroup]: 'register set not valid for operand',
  [Fail.RegisterGroupSize]: 'invalid register set size',
};

const DECORATOR_FAILS = {
  broadcast: Fail.BroadcastNotHere,
  mask: Fail.MaskNotHere,
  decorator: Fail.DecoratorNotHere,
  group: Fail.RegisterGroup,
  groupSize: Fail.RegisterGroupSize,
} as const;

export function failureMessage(f: Fail, bits: number, prefixes: readonly string[] = []): string {
  if (f === Fail.EncodingMismatch) return encodingMismatchMessage(prefixes);
  return f === Fail.BadMode ? `instruction not supported in ${bits}-bit mode` : (MESSAGES[f] as string);
}

/** Sizes forced on unsized memory operands by the "only one size fits" retry. */
export const forcedSizes: number[] = [0, 0, 0, 0, 0];
/** Bit set of candidate sizes per operand, collected from rows that failed only for a missing size. */
export const missingMask: number[] = [0, 0, 0, 0, 0];
/**
 * The same for 64-bit-only rows: outside BITS 64 they only count when no other
 * row is a candidate (`movd mm0,[eax]` is the dword form, `cmpxchg16b [eax]`
 * still reaches the mode error), unless flagged `fz` (PTWRITE: measured
 * "operation size not specified" for `ptwrite [eax]`).
 */
export const longMissingMask: number[] = [0, 0, 0, 0, 0];
/**
 * The same for EVEX rows: they count only when no legacy or VEX row is a
 * candidate. (NASM's VEX rows carry a default size and match unsized memory
 * outright, so `vcvtpd2dq xmm7,[eax]` is the VEX 128-bit form; with xmm17
 * only EVEX rows remain, and their two sizes leave the size unknown.)
 */
export const evexMissingMask: number[] = [0, 0, 0, 0, 0];
/** Candidate sizes of the row being matched; merged into missingMask only if the row fails for that reason alone. */
const rowMissing: number[] = [0, 0, 0, 0, 0];

export function defaultOpSize(bits: number): 16 | 32 {
  return bits === 16 ? 16 : 32;
}

/** The operand size a `ds` row must have to take unsized operands: BITS 64's branches and pushes are 64-bit. */
function dsOpSize(bits: number): 16 | 32 | 64 {
  return bits === 64 ? 64 : defaultOpSize(bits);
}

export function defaultAddrSize(bits: number): 16 | 32 | 64 {
  return bits === 16 ? 16 : bits === 32 ? 32 : 64;
}

/**
 * Per-line facts the matcher needs: whether the line has a register operand (outside BITS 64 only
 * such lines reach a 64-bit row's size), whether it carries an `a32` prefix (BITS 64: the moffs
 * forms need it, or a `qword` address), whether its address sizes clash (address-size.ts).
 */
export const lineState = { opsHaveReg: false, addr32Written: false, addressClash: false };

export { cpuLevel } from './cpu.js';

/** Size of the first operand that has one (register size or size keyword), for `sm` rows. */
export function sharedSize(ops: readonly Operand[]): number {
  for (const o of ops) {
    if (o.kind === 'reg') {
      const c = o.reg.cls;
      if (c === 'gpr8' || c === 'gpr16' || c === 'gpr32' || c === 'gpr64' || c === 'sreg') return o.reg.size;
    } else if (o.size !== null) return o.size;
  }
  return 0;
}

function regClassMatches(row: Row, t: TemplateOperand, o: Operand): boolean {
  if (o.kind !== 'reg') return false;
  if (t.regClass !== o.reg.cls) return false;
  if (evexOnlyRegister(row, o.reg)) return false;
  if (t.to !== (o.to === true)) return false;
  return t.fixedReg < 0 || t.fixedReg === o.reg.num;
}

/** The cpu level a match needs: `nat` rows written without any size are NASM's level-free natural-size forms. */
export function rowLevel(row: Row, req: InstructionRequest): number {
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
  if (kind === 'u') return !outsideRange(BigInt.asUintN(64, n), 0, 32);
  return !outsideRange(BigInt.asIntN(64, n), 31, 31);
}

export function fitsSbyte(n: bigint, opBytes: number): boolean {
  // A 64-bit operation's immediate is a sign-extended dword: nasm looks at its low 32 bits (measured:
  // `add rcx,0xffffffff` is 48 83 C1 FF, with a signed-dword warning).
  const t = BigInt.asIntN(Math.min(opBytes, 4) * 8, n);
  return t >= -128n && t <= 127n;
}

/**
 * NASM's ranking of a memory operand whose size (or distance) the row does not take: a "mismatch"
 * on an unsized-memory row, a size-matched row, and a row of MMX registers only (measured:
 * `paddb mm0,byte [eax]`, `pfadd mm0,dword [eax]`, `pand mm0,far [eax]`, `movntq dword [eax],mm0`;
 * but `cvtpi2ps xmm0,dword [eax]`, `movd mm0,word [eax]` are invalid combinations), otherwise the
 * row simply does not apply.
 */
function sizeClashIsMismatch(row: Row, t: TemplateOperand): boolean {
  return t.size === 0 || row.sm || row.noSizedImm || mmxOnly(row);
}

function mmxOnly(row: Row): boolean {
  let mmx = false;
  for (const op of row.operands) {
    if (op.regClass === null) continue;
    if (op.regClass !== 'mmx') return false;
    mmx = true;
  }
  return mmx;
}

/** Matches one operand against one template operand. */
function matchOperand(row: Row, t: TemplateOperand, o: Operand, i: number, ctx: EncodeContext, shared: number): Fail {
  const dsOk = row.opSize === 0 || row.opSize === dsOpSize(ctx.bits);
  switch (o.kind) {
    case 'reg':
      if (t.kind === 'reg' || t.kind === 'rm') {
        if (!regClassMatches(row, t, o)) return Fail.InvalidOperands;
        // A size keyword on a register: ignored on general, segment, control and
        // debug registers (`mov word eax,1`); MMX registers take `qword` only. On x87/XMM registers NASM compares
        // it with the template: an r/m operand's own size (else the row does not
        // apply: `movups oword xmm1,xmm2` takes the store form), or for a plain
        // register the size of a size-flagged row (`addsd qword xmm1,xmm2`), else
        // a mismatch (`fld tword st1`).
        const c = o.reg.cls;
        // An opmask register's size keyword: the size-less K rows' operand size (else the row
        // does not apply), a mismatch on a plain `k` operand (measured).
        if (o.size !== null && c === 'kreg') {
          const wanted = t.kSize || (t.kind === 'rm' ? t.size : 0);
          if (wanted === 0) return Fail.SizeMismatch;
          if (o.size === wanted) return Fail.None;
          return row.kSizeMismatch ? Fail.SizeMismatch : Fail.InvalidOperands;
        }
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
      if (o.decorators && o.decorators.broadcast >= 0) return matchBroadcast(t, o, i);
      const isFar = o.distance === 'far';
      // `far` written on memory for a row that is not a far pointer counts as a wrong size (LEA's
      // address of any size takes every distance keyword).
      if (t.far !== isFar && !t.anySize)
        return isFar && sizeClashIsMismatch(row, t) ? Fail.SizeMismatch : Fail.InvalidOperands;
      // So do `near` and `short`, but for the near indirect jmp/call (measured: `mov eax, near [x]`
      // is a mismatch, `inc near dword [x]` an invalid combination, `jmp near [x]` fine).
      if (
        (o.distance === 'short' || (o.distance === 'near' && row.mnemonic !== 'jmp' && row.mnemonic !== 'call')) &&
        !t.anySize
      )
        return sizeClashIsMismatch(row, t) ? Fail.SizeMismatch : Fail.InvalidOperands;
      if (t.moffs) {
        if (hasAddressRegister(o)) return Fail.InvalidOperands;
        const ds = o.displacementSize;
        // BITS 64 takes A0-A3 only for `[qword x]` or an a32 address (measured: `mov eax,[5]` is 8B 04 25).
        if (ctx.bits === 64) {
          // `a32 mov rax,[qword x]`: the a32 wins and the qword is ignored (the 8B form, with nasm's
          // ea-dispsize warning); so is `a32 mov al,[byte 5]` (67 8A 04 25).
          if (lineState.addr32Written ? ds !== null && ds !== 4 : ds !== 8) return Fail.InvalidOperands;
          if (relativeRequested(o, ctx.defaultRel, o.segment?.name ?? null)) return Fail.InvalidOperands;
        } else if (ds !== null && (lineState.addressClash ? ds * 8 !== ctx.bits : ds !== 2 && ds !== 4))
          // After an address-size clash nasm goes on with the mode's address size, which a written
          // displacement size must then be (measured: `a16 mov al,[dword 5]` in BITS 16 takes the
          // 8A form and its ea-dispsize warning, `a32 mov al,[word 5]` the moffs form).
          return Fail.InvalidOperands;
      }
      // VSIB (gathers): the index must be a vector register of the template's class. A size keyword
      // names the element: dword for W0 rows, qword for W1 (measured: `vgatherqps x,dword [rax+xmm2],y`).
      if (t.vsib !== null) {
        if (vectorIndex(o)?.cls !== t.vsib) return Fail.InvalidOperands;
        const w = row.vex?.w ?? row.evex?.w; // EVEX too: `vpgatherdq xmm1{k1},qword [eax+xmm2*8]`
        return o.size === null || o.size === (w === 1 ? 8 : 4) ? Fail.None : Fail.InvalidOperands;
      }
      const size = o.size ?? (forcedSizes[i] || null);
      if (t.anySize) return Fail.None;
      if (size !== null) {
        if (t.size === size) return Fail.None;
        // NASM's ranking: a size keyword on an unsized-memory row, or any size clash on a
        // size-matched row, is a "mismatch"; otherwise the row simply does not apply.
        return sizeClashIsMismatch(row, t) ? Fail.SizeMismatch : Fail.InvalidOperands;
      }
      if (t.size === 0 || t.unsizedOk) return Fail.None;
      // NASM guesses no size for unsized memory carrying a rounding mode (`[rax],{rn-sae}`).
      if (o.decorators?.rounding) return Fail.SizeMissing;
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
          return o.size === null && isPlainNumber(o.value) && o.value.offset === 1n ? Fail.None : Fail.InvalidOperands;
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
          if (!unknownPlain && (!isPlainNumber(o.value) || !fitsDword(o.value.offset, t.dword)))
            return Fail.InvalidOperands;
        }
        if (t.sbyte) {
          if (ctx.optimize === 0 || o.strict) return Fail.InvalidOperands;
          // nasm is optimistic about a value it does not know yet (a forward
          // reference in pass 1): it assumes the short `imm8,s` form, exactly
          // as it assumes short jumps. Measured: `push K` / `K equ 1` later.
          const unknownPlain = o.value.unknown && o.value.base === null;
          if (!unknownPlain && (!isPlainNumber(o.value) || !fitsSbyte(o.value.offset, t.size)))
            return Fail.InvalidOperands;
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
          // -O1 never picks the short form; -O0 still does for Jcc (not JMP), by the same rule as -Ox
          // (measured: at -O0 `jo 0x55`, `jo extern`, `jo other_section` are near, `jo fwd` short).
          if (ctx.optimize === 1 || (ctx.optimize === 0 && !row.jcc)) return Fail.InvalidOperands;
          // Short when the target is unknown yet or known to be in reach (checked after encoding);
          // a scaled address (`$+$`, `x*2`) is a number to nasm, whose branches are near (measured).
          return o.value.unknown || (o.value.base === ctx.segment && o.value.wrt === null && o.value.scaled !== true)
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
export const SIZE_OF_BIT = [1, 2, 4, 8, 10, 16, 32, 64];

/**
 * Whether rowRefuses may be asked about the line: it has no prefix word (so no encoding prefix
 * and no XACQUIRE/XRELEASE for matchRow to look at) and no decorators.
 */
export function plainLine(req: InstructionRequest): boolean {
  if (req.prefixes.length > 0) return false;
  for (const o of req.operands) if (o.decorators !== undefined) return false;
  return true;
}

/**
 * On a plainLine, a legacy row matchRow would call an invalid combination at once: another
 * number of operands, or an operand of a kind (a register of a class) its place in the row does
 * not take. Cheaper than matchRow, and most rows the encoder looks at are refused this way (MOV
 * goes through some thirty); the answer is the same, so skipping them changes nothing. (VEX and
 * EVEX rows are left to matchRow: the `cpu` switches can make them an encoding mismatch first.)
 */
export function rowRefuses(row: Row, ops: readonly Operand[]): boolean {
  const templates = row.operands;
  if (templates.length !== ops.length) return true;
  if (row.vex !== null || row.evex !== null) return false;
  for (let i = 0; i < ops.length; i++) {
    const t = templates[i] as TemplateOperand;
    const o = ops[i] as Operand;
    if (o.kind === 'reg') {
      if ((t.kind !== 'reg' && t.kind !== 'rm') || t.regClass !== o.reg.cls) return true;
    } else if (o.kind === 'mem') {
      if (t.kind !== 'rm' && t.kind !== 'mem') return true;
    } else if (t.kind === 'reg' || t.kind === 'rm' || t.kind === 'mem') return true;
  }
  return false;
}

export function matchRow(row: Row, req: InstructionRequest, ctx: EncodeContext, shared: number): Fail {
  const ops = req.operands;
  if (row.operands.length !== ops.length) return Fail.InvalidOperands;
  let worst = Fail.None;
  for (let i = 0; i < ops.length; i++) rowMissing[i] = 0;
  if (encodingMismatch(row, req.prefixes, ctx.bits, cpuState(ctx.cpu))) return Fail.EncodingMismatch;
  if (row.noHle) for (const p of req.prefixes) if (p === 'xacquire' || p === 'xrelease') return Fail.InvalidOperands;
  for (let i = 0; i < ops.length; i++) {
    // NASM checks an operand's decorators before its type (so `zmm1{1to16}` is a broadcast error).
    const decorated = decoratorProblem(row.operands[i] as TemplateOperand, ops[i] as Operand);
    if (decorated !== '') return DECORATOR_FAILS[decorated];
    const f = matchOperand(row, row.operands[i] as TemplateOperand, ops[i] as Operand, i, ctx, shared);
    if (f === Fail.InvalidOperands) return f;
    if (f > worst) worst = f;
  }
  if (worst === Fail.SizeMissing) {
    if (row.noGuess) return worst;
    const outsideLong = row.long && !row.fuzzyLong && ctx.bits !== 64;
    const mask = row.evex ? evexMissingMask : outsideLong ? longMissingMask : missingMask;
    for (let i = 0; i < ops.length; i++) mask[i] = (mask[i] as number) | (rowMissing[i] as number);
  }
  return worst;
}

/**
 * A `{1toN}` memory operand: the row must broadcast here; its size is the
 * element's (`dword [rax]{1to16}`; unsized, NASM's one-size rule guesses it)
 * and N must be the vector over the element (else NASM's count mismatch).
 */
function matchBroadcast(t: TemplateOperand, o: MemoryOperand, i: number): Fail {
  const element = t.decorations.broadcast;
  if (element === 0) return Fail.BroadcastNotHere;
  const size = o.size ?? (forcedSizes[i] || null);
  if (size === null) {
    rowMissing[i] = 1 << sizeBit(element);
    return Fail.SizeMissing;
  }
  if (size !== element) return Fail.InvalidOperands;
  const count = (o.decorators as Decorators).broadcast;
  return t.size / element === 2 << count && !t.decorations.countMismatch ? Fail.None : Fail.BroadcastCount;
}
