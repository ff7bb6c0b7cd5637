/**
 * The AVX-512 side of row matching: which decorators a row's operand takes,
 * the registers only EVEX can reach, and the `{evex}`/`{vex}` encoding
 * prefixes. NASM checks, per operand and before the operand's type: a
 * broadcast where the row has none ("broadcast not permitted on this
 * operand"), then an opmask ("mask not permitted…"), then `{z}`, a rounding
 * mode or `{sae}` ("unsupported mode decorator for instruction").
 */
import { Fail } from './match.js';
import type { Register } from './registers.js';
import type { Row, TemplateOperand } from './table.js';
import type { Operand } from './types.js';

export function decoratorFail(t: TemplateOperand, o: Operand): Fail {
  const d = o.decorators;
  if (!d) return Fail.None;
  const allowed = t.decorations;
  if (d.broadcast >= 0 && allowed.broadcast === 0) return Fail.BroadcastNotHere;
  if (d.mask !== 0 && !allowed.mask) return Fail.MaskNotHere;
  if (d.zero && !allowed.zero) return Fail.DecoratorNotHere;
  if (d.rounding === 'sae' ? !allowed.sae : d.rounding !== null && !allowed.er) return Fail.DecoratorNotHere;
  return Fail.None;
}

/** xmm16…31, ymm16…31 (and so every register numbered 16 or more) exist only for EVEX rows. */
export function evexOnlyRegister(row: Row, reg: Register): boolean {
  return reg.num >= 16 && row.evex === null;
}

/** `{evex}` wants an EVEX row; `{vex}` `{vex2}` `{vex3}` refuse one (NASM's encoding mismatch). */
export function encodingFail(row: Row, prefixes: readonly string[]): Fail {
  for (const p of prefixes) {
    if (p === '{evex}' && row.evex === null) return Fail.EncodingMismatch;
    if ((p === '{vex}' || p === '{vex2}' || p === '{vex3}') && row.evex !== null) return Fail.EncodingMismatch;
  }
  return Fail.None;
}

export function encodingMismatchMessage(prefixes: readonly string[]): string {
  const p = prefixes.find((x) => x === '{evex}' || x === '{vex}' || x === '{vex2}' || x === '{vex3}') ?? '{evex}';
  return `instruction not encodable with ${p} prefix`;
}
