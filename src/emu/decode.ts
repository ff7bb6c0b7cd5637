/**
 * Instruction fetch for the emulator: the shared table-driven decoder
 * (src/disasm) says how long an instruction is and where its ModR/M, SIB,
 * displacement and immediate lie; this module turns that into what execution
 * needs (register numbers, the memory operand, the immediate, operand and
 * address sizes). The shared decoder knows the 16/32-bit encodings; for
 * 64-bit code the REX prefix is taken off here and the rest decoded as its
 * 32-bit layout, which is the same apart from REX's extra register bits,
 * `mov r64,imm64` and 8-byte moffs, handled below.
 */
import { disassembleOne } from '../disasm/index.js';

export type Mode = 32 | 64;

export interface MemOperand {
  /** Base register number, -1 for none, or 'rip' for RIP-relative. */
  base: number | 'rip';
  index: number;
  scale: number;
  disp: bigint;
}

export interface Instr {
  address: number;
  length: number;
  bytes: Uint8Array;
  /** Disassembly text from the shared decoder (for 64-bit code, REX.W registers spelt r..). */
  text: string;
  /** The opcode: one byte, or 0x100 + the second byte after 0F. */
  op: number;
  rex: number;
  /** Size of a full-width operand in bytes: 2 (66h), 4 or 8 (REX.W). */
  osize: number;
  /** Address size in bytes. */
  asize: number;
  has66: boolean;
  rep: 0 | 0xf2 | 0xf3;
  /** Segment override: 0x64 (fs), 0x65 (gs) or -1. */
  segment: number;
  /** ModR/M reg field (REX.R applied), or -1. */
  reg: number;
  /** Register number when ModR/M names a register (REX.B applied), else -1. */
  rmReg: number;
  mem: MemOperand | null;
  /** ModR/M reg field as written (the /digit). */
  digit: number;
  /** Immediate (or branch offset) after the addressing bytes, sign-extended; 0n if none. */
  imm: bigint;
  immSize: number;
  /** Immediate bytes read unsigned (for int n, ret n, enter). */
  immRaw: bigint;
}

const LEGACY = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

/** Thrown for bytes the decoder does not know (the machine reports SIGILL). */
export class InvalidOpcode extends Error {}

function littleEndian(bytes: Uint8Array, at: number, size: number, signed: boolean): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return signed && size > 0 ? BigInt.asIntN(size * 8, v) : v;
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** ndisasm-like text of the 32-bit form, with REX.W widening written in 64-bit register names. */
function widen(text: string, rex: number): string {
  if (!(rex & 8)) return text;
  return text.replace(/\be(ax|cx|dx|bx|sp|bp|si|di)\b/g, 'r$1').replace(/\bdword\b/g, 'qword');
}

/** Decodes the instruction in `window` (bytes fetched at `address`). */
export function decodeAt(window: Uint8Array, address: number, mode: Mode): Instr {
  let at = 0;
  const legacy: number[] = [];
  while (at < window.length && LEGACY.has(window[at] as number) && legacy.length < 14)
    legacy.push(window[at++] as number);
  let rex = 0;
  if (mode === 64 && ((window[at] ?? 0) & 0xf0) === 0x40) rex = window[at++] as number;
  const has66 = legacy.includes(0x66);
  const has67 = legacy.includes(0x67);
  // What the shared decoder sees: in 64-bit code without 67h (its 32-bit address layout is 64-bit code's) and
  // without a 66h that REX.W overrides.
  const kept = legacy.filter((b) => mode === 32 || (b !== 0x67 && !(b === 0x66 && rex & 8)));
  const rest = window.subarray(at);
  const view = Uint8Array.from([...kept, ...rest]);
  const ins = disassembleOne(view, 0, { bits: 32 });
  const d = ins.decoded;
  if (!d) throw new InvalidOpcode(`invalid opcode bytes ${hexBytes(window.subarray(0, Math.min(window.length, 4)))}`);
  const shift = legacy.length - kept.length + (rex ? 1 : 0);
  const opcode = d.opcode;
  const op = opcode[0] === 0x0f ? 0x100 + (opcode[1] ?? 0) : (opcode[0] ?? 0);
  let immStart = d.opcodeAt + opcode.length;
  if (d.modrm) immStart = d.modrm.at + 1;
  if (d.sib) immStart = d.sib.at + 1;
  if (d.displacement) immStart = d.displacement.at + d.displacement.size;
  let length = d.length;
  if (mode === 64 && rex & 8 && op >= 0xb8 && op <= 0xbf) length += 4; // mov r64, imm64
  if (mode === 64 && !has67 && op >= 0xa0 && op <= 0xa3) length += 4; // 8-byte moffs
  const immSize = length - immStart;
  const rexR = rex & 4 ? 8 : 0;
  const rexX = rex & 2 ? 8 : 0;
  const rexB = rex & 1 ? 8 : 0;
  let mem: MemOperand | null = null;
  let rmReg = -1;
  if (d.modrm) {
    const { mod, rm } = d.modrm;
    const disp = d.displacement ? littleEndian(view, d.displacement.at, d.displacement.size, true) : 0n;
    if (mod === 3) rmReg = rm + rexB;
    else if (d.addressSize === 16) throw new InvalidOpcode(`16-bit addressing is not supported (${ins.text})`);
    else if (d.sib) {
      const index = d.sib.index + rexX;
      const noBase = mod === 0 && d.sib.base === 5;
      mem = { base: noBase ? -1 : d.sib.base + rexB, index: index === 4 ? -1 : index, scale: 1 << d.sib.scale, disp };
    } else if (mod === 0 && rm === 5) mem = { base: mode === 64 ? 'rip' : -1, index: -1, scale: 1, disp };
    else mem = { base: rm + rexB, index: -1, scale: 1, disp };
  }
  const total = length + shift;
  const bytes = window.slice(0, total);
  return {
    address,
    length: total,
    bytes,
    text: mode === 64 ? widen(ins.text, rex) : ins.text,
    op,
    rex,
    osize: rex & 8 ? 8 : has66 ? 2 : 4,
    asize: mode === 64 ? (has67 ? 4 : 8) : d.addressSize / 8,
    has66,
    rep: legacy.includes(0xf3) ? 0xf3 : legacy.includes(0xf2) ? 0xf2 : 0,
    segment: legacy.find((b) => b === 0x64 || b === 0x65) ?? -1,
    reg: d.modrm ? d.modrm.reg + rexR : -1,
    rmReg,
    mem,
    digit: d.modrm ? d.modrm.reg : -1,
    imm: littleEndian(view, immStart, immSize, true),
    immSize,
    immRaw: littleEndian(view, immStart, immSize, false),
  };
}
