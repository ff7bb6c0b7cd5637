/**
 * The AVX-512 side of row matching: which decorators a row's operand takes,
 * the registers only EVEX can reach, and the `{evex}`/`{vex}` encoding
 * prefixes. NASM checks, per operand and before the operand's type: a
 * broadcast where the row has none ("broadcast not permitted on this
 * operand"), then an opmask ("mask not permitted…"), then `{z}`, a rounding
 * mode or `{sae}` ("unsupported mode decorator for instruction").
 */
import type { CpuState } from './cpu.js';
import type { Register } from './registers.js';
import type { Row, TemplateOperand } from './table.js';
import type { Operand } from './types.js';

/** What is wrong with an operand's decorators for this template operand ('' when nothing). */
export type DecoratorProblem = '' | 'broadcast' | 'mask' | 'decorator' | 'group' | 'groupSize';

export function decoratorProblem(t: TemplateOperand, o: Operand): DecoratorProblem {
  const d = o.decorators;
  if (!d) return '';
  const allowed = t.decorations;
  // A register group (`zmm4+3`) where the row takes none, or of another size.
  if (d.registerSet !== undefined) {
    if (allowed.registerSet === 0) return 'group';
    if (d.registerSet !== allowed.registerSet) return 'groupSize';
  }
  if (d.broadcast >= 0 && allowed.broadcast === 0) return 'broadcast';
  if (d.mask !== 0 && !allowed.mask) return 'mask';
  if (d.zero && !allowed.zero) return 'decorator';
  if (d.mixedRounding === true) return 'decorator';
  if (d.rounding === 'sae' ? !allowed.sae : d.rounding !== null && !allowed.er) return 'decorator';
  return '';
}

/** xmm16…31, ymm16…31 (and so every register numbered 16 or more) exist only for EVEX rows (not `lo16` ones). */
export function evexOnlyRegister(row: Row, reg: Register): boolean {
  return reg.num >= 16 && (row.evex === null || row.evex.lowRegisters);
}

const ENCODING_PREFIXES = new Set(['{evex}', '{vex}', '{vex2}', '{vex3}', '{rex}']);

/**
 * `{evex}` wants an EVEX row; `{vex}` `{vex2}` `{vex3}` refuse one, `{rex}`
 * any VEX, XOP or EVEX row, and every row outside BITS 64 (NASM's encoding
 * mismatch).
 */
export function encodingMismatch(row: Row, prefixes: readonly string[], bits: number, cpu: CpuState): boolean {
  let written = false;
  for (const p of prefixes) {
    if (!ENCODING_PREFIXES.has(p)) continue;
    written = true;
    if (p === '{evex}' && row.evex === null) return true;
    if ((p === '{vex}' || p === '{vex2}' || p === '{vex3}') && row.evex !== null) return true;
    if (p === '{rex}' && (row.evex !== null || row.vex !== null || bits !== 64)) return true;
  }
  if (written) return false;
  // Without a prefix, the `cpu` switches decide (cpu.ts): an EVEX row needs `evex`, a VEX
  // or XOP row `vex`, and a late VEX form `latevex` while EVEX is on.
  if (row.evex !== null) return !cpu.evex;
  if (row.vex !== null) return !cpu.vex || (row.explicitVex && !cpu.latevex && cpu.evex);
  return false;
}

export function encodingMismatchMessage(prefixes: readonly string[]): string {
  // Two different encoding prefixes (`{rex} {evex}`) are a conflict before they are a mismatch.
  if (new Set(prefixes.filter((x) => ENCODING_PREFIXES.has(x))).size > 1) return 'instruction has conflicting prefixes';
  const p = prefixes.find((x) => ENCODING_PREFIXES.has(x));
  if (p === undefined) return 'instruction not encodable without explicit prefix';
  return `instruction not encodable with ${p} prefix`;
}
