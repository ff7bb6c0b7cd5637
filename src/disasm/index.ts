/**
 * The disassembler: decodes bytes with the encoder's instruction table
 * (patterns.ts) and writes each instruction as ndisasm 2.16.01 does.
 * `disassemble` gives structured instructions for tools (listings,
 * `--explain`, the playground); `ndisasmLines` the text ndisasm prints.
 */
import { decodeOne, type Bits, type Decoded } from './decode.js';
import { CodeOp } from '../encoder/table.js';
import { decodeEvex } from './evex.js';
import { compareAlias } from './evex-spelling.js';
import { decodeVex } from './vex.js';
import { prefixCount } from './prefixes.js';
import { PREFIX_WORD, branchTargetOf, prefixWords, renderOperands } from './render.js';

export type { Bits, Decoded } from './decode.js';
export { addressText, registerName } from './render.js';

export interface DisassembleOptions {
  bits: Bits;
  /** Address of the first byte (ndisasm's -o); a bigint for 64-bit addresses beyond 2^53. */
  origin?: number | bigint;
  /** Preferred vendor where forms share bytes (ndisasm's -p); only `cyrix` changes anything. */
  vendor?: Vendor;
  /** ndisasm's undefined mode for `-b` with a number other than 16/32/64 (approximated: see decodeOne). */
  sizeless?: boolean;
}

export type Vendor = 'intel' | 'amd' | 'cyrix' | 'idt';

export interface Instruction {
  /** Offset of the instruction from the start of the bytes given. */
  offset: number;
  bytes: Uint8Array;
  /** Mnemonic with any prefix words (`rep movsd`), lower case; `db` for a byte that does not decode. */
  mnemonic: string;
  operands: string[];
  /** The whole instruction as ndisasm writes it. */
  text: string;
  /**
   * NASM source that assembles back to these bytes at this address (source.ts):
   * `$`-relative targets, displacement sizes and `nosplit` where the bytes are
   * not NASM's default choice; `db` for bytes no form decodes.
   */
  source: string;
  /** The decoded layout, or null for `db`. */
  decoded: Decoded | null;
  /** For a relative branch: the target address. */
  branchTarget: number | null;
}

/** `0x00`…`0xff`: a byte as `db` writes it. */
const DB_BYTE = Array.from({ length: 256 }, (_, b) => `0x${b.toString(16).padStart(2, '0')}`);

function dbInstruction(bytes: Uint8Array, offset: number): Instruction {
  const b = DB_BYTE[bytes[offset] ?? 0]!;
  return {
    offset,
    bytes: bytes.subarray(offset, offset + 1),
    mnemonic: 'db',
    operands: [b],
    text: `db ${b}`,
    source: `db ${b}`,
    decoded: null,
    branchTarget: null,
  };
}

function sizePrefixWord(b: number, bits: Bits): string | null {
  if (b === 0x66) return bits === 16 ? 'o32' : 'o16';
  if (b === 0x67) return bits === 16 ? 'a32' : bits === 32 ? 'a16' : 'a32';
  return null;
}

/** A REX byte that starts no instruction, as ndisasm writes it: `rex`, `rex.w`, `rex.wrxb`… */
function rexWord(b: number): string | null {
  if ((b & 0xf0) !== 0x40) return null;
  const bits = ['w', 'r', 'x', 'b'].filter((_, i) => b & (8 >> i)).join('');
  return bits === '' ? 'rex' : `rex.${bits}`;
}

/**
 * A prefix byte that starts no instruction (a second prefix of its group
 * follows, no valid opcode follows, or the bytes run out) is printed alone
 * as its word (`ss`, `a16`), as ndisasm does; decoding resumes after it.
 */
function standalonePrefix(bytes: Uint8Array, offset: number, bits: Bits): Instruction | null {
  const b = bytes[offset] ?? 0;
  const word = prefixWordAlone(b, bits);
  if (word === null) return null;
  return {
    offset,
    bytes: bytes.subarray(offset, offset + 1),
    mnemonic: word,
    operands: [],
    text: word,
    // NASM has no word for a lone REX; the byte says it for every prefix.
    source: `db ${DB_BYTE[b]!}`,
    decoded: null,
    branchTarget: null,
  };
}

/** The word of prefix byte `b` written alone (standalonePrefix), or null when `b` is no prefix. */
function prefixWordAlone(b: number, bits: Bits): string | null {
  return PREFIX_WORD[b] ?? sizePrefixWord(b, bits) ?? (bits === 64 ? rexWord(b) : null);
}

/** `db` with every byte of an instruction NASM has no source for. */
function dataSource(bytes: Uint8Array): string {
  return `db ${Array.from(bytes, (b) => `0x${b.toString(16).padStart(2, '0')}`).join(',')}`;
}

/** The mnemonic after its prefix words (`rep movsd`). */
const afterWords = (words: readonly string[], mnemonic: string): string =>
  words.length === 0 ? mnemonic : `${words.join(' ')} ${mnemonic}`;

/** NASM source for the bytes `d` decoded, written as the form `w` (d itself, or the form the bytes are to NASM). */
function sourceText(d: Decoded, w: Decoded, bits: Bits, address: bigint): string {
  const sourceOperands = renderOperands(w, { bits, address, source: true });
  const sourceMnemonic = afterWords(prefixWords(w, bits, true), w.pattern.row.mnemonic);
  // `{vex3}` keeps a long prefix NASM would shorten; `{vex}` picks a row NASM uses only when told (AVX-VNNI-INT8 …).
  // `{evex}` keeps an EVEX form NASM would write as VEX when nothing in the operands needs EVEX.
  // `{rex}` keeps a REX byte with no bits set (40h), which nothing in the operands needs.
  const rex = d.rex === 0x40 && !d.vex ? '{rex} ' : '';
  const vex3 = rex || (d.evex ? '{evex} ' : d.vex?.longForm ? '{vex3} ' : w.pattern.row.explicitVex ? '{vex} ' : '');
  return vex3 + (sourceOperands.length > 0 ? `${sourceMnemonic} ${sourceOperands.join(',')}` : sourceMnemonic);
}

/**
 * The decoders read the bytes of one instruction from its start: at most 16 (an instruction's
 * limit), copied into this buffer, which every instruction reuses (a new view of the data per
 * instruction was a good part of the garbage). WINDOWS[n] is its first n bytes. The decoders
 * keep nothing of it: what they return holds numbers.
 */
const WINDOW = new Uint8Array(16);
const WINDOWS = Array.from({ length: 17 }, (_, n) => WINDOW.subarray(0, n));

/** The bytes from `offset` (up to 16), in WINDOW: valid until the next call. */
function windowAt(bytes: Uint8Array, offset: number): Uint8Array {
  const n = Math.max(0, Math.min(16, bytes.length - offset));
  for (let i = 0; i < n; i++) WINDOW[i] = bytes[offset + i]!;
  return WINDOWS[n]!;
}

/** The layout of the one instruction at `offset`, or null when no form decodes there (a prefix word or `db` is written). */
function decodeAt(bytes: Uint8Array, offset: number, options: DisassembleOptions): Decoded | null {
  const window = windowAt(bytes, offset);
  // Only bytes whose opcode starts like a VEX, XOP or EVEX prefix go to those decoders (which read the prefixes again).
  const lead = window[prefixCount(window)];
  const vex = options.sizeless
    ? null
    : lead === 0x62
      ? decodeEvex(window, options.bits)
      : lead === 0xc4 || lead === 0xc5 || lead === 0x8f
        ? decodeVex(window, options.bits)
        : null;
  return vex ? vex.decoded : decodeOne(window, options.bits, options.vendor === 'cyrix', options.sizeless ?? false);
}

/** The instruction's address: origin + offset, modulo 2^64. */
const addressOf = (options: DisassembleOptions, offset: number): bigint =>
  BigInt.asUintN(64, BigInt(options.origin ?? 0) + BigInt(offset));

/** The mnemonic (with its prefix words) and operands as ndisasm writes them. */
/** An instruction as ndisasm writes it: mnemonic (with its prefix words) and operands. */
export interface Spelling {
  mnemonic: string;
  operands: readonly string[];
}

function ndisasmSpelling(d: Decoded, bits: Bits, address: bigint): { mnemonic: string; operands: string[] } {
  const alias = compareAlias(d);
  const allOperands = renderOperands(d, { bits, address, source: false });
  // A compare alias leaves its predicate immediate out (`vcmpgeps k1,xmm3,xmm5`): the last operand written,
  // which comes after a `{sae}` (`vcmpeqss k7,xmm0,xmm8,{sae}`).
  const operands = alias && d.pattern.row.operands.at(-1)?.kind === 'imm' ? allOperands.slice(0, -1) : allOperands;
  const mnemonic = afterWords(prefixWords(d, bits), alias ?? d.pattern.row.mnemonic);
  return { mnemonic, operands };
}

const joinText = (mnemonic: string, operands: readonly string[]): string =>
  operands.length > 0 ? `${mnemonic} ${operands.join(',')}` : mnemonic;

/**
 * What ndisasm writes for the instruction at `offset` (its text is the mnemonic, then the
 * operands after a space, separated by commas), and its length: disassembleOne without the rest
 * of an Instruction (NASM source, branch target), which ndisasm's listing does not show. The
 * parts are left for the caller to write out (ndisasm.ts), with no joined string in between.
 */
export function ndisasmInstruction(
  bytes: Uint8Array,
  offset: number,
  options: DisassembleOptions,
): Spelling & { length: number } {
  const d = decodeAt(bytes, offset, options);
  if (!d) {
    // A prefix alone, or `db` (as standalonePrefix and dbInstruction, without the Instruction).
    const b = bytes[offset] ?? 0;
    const word = prefixWordAlone(b, options.bits);
    return word !== null
      ? { mnemonic: word, operands: [], length: 1 }
      : { mnemonic: 'db', operands: [DB_BYTE[b]!], length: 1 };
  }
  const { mnemonic, operands } = ndisasmSpelling(d, options.bits, addressOf(options, offset));
  return { mnemonic, operands, length: d.length };
}

/** Decodes the one instruction at `offset`. */
export function disassembleOne(bytes: Uint8Array, offset: number, options: DisassembleOptions): Instruction {
  const d = decodeAt(bytes, offset, options);
  if (!d) return standalonePrefix(bytes, offset, options.bits) ?? dbInstruction(bytes, offset);
  const address = addressOf(options, offset);
  const { mnemonic, operands } = ndisasmSpelling(d, options.bits, address);
  const insBytes = bytes.subarray(offset, offset + d.length);
  // A register ndisasm reads from an address (decode.ts, registerFromAddress) is no NASM source: the form the
  // bytes are is, or else the bytes themselves.
  const w = d.asWritten === undefined ? (d.evex?.asWritten ?? d) : d.asWritten;
  const source = w ? sourceText(d, w, options.bits, address) : dataSource(insBytes);
  const rel = d.tail.find((f) => f.code.op === CodeOp.Rel);
  const branchTarget = rel ? branchTargetOf(rel, d, address, options.bits) : null;
  return {
    offset,
    bytes: insBytes,
    mnemonic,
    operands,
    text: joinText(mnemonic, operands),
    source,
    decoded: d,
    branchTarget,
  };
}

/** Decodes every instruction in `bytes`, in order. */
export function disassemble(bytes: Uint8Array, options: DisassembleOptions): Instruction[] {
  const out: Instruction[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const ins = disassembleOne(bytes, offset, options);
    out.push(ins);
    offset += ins.bytes.length;
  }
  return out;
}
