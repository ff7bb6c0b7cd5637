/**
 * ndisasm's output: one line per instruction (`%08X  hex  text`, at most
 * eight bytes of hex on the first line and the rest on `-` continuation
 * lines), with its -e (skip header), -k (skip a range), -s (sync points) and
 * -o (origin) options applied as ndisasm applies them.
 */
import { disassembleOne, type DisassembleOptions, type Instruction, type Vendor } from './index.js';
import type { Bits } from './decode.js';

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

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

function hexBytes(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += HEX_BYTE[b] as string;
  return text;
}

/** An address as ndisasm prints it: at least eight hex digits, up to sixteen. */
function address(n: bigint): string {
  return BigInt.asUintN(64, n).toString(16).toUpperCase().padStart(8, '0');
}

/** The lines ndisasm prints for one instruction at address `at`. */
export function instructionLines(ins: Instruction, at: bigint): string[] {
  const first = ins.bytes.subarray(0, HEX_PER_LINE);
  const lines = [`${address(at)}  ${hexBytes(first).padEnd(18)}${ins.text}`];
  for (let i = HEX_PER_LINE; i < ins.bytes.length; i += HEX_PER_LINE) {
    lines.push(`         -${hexBytes(ins.bytes.subarray(i, i + HEX_PER_LINE))}`);
  }
  return lines;
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
  const data = file.subarray(clamp(options.skipHeader, file.length));
  const out: string[] = [];
  const bits = options.bits;
  const decodeOptions: DisassembleOptions = {
    bits: typeof bits === 'object' ? 32 : bits,
    origin: options.origin,
    vendor: options.vendor,
    sizeless: typeof bits === 'object',
  };
  const syncs = syncOffsets(options.syncs, options.origin);
  const skips = options.skips.map((k) => ({ start: clamp(k.start, data.length + 1), length: k.length }));
  let offset = 0;
  while (offset < data.length) {
    const skip = skips.find((k) => k.start === offset);
    if (skip && skip.length > 0n) {
      const n = clamp(skip.length, data.length - offset);
      out.push(`${address(options.origin + BigInt(offset))}  skipping 0x${n.toString(16).toUpperCase()} bytes`);
      offset += n;
      continue;
    }
    let limit = Math.min(nextSync(syncs, offset), data.length);
    for (const k of skips) if (k.start > offset && k.start < limit) limit = k.start;
    const ins = disassembleOne(limit === data.length ? data : data.subarray(0, limit), offset, decodeOptions);
    for (const line of instructionLines(ins, options.origin + BigInt(offset))) out.push(line);
    offset += ins.bytes.length;
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}
