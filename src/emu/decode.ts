/**
 * Instruction fetch for the emulator. The shared table-driven decoder
 * (src/disasm, the same one tsndisasm uses) takes the bytes apart in either
 * mode — prefixes, REX, opcode, ModR/M, SIB, displacement, immediates — and
 * gives the text for --trace; this module turns its layout into what
 * execution needs, as plain numbers: register numbers with REX applied, the
 * memory operand, immediates, operand and address sizes. Decoding happens
 * once per address (the machine caches the result).
 */
import { decodeOne } from '../disasm/decode.js';
import { disassembleOne, type Decoded } from '../disasm/index.js';

export type Mode = 32 | 64;

/** Base register number meaning "the address of the next instruction" (RIP-relative). */
export const RIP_BASE = 16;

export interface MemOperand {
  /** Base register number, -1 for none, or RIP_BASE. */
  base: number;
  /** Index register number, or -1. */
  index: number;
  scale: number;
  /** Signed displacement. */
  disp: number;
}

export interface Instr {
  address: number;
  length: number;
  bytes: Uint8Array;
  /** Disassembly text from the shared decoder (ndisasm's spelling), made on first use. */
  readonly text: string;
  /** Mnemonic of the table row that matched (lower case). */
  mnemonic: string;
  /** The opcode: one byte; 0x100 + b after 0F; 0x200 + b after 0F 38; 0x300 + b after 0F 3A. */
  op: number;
  /** The mandatory prefix the row took (66, F2 or F3: selects among SSE forms), or 0. */
  prefix: number;
  rex: number;
  /** Size of a full-width operand in bytes: 2 (66h), 4 or 8 (REX.W). */
  osize: number;
  /** Address size in bytes. */
  asize: number;
  /** The row names MMX registers (not emulated). */
  mmx: boolean;
  /** A 66h prefix that is not the row's mandatory prefix. */
  has66: boolean;
  rep: 0 | 0xf2 | 0xf3;
  /** Segment override: 0x64 (fs), 0x65 (gs) or -1. */
  segment: number;
  /** ModR/M reg field (REX.R applied), or -1. */
  reg: number;
  /** Register number when ModR/M names a register (REX.B applied), else -1. */
  rmReg: number;
  mem: MemOperand | null;
  /** ModR/M reg field as written (the /digit), or -1. */
  digit: number;
  /** The byte after the opcode (x87 D8-DF: a ModR/M or the register form's second byte), else -1. */
  x87: number;
  /** First immediate (or branch offset), sign-extended from its width; 0 if none. */
  imm: number;
  /** The same field's low 32 bits unsigned. */
  immRaw: number;
  /** High 32 bits of an 8-byte field (imm64, moffs64), else 0. */
  immHi: number;
  /** Second immediate (enter's nesting level), unsigned. */
  imm2: number;
  immSize: number;
  /** Links the machine keeps to the instruction executed after this one: falling through, and the last branch target. */
  next: Instr | null;
  jump: Instr | null;
  /** Set when the bytes it was decoded from have been written since (self-modifying code). */
  stale: boolean;
}

/** Thrown for bytes the decoder does not know (the machine reports SIGILL). */
export class InvalidOpcode extends Error {}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

const signExtend = (v: number, size: number): number =>
  size === 1 ? (v << 24) >> 24 : size === 2 ? (v << 16) >> 16 : size === 4 ? v | 0 : v;

function opcodeNumber(opcode: readonly number[]): number {
  if (opcode[0] !== 0x0f) return opcode[0] ?? 0;
  if (opcode[1] === 0x38) return 0x200 + (opcode[2] ?? 0);
  if (opcode[1] === 0x3a) return 0x300 + (opcode[2] ?? 0);
  return 0x100 + (opcode[1] ?? 0);
}

function memoryOperand(d: Decoded, mode: Mode): MemOperand | null {
  const m = d.modrm;
  if (!m || m.mod === 3) return null;
  if (d.addressSize === 16) throw new InvalidOpcode('16-bit addressing is not supported');
  const dispField = d.displacement;
  const disp = dispField ? signExtend(dispField.value, dispField.size) : 0;
  if (d.sib) {
    const noBase = m.mod === 0 && d.sib.base === 5;
    const index = d.sib.indexExt === 4 ? -1 : d.sib.indexExt;
    return { base: noBase ? -1 : d.sib.baseExt, index, scale: 1 << d.sib.scale, disp };
  }
  if (m.mod === 0 && m.rm === 5) return { base: mode === 64 ? RIP_BASE : -1, index: -1, scale: 1, disp };
  return { base: m.rmExt, index: -1, scale: 1, disp };
}

/** Decodes the instruction in `window` (bytes fetched at `address`). */
export function decodeAt(window: Uint8Array, address: number, mode: Mode): Instr {
  const d = decodeOne(window.subarray(0, 16), mode);
  if (!d) throw new InvalidOpcode(`invalid opcode bytes ${hexBytes(window.subarray(0, Math.min(window.length, 4)))}`);
  const prefixes = d.prefixes;
  const mandatory = d.pattern.mandatory;
  const has66 = prefixes.includes(0x66) && mandatory !== 0x66;
  const has67 = prefixes.includes(0x67);
  const rex = d.rex;
  const first = d.tail[0];
  const second = d.tail[1];
  const immSize = first ? first.size : 0;
  const op = opcodeNumber(d.opcode);
  let rep: Instr['rep'] = 0;
  for (const b of prefixes) if ((b === 0xf2 || b === 0xf3) && b !== mandatory) rep = b;
  let segment = -1;
  if (d.segment === 0x64 || d.segment === 0x65) segment = d.segment;
  const bytes = window.slice(0, d.length);
  let text: string | null = null;
  return {
    address,
    length: d.length,
    bytes,
    // Spelt only when asked for (--trace, a fault message): rendering costs as much as decoding.
    get text(): string {
      text ??= disassembleOne(bytes, 0, { bits: mode, origin: address }).text;
      return text;
    },
    mnemonic: d.pattern.row.mnemonic,
    op,
    prefix: mandatory > 0 ? mandatory : 0,
    rex,
    mmx: d.pattern.row.operands.some((t) => t.regClass === 'mmx'),
    osize: rex & 8 ? 8 : has66 ? 2 : 4,
    asize: mode === 64 ? (has67 ? 4 : 8) : has67 ? 2 : 4,
    has66,
    rep,
    segment,
    reg: d.modrm ? d.modrm.regExt : -1,
    rmReg: d.modrm && d.modrm.mod === 3 ? d.modrm.rmExt : -1,
    mem: memoryOperand(d, mode),
    digit: d.modrm ? d.modrm.reg : -1,
    x87: op >= 0xd8 && op <= 0xdf ? (window[d.opcodeAt + 1] ?? -1) : -1,
    imm: first ? signExtend(Number(first.big & 0xffffffffn), first.size) : 0,
    immRaw: first ? Number(first.big & 0xffffffffn) : 0,
    immHi: first ? Number(first.big >> 32n) : 0,
    imm2: second ? second.value : 0,
    immSize,
    next: null,
    jump: null,
    stale: false,
  };
}
