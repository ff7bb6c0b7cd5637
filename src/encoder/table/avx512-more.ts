/**
 * The smaller AVX-512 extensions, from the Intel SDM, each form checked
 * against NASM 2.16.01 by the EVEX corpus: CD (conflict detection), ER
 * (exponential and reciprocal, 512-bit only), IFMA, VBMI, VBMI2, VNNI,
 * BITALG, VPOPCNTDQ, BF16 (VCVTNE2PS2BF16), and the EVEX forms of GFNI, VAES
 * and VPCLMULQDQ; gathers and scatters (VSIB with a vector index up to 31), with
 * AVX512PF's prefetching forms.
 */
import { compare, nds, rm, scalar, type Length } from './evex-families.js';

const D38 = '66.0f38.w0';
const Q38 = '66.0f38.w1';
const FVM = { element: 0, tuple: 'fvm' } as const;
const Z512: readonly Length[] = [512];

export function avx512cdRows(): string {
  const rows = [
    rm('VPCONFLICTD', D38, 'C4'),
    rm('VPCONFLICTQ', Q38, 'C4'),
    rm('VPLZCNTD', D38, '44'),
    rm('VPLZCNTQ', Q38, '44'),
  ];
  for (const len of [128, 256, 512] as Length[]) {
    const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
    rows.push(`VPBROADCASTMB2Q ${v},k | evex.${len}.f3.0f38.w1 2A /r | skylake
VPBROADCASTMW2D ${v},k | evex.${len}.f3.0f38.w0 3A /r | skylake`);
  }
  return rows.join('\n');
}

export function avx512erRows(): string {
  return [
    rm('VEXP2PS', D38, 'C8', { lengths: Z512, zmmDeco: '{sae}' }),
    rm('VEXP2PD', Q38, 'C8', { lengths: Z512, zmmDeco: '{sae}' }),
    rm('VRCP28PS', D38, 'CA', { lengths: Z512, zmmDeco: '{sae}' }),
    rm('VRCP28PD', Q38, 'CA', { lengths: Z512, zmmDeco: '{sae}' }),
    scalar('VRCP28SS', D38, 'CB', 32, '{sae}'),
    scalar('VRCP28SD', Q38, 'CB', 64, '{sae}'),
    rm('VRSQRT28PS', D38, 'CC', { lengths: Z512, zmmDeco: '{sae}' }),
    rm('VRSQRT28PD', Q38, 'CC', { lengths: Z512, zmmDeco: '{sae}' }),
    scalar('VRSQRT28SS', D38, 'CD', 32, '{sae}'),
    scalar('VRSQRT28SD', Q38, 'CD', 64, '{sae}'),
  ].join('\n');
}

export function avx512IntegerExtensionRows(): string {
  return [
    // IFMA
    nds('VPMADD52LUQ', Q38, 'B4', { noOmit: true }),
    nds('VPMADD52HUQ', Q38, 'B5', { noOmit: true }),
    // VBMI
    nds('VPERMB', D38, '8D', FVM),
    nds('VPERMI2B', D38, '75', { ...FVM, noOmit: true }),
    nds('VPERMT2B', D38, '7D', { ...FVM, noOmit: true }),
    nds('VPMULTISHIFTQB', Q38, '83'),
    // VBMI2
    nds('VPSHLDW', '66.0f3a.w1', '70', { ...FVM, imm: true }),
    nds('VPSHLDD', '66.0f3a.w0', '71', { imm: true }),
    nds('VPSHLDQ', '66.0f3a.w1', '71', { imm: true }),
    nds('VPSHRDW', '66.0f3a.w1', '72', { ...FVM, imm: true }),
    nds('VPSHRDD', '66.0f3a.w0', '73', { imm: true }),
    nds('VPSHRDQ', '66.0f3a.w1', '73', { imm: true }),
    nds('VPSHLDVW', Q38, '70', FVM),
    nds('VPSHLDVD', D38, '71'),
    nds('VPSHLDVQ', Q38, '71'),
    nds('VPSHRDVW', Q38, '72', FVM),
    nds('VPSHRDVD', D38, '73'),
    nds('VPSHRDVQ', Q38, '73'),
    compressBytes(),
    // VNNI
    nds('VPDPBUSD', D38, '50'),
    nds('VPDPBUSDS', D38, '51'),
    nds('VPDPWSSD', D38, '52'),
    nds('VPDPWSSDS', D38, '53'),
    // BITALG, VPOPCNTDQ
    rm('VPOPCNTB', D38, '54', FVM),
    rm('VPOPCNTW', Q38, '54', FVM),
    // (NASM 2.16.01 takes no broadcast on VPOPCNTD/Q.)
    rm('VPOPCNTD', D38, '55', FVM),
    rm('VPOPCNTQ', Q38, '55', FVM),
    compare('VPSHUFBITQMB', D38, '8F', FVM),
    // BF16
    nds('VCVTNE2PS2BF16', 'f2.0f38.w0', '72'),
  ].join('\n');
}

function compressBytes(): string {
  const rows: string[] = [];
  for (const [name, w, code, tuple, kind] of [
    ['VPCOMPRESSB', 'w0', '63', 't1s8', 'c'],
    ['VPCOMPRESSW', 'w1', '63', 't1s16', 'c'],
    ['VPEXPANDB', 'w0', '62', 't1s8', 'e'],
    ['VPEXPANDW', 'w1', '62', 't1s16', 'e'],
  ] as const)
    for (const len of [128, 256, 512] as Length[]) {
      const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
      const spec = `evex.${len}.66.0f38.${w}.${tuple} ${code} /r`;
      if (kind === 'c') {
        rows.push(`${name} m${len}{k},${v} | ${spec} | skylake`);
        rows.push(`${name} ${v}{k}{z},${v} | mr: ${spec} | skylake`);
      } else rows.push(`${name} ${v}{k}{z},${v}/m${len} | ${spec} | skylake`);
    }
  return rows.join('\n');
}

/** VPCLMULQDQ with its immediate in the name (which quadword of each source), as in the VEX rows. */
const CLMUL_PSEUDO_OPS: ReadonlyArray<readonly [string, string]> = [
  ['VPCLMULLQLQDQ', '00'],
  ['VPCLMULHQLQDQ', '01'],
  ['VPCLMULLQHQDQ', '10'],
  ['VPCLMULHQHQDQ', '11'],
];

/** EVEX forms of GFNI, VAES and VPCLMULQDQ (no masks on the AES and carry-less forms). */
export function avx512CryptoRows(): string {
  return [
    nds('VGF2P8AFFINEINVQB', '66.0f3a.w1', 'CF', { imm: true }),
    nds('VGF2P8AFFINEQB', '66.0f3a.w1', 'CE', { imm: true }),
    nds('VGF2P8MULB', D38, 'CF', FVM),
    nds('VAESENC', '66.0f38.wig', 'DC', { ...FVM, dest: '' }),
    nds('VAESENCLAST', '66.0f38.wig', 'DD', { ...FVM, dest: '' }),
    nds('VAESDEC', '66.0f38.wig', 'DE', { ...FVM, dest: '' }),
    nds('VAESDECLAST', '66.0f38.wig', 'DF', { ...FVM, dest: '' }),
    ...CLMUL_PSEUDO_OPS.map(([name, imm]) =>
      nds(name, '66.0f3a.wig', '44', { ...FVM, dest: '' }).replace(/ \/r \|/g, ` /r ${imm} |`),
    ),
    nds('VPCLMULQDQ', '66.0f3a.wig', '44', { ...FVM, dest: '', imm: true }),
  ].join('\n');
}

/** Gathers `v{k},vm` and scatters `vm{k},v`: the index vector's length and element size decide the data register. */
export function avx512GatherRows(): string {
  const rows: string[] = [];
  // [name, W, opcode, index element bits, data element bits]
  const gathers: Array<[string, string, string, number, number]> = [
    ['VPGATHERDD', 'w0', '90', 32, 32],
    ['VPGATHERDQ', 'w1', '90', 32, 64],
    ['VPGATHERQD', 'w0', '91', 64, 32],
    ['VPGATHERQQ', 'w1', '91', 64, 64],
    ['VGATHERDPS', 'w0', '92', 32, 32],
    ['VGATHERDPD', 'w1', '92', 32, 64],
    ['VGATHERQPS', 'w0', '93', 64, 32],
    ['VGATHERQPD', 'w1', '93', 64, 64],
  ];
  const regOf = (bytes: number): string => (bytes === 64 ? 'zmm' : bytes === 32 ? 'ymm' : 'xmm');
  const sufOf = (bytes: number): string => (bytes === 64 ? 'z' : bytes === 32 ? 'y' : 'x');
  for (const [name, w, code, index, data] of gathers)
    for (const len of [128, 256, 512] as Length[]) {
      const elements = len / Math.max(index, data);
      const dataReg = regOf((elements * data) / 8 < 16 ? 16 : (elements * data) / 8);
      const indexReg = sufOf((elements * index) / 8 < 16 ? 16 : (elements * index) / 8);
      const scatter = name.replace('GATHER', 'SCATTER');
      const scode = (parseInt(code, 16) + 0x10).toString(16).toUpperCase();
      rows.push(`${name} ${dataReg}{k},vm${index}${indexReg} | evex.${len}.66.0f38.${w}.t1s ${code} /r | skylake`);
      rows.push(`${scatter} vm${index}${indexReg}{k},${dataReg} | evex.${len}.66.0f38.${w}.t1s ${scode} /r | skylake`);
    }
  // AVX512PF: prefetching gathers and scatters (a memory operand only; /digit picks the hint).
  for (const [name, digit] of [
    ['VGATHERPF0', 1],
    ['VGATHERPF1', 2],
    ['VSCATTERPF0', 5],
    ['VSCATTERPF1', 6],
  ] as const)
    rows.push(`${name}DPS vm32z{k} | evex.512.66.0f38.w0.t1s C6 /${digit} | skylake
${name}QPS vm64z{k} | evex.512.66.0f38.w0.t1s C7 /${digit} | skylake
${name}DPD vm32y{k} | evex.512.66.0f38.w1.t1s C6 /${digit} | skylake
${name}QPD vm64z{k} | evex.512.66.0f38.w1.t1s C7 /${digit} | skylake`);
  return rows.join('\n');
}
