/**
 * `--explain` for VEX- and XOP-encoded instructions: the C4/C5/8F prefix
 * split into its fields (R̅ X̅ B̅ mmmmm, W vvvv̅ L pp), then the opcode, ModR/M,
 * SIB, displacement and the trailing immediate / is4 byte. The split is the
 * decoder's (src/disasm: which row the bytes are, where each field sits);
 * this view only puts it into words.
 */
import { disassembleOne, type Decoded } from '../disasm/index.js';
import type { DecodedField, DecodedInstruction } from '../disasm/fields.js';

const MAP_NAMES: Record<number, string> = {
  1: '0F',
  2: '0F 38',
  3: '0F 3A',
  8: 'XOP map 8',
  9: 'XOP map 9',
  10: 'XOP map A',
};
const PP_NAMES = ['no implied prefix', 'implied 66', 'implied F3', 'implied F2'];

export const bitsOf = (n: number, width: number): string => n.toString(2).padStart(width, '0');
export const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** The decoded VEX/XOP (or, with `kind` 'evex', EVEX) instruction at the start of `bytes`, or null. */
export function decodedPrefixed(bytes: Uint8Array, bits: number, kind: 'vex' | 'evex'): Decoded | null {
  if (bits !== 16 && bits !== 32 && bits !== 64) return null;
  const d = disassembleOne(bytes, 0, { bits }).decoded;
  if (!d?.vex || (d.vex.kind === 'evex') !== (kind === 'evex')) return null;
  return d;
}

/** Adds the fields every VEX/XOP/EVEX instruction has after its prefix: opcode, ModR/M, SIB, displacement, immediate. */
export function explainBody(
  d: Decoded,
  bytes: Uint8Array,
  registers: { reg: number; index: number },
  fields: DecodedField[],
  dispText: (size: number, value: bigint) => string,
  immText: string,
): DecodedInstruction {
  const field = (kind: DecodedField['kind'], at: number, size: number, description: string): void => {
    fields.push({ kind, at, bytes: [...bytes.subarray(at, at + size)], description });
  };
  const map = d.vex?.map ?? 0;
  const opcode = d.opcode[0] ?? 0;
  field('opcode', d.opcodeAt, 1, `opcode ${hex(opcode)} in ${MAP_NAMES[map] ?? 'a reserved map'}`);
  const result: DecodedInstruction = {
    prefixes: [...bytes.subarray(0, d.opcodeAt)],
    opcode: [opcode],
    modrm: null,
    sib: null,
    displacement: null,
    immediate: null,
    fields,
  };
  const m = d.modrm;
  // VZEROUPPER/VZEROALL (0F 77) are the only VEX instructions without ModR/M.
  if (!m) return result;
  const regMeaning = `register ${registers.reg}`;
  const rmMeaning = m.mod === 3 ? `register ${m.rmExt}` : `memory (mod ${bitsOf(m.mod, 2)}, r/m ${bitsOf(m.rm, 3)})`;
  result.modrm = { mod: m.mod, reg: m.reg, rm: m.rm, regMeaning, rmMeaning };
  field('modrm', m.at, 1, `ModR/M ${bitsOf(m.byte, 8)}: mod=${bitsOf(m.mod, 2)}, reg ${regMeaning}, rm ${rmMeaning}`);
  const s = d.sib;
  if (s) {
    const baseText = s.base === 5 && m.mod === 0 ? 'none (disp32)' : `register ${s.baseExt}`;
    const scale = 1 << s.scale;
    const index = registers.index;
    result.sib = { scale, index, base: s.base, indexMeaning: `register ${index}`, baseMeaning: baseText };
    const indexText = d.vex?.kind === 'evex' ? `index ${index}` : `index register ${index}`;
    field('sib', s.at, 1, `SIB ${bitsOf(s.byte, 8)}: scale ${scale}, ${indexText}, base ${baseText}`);
  }
  const disp = d.displacement;
  let end = s ? s.at + 1 : m.at + 1;
  if (disp) {
    result.displacement = { at: disp.at, size: disp.size, value: disp.big };
    field('displacement', disp.at, disp.size, dispText(disp.size, disp.big));
    end = disp.at + disp.size;
  }
  if (end < d.length) {
    const value = [...bytes.subarray(end, d.length)].reverse().reduce((v, b) => (v << 8n) | BigInt(b), 0n);
    result.immediate = { at: end, size: d.length - end, value };
    field('immediate', end, d.length - end, immText);
  }
  return result;
}

/** The fields of a VEX/XOP instruction, or null when `bytes` hold none the table decodes. */
export function explainVex(bytes: Uint8Array, bits: number): DecodedInstruction | null {
  const d = decodedPrefixed(bytes, bits, 'vex');
  const v = d?.vex;
  if (!d || !v) return null;
  const fields: DecodedField[] = [];
  const field = (at: number, description: string): void => {
    fields.push({ kind: 'prefix', at, bytes: [bytes[at] as number], description });
  };
  const start = d.opcodeAt - v.size;
  for (let i = 0; i < start; i++) field(i, `legacy prefix ${hex(bytes[i] as number)}`);
  const inverted = (bit: number): number => (d.rex & bit ? 0 : 1);
  const [r, x, b] = [inverted(4), inverted(2), inverted(1)];
  const last = bytes[d.opcodeAt - 1] as number;
  if (v.size === 2) {
    field(start, 'VEX, two-byte form (C5): X̅=B̅=1, map 0F, W=0 implied');
    field(start + 1, `VEX byte 1 ${bitsOf(last, 8)}: R̅=${r} ${vvvvLPp(d)}`);
  } else {
    field(start, v.kind === 'xop' ? 'XOP escape (8F)' : 'VEX, three-byte form (C4)');
    const one = bytes[start + 1] as number;
    const map = `mmmmm=${bitsOf(v.map, 5)} (${MAP_NAMES[v.map] ?? 'reserved map'})`;
    field(start + 1, `byte 1 ${bitsOf(one, 8)}: R̅=${r} X̅=${x} B̅=${b} (inverted REX.R/X/B), ${map}`);
    field(start + 2, `byte 2 ${bitsOf(last, 8)}: W=${d.rex & 8 ? 1 : 0} ${vvvvLPp(d)}`);
  }
  const index = d.sib?.indexExt ?? 0;
  const immText = 'immediate (an imm8, or /is4: a register number in bits 7-4)';
  return explainBody(d, bytes, { reg: d.modrm?.regExt ?? 0, index }, fields, displacementText, immText);
}

const displacementText = (size: number): string => `displacement (${size} byte${size > 1 ? 's' : ''})`;

function vvvvLPp(d: Decoded): string {
  const v = d.vex;
  const reg = v?.vvvv ?? 0;
  const inverted = ~reg & 15;
  const vText = reg === 0 ? 'no register operand' : `register ${reg}`;
  const l = v?.l ?? 0;
  const pp = v?.pp ?? 0;
  return `vvvv̅=${bitsOf(inverted, 4)} (${vText}), L=${l} (${l ? '256' : '128'}-bit), pp=${bitsOf(pp, 2)} (${PP_NAMES[pp] ?? ''})`;
}
