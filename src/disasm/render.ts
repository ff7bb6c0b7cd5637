/**
 * Operands and instruction text in ndisasm's spelling (measured on ndisasm
 * 2.16.01 output): lower-case hex with 0x, signed displacements, size
 * keywords where the operands do not give the size, `short`/`near`/`word`
 * on branches, unused prefixes written as words before the mnemonic.
 */
import { CodeOp, type Row, type TemplateOperand } from '../encoder/table.js';
import type { RegisterClass } from '../encoder/registers.js';
import { prefixGroup, type Decoded, type TailField } from './decode.js';

const REGISTER_NAMES: Partial<Record<RegisterClass, readonly string[]>> = {
  gpr8: ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'],
  gpr16: ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'],
  gpr32: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'],
  sreg: ['es', 'cs', 'ss', 'ds', 'fs', 'gs', 'segr6', 'segr7'],
  creg: ['cr0', 'cr1', 'cr2', 'cr3', 'cr4', 'cr5', 'cr6', 'cr7'],
  dreg: ['dr0', 'dr1', 'dr2', 'dr3', 'dr4', 'dr5', 'dr6', 'dr7'],
  treg: ['tr0', 'tr1', 'tr2', 'tr3', 'tr4', 'tr5', 'tr6', 'tr7'],
  fpu: ['st0', 'st1', 'st2', 'st3', 'st4', 'st5', 'st6', 'st7'],
  mmx: ['mm0', 'mm1', 'mm2', 'mm3', 'mm4', 'mm5', 'mm6', 'mm7'],
  xmm: ['xmm0', 'xmm1', 'xmm2', 'xmm3', 'xmm4', 'xmm5', 'xmm6', 'xmm7'],
  bnd: ['bnd0', 'bnd1', 'bnd2', 'bnd3', 'bnd4', 'bnd5', 'bnd6', 'bnd7'],
};

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
};

export function registerName(cls: RegisterClass, num: number): string {
  return REGISTER_NAMES[cls]?.[num] ?? `?${cls}${num}`;
}

const hex = (n: number): string => '0x' + n.toString(16);
const signedHex = (n: number): string => (n < 0 ? '-' : '+') + hex(Math.abs(n));

function signExtend(value: number, size: number): number {
  const bits = size * 8;
  return value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
}

/** The address inside brackets, ndisasm style: `ebx+ecx*4+0x10`, `bx+si-0xd`, `dword 0x1000`. */
export function addressText(d: Decoded): string {
  const m = d.modrm;
  if (!m) return '';
  const disp = d.displacement;
  const parts: string[] = [];
  let absolute = false;
  if (d.addressSize === 16) {
    if (m.mod === 0 && m.rm === 6) absolute = true;
    else parts.push(RM16[m.rm] as string);
  } else if (d.sib) {
    const s = d.sib;
    const noBase = s.base === 5 && m.mod === 0;
    if (!noBase) parts.push(registerName('gpr32', s.base));
    if (s.index !== 4) parts.push(`${registerName('gpr32', s.index)}${s.scale ? `*${1 << s.scale}` : ''}`);
    if (noBase && parts.length === 0) absolute = true;
  } else if (m.mod === 0 && m.rm === 5) {
    parts.push('dword');
    absolute = true;
  } else parts.push(registerName('gpr32', m.rm));
  let text = parts.join('+');
  if (disp) {
    if (absolute)
      text =
        text === '' ? hex(disp.value) : text === 'dword' ? `dword ${hex(disp.value)}` : text + '+' + hex(disp.value);
    else text += signedHex(signExtend(disp.value, disp.size));
  }
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

/**
 * Whether ndisasm writes the memory operand's size (measured row by row with
 * /tmp sweeps of every table row against ndisasm 2.16.01): NASM's templates
 * leave the memory operand unsized where a register already gives the size
 * (`add [bx],ax`) and on its size-matched (`ni`) rows (`fldcw [bx]`,
 * `jmp [bx]`, `paddb xmm0,[bx]`), but size it on the SSE forms
 * (`movaps xmm0,oword [bx]`); rows that differ carry `msz`/`mnz`.
 */
function showsMemorySize(t: TemplateOperand, row: Row, bits: number): boolean {
  if (row.memSize !== '') return row.memSize === 'show';
  if (t.size === 0) return false;
  // Size-matched rows print no size, but a lone operand of a non-default size is spelled out (`jmp word [ebx]`).
  if (row.noSizedImm) return row.operands.length === 1 && row.opSize !== 0 && row.opSize !== (bits === 16 ? 16 : 32);
  if (row.operands.some((o) => o.regClass === 'xmm')) return true;
  if (row.operands.some((o) => o.regClass === 'mmx')) return false;
  return !sizeGivenByRegister(row, t.size);
}

function memoryText(t: TemplateOperand, row: Row, d: Decoded, bits: number): string {
  let size = '';
  if (t.far) size = 'far ';
  else if (showsMemorySize(t, row, bits)) size = `${SIZE_NAME[t.size] ?? ''} `;
  const address = addressText(d);
  const dword = address.startsWith('dword ') ? 'dword ' : '';
  return `${size}[${dword}${segmentText(d)}${address.slice(dword.length)}]`;
}

function immediateText(field: TailField, row: Row, d: Decoded): string {
  const { code } = field;
  if (code.mode === 's') return `byte ${signedHex(signExtend(field.value, 1))}`;
  const sized = !row.sm && !row.noSizedImm;
  if (code.value === 1)
    return code.mode === 'u' && sized && row.operands.length > 1 ? `byte ${hex(field.value)}` : hex(field.value);
  const defaultSize = d.operandSize / 8;
  // A word/dword immediate is sized in the three-operand forms (`imul eax,ebp,dword 0x10`).
  if (row.operands.length === 3) return `${SIZE_NAME[code.value] ?? ''} ${hex(field.value)}`;
  if (sized && row.operands.length === 1) return `${SIZE_NAME[code.value] ?? ''} ${hex(field.value)}`;
  if (sized && code.value !== defaultSize) return `${SIZE_NAME[code.value] ?? ''} ${hex(field.value)}`;
  return hex(field.value);
}

/** Where a relative branch goes: the end of the instruction plus the signed offset, wrapped to the operand size. */
export function branchTargetOf(field: TailField, d: Decoded, address: number, bits: number): number {
  const mask = bits === 16 && d.operandSize === 16 ? 0xffff : 0xffffffff;
  return ((address + d.length + signExtend(field.value, field.size)) & mask) >>> 0;
}

function branchText(field: TailField, d: Decoded, origin: number, offset: number, bits: number): string {
  const t = hex(branchTargetOf(field, d, origin + offset, bits));
  if (field.size === 1) return d.opcode[0] === 0xeb ? `short ${t}` : t;
  if (d.opcode[0] === 0x0f) return `near ${t}`;
  return d.operandSize !== (bits === 16 ? 16 : 32) ? `${SIZE_NAME[field.size] ?? ''} ${t}` : t;
}

export interface RenderContext {
  bits: number;
  origin: number;
  offset: number;
}

/** The operands of a decoded instruction, each as ndisasm writes it. */
export function renderOperands(d: Decoded, ctx: RenderContext): string[] {
  const row = d.pattern.row;
  const out: string[] = [];
  let tailIndex = 0;
  const modrm = d.modrm;
  for (const t of row.operands) {
    if (t.role === '-' && t.kind === 'reg') {
      out.push(registerName(t.regClass ?? 'gpr32', t.fixedReg));
      continue;
    }
    if (t.kind === 'reg' || (t.kind === 'rm' && modrm && modrm.mod === 3 && t.role === 'm')) {
      const cls = t.regClass ?? 'gpr32';
      let num = 0;
      if (t.role === 'm' && modrm) num = modrm.rm;
      else if (d.pattern.plusReg) num = (d.opcode[d.opcode.length - 1] ?? 0) & 7;
      else if (modrm) num = modrm.reg;
      out.push((t.to ? 'to ' : '') + registerName(cls, num));
      continue;
    }
    if (t.kind === 'rm' || t.kind === 'mem') {
      if (t.moffs) {
        const f = d.tail.find((x) => x.code.op === CodeOp.Moffs);
        out.push(`[${segmentText(d)}${hex(f?.value ?? 0)}]`);
      } else out.push(memoryText(t, row, d, ctx.bits));
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
      out.push(`${hex(seg?.value ?? 0)}:${hex(field.value)}`);
      continue;
    }
    tailIndex++;
    if (t.kind === 'rel') out.push(branchText(field, d, ctx.origin, ctx.offset, ctx.bits));
    else out.push(immediateText(field, row, d));
  }
  return out;
}

/** Prefix words ndisasm writes before the mnemonic: prefixes the instruction did not use. */
export function prefixWords(d: Decoded, bits: number): string[] {
  const words: string[] = [];
  const hasMemory = d.modrm !== null && d.modrm.mod !== 3;
  const usesSegment = hasMemory || d.pattern.row.operands.some((t) => t.moffs);
  const lastOfGroup = (i: number): boolean =>
    !d.prefixes.slice(i + 1).some((q) => prefixGroup(q) === prefixGroup(d.prefixes[i] as number));
  for (const [i, b] of d.prefixes.entries()) {
    if (d.consumed.has(b) || !lastOfGroup(i)) continue;
    if (b === 0xf3 && d.pattern.row.repE) words.push('repe');
    else if (PREFIX_WORD[b] !== undefined && (b === 0xf0 || b === 0xf2 || b === 0xf3 || !usesSegment)) {
      words.push(PREFIX_WORD[b]);
    } else if (b === 0x66) words.push(bits === 16 ? 'o32' : 'o16');
    // Measured: a 67h before a register-only ModR/M form is written in BITS 16 (`a32 or bx,di`), dropped in BITS 32.
    else if (b === 0x67 && (d.modrm === null || bits === 16) && !usesSegment) words.push(bits === 16 ? 'a32' : 'a16');
  }
  return words;
}
