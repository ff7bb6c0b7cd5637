/**
 * `--explain` for VEX- and XOP-encoded instructions (written before src/disasm/vex.ts
 * decoded VEX rows; moving this view onto that decoder is still to do): the C4/C5/8F prefix split
 * into its fields (R̅ X̅ B̅ mmmmm, W vvvv̅ L pp), then the opcode, ModR/M, SIB,
 * displacement and the trailing immediate / is4 byte.
 */
import type { DecodedField, DecodedInstruction } from '../disasm/fields.js';

const LEGACY_PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);
const MAP_NAMES: Record<number, string> = {
  1: '0F',
  2: '0F 38',
  3: '0F 3A',
  8: 'XOP map 8',
  9: 'XOP map 9',
  10: 'XOP map A',
};
const PP_NAMES = ['no implied prefix', 'implied 66', 'implied F3', 'implied F2'];

const bitsOf = (n: number, width: number): string => n.toString(2).padStart(width, '0');

/** Where the VEX/XOP prefix starts in `bytes` (after legacy prefixes), or -1 when there is none. */
function vexStart(bytes: Uint8Array, bits: number): number {
  let i = 0;
  while (i < bytes.length && LEGACY_PREFIXES.has(bytes[i] as number)) i++;
  const lead = bytes[i];
  const next = bytes[i + 1];
  if (next === undefined || (lead !== 0xc4 && lead !== 0xc5 && lead !== 0x8f)) return -1;
  // Outside BITS 64, C4/C5 with mod != 11 in the next byte are LES/LDS; 8F with reg 0 is POP.
  if (bits !== 64 && lead !== 0x8f && next < 0xc0) return -1;
  if (lead === 0x8f && (next & 0x1f) < 8) return -1;
  return i;
}

/** The fields of a VEX/XOP instruction, or null when `bytes` hold none. */
export function explainVex(bytes: Uint8Array, bits: number): DecodedInstruction | null {
  const start = vexStart(bytes, bits);
  if (start < 0) return null;
  const fields: DecodedField[] = [];
  const field = (kind: DecodedField['kind'], at: number, size: number, description: string): void => {
    fields.push({ kind, at, bytes: [...bytes.subarray(at, at + size)], description });
  };
  for (let i = 0; i < start; i++) field('prefix', i, 1, `legacy prefix ${hex(bytes[i] as number)}`);
  const lead = bytes[start] as number;
  let p = start + 1;
  let r: number, x: number, b: number, map: number, last: number;
  if (lead === 0xc5) {
    last = bytes[p] as number;
    [r, x, b, map] = [last >> 7, 1, 1, 1];
    field('prefix', start, 1, 'VEX, two-byte form (C5): X̅=B̅=1, map 0F, W=0 implied');
    field('prefix', p++, 1, `VEX byte 1 ${bitsOf(last, 8)}: R̅=${r} ${vvvvLPp(last)}`);
  } else {
    const one = bytes[p] as number;
    last = bytes[p + 1] ?? 0;
    [r, x, b, map] = [one >> 7, (one >> 6) & 1, (one >> 5) & 1, one & 0x1f];
    field('prefix', start, 1, lead === 0x8f ? 'XOP escape (8F)' : 'VEX, three-byte form (C4)');
    field(
      'prefix',
      p++,
      1,
      `byte 1 ${bitsOf(one, 8)}: R̅=${r} X̅=${x} B̅=${b} (inverted REX.R/X/B), mmmmm=${bitsOf(map, 5)} (${MAP_NAMES[map] ?? 'reserved map'})`,
    );
    field('prefix', p++, 1, `byte 2 ${bitsOf(last, 8)}: W=${last >> 7} ${vvvvLPp(last)}`);
  }
  const opcodeAt = p;
  const opcode = bytes[p];
  if (opcode === undefined) return null;
  field('opcode', p++, 1, `opcode ${hex(opcode)} in ${MAP_NAMES[map] ?? 'a reserved map'}`);
  const result: DecodedInstruction = {
    prefixes: [...bytes.subarray(0, opcodeAt)],
    opcode: [opcode],
    modrm: null,
    sib: null,
    displacement: null,
    immediate: null,
    fields,
  };
  // VZEROUPPER/VZEROALL (0F 77) are the only VEX instructions without ModR/M.
  if (map === 1 && opcode === 0x77) return result;
  const modrmByte = bytes[p];
  if (modrmByte === undefined) return result;
  const mod = modrmByte >> 6;
  const reg = ((modrmByte >> 3) & 7) | (r ? 0 : 8);
  const rm = (modrmByte & 7) | (b || mod !== 3 ? 0 : 8);
  const regMeaning = `register ${reg}`;
  const rmMeaning = mod === 3 ? `register ${rm}` : `memory (mod ${bitsOf(mod, 2)}, r/m ${bitsOf(modrmByte & 7, 3)})`;
  result.modrm = { mod, reg: (modrmByte >> 3) & 7, rm: modrmByte & 7, regMeaning, rmMeaning };
  field('modrm', p++, 1, `ModR/M ${bitsOf(modrmByte, 8)}: mod=${bitsOf(mod, 2)}, reg ${regMeaning}, rm ${rmMeaning}`);
  const has67 = bytes.subarray(0, start).includes(0x67);
  const address16 = bits === 16 ? !has67 : bits === 32 && has67;
  let dispSize = 0;
  if (mod !== 3 && !address16) {
    let base = modrmByte & 7;
    if (base === 4) {
      const sib = bytes[p] as number;
      const index = ((sib >> 3) & 7) | (x ? 0 : 8);
      base = sib & 7;
      const baseText = base === 5 && mod === 0 ? 'none (disp32)' : `register ${base | (b ? 0 : 8)}`;
      result.sib = { scale: 1 << (sib >> 6), index, base, indexMeaning: `register ${index}`, baseMeaning: baseText };
      field(
        'sib',
        p++,
        1,
        `SIB ${bitsOf(sib, 8)}: scale ${1 << (sib >> 6)}, index register ${index}, base ${baseText}`,
      );
    }
    dispSize = mod === 1 ? 1 : mod === 2 || (mod === 0 && base === 5) ? 4 : 0;
  } else if (mod !== 3) dispSize = mod === 1 ? 1 : mod === 2 || (mod === 0 && (modrmByte & 7) === 6) ? 2 : 0;
  if (dispSize > 0 && p + dispSize <= bytes.length) {
    const value = littleEndian(bytes.subarray(p, p + dispSize));
    result.displacement = { at: p, size: dispSize, value };
    field('displacement', p, dispSize, `displacement (${dispSize} byte${dispSize > 1 ? 's' : ''})`);
    p += dispSize;
  }
  if (p < bytes.length) {
    const value = littleEndian(bytes.subarray(p));
    result.immediate = { at: p, size: bytes.length - p, value };
    field('immediate', p, bytes.length - p, 'immediate (an imm8, or /is4: a register number in bits 7-4)');
  }
  return result;
}

function vvvvLPp(byte: number): string {
  const vvvv = (byte >> 3) & 15;
  const reg = ~vvvv & 15;
  const vText = vvvv === 15 ? 'no register operand' : `register ${reg}`;
  return `vvvv̅=${bitsOf(vvvv, 4)} (${vText}), L=${(byte >> 2) & 1} (${byte & 4 ? '256' : '128'}-bit), pp=${bitsOf(byte & 3, 2)} (${PP_NAMES[byte & 3]})`;
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function littleEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
  return v;
}
