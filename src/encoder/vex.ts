/**
 * The VEX (C4/C5) and XOP (8F) prefixes, as NASM 2.16.01 writes them
 * (measured):
 * - C5 (two bytes: R̅ vvvv̅ L pp) whenever it can say everything: X̅ = B̅ = 1,
 *   W = 0 (`wig` rows encode W = 0) and the 0F map; else C4 (three bytes:
 *   R̅ X̅ B̅ mmmmm, W vvvv̅ L pp). XOP is always three bytes, led by 8F.
 * - `{vex3}` asks for C4 even when C5 would do; `{vex2}` on a form that needs
 *   C4 is "instruction not encodable with {vex2} prefix"; `{vex}` only says
 *   VEX. Any of them on a legacy (or XOP) row: "not encodable with {…}".
 * - R̅ X̅ B̅ are the inverted REX.R/X/B the registers and the address need;
 *   vvvv̅ the inverted number of the `v` operand (1111 when there is none).
 */
import type { Row } from './table.js';
import type { Operand } from './types.js';
import { REX_B, REX_R, REX_X } from './rex.js';

/** NASM's encoding-selection prefixes: `{vex}` `{vex2}` `{vex3}` (and `{evex}`, for the EVEX encoder). */
export const ENCODING_PREFIXES: ReadonlySet<string> = new Set(['{vex}', '{vex2}', '{vex3}', '{evex}']);

/** The fields of one VEX/XOP prefix, kept apart so listings can explain them. */
export interface VexFields {
  readonly kind: 'vex' | 'xop';
  /** 2 (C5) or 3 (C4 / 8F) bytes. */
  readonly length: 2 | 3;
  /** REX-style R, X, B bits (not inverted). */
  readonly rex: number;
  readonly map: number;
  readonly w: 0 | 1;
  /** Register number in vvvv (not inverted; 0 when unused). */
  readonly vvvv: number;
  readonly l: 0 | 1;
  readonly pp: number;
}

/** The `{vex…}` / `{evex}` prefix written on the line, or '' (a conflicting pair is refused with the others). */
export function encodingPrefix(prefixes: readonly string[]): string {
  for (const p of prefixes) if (ENCODING_PREFIXES.has(p)) return p;
  return '';
}

/** An error for an encoding prefix the row cannot honour, or null. */
export function encodingPrefixError(row: Row, wanted: string): string | null {
  if (wanted === '') return null;
  // XOP rows take {vex} and {vex3} (they are three-byte anyway); {vex2} fails in vexFields.
  if (row.vex && wanted !== '{evex}') return null;
  return `instruction not encodable with ${wanted} prefix`;
}

/** The VEX fields of a matched VEX/XOP row, or a message when `{vex2}` cannot be honoured. */
export function vexFields(row: Row, ops: readonly Operand[], rex: number, wanted: string): VexFields | string {
  const spec = row.vex;
  if (!spec) throw new Error('vexFields on a legacy row');
  const v = row.vvvvIndex >= 0 ? ops[row.vvvvIndex] : undefined;
  let vvvv = v?.kind === 'reg' ? v.reg.num & 15 : 0;
  if (v?.kind === 'mem') {
    // VPMASKMOVD/Q's store with the mask left out (`vpmaskmovd [rbx],xmm1`): nasm copies the
    // memory operand into vvvv, which takes the number of its base register as nasm's parser
    // keeps it: of the registers with scale 1, the first by name (measured: `[rcx+rbx]` and
    // `[rbx+rcx]` are rbx, `[r9+r10]` r10, `[rax+r8]` r8); with none nasm 2.16.01 panics.
    const base = v.registers
      .filter((r) => r.scale === 1)
      .map((r) => r.reg)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
    if (!base) return 'invalid operand passed to regval()';
    vvvv = base.num & 15;
  }
  const twoByteFits = spec.kind === 'vex' && (rex & (REX_X | REX_B)) === 0 && spec.w === 0 && spec.map === 1;
  if (wanted === '{vex2}' && !twoByteFits) return 'instruction not encodable with {vex2} prefix';
  const length = twoByteFits && wanted !== '{vex3}' ? 2 : 3;
  return { kind: spec.kind, length, rex, map: spec.map, w: spec.w, vvvv, l: spec.l, pp: spec.pp };
}

/** Writes the prefix bytes at `at`; returns the position after them. */
export function writeVexPrefix(f: VexFields, buf: Uint8Array, at: number): number {
  const r = f.rex & REX_R ? 0 : 0x80;
  const last = ((~f.vvvv & 15) << 3) | (f.l << 2) | f.pp;
  if (f.length === 2) {
    buf[at] = 0xc5;
    buf[at + 1] = r | last;
    return at + 2;
  }
  const x = f.rex & REX_X ? 0 : 0x40;
  const b = f.rex & REX_B ? 0 : 0x20;
  buf[at] = f.kind === 'xop' ? 0x8f : 0xc4;
  buf[at + 1] = r | x | b | f.map;
  buf[at + 2] = (f.w << 7) | last;
  return at + 3;
}

/**
 * REX-style bits a VEX row's registers need: R for the ModR/M reg operand,
 * B for a register r/m (the address's X/B come in `eaRex`).
 */
export function vexRegisterRex(row: Row, ops: readonly Operand[], eaRex: number): number {
  let bits = eaRex;
  const reg = row.regIndex >= 0 ? ops[row.regIndex] : undefined;
  const rm = row.rmIndex >= 0 ? ops[row.rmIndex] : undefined;
  if (reg?.kind === 'reg' && reg.reg.num & 8) bits |= REX_R;
  if (rm?.kind === 'reg' && rm.reg.num & 8) bits |= REX_B;
  return bits;
}
