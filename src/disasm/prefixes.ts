/**
 * Legacy prefixes as the decoder reads them: which bytes are prefixes, the run
 * of them before an opcode, their groups, and sets of them as bit masks. The
 * decoder asks "is this prefix present / used" for every candidate form of
 * every instruction; a Set (or an array search) per question was a good part
 * of its time and garbage, a mask is one AND.
 */

/** Legacy prefixes, and FWAIT (9B), which ndisasm also takes as a prefix (`wait lock clc` is one instruction). */
const PREFIX_BYTES = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x9b] as const;

/** Each prefix byte's bit in a PrefixMask; 0 for bytes that are no prefix. */
const PREFIX_BIT = new Uint16Array(256);
PREFIX_BYTES.forEach((b, i) => (PREFIX_BIT[b] = 1 << i));

/** A set of legacy prefix bytes, one bit per byte of PREFIX_BYTES. */
export type PrefixMask = number;

/** The mask holding `b` alone (0 when `b` is no legacy prefix). */
export const prefixBit = (b: number): PrefixMask => PREFIX_BIT[b & 0xff]!;

/** Whether `b` is a legacy prefix (or FWAIT); false past the end of the bytes. */
export const isLegacyPrefix = (b: number | undefined): boolean => b !== undefined && PREFIX_BIT[b & 0xff] !== 0;

/** Whether the mask holds the prefix byte `b`. */
export const maskHas = (mask: PrefixMask, b: number): boolean => (mask & prefixBit(b)) !== 0;

/** How many prefixes the mask holds. */
export function maskSize(mask: PrefixMask): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

/** ndisasm reads at most this many prefixes before an opcode. */
const MAX_PREFIXES = 14;

/** The legacy prefixes at the start of an instruction, in order, and the set of them. */
export interface PrefixRun {
  readonly prefixes: readonly number[];
  readonly mask: PrefixMask;
}

/** Most instructions have no prefix: they share this run. */
const NO_PREFIXES: PrefixRun = { prefixes: [], mask: 0 };

/** The prefix run at the start of `bytes` (which ends at `prefixes.length`). */
export function prefixRun(bytes: Uint8Array): PrefixRun {
  const count = prefixCount(bytes);
  if (count === 0) return NO_PREFIXES;
  const prefixes: number[] = [];
  let mask = 0;
  for (let i = 0; i < count; i++) {
    prefixes.push(bytes[i]!);
    mask |= PREFIX_BIT[bytes[i]!]!;
  }
  return { prefixes, mask };
}

/** The number of prefixes prefixRun would read at the start of `bytes`, without reading them into an array. */
export function prefixCount(bytes: Uint8Array): number {
  let n = 0;
  while (n < bytes.length && n < MAX_PREFIXES && PREFIX_BIT[bytes[n]!] !== 0) n++;
  return n;
}

const SEGMENT_PREFIXES: PrefixMask = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].reduce((m, b) => m | prefixBit(b), 0);

/** The segment override that applies: the last one written, or -1. */
export function segmentOverride(prefixes: readonly number[]): number {
  let segment = -1;
  for (const b of prefixes) if ((prefixBit(b) & SEGMENT_PREFIXES) !== 0) segment = b;
  return segment;
}

export const REP_PREFIXES: PrefixMask = prefixBit(0xf2) | prefixBit(0xf3);

/** The F2 or F3 that applies: the last one written (ndisasm's choice of mandatory prefix), or -1. */
export function repeatPrefix(prefixes: readonly number[]): number {
  let rep = -1;
  for (const b of prefixes) if ((prefixBit(b) & REP_PREFIXES) !== 0) rep = b;
  return rep;
}

/**
 * Prefix groups, in the order ndisasm writes their words (measured: `es wait
 * rep lock o16 a16`); of two prefixes of one group only the last counts.
 */
export function prefixGroup(b: number): number {
  if ((prefixBit(b) & SEGMENT_PREFIXES) !== 0) return 0;
  if (b === 0x9b) return 1;
  if (b === 0xf2 || b === 0xf3) return 2;
  if (b === 0xf0) return 3;
  return b === 0x66 ? 4 : 5;
}
