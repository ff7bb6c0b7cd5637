/**
 * Operands and instruction text in ndisasm's spelling (measured on ndisasm
 * 2.16.01 output): lower-case hex with 0x, signed displacements, size
 * keywords where the operands do not give the size, `short`/`near`/`word`
 * on branches, unused prefixes written as words before the mnemonic.
 */
import { CodeOp, isUnsignedImmediate, ROWS_BY_MNEMONIC, type Row, type TemplateOperand } from '../encoder/table.js';
import type { RegisterClass } from '../encoder/registers.js';
import { registerName } from './names.js';
import { elementRegister, sizesImm8 } from './evex-spelling.js';
import { hiddenAddressPrefix, sourceAddress, sourceBranch } from './source.js';
import { maskHas, prefixGroup } from './prefixes.js';

export { registerName } from './names.js';
import {
  REX_B,
  REX_W,
  addressPrefixShown,
  hasMemoryOperand,
  type Bits,
  type Decoded,
  type TailField,
} from './decode.js';

const RM16 = ['bx+si', 'bx+di', 'bp+si', 'bp+di', 'si', 'di', 'bp', 'bx'];
const SIZE_NAME: Record<number, string> = {
  1: 'byte',
  2: 'word',
  4: 'dword',
  8: 'qword',
  10: 'tword',
  16: 'oword',
  32: 'yword',
  64: 'zword',
};
export const PREFIX_WORD: Record<number, string> = {
  0x26: 'es',
  0x2e: 'cs',
  0x36: 'ss',
  0x3e: 'ds',
  0x64: 'fs',
  0x65: 'gs',
  0xf0: 'lock',
  0xf2: 'repne',
  0xf3: 'rep',
  0x9b: 'wait',
};

const hex = (n: number | bigint): string => '0x' + n.toString(16);
const signedHex = (n: number): string => (n < 0 ? '-' : '+') + hex(Math.abs(n));

function signExtend(value: number, size: number): number {
  const bits = size * 8;
  // Fields of up to 4 bytes (all but moffs and imm64) with 32-bit shifts: `2 ** bits` was a call to pow.
  if (bits <= 32) return (value << (32 - bits)) >> (32 - bits);
  return value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
}

/** The displacement's value: sign-extended, and a one-byte EVEX displacement multiplied by its N (disp8*N). */
function displacementValue(d: Decoded, disp: NonNullable<Decoded['displacement']>): number {
  return signExtend(disp.value, disp.size) * (disp.size === 1 && d.evex ? d.evex.scale : 1);
}

const MASK64 = (1n << 64n) - 1n;

/** The address of a RIP-relative operand: the end of the instruction plus the displacement, at the address size. */
function ripTarget(d: Decoded, address: bigint): bigint {
  const disp = BigInt(signExtend(d.displacement?.value ?? 0, 4));
  const mask = d.addressSize === 32 ? 0xffffffffn : MASK64;
  return (address + BigInt(d.length) + disp) & mask;
}

/**
 * The SIB index as written: a vector register for a VSIB address (`xmm4*2`, even number 4), else a general one.
 * Measured: in BITS 64 ndisasm adds 16 to the index of a VEX gather, as if it read EVEX's V' (inverted, so
 * set) from a VEX prefix, which has none (`C4 E2 69 92 1C 90` is `vgatherdps xmm3,dword [rax+xmm18*4],xmm2`;
 * the bytes name xmm2, which NASM source says: source.ts).
 */
export function indexText(d: Decoded, cls: RegisterClass): string | null {
  const s = d.sib;
  if (!s) return null;
  const vsib = d.pattern.row.operands.find((t) => t.vsib)?.vsib ?? null;
  if (vsib === null && s.indexExt === 4) return null;
  const index = s.indexExt + (vsib !== null && d.bits === 64 && d.vex?.kind === 'vex' ? 16 : 0);
  return `${registerName(vsib ?? cls, index)}${s.scale ? `*${1 << s.scale}` : ''}`;
}

/** A BITS 64 address (64-bit registers, or 32-bit ones under 67h): `rax+r12*2+0x10`, `rel 0x17`, `0xfffffffffffffff0`. */
function longAddressText(d: Decoded, m: NonNullable<Decoded['modrm']>, address: bigint): string {
  const cls: RegisterClass = d.addressSize === 32 ? 'gpr32' : 'gpr64';
  const disp = d.displacement;
  if (!d.sib && m.mod === 0 && m.rm === 5)
    return `${d.addressSize === 32 ? 'dword ' : ''}rel ${hex(ripTarget(d, address))}`;
  let base: string | null = registerName(cls, m.rmExt);
  let index: string | null = null;
  if (d.sib) {
    const s = d.sib;
    base = s.base === 5 && m.mod === 0 ? null : registerName(cls, s.baseExt);
    index = indexText(d, cls);
  }
  // An absolute address: the disp32 sign-extended to the address size.
  const absolute = (v: number): string => hex(BigInt(signExtend(v, 4)) & (d.addressSize === 32 ? 0xffffffffn : MASK64));
  if (isMib(d) && index !== null) return mibText(d, base, index, absolute);
  const parts = [base, index].filter((x) => x !== null);
  let text = parts.join('+');
  if (disp) text = parts.length === 0 ? absolute(disp.value) : text + signedHex(displacementValue(d, disp));
  return text;
}

/** Whether the memory operand is MPX's MIB (BNDLDX, BNDSTX, BNDMK), whose index ndisasm writes apart. */
const isMib = (d: Decoded): boolean => d.pattern.row.operands.some((t) => t.mib);

/**
 * A MIB address with an index, as ndisasm writes it (measured in every mode):
 * base and displacement, a comma, then the index (`[eax-0x10,ebx*4]`,
 * `[bx+0x47,si]`); without a base the displacement comes first as an
 * absolute address (`[0xfffffff0,ebx*4]`).
 */
function mibText(d: Decoded, base: string | null, index: string, absolute: (v: number) => string): string {
  const disp = d.displacement;
  let first = base ?? '';
  if (disp) first = base === null ? absolute(disp.value) : first + signedHex(displacementValue(d, disp));
  return `${first},${index}`;
}

/** The address inside brackets, ndisasm style: `ebx+ecx*4+0x10`, `bx+si-0xd`, `dword 0x1000`. */
export function addressText(d: Decoded, address: number | bigint = 0): string {
  const m = d.modrm;
  if (!m) return '';
  if (d.bits === 64) return longAddressText(d, m, BigInt(address));
  const disp = d.displacement;
  const parts: string[] = [];
  let absolute = false;
  if (d.addressSize === 16) {
    if (m.mod === 0 && m.rm === 6) absolute = true;
    else if (m.rm < 4 && isMib(d)) {
      // [bx+si] and the like: the second register is the index (`[bx+0x47,si]`).
      const [base, index] = (RM16[m.rm] as string).split('+') as [string, string];
      return mibText(d, base, index, hex);
    } else parts.push(RM16[m.rm] as string);
  } else if (d.sib) {
    const s = d.sib;
    const noBase = s.base === 5 && m.mod === 0;
    // baseExt/rmExt: equal to base/rm but under EVEX, whose B ndisasm reads in BITS 32 too (`[r10d+0x10]`).
    const base = noBase ? null : registerName('gpr32', s.baseExt);
    const index = indexText(d, 'gpr32');
    if (index !== null && isMib(d)) {
      const text = mibText(d, base, index, hex);
      return d.prefixes.includes(0x67) ? `dword ${text}` : text;
    }
    if (base !== null) parts.push(base);
    if (index !== null) parts.push(index);
    if (noBase && parts.length === 0) absolute = true;
  } else if (m.mod === 0 && m.rm === 5) {
    if (!d.sizeless) parts.push('dword');
    absolute = true;
  } else parts.push(registerName('gpr32', m.rmExt));
  let text = parts.join('+');
  if (disp) {
    if (absolute)
      text =
        text === '' ? hex(disp.value) : text === 'dword' ? `dword ${hex(disp.value)}` : text + '+' + hex(disp.value);
    else text += signedHex(displacementValue(d, disp));
  }
  // Measured: an address of the size a 67h selects is marked with its size when that is not otherwise visible:
  // a 16-bit absolute address in BITS 32 (`[word 0x10]`), a SIB address in BITS 16 (`[dword eax+esi]`).
  const flipped = d.prefixes.includes(0x67);
  if (flipped && absolute && d.addressSize === 16) text = `word ${text}`;
  else if (flipped && d.sib && !text.startsWith('dword ')) text = `dword ${text}`;
  return text;
}

function segmentText(d: Decoded): string {
  return d.segment >= 0 ? `${PREFIX_WORD[d.segment] ?? ''}:` : '';
}

/** True when some register operand already tells the memory operand's size. */
function sizeGivenByRegister(row: Row, memSize: number): boolean {
  return row.operands.some(
    (t) => t.kind === 'reg' && t.fixedReg < 0 && t.regClass !== null && operandRegSize(t) === memSize,
  );
}

function operandRegSize(t: TemplateOperand): number {
  switch (t.regClass) {
    case 'gpr8':
      return 1;
    case 'gpr16':
      return 2;
    case 'gpr32':
      return 4;
    case 'gpr64':
      return 8;
    case 'sreg':
      return 2;
    case 'mmx':
      return 8;
    case 'xmm':
      return 16;
    default:
      return -1;
  }
}

/** The operand size a branch or stack operation has without prefixes: 64 in BITS 64. */
function defaultOperandSize(bits: number): number {
  return bits === 16 ? 16 : bits === 32 ? 32 : 64;
}

/**
 * Whether ndisasm writes the memory operand's size (measured row by row with
 * one instance of every table row against ndisasm 2.16.01): NASM's templates
 * leave the memory operand unsized where a register already gives the size
 * (`add [bx],ax`) and on its size-matched (`ni`) rows (`fldcw [bx]`,
 * `jmp [bx]`, `paddb xmm0,[bx]`), but size it on the SSE forms
 * (`movaps xmm0,oword [bx]`); rows that differ carry `msz`/`mnz`.
 */
function showsMemorySize(t: TemplateOperand, d: Decoded, bits: number): boolean {
  const row = d.pattern.row;
  if (row.memSize !== '') return row.memSize === 'show';
  if (t.size === 0) return false;
  // VEX forms always say the size (`andn edx,r10d,dword [r11+0x41]`).
  if (row.vex || row.evex) return true;
  // BITS 64 stack and branch forms (o64nw) are 64-bit anyway; a REX.W on them is shown as `qword` (`call qword [r9]`).
  if (bits === 64 && row.noRexW && row.noSizedImm) return d.rexWUsed || row.operands.length !== 1;
  // Size-matched rows print no size, but a lone operand of a non-default size is spelled out (`jmp word [ebx]`).
  if (row.noSizedImm) return row.operands.length === 1 && row.opSize !== 0 && row.opSize !== defaultOperandSize(bits);
  if (row.operands.some((o) => o.regClass === 'xmm' || o.regClass === 'ymm')) return true;
  if (row.operands.some((o) => o.regClass === 'mmx')) return false;
  return !sizeGivenByRegister(row, t.size);
}

/** The size keyword's size: a VSIB operand is sized by its elements, dword or qword by VEX.W (`vgatherqps … dword`). */
function memorySize(t: TemplateOperand, d: Decoded): number {
  return t.vsib ? (d.pattern.row.vex?.w ?? d.pattern.row.evex?.w ?? 0) * 4 + 4 : t.size;
}

function memoryText(t: TemplateOperand, d: Decoded, ctx: RenderContext): string {
  const bits = ctx.bits;
  let size = '';
  if (t.far) size = `${nonDefaultSize(d, bits)}far `;
  else if (showsMemorySize(t, d, bits)) size = `${SIZE_NAME[memorySize(t, d)] ?? ''} `;
  // NASM source states every memory size the form has (ndisasm leaves some out: `cvtsi2ss xmm5,[rcx]` with REX.W),
  // but a VSIB one, where the element size is not what the encoder matches.
  if (ctx.source && !t.far && t.size > 0) size = t.vsib ? '' : `${SIZE_NAME[memorySize(t, d)] ?? ''} `;
  const broadcast = d.evex?.broadcastBit ? t.decorations.broadcast : 0;
  if (broadcast > 0) {
    const element = SIZE_NAME[broadcast] ?? '';
    const to = `{1to${t.size / broadcast}}`;
    if (ctx.source) return `${element} [${sourceAddress(d, ctx.address, segmentText(d))}]${to}`;
    // Measured: ndisasm writes a broadcast into a 64-bit memory operand as `qword dword […]{1to0}`.
    const text = bracketed(d, ctx.address);
    return t.size === 8 ? `qword ${element} ${text}{1to0}` : `${element} ${text}${to}`;
  }
  if (ctx.source) return `${size}[${sourceAddress(d, ctx.address, segmentText(d))}]`;
  return size + bracketed(d, ctx.address);
}

/** The address in brackets with its segment override after any size or `rel` marker (`[dword fs:0x10]`). */
function bracketed(d: Decoded, address: bigint): string {
  const text = addressText(d, address);
  if (d.segment < 0) return `[${text}]`;
  const marker = /^(?:d?word )?(?:rel )?/.exec(text)?.[0] ?? '';
  return `[${marker}${segmentText(d)}${text.slice(marker.length)}]`;
}

function immediateText(field: TailField, row: Row, d: Decoded, source: boolean): string {
  const { code } = field;
  // Measured: ndisasm sizes every EVEX imm8 (and KSHIFT's) (`vpshufd xmm5,xmm2,byte 0x9e`); NASM takes it unsized.
  if (code.value === 1 && sizesImm8(d)) return source ? hex(field.value) : `byte ${hex(field.value)}`;
  if (code.mode === 's' && code.value === 1) return `byte ${signedHex(signExtend(field.value, 1))}`;
  const sized = !row.sm && !row.noSizedImm && !row.immediateUnsized;
  if (code.value === 1)
    return isUnsignedImmediate(code) && sized && row.operands.length > 1
      ? `byte ${hex(field.value)}`
      : hex(field.value);
  const defaultSize = d.operandSize / 8;
  // A word/dword immediate is sized in the three-operand forms (`imul eax,ebp,dword 0x10`).
  if (row.operands.length === 3) return `${SIZE_NAME[code.value] ?? ''} ${hex(field.big)}`;
  // A dword sign-extended to a 64-bit operand is written as the 64-bit value (`add rax,0xffffffffffffffff`).
  const widened = code.mode === 's' && d.operandSize === 64;
  const width = widened ? 8 : code.value;
  const value = widened ? BigInt.asUintN(64, BigInt.asIntN(32, field.big)) : field.big;
  if (sized && row.operands.length === 1) return `${SIZE_NAME[width] ?? ''} ${hex(value)}`;
  if (sized && width !== defaultSize) return `${SIZE_NAME[width] ?? ''} ${hex(value)}`;
  return hex(value);
}

/** Where a relative branch goes in BITS 64: the end of the instruction plus the signed offset, as a 64-bit address. */
function longBranchTarget(field: TailField, d: Decoded, address: bigint): bigint {
  return BigInt.asUintN(64, address + BigInt(d.length) + BigInt.asIntN(field.size * 8, field.big));
}

/** An address reduced to 32 bits: BITS 16/32 targets wrap there whatever the origin (`-o 0x1fffffff0`). */
export const low32 = (address: bigint): number => Number(BigInt.asUintN(32, address));

/** Where a relative branch goes: the end of the instruction plus the signed offset, wrapped to the operand size. */
export function branchTargetOf(field: TailField, d: Decoded, address: number | bigint, bits: number): number {
  if (bits === 64) return Number(longBranchTarget(field, d, BigInt(address)));
  // Measured: ndisasm wraps a short target to BITS 16's 64K even under o32, and a 16-bit offset always to 64K.
  const mask = field.size === 2 || (field.size === 1 && (bits === 16 || d.sizeless)) ? 0xffff : 0xffffffff;
  return ((low32(BigInt(address)) + d.length + signExtend(field.value, field.size)) & mask) >>> 0;
}

/**
 * `word`/`dword` when the operand size is not BITS's default (written on near
 * branches and far pointers). In BITS 64 (measured): a near branch says
 * `qword` when REX.W is there, a far pointer says `word`/`dword` unless REX.W
 * makes it 64-bit.
 */
function nonDefaultSize(d: Decoded, bits: number): string {
  if (bits === 64) {
    if (d.pattern.row.noRexW) return d.rexWUsed ? 'qword ' : '';
    return d.operandSize !== 64 ? `${SIZE_NAME[d.operandSize / 8] ?? ''} ` : '';
  }
  return d.operandSize !== (bits === 16 ? 16 : 32) ? `${SIZE_NAME[d.operandSize / 8] ?? ''} ` : '';
}

function branchText(field: TailField, d: Decoded, ctx: RenderContext): string {
  const { address, bits } = ctx;
  const target = bits === 64 ? longBranchTarget(field, d, address) : branchTargetOf(field, d, address, bits);
  const t = ctx.source ? sourceBranch(field, d, bits) : hex(target);
  if (field.size === 1) return d.opcode[0] === 0xeb ? `short ${t}` : t;
  // BITS 64 near branches are 64-bit whatever the row says; ndisasm writes `qword` only for a REX.W
  // (and for the 66h it ignores on CALL/JMP/Jcc), `word` for the 66h it ignores on JMPE (NASM: `o16 jmpe`).
  const ignored66 = maskHas(d.silent, 0x66) && !d.pattern.row.bnd && !ctx.source;
  const size = bits === 64 ? (d.rexWUsed ? 'qword ' : ignored66 ? 'word ' : '') : nonDefaultSize(d, bits);
  const near = d.opcode[0] === 0x0f && !d.pattern.row.noNear;
  // NASM takes a sized Jcc only with `near` (`jo near word $+0x10` is 66 0F 80 + rel16 in BITS 32; `jo word` is refused).
  if (size !== '') return ctx.source && near && bits !== 64 ? `near ${size}${t}` : size + t;
  return near ? `near ${t}` : t;
}

export interface RenderContext {
  bits: Bits;
  /** The instruction's address (origin + offset), up to 64 bits. */
  address: bigint;
  /** NASM source that assembles to the same bytes (source.ts) instead of ndisasm's text. */
  source?: boolean;
}

/**
 * The size word on a moffs address (measured): the size a 67h selects in BITS
 * 16/32 (`mov al,[dword 0x10]`); in BITS 64 `qword` on the default 64-bit
 * address and none on a 67h one.
 */
function moffsMarker(d: Decoded): string {
  if (d.bits === 64) return d.addressSize === 64 ? 'qword ' : '';
  return d.prefixes.includes(0x67) ? `${SIZE_NAME[d.addressSize / 8] ?? ''} ` : '';
}

/**
 * EVEX decorations on the operands: the opmask and `{z}` after the operand
 * that takes them, and a rounding mode or `{sae}` as an operand of its own.
 */
function decorate(d: Decoded, operands: string[]): string[] {
  const e = d.evex;
  if (!e) return operands;
  const out: string[] = [];
  d.pattern.row.operands.forEach((t, i) => {
    const text = operands[i] ?? '';
    // A register group is written as its first register and the count after it (`zmm4+3`, `k2+1`).
    const grouped = t.decorations.registerSet > 0 ? `${text}+${t.decorations.registerSet - 1}` : text;
    // Measured: `{z}` is written only with an opmask (ndisasm leaves it out on k0).
    out.push(t.decorations.mask && e.aaa ? `${grouped}{k${e.aaa}}${e.z && t.decorations.zero ? '{z}' : ''}` : grouped);
    // The rounding mode follows the operand the form gives it to (`vcvtsi2ss xmm1,xmm3,{rd-sae},ebx`), each
    // of them (`vcvtusi2sh xmm3,xmm0,{rz-sae},ebp,{rz-sae}`) but a memory operand (`…,{rn-sae},dword [rax]`).
    const memory = t.role === 'm' && d.modrm !== null && d.modrm.mod !== 3;
    if (e.rounding !== '' && (t.decorations.er || t.decorations.sae) && !memory) out.push(e.rounding);
  });
  return out;
}

/** The operands of a decoded instruction, each as ndisasm writes it. */
export function renderOperands(d: Decoded, ctx: RenderContext): string[] {
  return decorate(d, plainOperands(d, ctx));
}

function plainOperands(d: Decoded, ctx: RenderContext): string[] {
  const row = d.pattern.row;
  const out: string[] = [];
  let tailIndex = 0;
  const modrm = d.modrm;
  for (const t of row.operands) {
    if (t.role === '-' && t.kind === 'reg') {
      out.push(registerName(t.regClass ?? 'gpr32', t.fixedReg));
      continue;
    }
    // A memory ModR/M ndisasm reads as a register (decode.ts, registerFromAddress) is a register here.
    const registerRm = modrm !== null && (modrm.mod === 3 || modrm.addressAsRegister);
    if (t.kind === 'reg' || (t.kind === 'rm' && registerRm && t.role === 'm')) {
      const cls = t.regClass ?? 'gpr32';
      let num = 0;
      if (t.role === 'v' && d.vex) num = d.vex.vvvv;
      // Outside BITS 64 the /is4 byte's top bit names no register (ndisasm: `C4 E3 41 5C E3 E0` is
      // `vfmaddsubps xmm4,xmm7,xmm3,xmm6` in BITS 32); NASM writes the bit there for xmm8-15 and keeps it in source.
      else if (t.role === 's' && d.vex) num = (d.vex.is4 >> 4) & (ctx.bits === 64 || ctx.source ? 15 : 7);
      else if (t.role === 'm' && modrm) num = modrm.rmExt;
      else if (d.pattern.plusReg) num = ((d.opcode[d.opcode.length - 1] ?? 0) & 7) | (d.rex & REX_B ? 8 : 0);
      else if (modrm) num = modrm.regExt | (ctx.source && cls.endsWith('mm') ? (d.evex?.hidden.reg ?? 0) : 0);
      // LOCK taken by MOV CRn (outside BITS 64) adds 8 to the control register (decode.ts).
      if (cls === 'creg' && maskHas(d.consumed, 0xf0)) num += 8;
      // ndisasm names a `norex` form's byte register 4-7 ah…bh (PINSRB); NASM refuses those there, so the source
      // spelling takes the dword form of the same register number.
      const high = ctx.source && d.pattern.row.noRex && cls === 'gpr8' && num >= 4 && d.rex === 0;
      const element = ctx.source ? null : elementRegister(d, cls, num);
      out.push((t.to ? 'to ' : '') + (element ?? registerName(high ? 'gpr32' : cls, num, d.rex)));
      continue;
    }
    if (t.kind === 'rm' || t.kind === 'mem') {
      if (t.moffs) {
        const f = d.tail.find((x) => x.code.op === CodeOp.Moffs);
        // A moffs address of the size a 67h selects is marked with its size (`mov al,[dword 0x10]` in BITS 16).
        // The segment comes before the size word in every mode (measured: `[ds:qword 0x10]` in BITS 64,
        // `[cs:dword 0x10]` in BITS 16), unlike a ModR/M address's `[dword cs:0x10]`.
        out.push(`[${segmentText(d)}${moffsMarker(d)}${hex(f?.big ?? 0n)}]`);
      } else out.push(memoryText(t, d, ctx));
      continue;
    }
    const field = d.tail[tailIndex];
    if (t.one) {
      out.push('1');
      continue;
    }
    if (!field) continue;
    if (t.kind === 'far') {
      const seg = d.tail[tailIndex + 1];
      tailIndex += 2;
      out.push(`${nonDefaultSize(d, ctx.bits)}${hex(seg?.value ?? 0)}:${hex(field.value)}`);
      continue;
    }
    tailIndex++;
    if (t.kind === 'rel') out.push(branchText(field, d, ctx));
    else out.push(immediateText(field, row, d, ctx.source === true));
  }
  return out;
}

const hleTwins = new WeakMap<Row, boolean>();

/**
 * ndisasm writes XACQUIRE/XRELEASE on `xchg al,[mem]` too: the bytes are also the HLE form `xchg [mem],al`.
 * Worked out once per row (it compares the codes of the mnemonic's rows).
 */
function sharesBytesWithHle(row: Row): boolean {
  let shares = hleTwins.get(row);
  if (shares === undefined) {
    const codes = JSON.stringify(row.codes);
    shares =
      ROWS_BY_MNEMONIC.get(row.mnemonic)?.some((r) => r.hle === 'x' && JSON.stringify(r.codes) === codes) ?? false;
    hleTwins.set(row, shares);
  }
  return shares;
}

/** The word ndisasm writes for an F2/F3 the form did not use: REP family, BND on branches, HLE on locked memory forms. */
function repWord(b: number, d: Decoded): string {
  const row = d.pattern.row;
  const f2 = b === 0xf2;
  if (hasMemoryOperand(d)) {
    const hle = (row.lock && d.prefixes.includes(0xf0)) || row.hle === 'x' || sharesBytesWithHle(row);
    if (hle || (row.hle === 'r' && !f2)) return f2 ? 'xacquire' : 'xrelease';
  } else if (row.hle === 'r' && !f2 && row.operands.some((t) => t.kind === 'imm')) {
    // Measured: MOV r/m,imm keeps XRELEASE on its register form too (`F3 C6 C1 24` is `xrelease mov cl,0x24`).
    return 'xrelease';
  }
  if (f2 && row.bnd) return 'bnd';
  if (!f2 && row.repE) return 'repe';
  return f2 ? 'repne' : 'rep';
}

/** Whether a prefix after the one at `i` is of the same group (the later one is the one that counts). */
function laterInGroup(prefixes: readonly number[], i: number, group: number): boolean {
  for (let j = i + 1; j < prefixes.length; j++) if (prefixGroup(prefixes[j]!) === group) return true;
  return false;
}

/**
 * Prefix words ndisasm writes before the mnemonic: prefixes the instruction did
 * not use, in ndisasm's group order; with `source`, also an unused 67h ndisasm
 * leaves unwritten.
 */
export function prefixWords(d: Decoded, bits: Bits, source = false): string[] {
  // Most instructions: nothing to write, and nothing to work out.
  if (d.prefixes.length === 0 && (d.rex & REX_W) === 0) return [];
  // An address ndisasm shows as a register leaves its segment override to be written (`26 C5 F8 50 10` is
  // `es vmovmskps edx,xmm12`), while its 67h counts as used.
  const usesSegment = hasMemoryOperand(d) && d.modrm?.addressAsRegister !== true;
  const words: Array<[number, string]> = [];
  const prefixes = d.prefixes;
  for (let i = 0; i < prefixes.length; i++) {
    const b = prefixes[i]!;
    const group = prefixGroup(b);
    const used = maskHas(d.consumed, b) && !(source && maskHas(d.silent, b));
    if (used || laterInGroup(prefixes, i, group)) continue;
    let word: string | null = null;
    if (group === 0) word = usesSegment ? null : (PREFIX_WORD[b] ?? null);
    else if (group === 1) word = 'wait';
    else if (group === 2) word = repWord(b, d);
    else if (group === 3) word = 'lock';
    else if (group === 4) word = bits === 16 ? 'o32' : 'o16';
    else if (addressPrefixShown(d, bits)) word = bits === 16 ? 'a32' : bits === 32 ? 'a16' : 'a32';
    else if (source) word = hiddenAddressPrefix(d, bits);
    if (word !== null) words.push([group, word]);
  }
  // A REX.W the form did not use is written `o64`; other REX bits go unmentioned.
  // Measured: `o64` goes where o16/o32 would, before a32 (`67 48 C9` is `o64 a32 leave`).
  if (d.rex & REX_W && (!d.rexWUsed || (source && d.rexWSilent))) words.push([4.5, 'o64']);
  return words.sort((x, y) => x[0] - y[0]).map(([, w]) => w);
}
