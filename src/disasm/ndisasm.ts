/**
 * ndisasm's output: one line per instruction (`%08X  hex  text`, at most
 * eight bytes of hex on the first line and the rest on `-` continuation
 * lines), with its -e (skip header), -k (skip a range), -s (sync points) and
 * -o (origin) options applied as ndisasm applies them.
 */
import { ndisasmInstruction, type DisassembleOptions, type Spelling, type Vendor } from './index.js';
import type { Bits } from './decode.js';
import { TextBuffer } from './text-buffer.js';

/** ndisasm's numbers are 64-bit (`-o -5` is origin 0xfffffffffffffffb). */
export interface NdisasmOptions {
  /** 16, 32 or 64; `odd` for another number, which ndisasm takes without a word and decodes oddly. */
  bits: Bits | { odd: number };
  origin: bigint;
  /** Bytes of header to skip (-e). */
  skipHeader: bigint;
  /** Ranges not to disassemble (-k start,length), as file offsets after the header. */
  skips: Array<{ start: bigint; length: bigint }>;
  /** Sync points (-s), as addresses (origin-relative like ndisasm's). */
  syncs: bigint[];
  /**
   * -a/-i (auto-sync). Accepted; ndisasm's heuristic is not reproduced: on the
   * recorded random streams its output equals the output without it.
   */
  autoSync: boolean;
  /** -p: the vendor whose forms win where forms share bytes. */
  vendor: Vendor;
}

const HEX_PER_LINE = 8;

/** An address as ndisasm prints it: at least eight hex digits, up to sixteen. */
function address(n: bigint): string {
  return BigInt.asUintN(64, n).toString(16).toUpperCase().padStart(8, '0');
}

/**
 * Writes the address of each offset of the data: with plain numbers while origin + offset is
 * exact as one (any origin below 2^53 less the data's length), else with bigints (64-bit
 * origins, which wrap at 2^64). A bigint per instruction was a good part of the garbage.
 */
function addressWriter(origin: bigint, length: number): (out: TextBuffer, offset: number) => void {
  if (origin + BigInt(length) > BigInt(Number.MAX_SAFE_INTEGER)) {
    return (out, offset) => {
      out.text(address(origin + BigInt(offset)));
    };
  }
  const base = Number(origin);
  return (out, offset) => {
    out.hexNumber(base + offset, 8);
  };
}

/**
 * Writes the lines ndisasm prints for the `length` bytes at `offset` spelled `spelling`: after the
 * address, the first eight bytes in hex padded to 18 columns and the instruction, then `-` lines
 * with the rest of the bytes.
 */
function writeInstruction(
  out: TextBuffer,
  bytes: Uint8Array,
  offset: number,
  length: number,
  spelling: Spelling,
): void {
  const end = offset + length;
  const first = Math.min(end, offset + HEX_PER_LINE);
  out.spaces(2);
  out.hexBytes(bytes, offset, first);
  out.spaces(18 - 2 * (first - offset));
  out.text(spelling.mnemonic);
  const operands = spelling.operands;
  for (let i = 0; i < operands.length; i++) {
    out.text(i === 0 ? ' ' : ',');
    out.text(operands[i]!);
  }
  out.newline();
  for (let i = first; i < end; i += HEX_PER_LINE) {
    out.spaces(9);
    out.text('-');
    out.hexBytes(bytes, i, Math.min(end, i + HEX_PER_LINE));
    out.newline();
  }
}

/** Sync points as offsets into the data, ascending (ndisasm's addresses are origin-relative). */
function syncOffsets(syncs: readonly bigint[], origin: bigint): number[] {
  return syncs.map((s) => Number(BigInt.asUintN(64, s - origin))).sort((a, b) => a - b);
}

/** The first sync offset after `offset` (binary search: a listing may have one per instruction), or Infinity. */
function nextSync(sorted: readonly number[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) > offset) hi = mid;
    else lo = mid + 1;
  }
  return sorted[lo] ?? Infinity;
}

/** A 64-bit count as a byte count within `limit` (a file cannot be longer). */
const clamp = (n: bigint, limit: number): number => (n > BigInt(limit) ? limit : Number(n));

/** Disassembles `file` as `ndisasm` does with these options; returns the output text. */
export function ndisasmText(file: Uint8Array, options: NdisasmOptions): string {
  // A plain view: a Buffer's own subarray (Node's, in JavaScript) is slower than the typed array's.
  const whole = new Uint8Array(file.buffer, file.byteOffset, file.length);
  const data = whole.subarray(clamp(options.skipHeader, whole.length));
  const out = new TextBuffer();
  const bits = options.bits;
  const decodeOptions: DisassembleOptions = {
    bits: typeof bits === 'object' ? 32 : bits,
    origin: options.origin,
    vendor: options.vendor,
    sizeless: typeof bits === 'object',
  };
  const writeAddress = addressWriter(options.origin, data.length);
  const syncs = syncOffsets(options.syncs, options.origin);
  const skips = options.skips.map((k) => ({ start: clamp(k.start, data.length + 1), length: k.length }));
  let offset = 0;
  while (offset < data.length) {
    const skip = skips.find((k) => k.start === offset);
    if (skip && skip.length > 0n) {
      const n = clamp(skip.length, data.length - offset);
      writeAddress(out, offset);
      out.text(`  skipping 0x${n.toString(16).toUpperCase()} bytes`);
      out.newline();
      offset += n;
      continue;
    }
    let limit = Math.min(nextSync(syncs, offset), data.length);
    for (const k of skips) if (k.start > offset && k.start < limit) limit = k.start;
    const instruction = ndisasmInstruction(
      limit === data.length ? data : data.subarray(0, limit),
      offset,
      decodeOptions,
    );
    writeAddress(out, offset);
    writeInstruction(out, data, offset, instruction.length, instruction);
    offset += instruction.length;
  }
  return out.toString();
}
