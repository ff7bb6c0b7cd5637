/**
 * Takes one instruction apart: legacy prefixes, opcode, ModR/M, SIB,
 * displacement and the fields the matched table row says follow (immediates,
 * branch offsets, far segment, moffs). The layout rules are the Intel SDM's
 * (vol. 2, ch. 2); which opcodes exist and what follows them comes from the
 * instruction table through patterns.ts.
 */
import { CodeOp, type Code, type Row } from '../encoder/table.js';
import type { EvexFields } from '../encoder/evex.js';
import { patternsAt, type Pattern } from './patterns.js';
import {
  isLegacyPrefix,
  maskHas,
  maskSize,
  prefixBit,
  prefixRun,
  repeatPrefix,
  REP_PREFIXES,
  segmentOverride,
  type PrefixMask,
} from './prefixes.js';

export type Bits = 16 | 32 | 64;

export interface ModRmField {
  at: number;
  byte: number;
  mod: number;
  reg: number;
  rm: number;
  /** reg and rm with REX.R / REX.B added (0-15; equal to reg/rm without REX). */
  regExt: number;
  rmExt: number;
  /**
   * A memory ModR/M read as a register, as ndisasm does on a register-only operand (see
   * registerFromAddress): rmExt then holds that register's number. The address is still in the bytes.
   */
  addressAsRegister: boolean;
}

export interface SibField {
  at: number;
  byte: number;
  scale: number;
  index: number;
  base: number;
  /** index and base with REX.X / REX.B added. */
  indexExt: number;
  baseExt: number;
}

export interface ValueField {
  at: number;
  size: number;
  /** Unsigned little-endian value of the field's bytes (exact up to 2^53). */
  value: number;
  /** The same value exactly (8-byte moffs and imm64 fields). */
  big: bigint;
}

export interface TailField extends ValueField {
  code: Code;
}

export interface Decoded {
  /** Instruction length in bytes. */
  length: number;
  /** Prefix bytes in order (legacy prefixes, including any the row uses as mandatory). */
  prefixes: readonly number[];
  /** The prefix bytes the instruction consumed (mandatory prefix, o16/o32 or a16/a32 selecting the row): maskHas(consumed, 0x66). */
  consumed: PrefixMask;
  /** Consumed prefixes that change nothing (a 66h on a BITS 64 branch or 3DNow! form): NASM source must still say them. */
  silent: PrefixMask;
  /** Index of the first opcode byte. */
  opcodeAt: number;
  /** The opcode bytes (shared with the pattern where they are the same: not to be changed). */
  opcode: readonly number[];
  modrm: ModRmField | null;
  sib: SibField | null;
  displacement: ValueField | null;
  tail: readonly TailField[];
  pattern: Pattern;
  bits: Bits;
  /** The REX byte (40-4F) before the opcode in BITS 64, or 0. */
  rex: number;
  /** Whether the form used REX.W (a REX.W it did not use is written `o64`). */
  rexWUsed: boolean;
  /** REX.W taken silently (plain MMX forms, JRCXZ): ndisasm writes nothing, NASM source needs `o64`. */
  rexWSilent: boolean;
  operandSize: 16 | 32 | 64;
  addressSize: 16 | 32 | 64;
  /** Segment override byte in effect (the last one written), or -1. */
  segment: number;
  /** Decoded in ndisasm's mode for a -b other than 16/32/64 (see decodeOne). */
  sizeless: boolean;
  /** The VEX/XOP fields of a VEX-encoded form (vex.ts), or null; EVEX forms set vvvv (0-31) here too. */
  vex: VexFields | null;
  /** The EVEX fields of an EVEX-encoded form (evex.ts), or null. */
  evex: EvexDecoded | null;
  /**
   * When ndisasm shows a register for the bytes' address (ModRmField.addressAsRegister): what the
   * bytes are to NASM (the same bytes decoded with the address as memory), or null when no form is;
   * undefined for every other instruction.
   */
  asWritten: Decoded | null | undefined;
}

/*
 * The decoders (legacy, VEX, EVEX) make their Decoded, ModRmField, SibField and field objects with
 * the functions below, each with all its properties in one order. V8 then gives each kind one
 * hidden class; objects of two layouts reaching the same code made V8 throw its optimised code
 * away and compile it again, which was the largest part of the compiler's work in a run.
 */

/** A Decoded with every property, in the one order. */
export function decodedForm(d: Decoded): Decoded {
  return {
    length: d.length,
    prefixes: d.prefixes,
    consumed: d.consumed,
    silent: d.silent,
    opcodeAt: d.opcodeAt,
    opcode: d.opcode,
    modrm: d.modrm,
    sib: d.sib,
    displacement: d.displacement,
    tail: d.tail,
    pattern: d.pattern,
    bits: d.bits,
    rex: d.rex,
    rexWUsed: d.rexWUsed,
    rexWSilent: d.rexWSilent,
    operandSize: d.operandSize,
    addressSize: d.addressSize,
    segment: d.segment,
    sizeless: d.sizeless,
    vex: d.vex,
    evex: d.evex,
    asWritten: d.asWritten,
  };
}

/** The ModR/M byte at `at`, with its register numbers as extended (regExt, rmExt). */
export function modrmField(
  at: number,
  byte: number,
  regExt: number,
  rmExt: number,
  addressAsRegister = false,
): ModRmField {
  return { at, byte, mod: byte >> 6, reg: (byte >> 3) & 7, rm: byte & 7, regExt, rmExt, addressAsRegister };
}

/** The SIB byte at `at`, with its index and base as extended. */
export function sibField(at: number, byte: number, indexExt: number, baseExt: number): SibField {
  return { at, byte, scale: byte >> 6, index: (byte >> 3) & 7, base: byte & 7, indexExt, baseExt };
}

export interface VexFields {
  /** The prefix: VEX (C4/C5), XOP (8F) or EVEX (62, whose other fields are in Decoded.evex). */
  kind: 'vex' | 'xop' | 'evex';
  /** Bytes of the prefix (2 or 3; 4 for EVEX), which ends at Decoded.opcodeAt. */
  size: number;
  /** The opcode map (1 = 0F, 2 = 0F 38, 3 = 0F 3A, 8-10 XOP's). */
  map: number;
  /** pp: 0 none, 1 = 66, 2 = F3, 3 = F2. */
  pp: number;
  /** VEX.L (EVEX: L'L). */
  l: number;
  /** The register VEX.vvvv names (0-15; EVEX 0-31). */
  vvvv: number;
  /** The `/is4` byte (its top nibble names a register), or -1. */
  is4: number;
  /** A 3-byte VEX prefix whose fields a 2-byte one holds (NASM writes the short one unless told `{vex3}`). */
  longForm: boolean;
}

/** The EVEX fields of a decoded instruction, and what they mean for its operands. */
export interface EvexDecoded extends EvexFields {
  /** N of disp8*N: the factor a one-byte displacement is multiplied by (1 when the form does not scale). */
  readonly scale: number;
  /** The tuple's N as the row gives it, 0 when the form's disp8 is not compressed (no tuple, or one the vector cannot hold). */
  readonly disp8N: number;
  /** b on a register-register form: `{rn-sae}`… (an `{er}` row) or `{sae}`. */
  readonly rounding: string;
  /**
   * Register bits the prefix holds but ndisasm ignores outside BITS 64 (R' of
   * the ModR/M reg, V' of a VSIB index; 16 or 0): NASM source must say them.
   */
  readonly hidden: { readonly reg: number; readonly index: number };
  /** The form the bytes are when ndisasm shows another (rounding on a packed register form), for NASM source. */
  readonly asWritten: Decoded | undefined;
}

/** The memory operand is in the bytes (ModR/M memory form or a moffs address). */
export function hasMemoryOperand(d: Decoded): boolean {
  return (d.modrm !== null && d.modrm.mod !== 3) || d.pattern.row.operands.some((t) => t.moffs);
}

/**
 * Whether ndisasm writes an unused 67h as `a16`/`a32` (measured on every
 * opcode): never when the form has a memory operand; always on a form with no
 * operands (`a32 movsb`, `a16 cwde`); in BITS 16 also when every operand is a
 * register coded in the instruction (`a32 inc ax`, `a32 or bx,di`), but not
 * when one is an immediate, a branch, or a register the form fixes (`in al,dx`,
 * `xchg ax,cx`, `fadd st0,st1`); in BITS 32 not when there are operands.
 */
export function addressPrefixShown(d: Decoded, bits: Bits): boolean {
  if (maskHas(d.consumed, 0x67) || hasMemoryOperand(d)) return false;
  const operands = d.pattern.row.operands;
  if (operands.length === 0) return true;
  if (bits !== 16) return false;
  return operands.every((t) => (t.kind === 'reg' && t.fixedReg < 0) || t.kind === 'rm');
}

/**
 * ndisasm 2.16.01 (measured: every ModR/M byte on VEX and legacy forms, BITS 16, and BITS 32 with 67h)
 * lets a register-only r/m operand match a memory ModR/M under 16-bit addressing when the address
 * has a base register: [bx+si], [bx+di], [bx] and displaced forms read as register 12, [bp+si],
 * [bp+di] and [bp+disp] as register 10 (BX's and BP's places in the alphabetical list of NASM's
 * register names, from ah = 1): `C5 D0 12 10` is `vmovhlps xmm2,xmm5,xmm12`. No base ([si], [di],
 * [disp16]), 32/64-bit addressing and EVEX forms keep the memory operand. Only classes that have
 * such a register outside BITS 64 match: xmm and ymm (`66 0F C5 10 01` is `pextrw edx,xmm12,0x1`),
 * not mm, k or general registers (`0F C5 10 01` and `67 0F 20 10` are no instruction). The
 * displacement stays in the bytes; a segment override is then written as a word (`es vmovmskps`).
 * Returns the register's number, or -1 when the ModR/M is no such address.
 */
export function registerFromAddress(modrm: number, addressSize: 16 | 32 | 64): number {
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (addressSize !== 16 || mod === 3) return -1;
  if (rm === 0 || rm === 1 || rm === 7) return 12;
  if (rm === 2 || rm === 3 || (rm === 6 && mod !== 0)) return 10;
  return -1;
}

/**
 * Instructions whose register form ndisasm keeps as a form of its own, tried before the memory one,
 * where the table has one row for both (`xmm/m128`): registerFromAddress reaches them too (measured:
 * `66 0F 70 10 01` is `pshufd xmm2,xmm12,0x1`, `C5 FB E6 10` `vcvtpd2dq xmm2,xmm12`), unlike the
 * other register-or-memory rows (`cvttss2si`, `movdqa`, `vpshufd`, `vcvtps2pd` keep the address).
 */
const REGISTER_FORM_FIRST = new Set([
  'cvtsd2si',
  'cvtss2si',
  'cvttsd2si',
  'movq',
  'pshufd',
  'pshufhw',
  'pshuflw',
  'vcvtpd2dq',
  'vcvtpd2ps',
  'vcvttpd2dq',
]);

/** Whether the row's r/m operand is one that registerFromAddress applies to (an xmm or ymm register form). */
export function takesAddressAsRegister(row: Row): boolean {
  const rm = row.operands[row.rmIndex];
  if (rm === undefined || (rm.regClass !== 'xmm' && rm.regClass !== 'ymm')) return false;
  return rm.kind === 'reg' || (rm.kind === 'rm' && REGISTER_FORM_FIRST.has(row.mnemonic));
}

/** Unsigned little-endian value of `size` bytes at `at` (up to 6 bytes: exact as a number). */
function readNumberLE(bytes: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] as number);
  return v;
}

/** The same for a field of 7 or 8 bytes, exactly (moffs64, imm64). */
function readBigLE(bytes: Uint8Array, at: number, size: number): bigint {
  // Numbers first, a bigint per 4 bytes: per-byte bigint arithmetic was a good part of the decoder's garbage.
  let big = 0n;
  for (let i = size; i > 0; i -= 4) {
    const chunk = Math.min(4, i);
    big = (big << BigInt(8 * chunk)) | BigInt(readNumberLE(bytes, at + i - chunk, chunk));
  }
  return big;
}

/** The field of `size` bytes at `at`, or null when the bytes end first. */
export function valueField(bytes: Uint8Array, at: number, size: number): ValueField | null {
  if (at + size > bytes.length) return null;
  if (size <= 6) {
    const value = readNumberLE(bytes, at, size);
    return { at, size, value, big: BigInt(value) };
  }
  const big = readBigLE(bytes, at, size);
  return { at, size, value: Number(big), big };
}

/** The field `code` says is at `at` (of `size` bytes, which the bytes hold). */
export function tailField(bytes: Uint8Array, at: number, size: number, code: Code): TailField {
  if (size <= 6) {
    const value = readNumberLE(bytes, at, size);
    return { at, size, value, big: BigInt(value), code };
  }
  const big = readBigLE(bytes, at, size);
  return { at, size, value: Number(big), big, code };
}

export const REX_W = 8;
export const REX_R = 4;
export const REX_X = 2;
export const REX_B = 1;

export interface Addressing {
  sib: SibField | null;
  displacement: ValueField | null;
  end: number;
}

/** SIB and displacement after a ModR/M byte, per the address size. Null if the bytes run out. */
export function addressing(
  bytes: Uint8Array,
  modrm: ModRmField,
  addressSize: 16 | 32 | 64,
  rex: number,
): Addressing | null {
  let at = modrm.at + 1;
  let sib: SibField | null = null;
  let dispSize = 0;
  if (modrm.mod !== 3) {
    if (addressSize === 16) {
      dispSize = modrm.mod === 1 ? 1 : modrm.mod === 2 || (modrm.mod === 0 && modrm.rm === 6) ? 2 : 0;
    } else {
      if (modrm.rm === 4) {
        const b = bytes[at];
        if (b === undefined) return null;
        sib = sibField(at, b, ((b >> 3) & 7) | (rex & REX_X ? 8 : 0), (b & 7) | (rex & REX_B ? 8 : 0));
        at++;
      }
      const noBase = modrm.mod === 0 && (modrm.rm === 5 || (sib !== null && sib.base === 5));
      dispSize = modrm.mod === 1 ? 1 : modrm.mod === 2 || noBase ? 4 : 0;
    }
  }
  let displacement: ValueField | null = null;
  if (dispSize > 0) {
    displacement = valueField(bytes, at, dispSize);
    if (displacement === null) return null;
    at += dispSize;
  }
  return { sib, displacement, end: at };
}

function tailWidth(code: Code, addressSize: 16 | 32 | 64, sizeless: boolean): number {
  if (code.op === CodeOp.Moffs) return sizeless ? 0 : addressSize / 8;
  return code.value;
}

/** Most forms have no field after the opcode and address: they share this list. */
const NO_FIELDS: readonly TailField[] = [];

/** Where the fields `codes` say follow from `at` end. */
function fieldsEnd(at: number, codes: readonly Code[], addressSize: 16 | 32 | 64, sizeless: boolean): number {
  let end = at;
  for (let i = 0; i < codes.length; i++) end += tailWidth(codes[i]!, addressSize, sizeless);
  return end;
}

/** The fields `codes` say follow from `at` (immediates, branch offsets…), which the bytes hold (fieldsEnd). */
function tailFields(
  bytes: Uint8Array,
  at: number,
  codes: readonly Code[],
  addressSize: 16 | 32 | 64,
  sizeless: boolean,
): readonly TailField[] {
  if (codes.length === 0) return NO_FIELDS;
  const fields = new Array<TailField>(codes.length);
  let next = at;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    const size = tailWidth(code, addressSize, sizeless);
    fields[i] = tailField(bytes, next, size, code);
    next += size;
  }
  return fields;
}

interface Context {
  bytes: Uint8Array;
  bits: Bits;
  prefixes: readonly number[];
  /** The prefixes present (a prefix written twice is one bit). */
  present: PrefixMask;
  rex: number;
  opcodeAt: number;
  sizeless: boolean;
  /** Whether a memory ModR/M may be read as a register (registerFromAddress); off to find the form the bytes are. */
  addressAsRegister: boolean;
}

interface Sizes {
  os: 16 | 32 | 64;
  as: 16 | 32 | 64;
  consumed: PrefixMask;
  rexWUsed: boolean;
  /** Consumed without effect (see Decoded.silent). */
  silent: PrefixMask;
  /** REX.W taken without effect or word (see Decoded.rexWSilent). */
  rexWSilent: boolean;
}

const present = (ctx: Context, b: number): boolean => maskHas(ctx.present, b);
const O16 = prefixBit(0x66);
const A16 = prefixBit(0x67);

/**
 * BITS 64 forms on which ndisasm ignores a 66h: near branches with a rel32 or
 * r/m target (CALL, JMP, Jcc, JMPE; not RET, not a short jump), and MOV to/from
 * a control or debug register.
 */
function ignoresOperandSize(p: Pattern): boolean {
  const ops = p.row.operands;
  if (ops.some((t) => t.regClass === 'creg' || t.regClass === 'dreg')) return true;
  const target = ops.length === 1 && (ops[0]?.kind === 'rel' || ops[0]?.kind === 'rm');
  // JMPE (a `nonear` branch) too: `66 0F B8` + rel32 is `jmpe word …`.
  return (p.row.bnd || p.row.noNear) && target && !p.tail.some((c) => c.op === CodeOp.Rel && c.value === 1);
}

/**
 * The MMX forms of the one-byte-after-0F map that ndisasm decodes behind a
 * REX.W without writing `o64` (measured on every MMX row: `48 0F E4 DA` is
 * `pmulhuw mm3,mm2`): MMX registers and memory only, no `/digit` shift form,
 * and not MOVQ (6F/7F), PADDQ (D4), MOVNTQ (E7) or MASKMOVQ (F7), on which it writes `o64`.
 */
function takesRexWSilently(p: Pattern): boolean {
  const ops = p.row.operands;
  if (p.row.opSize !== 0 || p.opcode.length !== 2 || p.digit >= 0) return false;
  if (!ops.some((t) => t.regClass === 'mmx')) return false;
  if (ops.some((t) => (t.kind === 'reg' || t.kind === 'rm') && t.regClass !== 'mmx')) return false;
  return ![0x6f, 0x7f, 0xd4, 0xe7, 0xf7].includes(p.opcode[1] as number);
}

/**
 * Operand and address size in BITS 64: REX.W makes the operand 64-bit (over
 * any 66h), 66h makes it 16-bit, else 32; 67h makes the address 32-bit. An
 * `o64nw` row (PUSH, near branches) is 64-bit without REX.W too.
 */
function longModeSizes(ctx: Context, p: Pattern, mandatory: PrefixMask): Sizes | null {
  let consumed = mandatory;
  const w = (ctx.rex & REX_W) !== 0;
  // A mandatory 66h is also the operand size of a 16/32-bit form (WRUSSD), not of an o64nw one (INVEPT).
  const os66 = present(ctx, 0x66) && (p.mandatory !== 0x66 || (p.row.opSize !== 0 && !p.row.noRexW));
  let os: 16 | 32 | 64 = w ? 64 : os66 ? 16 : 32;
  const as: 16 | 32 | 64 = present(ctx, 0x67) ? 32 : 64;
  let rexWUsed = false;
  let rexWSilent = false;
  let silent = 0;
  const row = p.row;
  // REX.W overrides 66h, which ndisasm then does not mention (`66 48 DD 14 A0` is `o64 fst qword [rax]`).
  if (w && os66) consumed |= O16;
  if (row.opSize === 64 && row.noRexW) {
    if (os === 16) {
      if (!ignoresOperandSize(p)) return null;
      // Measured: the 66h is ignored, and a branch written as with REX.W (`66 E8 …` is `call qword …`).
      return { os: 64, as, consumed: consumed | O16, rexWUsed: row.bnd, silent: O16, rexWSilent: false };
    }
    os = 64;
    // Measured: `48 6A FF` is `o64 push byte -0x1`, though `48 50` is `push rax` and `48 68 …` `push qword …`.
    rexWUsed = w && !p.tail.some((c) => c.op === CodeOp.Imm && c.value === 1);
  } else if (takesRexWSilently(p)) {
    rexWUsed = w;
    rexWSilent = w;
  } else if (row.addrSize !== 0 && row.operands.length === 1 && p.tail.some((c) => c.op === CodeOp.Rel)) {
    // JRCXZ (not JECXZ, not LOOP): ndisasm mentions no REX.W on it (`48 E3 FD` is `jrcxz`, `67 48 E3 FC`
    // `o64 jecxz`), and no 66h (`66 67 E3` is `o16 jecxz`).
    rexWUsed = w && row.addrSize === 64;
    rexWSilent = rexWUsed;
    if (os66 && row.addrSize === 64) {
      consumed |= O16;
      silent |= O16;
    }
  } else if (row.opSize !== 0) {
    if (row.opSize !== os) return null;
    if (os66) consumed |= O16;
    rexWUsed = w;
  }
  if (row.addrSize !== 0 && !row.addrPrefixOnly) {
    if (row.addrSize !== as) return null;
    if (present(ctx, 0x67)) consumed |= A16;
  }
  return { os, as, consumed, rexWUsed, silent, rexWSilent };
}

/**
 * The prefixes a pattern's mandatory prefix consumes, or null when it does not apply. An F2 or F3
 * must be the last of the two written, and then ndisasm says nothing of the other (measured: `F3 F2 0F
 * 2D C1` is `cvtsd2si eax,xmm1`, `F3 F2 0F B8 C1` no instruction).
 */
function mandatoryConsumed(ctx: Context, p: Pattern): PrefixMask | null {
  if (p.mandatory < 0) return 0;
  // A 66h form gives way to an F2 or F3 (measured: `66 F3 0F 58 C1` is `o16 addss`; `F3 66 0F 60 C1`,
  // PUNPCKLBW having no F3 form, is a lone `rep` and then the 66h form).
  if (p.mandatory === 0x66) return present(ctx, 0x66) && (ctx.present & REP_PREFIXES) === 0 ? O16 : null;
  return repeatPrefix(ctx.prefixes) === p.mandatory ? ctx.present & REP_PREFIXES : null;
}

function effectiveSizes(ctx: Context, p: Pattern): Sizes | null {
  let consumed = mandatoryConsumed(ctx, p);
  if (consumed === null) return null;
  if (ctx.bits === 64) return longModeSizes(ctx, p, consumed);
  if (ctx.sizeless && (p.row.opSize !== 0 || p.row.addrSize !== 0)) return null;
  // 66h and 67h flip the operand and address size between BITS 16's and BITS 32's.
  const base = ctx.bits === 16 ? 16 : 32;
  const flipped = base === 16 ? 32 : 16;
  // A mandatory 66h is the operand size too on a sized form (ndisasm: `66 0F 38 F5` is WRUSSD in BITS 16 only).
  const os66 = present(ctx, 0x66) && (p.mandatory !== 0x66 || p.row.opSize !== 0);
  const os: 16 | 32 = os66 ? flipped : base;
  const as: 16 | 32 = present(ctx, 0x67) ? flipped : base;
  if (p.row.opSize !== 0) {
    if (p.row.opSize !== os) return null;
    if (os66) consumed |= O16;
  }
  if (p.row.addrSize !== 0 && !p.row.addrPrefixOnly) {
    if (p.row.addrSize !== as) return null;
    if (present(ctx, 0x67)) consumed |= A16;
  }
  return { os, as, consumed, rexWUsed: false, silent: 0, rexWSilent: false };
}

/** MPX has bnd0-bnd3 only: a ModR/M naming bnd4-7 is another form (ndisasm: `hint_nop22`). */
function registersExist(p: Pattern, modrm: ModRmField): boolean {
  if (!p.bndRegisters) return true;
  return p.row.operands.every((t) => {
    if (t.regClass !== 'bnd') return true;
    if (t.role === 'r') return modrm.reg < 4;
    return t.role !== 'm' || modrm.mod !== 3 || modrm.rm < 4;
  });
}

function tryPattern(ctx: Context, p: Pattern): Decoded | null {
  const { bytes } = ctx;
  if (p.row.rexWInvalid && ctx.rex & REX_W) return null;
  if (p.noPrefix !== '' && (present(ctx, 0xf2) || present(ctx, 0xf3))) return null;
  if (p.noPrefix === 'sse' && present(ctx, 0x66)) return null;
  let at = ctx.opcodeAt;
  // The opcode bytes first: most candidates (the 0F 38 / 0F 3A maps) fail there, before any allocation.
  for (let i = 0; i < p.opcode.length; i++) {
    const b = bytes[at + i];
    if (b === undefined) return null;
    const want = p.opcode[i] as number;
    if (p.plusReg && i === p.opcode.length - 1 ? (b & 0xf8) !== want : b !== want) return null;
  }
  at += p.opcode.length;
  // Then what the ModR/M byte alone rules out (`/digit`, register or memory form), still before allocating.
  const modrmByte = p.modrm ? bytes[at] : 0;
  if (modrmByte === undefined) return null;
  if (p.modrm) {
    if (p.digit >= 0 && ((modrmByte >> 3) & 7) !== p.digit) return null;
    if (p.mod === 'mem' && modrmByte >> 6 === 3) return null;
    if (p.mod === 'reg' && modrmByte >> 6 !== 3 && !(ctx.addressAsRegister && takesAddressAsRegister(p.row)))
      return null;
  }
  const sizes = effectiveSizes(ctx, p);
  if (!sizes) return null;
  const addressRegister =
    p.modrm && sizes.as === 16 && ctx.addressAsRegister && takesAddressAsRegister(p.row)
      ? registerFromAddress(modrmByte, sizes.as)
      : -1;
  if (p.mod === 'reg' && modrmByte >> 6 !== 3 && addressRegister < 0) return null;
  let modrm: ModRmField | null = null;
  let sib: SibField | null = null;
  let displacement: ValueField | null = null;
  if (p.modrm) {
    const b = modrmByte;
    const regExt = ((b >> 3) & 7) | (ctx.rex & REX_R ? 8 : 0);
    const rmExt = (b & 7) | (ctx.rex & REX_B ? 8 : 0);
    modrm = addressRegister >= 0 ? modrmField(at, b, regExt, addressRegister, true) : modrmField(at, b, regExt, rmExt);
    if (!registersExist(p, modrm)) return null;
    const addr = addressing(bytes, modrm, sizes.as, ctx.rex);
    if (!addr) return null;
    ({ sib, displacement } = addr);
    at = addr.end;
    if (p.suffix >= 0) {
      if (bytes[at] !== p.suffix) return null;
      at++;
    }
  }
  const tailEnd = fieldsEnd(at, p.tail, sizes.as, ctx.sizeless);
  if (tailEnd > bytes.length) return null;
  const tail = tailFields(bytes, at, p.tail, sizes.as, ctx.sizeless);
  at = tailEnd;
  // 3DNow! and Cyrix MMX forms take a 66h silently (ndisasm: `66 0F 0F C1 B4` is `pfmul mm0,mm1`).
  let { consumed, silent } = sizes;
  if (present(ctx, 0x66) && (p.opcode[1] === 0x0f || p.row.cyrix) && p.row.operands.some((t) => t.regClass === 'mmx')) {
    consumed |= O16;
    silent |= O16;
  }
  // Outside BITS 64 LOCK on MOV to/from a control register is AMD's way to name cr8-cr15 (ndisasm: `lock mov eax,cr0` is `mov eax,cr8`).
  if (ctx.bits !== 64 && present(ctx, 0xf0) && p.row.operands.some((t) => t.regClass === 'creg'))
    consumed |= prefixBit(0xf0);
  const segment = segmentOverride(ctx.prefixes);
  return decodedForm({
    length: at,
    prefixes: ctx.prefixes,
    consumed,
    silent,
    opcodeAt: ctx.opcodeAt,
    // The pattern's own bytes but for `XX+r`, whose last byte holds the register.
    opcode: p.plusReg ? opcodeBytes(bytes, ctx.opcodeAt, p.opcode.length) : p.opcode,
    modrm,
    sib,
    displacement,
    tail,
    pattern: p,
    bits: ctx.bits,
    rex: ctx.rex,
    rexWUsed: sizes.rexWUsed,
    rexWSilent: sizes.rexWSilent,
    operandSize: sizes.os,
    addressSize: sizes.as,
    segment,
    sizeless: ctx.sizeless,
    vex: null,
    evex: null,
    asWritten: undefined,
  });
}

function opcodeBytes(bytes: Uint8Array, at: number, length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(bytes[at + i] as number);
  return out;
}

/**
 * How well a match fits: more prefixes explained and more specific bytes rank first. The form's
 * own part (opcode length, mandatory prefix, `/digit`… : patterns.ts, preferenceOf) is added to what
 * this instruction's prefixes and REX say for it.
 */
function rank(d: Decoded): number {
  const p = d.pattern;
  let score = maskSize(d.consumed) * 100 + p.preference;
  // A form that uses REX.W (`iretq` over `iret`), or REX.B in its opcode (`xchg eax,r8d` over `nop`), explains more bytes.
  if (d.rexWUsed) score += 100;
  if (p.plusReg && d.rex & REX_B) score += 100;
  return score;
}

/**
 * Decodes the instruction at the start of `bytes` (which may hold more).
 * Null when no table row matches (the caller prints `db`). `sizeless`
 * approximates ndisasm's undefined mode for `-b 17` and other numbers: BITS
 * 32 addressing, no operand size (forms with one are `db`), moffs fields of
 * no bytes, absolute addresses without `dword`.
 */
export function decodeOne(bytes: Uint8Array, bits: Bits, cyrix = false, sizeless = false): Decoded | null {
  const shown = decodeBest(bytes, bits, cyrix, sizeless, true);
  if (!shown?.modrm?.addressAsRegister) return shown;
  shown.asWritten = sameLength(shown, decodeBest(bytes, bits, cyrix, sizeless, false));
  return shown;
}

/** The form NASM needs for bytes ndisasm reads with an address as a register: null unless it spans the same bytes. */
export function sameLength(shown: Decoded, written: Decoded | null): Decoded | null {
  return written !== null && written.length === shown.length ? written : null;
}

/** The best-ranked form of the bytes; `addressAsRegister` off leaves every memory ModR/M a memory operand. */
function decodeBest(
  bytes: Uint8Array,
  bits: Bits,
  cyrix: boolean,
  sizeless: boolean,
  addressAsRegister: boolean,
): Decoded | null {
  const { prefixes, mask } = prefixRun(bytes);
  let at = prefixes.length;
  // In BITS 64 a REX byte counts only right before the opcode; followed by a prefix or another REX it starts no instruction.
  let rex = 0;
  if (bits === 64 && ((bytes[at] ?? 0) & 0xf0) === 0x40) {
    rex = bytes[at] as number;
    at++;
    const next = bytes[at];
    if (next === undefined || isLegacyPrefix(next) || (next & 0xf0) === 0x40) return null;
  }
  const first = bytes[at];
  if (first === undefined) return null;
  const ctx: Context = { bytes, bits, prefixes, present: mask, rex, opcodeAt: at, sizeless, addressAsRegister };
  const afterWait = maskHas(mask, 0x9b);
  const unused67 = maskHas(mask, 0x67);
  let best: Decoded | null = null;
  let bestRank = -Infinity;
  for (const p of patternsAt(first, bytes[at + 1] ?? -1, bits === 64)) {
    // The x87 `wait` rows (FINIT = 9B + FNINIT) decode only right after an FWAIT byte (and win there: rank).
    if (p.row.wait && !afterWait) continue;
    const d = tryPattern(ctx, p);
    if (!d) continue;
    if (p.row.wait) d.consumed |= prefixBit(0x9b);
    let r = rank(d);
    // Of the forms these bytes can be, ndisasm takes one that makes use of a 67h (`67 90` is `xchg ax,ax`, not `a32 nop`).
    if (unused67 && !addressPrefixShown(d, bits)) r += 50;
    // Cyrix forms share bytes with SSE ones; ndisasm takes them only when told the vendor is Cyrix (-p cyrix).
    if (p.row.cyrix) r += cyrix ? 500 : -500;
    if (r > bestRank || (r === bestRank && best !== null && p.order < best.pattern.order)) {
      best = d;
      bestRank = r;
    }
  }
  return best;
}
