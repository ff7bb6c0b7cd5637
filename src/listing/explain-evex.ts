/**
 * `--explain` for EVEX-encoded (AVX-512) instructions: the 62 prefix split
 * into its three payload bytes (R̅ X̅ B̅ R̅' mm, W vvvv̅ U pp, z L'L b V̅' aaa),
 * then the opcode, ModR/M, SIB, the displacement — a disp8 with its scale N,
 * from the instruction's EVEX row (tuple type, W, L'L, b) — and an imm8. The
 * fields are the decoder's (src/disasm/evex.ts); this view puts them into words.
 */
import type { DecodedField, DecodedInstruction } from '../disasm/fields.js';
import { bitsOf, decodedPrefixed, explainBody, hex } from './explain-vex.js';

const MAP_NAMES: Record<number, string> = { 1: '0F', 2: '0F 38', 3: '0F 3A', 5: 'map 5', 6: 'map 6' };
const PP_NAMES = ['no implied prefix', 'implied 66', 'implied F3', 'implied F2'];
const ROUNDING = ['rn-sae', 'rd-sae', 'ru-sae', 'rz-sae'];

/** The fields of an EVEX instruction, or null when `bytes` hold none the table decodes. */
export function explainEvex(bytes: Uint8Array, bits: number): DecodedInstruction | null {
  const d = decodedPrefixed(bytes, bits, 'evex');
  const e = d?.evex;
  if (!d || !e) return null;
  const fields: DecodedField[] = [];
  const field = (at: number, description: string): void => {
    fields.push({ kind: 'prefix', at, bytes: [bytes[at] as number], description });
  };
  const start = d.opcodeAt - 4;
  for (let i = 0; i < start; i++) field(i, `legacy prefix ${hex(bytes[i] as number)}`);
  const [p0, p1, p2] = [bytes[start + 1] as number, bytes[start + 2] as number, bytes[start + 3] as number];
  // The register bits as the prefix holds them (inverted); outside BITS 64 the decoder sets R' aside in `hidden`.
  const rHigh = e.rHigh | (e.hidden.reg >> 4);
  field(start, 'EVEX escape (62)');
  const registerBits = `R̅=${e.r ^ 1} X̅=${e.x ^ 1} B̅=${e.b ^ 1} R̅'=${rHigh ^ 1} (inverted register bits 3 and 4)`;
  field(
    start + 1,
    `P0 ${bitsOf(p0, 8)}: ${registerBits}, mm=${bitsOf(e.map, 3)} (${MAP_NAMES[e.map] ?? 'reserved map'})`,
  );
  const vvvv = e.vvvv | e.hidden.index;
  const pp = `pp=${bitsOf(e.pp, 2)} (${PP_NAMES[e.pp] ?? ''})`;
  field(
    start + 2,
    `P1 ${bitsOf(p1, 8)}: W=${e.w}, vvvv̅=${bitsOf(~vvvv & 15, 4)} (register ${vvvv} with V̅'), U=${(p1 >> 2) & 1}, ${pp}`,
  );
  const registerForm = d.modrm?.mod === 3;
  const ll = bitsOf(e.ll, 2);
  const lengthText =
    e.broadcastBit && registerForm
      ? `L'L=${ll} (rounding ${ROUNDING[e.ll] ?? ''} or {sae})`
      : `L'L=${ll} (${128 << e.ll}-bit)`;
  const bText = e.broadcastBit ? (registerForm ? 'embedded rounding / SAE' : 'broadcast {1toN}') : 'none';
  const mask = `aaa=${bitsOf(e.aaa, 3)} (${e.aaa ? `mask k${e.aaa}` : 'no mask'})`;
  const vHigh = (vvvv >> 4) ^ 1;
  field(
    start + 3,
    `P2 ${bitsOf(p2, 8)}: z=${e.z} (${e.z ? 'zeroing' : 'merging'}), ${lengthText}, b=${e.broadcastBit} (${bText}), V̅'=${vHigh}, ${mask}`,
  );
  const s = d.sib;
  // The SIB index with X (a VSIB index's fifth bit, V̅', is in P1's register above).
  const index = s ? s.index | (e.x << 3) : 0;
  const reg = (d.modrm?.regExt ?? 0) | e.hidden.reg;
  const dispText = (size: number, value: bigint): string => {
    const n = size === 1 ? e.disp8N : 0;
    const scaled = n > 0 ? ` (compressed: disp8 × N, N = ${n}: ${BigInt.asIntN(8, value) * BigInt(n)})` : '';
    return `displacement (${size} byte${size > 1 ? 's' : ''})${scaled}`;
  };
  return explainBody(d, bytes, { reg, index }, fields, dispText, 'immediate (imm8)');
}
