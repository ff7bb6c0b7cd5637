/**
 * Where ndisasm 2.16.01 spells a VEX/EVEX form differently from the row the
 * bytes decode to (measured; display only: `Instruction.source` keeps the
 * row's own spelling, which assembles to the same bytes).
 */
import { VEX_PREDICATES } from '../encoder/table/avx.js';
import type { Decoded } from './decode.js';
import { registerName } from './names.js';

/** VPCMP[U]x predicates 0-7 as ndisasm names them (3 and 7 keep the immediate). */
const VPCMP_PREDICATES = ['eq', 'lt', 'le', '', 'neq', 'ge', 'gt', ''];

/** VPCLMULQDQ's immediates that select one qword of each source. */
const CLMUL_ALIASES: Readonly<Record<number, string>> = {
  0x00: 'vpclmullqlqdq',
  0x01: 'vpclmulhqlqdq',
  0x10: 'vpclmullqhqdq',
  0x11: 'vpclmulhqhqdq',
};

/**
 * The alias ndisasm writes for an EVEX VCMPxx / VPCMP[U]x with a
 * predicate that has a name (`vcmpgeps k1,xmm3,xmm5`, `vpcmpltud k0,…`): the
 * mnemonic, the immediate left out; null when there is none.
 */
export function compareAlias(d: Decoded): string | null {
  if (!d.evex) return null;
  const name = d.pattern.row.mnemonic;
  const imm = d.tail[0]?.value;
  if (imm === undefined || d.tail.length !== 1) return null;
  const fp = /^vcmp(ps|pd|ss|sd)$/.exec(name);
  if (fp) {
    const p = VEX_PREDICATES[imm];
    return p === undefined ? null : `vcmp${p}${fp[1] as string}`;
  }
  if (name === 'vpclmulqdq') return CLMUL_ALIASES[imm] ?? null;
  const int = /^vpcmp(u?)([bwdq])$/.exec(name);
  if (int) {
    const p = VPCMP_PREDICATES[imm];
    return p ? `vpcmp${p}${int[1] as string}${int[2] as string}` : null;
  }
  return null;
}

/** Rows whose general register ndisasm writes at the element's size (`vpbroadcastb xmm7,bh`, `vpinsrw …,cx,…`). */
const ELEMENT_REGISTER: Readonly<Record<string, 'gpr8' | 'gpr16'>> = {
  vpbroadcastb: 'gpr8',
  vpbroadcastw: 'gpr16',
  vpextrb: 'gpr8',
  vpextrw: 'gpr16',
  vpinsrb: 'gpr8',
  vpinsrw: 'gpr16',
};

/**
 * The name ndisasm gives the general register `num` of a form in
 * ELEMENT_REGISTER, or null for other forms: the element size's register
 * (byte registers 4-7 are ah…bh even under EVEX, 8-15 written `r8w`…, `r8d`… on VEX VPINSRB):
 * EVEX VPBROADCASTx and VPEXTRx, VEX VPINSRx (the other encodings keep r32).
 */
export function elementRegister(d: Decoded, cls: string, num: number): string | null {
  const row = d.pattern.row;
  const narrow = ELEMENT_REGISTER[row.mnemonic];
  const insert = row.mnemonic.startsWith('vpinsr');
  if (!narrow || cls !== 'gpr32' || (insert ? !row.vex : !row.evex)) return null;
  // Measured: VEX VPINSRB names 8-15 at their dword size (`C4 C3 59 20 CC 03` is `vpinsrb xmm1,xmm4,r12d,…`).
  if (num >= 8) return row.vex && narrow === 'gpr8' ? `r${num}d` : `r${num}w`;
  return registerName(narrow, num);
}

/** Forms whose imm8 ndisasm sizes (`byte 0x5`): every EVEX form, and the VEX ones on opmask registers (KSHIFT). */
export function sizesImm8(d: Decoded): boolean {
  const row = d.pattern.row;
  return row.evex !== null || (row.vex !== null && row.operands.some((t) => t.regClass === 'kreg'));
}
