/**
 * The VEX / XOP part of the row notation: one dotted token at the head of a
 * row's codes, written as the Intel SDM (VEX) and the AMD APM (XOP) write it:
 *
 *     VADDPS xmm,xmm*,xmm/m128 | vex.nds.128.0f.wig 58 /r | sandybridge
 *     ANDN r32,r32,rm32         | rvm: vex.lz.0f38.w0 F2 /r | haswell
 *     VPCMOV xmm,xmm*,xmm/m128,xmm | xop.m8.128.w0 A2 /r /is4 | ...
 *
 * Parts, in any order after `vex` or `xop`:
 *   nds dds ndd        which operand vvvv names when the row gives no roles:
 *                      nds/dds the second operand (first source), ndd the first
 *                      (the destination of a `/digit` form such as VPSLLDQ)
 *   128 256 l0 l1      VEX.L (0 or 1); `lig`/`lz` L=0, `lig` meaning ignored
 *   66 f3 f2 np        VEX.pp (np or absent: no implied prefix)
 *   0f 0f38 0f3a       VEX.mmmmm (1, 2, 3); for XOP `m8` `m9` `ma` (8, 9, 10)
 *   w0 w1 wig          VEX.W (wig: ignored, encoded 0 as NASM does)
 *
 * The opcode byte, `/r` or `/digit`, immediates follow as for legacy rows;
 * `/is4` is the byte whose top nibble names a register (FMA4, XOP, VBLENDV*).
 * Roles (`rvm:`) may name the vvvv operand `v` and the is4 operand `s`.
 */

export interface VexSpec {
  readonly kind: 'vex' | 'xop';
  /** mmmmm: 1 = 0F, 2 = 0F38, 3 = 0F3A; XOP maps 8, 9, 10. */
  readonly map: number;
  /** pp: 0 none, 1 = 66, 2 = F3, 3 = F2. */
  readonly pp: number;
  readonly l: 0 | 1;
  /** `lig`: the CPU ignores L (scalar forms); the decoder accepts either. */
  readonly lIgnored: boolean;
  readonly w: 0 | 1;
  /** `wig`: the CPU ignores W; NASM encodes 0 (and so the 2-byte form when it can). */
  readonly wIgnored: boolean;
  /** Role hint when the row has no roles: which operand is vvvv. */
  readonly vvvv: '' | 'nds' | 'ndd' | 'dds';
}

const PP: Readonly<Record<string, number>> = { np: 0, '66': 1, f3: 2, f2: 3 };
const MAPS: Readonly<Record<string, number>> = { '0f': 1, '0f38': 2, '0f3a': 3, m8: 8, m9: 9, ma: 10 };

/** Parses `vex.…` / `xop.…`; null when `tok` is not such a token, throws on a bad part. */
export function parseVexSpec(tok: string): VexSpec | null {
  const parts = tok.toLowerCase().split('.');
  const kind = parts[0];
  if ((kind !== 'vex' && kind !== 'xop') || parts.length < 2) return null;
  let map = -1;
  let pp = 0;
  let l: 0 | 1 = 0;
  let lIgnored = false;
  let w: 0 | 1 = 0;
  let wIgnored = false;
  let vvvv: VexSpec['vvvv'] = '';
  for (const part of parts.slice(1)) {
    if (part === 'nds' || part === 'ndd' || part === 'dds') vvvv = part;
    else if (part === '128' || part === 'l0' || part === 'lz') l = 0;
    else if (part === '256' || part === 'l1') l = 1;
    else if (part === 'lig') lIgnored = true;
    else if (part in PP) pp = PP[part] as number;
    else if (part in MAPS) map = MAPS[part] as number;
    else if (part === 'w0' || part === 'w1') w = part === 'w1' ? 1 : 0;
    else if (part === 'wig') wIgnored = true;
    else throw new Error(`unknown ${kind} part '${part}' in ${tok}`);
  }
  if (map < 0) throw new Error(`${tok} names no opcode map`);
  if ((kind === 'xop') !== map >= 8) throw new Error(`${tok}: map does not fit ${kind}`);
  return { kind, map, pp, l, lIgnored, w, wIgnored, vvvv };
}
