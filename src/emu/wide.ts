/**
 * The bridge to alu.ts's bigint arithmetic for the 8-byte operations that
 * are rare enough not to need a two-halves version (multi-bit rotates,
 * double shifts, 64-bit multiply and divide): halves in, halves out.
 */
import type { AluResult } from './alu.js';
import type { Cpu } from './cpu.js';

export const toBig = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** An operand of `size` bytes as a bigint (`hi` used only for 8 bytes). */
export const operandBig = (lo: number, hi: number, size: number): bigint =>
  size === 8 ? toBig(lo, hi) : BigInt(lo >>> 0);

/** Returns the low half of an unsigned 64-bit bigint and leaves the high half in cpu.hiOut. */
export function fromBig(cpu: Cpu, v: bigint): number {
  cpu.hiOut = Number((v >> 32n) & 0xffffffffn);
  return Number(v & 0xffffffffn);
}

/** Applies a bigint ALU result's flags; returns its value as halves (low returned, high in hiOut). */
export function applyWide(cpu: Cpu, r: AluResult): number {
  cpu.flags = (cpu.flags & ~r.affected) | (r.flags & r.affected);
  return fromBig(cpu, r.value);
}
