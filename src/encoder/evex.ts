/**
 * The EVEX prefix (62 P0 P1 P2) and compressed displacements, as NASM
 * 2.16.01 writes them (measured):
 *
 *     P0: R̅ X̅ B̅ R̅' 0 m m m      R̅/R̅' bits 3/4 of the ModR/M reg register;
 *                                X̅ B̅ the address's index/base bit 3, or for a
 *                                register r/m B̅ its bit 3 and X̅ its bit 4
 *     P1: W v̅v̅v̅v̅ 1 p p          vvvv inverted (1111 when unused); bit 2 is 1
 *     P2: z L'L b V̅' a a a       V̅' inverted bit 4 of vvvv (or of a VSIB
 *                                index); aaa the opmask
 *
 * L'L is the row's vector length, except with embedded rounding or SAE on a
 * register-register form: then b = 1 and L'L holds the rounding mode (rn 0,
 * rd 1, ru 2, rz 3; `{sae}` 0). A memory broadcast sets b and keeps L'L.
 *
 * Displacements: EVEX reads a disp8 as disp8 × N, N from the tuple type, the
 * vector length, W and the broadcast bit (disp8Scale). NASM uses the disp8
 * form only when the displacement is a multiple of N whose quotient fits a
 * signed byte; otherwise disp32 (disp16 with a 16-bit address), even for
 * small values and for `[byte …]`.
 */
import { constantValue, isPlainNumber } from '../core/value.js';
import type { EffectiveAddress } from './ea.js';
import type { EvexSpec } from './evex-spec.js';
import type { Row } from './table.js';
import { vectorIndex } from './vsib.js';
import type { Decorators, MemoryOperand, Operand } from './types.js';

/** The fields of one EVEX prefix, kept apart so listings can explain them. */
export interface EvexFields {
  /** Register/address bits, not inverted: R (reg bit 3), X, B, R' (reg bit 4). */
  readonly r: number;
  readonly x: number;
  readonly b: number;
  readonly rHigh: number;
  readonly map: number;
  readonly w: 0 | 1;
  /** vvvv register number 0…31 (0 when unused): bits 0-3 in vvvv, bit 4 in V'. */
  readonly vvvv: number;
  readonly pp: number;
  readonly z: 0 | 1;
  readonly ll: number;
  readonly broadcastBit: 0 | 1;
  /** Opmask register 0…7. */
  readonly aaa: number;
}

const ROUNDING_CODE: Readonly<Record<string, number>> = { rn: 0, rd: 1, ru: 2, rz: 3, sae: 0 };

/** All decorators written on the line, merged (each may be on a different operand). */
export function lineDecorators(ops: readonly Operand[]): Decorators {
  const all: Decorators = { mask: 0, zero: false, broadcast: -1, rounding: null };
  for (const o of ops) {
    const d = o.decorators;
    if (!d) continue;
    if (d.mask !== 0 && all.mask === 0) all.mask = d.mask;
    if (d.zero) all.zero = true;
    if (d.broadcast >= 0) all.broadcast = d.broadcast;
    if (d.rounding) all.rounding = d.rounding;
  }
  return all;
}

/**
 * The EVEX fields of a matched row, or NASM's message. `eaRex` holds the
 * address's REX.X/B bits (2 and 1), `indexHigh` bit 4 of a VSIB index.
 */
export function evexFields(
  spec: EvexSpec,
  row: Row,
  ops: readonly Operand[],
  eaRex: number,
  indexHigh: boolean,
  bits: number,
): EvexFields | string {
  const reg = row.regIndex >= 0 ? ops[row.regIndex] : undefined;
  const rm = row.rmIndex >= 0 ? ops[row.rmIndex] : undefined;
  const v = row.vvvvIndex >= 0 ? ops[row.vvvvIndex] : undefined;
  const regNum = reg?.kind === 'reg' ? reg.reg.num : 0;
  const rmReg = rm?.kind === 'reg' ? rm.reg.num : -1;
  const vvvv = v?.kind === 'reg' ? v.reg.num : 0;
  const deco = lineDecorators(ops);
  const memory = rm?.kind === 'mem';
  // Measured: NASM refuses a rounding mode only when the memory operand itself carries it (the last
  // operand written with one); after another operand it is encoded as on registers, b and L'L, beside
  // the address (`vcvtusi2ss xmm1,xmm2,{rz-sae},dword [rax]` is 62 F1 6E 78 7B 08). `{sae}` too
  // (`vucomish xmm1,word [rax],{sae}`). Before the mode's register check (measured:
  // `vscalefps zmm11,zmm6,zword [bp],{rd-sae}` in BITS 16 is this message).
  if (roundsMemory(row, ops)) return ROUNDED_MEMORY;
  // Outside BITS 64 NASM refuses what would need REX-like bits: bit 3 of a
  // ModR/M register, or any vvvv register above 7. (Bit 4 of a ModR/M
  // register passes: `vaddps xmm16,xmm1,xmm2` assembles in BITS 32.)
  if (bits !== 64 && (regNum & 8 || (rmReg >= 0 && rmReg & 8) || vvvv >= 8))
    return 'invalid operands in non-64-bit mode';
  if (deco.broadcast >= 0 && !memory) return 'broadcast not allowed with register operand';
  let ll: number = spec.lIgnored ? 0 : spec.ll;
  let broadcastBit: 0 | 1 = 0;
  if (deco.rounding && (!memory || deco.rounding !== 'sae')) {
    ll = ROUNDING_CODE[deco.rounding] as number;
    broadcastBit = 1;
  } else if (deco.broadcast >= 0) broadcastBit = 1;
  return {
    r: (regNum >> 3) & 1,
    x: rmReg >= 0 ? (rmReg >> 4) & 1 : (eaRex >> 1) & 1,
    b: rmReg >= 0 ? (rmReg >> 3) & 1 : eaRex & 1,
    rHigh: (regNum >> 4) & 1,
    map: spec.map,
    w: spec.w,
    vvvv: vvvv | (indexHigh ? 16 : 0),
    pp: spec.pp,
    z: deco.zero ? 1 : 0,
    ll,
    broadcastBit,
    aaa: deco.mask,
  };
}

/** Writes 62 P0 P1 P2 at `at`; returns the position after them. */
export function writeEvexPrefix(f: EvexFields, buf: Uint8Array, at: number): number {
  buf[at] = 0x62;
  buf[at + 1] = ((f.r ^ 1) << 7) | ((f.x ^ 1) << 6) | ((f.b ^ 1) << 5) | ((f.rHigh ^ 1) << 4) | f.map;
  buf[at + 2] = (f.w << 7) | ((~f.vvvv & 15) << 3) | 4 | f.pp;
  buf[at + 3] = (f.z << 7) | (f.ll << 5) | (f.broadcastBit << 4) | ((((f.vvvv >> 4) & 1) ^ 1) << 3) | f.aaa;
  return at + 4;
}

/**
 * N of disp8*N (0: no compression), from the tuple type, W, the broadcast bit
 * and L'L as they stand in the prefix (so a rounding mode in L'L counts as a
 * length, which only matters for register forms, which have no displacement).
 */
export function disp8Scale(spec: EvexSpec, f: EvexFields): number {
  const vl = f.ll; // 0, 1, 2 → 16, 32, 64 bytes
  const w = f.w;
  switch (spec.tuple) {
    case 'fv':
      return f.broadcastBit ? (w ? 8 : 4) : 16 << vl;
    case 'hv':
      return f.broadcastBit ? 4 : 8 << vl;
    case 'qv':
      // NASM's quarter-vector forms (FP16 widening): the same with or without a broadcast. W 1 (only on
      // the W-ignored VMOVW, which NASM writes with W 0) doubles it in ndisasm: `62 D5 FD 08 6E 7F 02` is
      // `vmovw xmm7,word [r15+0x10]`.
      return (w ? 8 : 4) << vl;
    case 'fvm':
      return 16 << vl;
    case 't1s8':
      return 1;
    case 't1s16':
      return 2;
    case 't1s':
      // Measured: with b set (a rounding mode beside the memory operand) NASM scales by 4 whatever W
      // (`vcvtsi2sd xmm1,xmm2,{rz-sae},qword [rax+16]` has disp8 04).
      return w && !f.broadcastBit ? 8 : 4;
    case 't1f32':
      return 4;
    case 't1f64':
      return 8;
    case 't2':
    case 't4':
    case 't8': {
      const step = spec.tuple === 't2' ? 1 : spec.tuple === 't4' ? 2 : 3;
      // The tuple must fit the vector: no compression otherwise (NASM's rule).
      if (vl + 7 <= w + 5 + step) return 0;
      return 1 << (step - 1 + w + 3);
    }
    case 'hvm':
      return 8 << vl;
    case 'qvm':
      return 4 << vl;
    case 'ovm':
      return 2 << vl;
    case 'm128':
      return 16;
    case 'dup':
      return vl === 0 ? 8 : 16 << vl;
    case '':
      return 0;
  }
}

/**
 * Rewrites a ModR/M address for EVEX: a plain displacement is disp8 (scaled)
 * when it is a multiple of N whose quotient fits a byte, else disp32. Only
 * mod 01 and 10 forms change (no base, RIP-relative and mod 00 stay).
 */
export function compressDisplacement(ea: EffectiveAddress, n: number, explicitWide: boolean): void {
  const mod = ea.modRm & 0xc0;
  if (ea.ripRelative || (mod !== 0x40 && mod !== 0x80)) return;
  const d = ea.disp;
  if (!isPlainNumber(d)) return;
  const off = BigInt.asIntN(32, d.offset);
  if (!explicitWide && n > 0 && off % BigInt(n) === 0n) {
    const q = off / BigInt(n);
    if (q >= -128n && q <= 127n) {
      ea.modRm = (ea.modRm & 0x3f) | 0x40;
      ea.dispSize = 1;
      ea.disp = constantValue(q);
      return;
    }
  }
  // The full displacement: disp16 with a 16-bit address, else disp32.
  ea.modRm = (ea.modRm & 0x3f) | 0x80;
  ea.dispSize = ea.addrSize === 16 ? 2 : 4;
}

/**
 * The four prefix bytes of a matched EVEX row, or NASM's message; compresses
 * the row's memory displacement in `ea` on the way (disp8*N needs the fields).
 */
export function evexPrefix(
  spec: EvexSpec,
  row: Row,
  ops: readonly Operand[],
  ea: EffectiveAddress,
  memOp: MemoryOperand | null,
  bits: number,
): number[] | string {
  // A VSIB index's bit 4 goes to V̅' (its bit 3 is in ea.rex as X).
  const index = memOp ? vectorIndex(memOp) : null;
  if (index && index.num & 8 && bits !== 64) return 'invalid operands in non-64-bit mode';
  const fields = evexFields(spec, row, ops, memOp ? ea.rex : 0, index !== null && (index.num & 16) !== 0, bits);
  if (typeof fields === 'string') return fields;
  if (memOp)
    compressDisplacement(ea, disp8Scale(spec, fields), memOp.displacementSize === 4 || memOp.displacementSize === 2);
  const bytes = new Uint8Array(4);
  writeEvexPrefix(fields, bytes, 0);
  return [...bytes];
}

export const ROUNDED_MEMORY = 'embedded rounding is available only with register-register operations';

/** The EVEX row's memory operand carries the line's rounding mode or `{sae}` (see evexFields). */
export function roundsMemory(row: Row, ops: readonly Operand[]): boolean {
  const rm = row.rmIndex >= 0 ? ops[row.rmIndex] : undefined;
  if (rm?.kind !== 'mem') return false;
  let roundingOn: Operand | undefined;
  for (const o of ops) if (o.decorators?.rounding) roundingOn = o;
  return roundingOn === rm;
}
