/**
 * The REX prefix (BITS 64): which of its bits an instruction needs, whether a
 * REX byte must be there even with no bit set (spl…dil, r8b…r15b), and where
 * it goes. NASM's rules, measured with nasm 2.16.01:
 * - W: a 64-bit operand size written `o64` in the row (not `o64nw`, the
 *   64-bit-by-default PUSH/POP/near branches), or the `o64` prefix.
 * - R: the ModR/M reg register is r8…r15 / xmm8…15 / cr8; X: the SIB index
 *   is r8…r15; B: the r/m register, the SIB base or the `+r` register is.
 * - A REX byte and ah/ch/dh/bh in one instruction: "cannot use high byte
 *   register in rex instruction".
 * - `norex` rows (PINSRB) take spl…dil as plain 4…7 with no REX.
 * - The byte goes directly before the opcode: after the legacy prefixes and
 *   after a row's leading mandatory 66/F2/F3 bytes.
 */
import { CodeOp, type Code, type Row } from './table.js';
import type { Operand } from './types.js';

export const REX_W = 8;
export const REX_R = 4;
export const REX_X = 2;
export const REX_B = 1;

export interface RexNeeds {
  /** REX bits from the registers (R, X, B); W is the caller's. */
  bits: number;
  /** A REX byte is needed even with no bit set (spl…dil, r8b…r15b). */
  forced: boolean;
  /** ah/ch/dh/bh appear (they cannot be encoded together with a REX byte). */
  highByte: boolean;
}

/**
 * The one RexNeeds registerRex fills: it runs once or twice for every instruction, and each caller
 * reads (or adjusts) the answer at once, before anything can call registerRex again.
 */
const need: RexNeeds = { bits: 0, forced: false, highByte: false };

/**
 * REX needs of the registers of a matched row. `eaRex` holds the X/B bits of
 * the memory operand's address (0 for a register r/m). The answer is valid until the next call.
 */
export function registerRex(row: Row, ops: readonly Operand[], eaRex: number): RexNeeds {
  need.bits = eaRex;
  need.forced = false;
  need.highByte = false;
  for (const o of ops) {
    if (o.kind !== 'reg' || o.reg.cls !== 'gpr8') continue;
    if (o.reg.num >= 4 && o.reg.num < 8 && !o.reg.needsRex) need.highByte = true;
    else if (o.reg.needsRex && !(row.noRex && o.reg.num < 8)) need.forced = true;
  }
  const regOp = row.regIndex >= 0 ? ops[row.regIndex] : undefined;
  const regHigh = regOp?.kind === 'reg' && regOp.reg.num >= 8;
  const rmOp = row.rmIndex >= 0 ? ops[row.rmIndex] : undefined;
  if (rmOp?.kind === 'reg' && rmOp.reg.num >= 8) need.bits |= REX_B;
  if (regHigh) {
    for (const c of row.codes) {
      if (c.op === CodeOp.BytePlusReg) need.bits |= REX_B;
      else if (c.op === CodeOp.ModRmReg) need.bits |= REX_R;
      else if (c.op === CodeOp.ModRmSame) need.bits |= REX_R | REX_B;
    }
  }
  return need;
}

/** True for a row code that is a mandatory prefix byte the REX byte must follow (the row's leading 66/F2/F3). */
export function isLeadingPrefixByte(code: Code, index: number, row: Row): boolean {
  if (code.op !== CodeOp.Byte) return false;
  for (let i = 0; i < index; i++) {
    const c = row.codes[i] as Code;
    if (c.op !== CodeOp.Byte || !MANDATORY.has(c.value)) return false;
  }
  return MANDATORY.has(code.value) && index + 1 < row.codes.length;
}
const MANDATORY = new Set([0x66, 0xf2, 0xf3]);

/** True when the ModR/M reg operand is a control register (cr8 outside BITS 64 takes a LOCK byte for REX.R). */
export function regOpIsCreg(row: Row, ops: readonly Operand[]): boolean {
  const o = row.regIndex >= 0 ? ops[row.regIndex] : undefined;
  return o?.kind === 'reg' && o.reg.cls === 'creg';
}
