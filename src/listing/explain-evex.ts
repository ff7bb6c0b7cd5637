/**
 * `--explain` for EVEX-encoded (AVX-512) instructions, which the table-driven
 * decoder in src/disasm does not take apart yet: the 62 prefix split into its
 * three payload bytes (R̅ X̅ B̅ R̅' mm, W vvvv̅ U pp, z L'L b V̅' aaa), then the
 * opcode, ModR/M, SIB, the displacement — a disp8 with its scale N, found
 * from the instruction's EVEX row (tuple type, W, L'L, b) — and an imm8.
 */
import type { DecodedField, DecodedInstruction } from '../disasm/fields.js';
import { disp8Scale, type EvexFields } from '../encoder/evex.js';
import { ROWS_BY_MNEMONIC } from '../encoder/table.js';

const LEGACY_PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);
const MAP_NAMES: Record<number, string> = { 1: '0F', 2: '0F 38', 3: '0F 3A', 5: 'map 5', 6: 'map 6' };
const PP_NAMES = ['no implied prefix', 'implied 66', 'implied F3', 'implied F2'];
const ROUNDING = ['rn-sae', 'rd-sae', 'ru-sae', 'rz-sae'];

const bitsOf = (n: number, width: number): string => n.toString(2).padStart(width, '0');
const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** The fields of an EVEX instruction, or null when `bytes` hold none. */
export function explainEvex(bytes: Uint8Array, bits: number, mnemonic: string): DecodedInstruction | null {
  let start = 0;
  while (start < bytes.length && LEGACY_PREFIXES.has(bytes[start] as number)) start++;
  if (bytes[start] !== 0x62 || start + 5 > bytes.length) return null;
  const [p0, p1, p2] = [bytes[start + 1] as number, bytes[start + 2] as number, bytes[start + 3] as number];
  // Outside BITS 64, 62 with mod != 11 in the next byte is BOUND.
  if (bits !== 64 && p0 < 0xc0) return null;
  const fields: DecodedField[] = [];
  const field = (kind: DecodedField['kind'], at: number, size: number, description: string): void => {
    fields.push({ kind, at, bytes: [...bytes.subarray(at, at + size)], description });
  };
  for (let i = 0; i < start; i++) field('prefix', i, 1, `legacy prefix ${hex(bytes[i] as number)}`);
  const [r, x, b, rHigh, map] = [p0 >> 7, (p0 >> 6) & 1, (p0 >> 5) & 1, (p0 >> 4) & 1, p0 & 7];
  const [w, vvvv, pp] = [p1 >> 7, (p1 >> 3) & 15, p1 & 3];
  const [z, ll, bBit, vHigh, aaa] = [p2 >> 7, (p2 >> 5) & 3, (p2 >> 4) & 1, (p2 >> 3) & 1, p2 & 7];
  field('prefix', start, 1, 'EVEX escape (62)');
  field(
    'prefix',
    start + 1,
    1,
    `P0 ${bitsOf(p0, 8)}: R̅=${r} X̅=${x} B̅=${b} R̅'=${rHigh} (inverted register bits 3 and 4), mm=${bitsOf(map, 3)} (${MAP_NAMES[map] ?? 'reserved map'})`,
  );
  const vReg = (~vvvv & 15) | (vHigh ? 0 : 16);
  field(
    'prefix',
    start + 2,
    1,
    `P1 ${bitsOf(p1, 8)}: W=${w}, vvvv̅=${bitsOf(vvvv, 4)} (register ${vReg} with V̅'), U=${(p1 >> 2) & 1}, pp=${bitsOf(pp, 2)} (${PP_NAMES[pp]})`,
  );
  let p = start + 4;
  const opcode = bytes[p] as number;
  const modrmByte = bytes[p + 1];
  const registerForm = modrmByte !== undefined && modrmByte >> 6 === 3;
  const lengthText =
    bBit && registerForm
      ? `L'L=${bitsOf(ll, 2)} (rounding ${ROUNDING[ll] as string} or {sae})`
      : `L'L=${bitsOf(ll, 2)} (${128 << ll}-bit)`;
  const bText = bBit ? (registerForm ? 'embedded rounding / SAE' : 'broadcast {1toN}') : 'none';
  field(
    'prefix',
    start + 3,
    1,
    `P2 ${bitsOf(p2, 8)}: z=${z} (${z ? 'zeroing' : 'merging'}), ${lengthText}, b=${bBit} (${bText}), V̅'=${vHigh}, aaa=${bitsOf(aaa, 3)} (${aaa ? `mask k${aaa}` : 'no mask'})`,
  );
  field('opcode', p++, 1, `opcode ${hex(opcode)} in ${MAP_NAMES[map] ?? 'a reserved map'}`);
  const result: DecodedInstruction = {
    prefixes: [...bytes.subarray(0, start + 4)],
    opcode: [opcode],
    modrm: null,
    sib: null,
    displacement: null,
    immediate: null,
    fields,
  };
  if (modrmByte === undefined) return result;
  const mod = modrmByte >> 6;
  const reg = ((modrmByte >> 3) & 7) | (r ? 0 : 8) | (rHigh ? 0 : 16);
  const rm = (modrmByte & 7) | (b ? 0 : 8) | (x ? 0 : 16);
  const regMeaning = `register ${reg}`;
  const rmMeaning = mod === 3 ? `register ${rm}` : `memory (mod ${bitsOf(mod, 2)}, r/m ${bitsOf(modrmByte & 7, 3)})`;
  result.modrm = { mod, reg: (modrmByte >> 3) & 7, rm: modrmByte & 7, regMeaning, rmMeaning };
  field('modrm', p++, 1, `ModR/M ${bitsOf(modrmByte, 8)}: mod=${bitsOf(mod, 2)}, reg ${regMeaning}, rm ${rmMeaning}`);
  let dispSize = 0;
  if (mod !== 3) {
    let base = modrmByte & 7;
    if (base === 4) {
      const sib = bytes[p] as number;
      const index = ((sib >> 3) & 7) | (x ? 0 : 8);
      base = sib & 7;
      const baseText = base === 5 && mod === 0 ? 'none (disp32)' : `register ${base | (b ? 0 : 8)}`;
      result.sib = { scale: 1 << (sib >> 6), index, base, indexMeaning: `register ${index}`, baseMeaning: baseText };
      field('sib', p++, 1, `SIB ${bitsOf(sib, 8)}: scale ${1 << (sib >> 6)}, index ${index}, base ${baseText}`);
    }
    dispSize = mod === 1 ? 1 : mod === 2 || (mod === 0 && base === 5) ? 4 : 0;
  }
  if (dispSize > 0 && p + dispSize <= bytes.length) {
    let value = 0n;
    for (let i = dispSize - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[p + i] as number);
    result.displacement = { at: p, size: dispSize, value };
    const n = dispSize === 1 ? scaleOf(mnemonic, { map, pp, w: w ? 1 : 0, ll, bBit: bBit ? 1 : 0, opcode }) : 0;
    const scaled = n > 0 ? ` (compressed: disp8 × N, N = ${n}: ${BigInt.asIntN(8, value) * BigInt(n)})` : '';
    field('displacement', p, dispSize, `displacement (${dispSize} byte${dispSize > 1 ? 's' : ''})${scaled}`);
    p += dispSize;
  }
  if (p < bytes.length) {
    let value = 0n;
    for (let i = bytes.length - 1; i >= p; i--) value = (value << 8n) | BigInt(bytes[i] as number);
    result.immediate = { at: p, size: bytes.length - p, value };
    field('immediate', p, bytes.length - p, 'immediate (imm8)');
  }
  return result;
}

/** N of disp8*N for the instruction's EVEX row with these prefix fields (0 when no row fits). */
function scaleOf(
  mnemonic: string,
  f: { map: number; pp: number; w: 0 | 1; ll: number; bBit: 0 | 1; opcode: number },
): number {
  for (const row of ROWS_BY_MNEMONIC.get(mnemonic.toLowerCase()) ?? []) {
    const spec = row.evex;
    if (!spec || spec.map !== f.map || spec.pp !== f.pp || spec.w !== f.w) continue;
    if (!spec.lIgnored && spec.ll !== f.ll) continue;
    const first = row.codes[0];
    if (!first || first.value !== f.opcode) continue;
    const fields: EvexFields = {
      r: 0,
      x: 0,
      b: 0,
      rHigh: 0,
      map: f.map,
      w: f.w,
      vvvv: 0,
      pp: f.pp,
      z: 0,
      ll: f.ll,
      broadcastBit: f.bBit,
      aaa: 0,
    };
    return disp8Scale(spec, fields);
  }
  return 0;
}
