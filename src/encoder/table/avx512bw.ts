/**
 * AVX-512 Byte and Word (AVX512BW, with the VL forms), from the Intel SDM;
 * every form checked against NASM 2.16.01 by the EVEX corpus. Byte and word
 * elements have no broadcast, so the full-vector forms use tuple fvm.
 */
import { compare, nds, rm, shiftImm, type Length } from './evex-families.js';

const W66 = '66.0f.wig';
const W38 = '66.0f38.wig';
const FVM = { element: 0, tuple: 'fvm' } as const;

function arithmetic(): string {
  const list: Array<[string, string, string]> = [
    ['VPADDB', W66, 'FC'],
    ['VPADDW', W66, 'FD'],
    ['VPADDSB', W66, 'EC'],
    ['VPADDSW', W66, 'ED'],
    ['VPADDUSB', W66, 'DC'],
    ['VPADDUSW', W66, 'DD'],
    ['VPSUBB', W66, 'F8'],
    ['VPSUBW', W66, 'F9'],
    ['VPSUBSB', W66, 'E8'],
    ['VPSUBSW', W66, 'E9'],
    ['VPSUBUSB', W66, 'D8'],
    ['VPSUBUSW', W66, 'D9'],
    ['VPMULLW', W66, 'D5'],
    ['VPMULHW', W66, 'E5'],
    ['VPMULHUW', W66, 'E4'],
    ['VPMADDWD', W66, 'F5'],
    ['VPAVGB', W66, 'E0'],
    ['VPAVGW', W66, 'E3'],
    ['VPMAXSW', W66, 'EE'],
    ['VPMAXUB', W66, 'DE'],
    ['VPMINSW', W66, 'EA'],
    ['VPMINUB', W66, 'DA'],
    ['VPACKSSWB', W66, '63'],
    ['VPACKUSWB', W66, '67'],
    ['VPUNPCKLBW', W66, '60'],
    ['VPUNPCKHBW', W66, '68'],
    ['VPUNPCKLWD', W66, '61'],
    ['VPUNPCKHWD', W66, '69'],
    ['VPSHUFB', W38, '00'],
    ['VPMULHRSW', W38, '0B'],
    ['VPMADDUBSW', W38, '04'],
    ['VPMAXSB', W38, '3C'],
    ['VPMAXUW', W38, '3E'],
    ['VPMINSB', W38, '38'],
    ['VPMINUW', W38, '3A'],
    ['VPSLLVW', '66.0f38.w1', '12'],
    ['VPSRLVW', '66.0f38.w1', '10'],
    ['VPSRAVW', '66.0f38.w1', '11'],
    ['VPBLENDMB', '66.0f38.w0', '66'],
    ['VPBLENDMW', '66.0f38.w1', '66'],
    ['VPERMW', '66.0f38.w1', '8D'],
    ['VPERMI2W', '66.0f38.w1', '75'],
    ['VPERMT2W', '66.0f38.w1', '7D'],
  ];
  const noOmit = /^(VPBLENDM|VPERMI2|VPERMT2)/;
  return [
    ...list.map(([name, enc, code]) => nds(name, enc, code, { ...FVM, noOmit: noOmit.test(name) })),
    nds('VPACKSSDW', '66.0f.w0', '6B'),
    nds('VPACKUSDW', '66.0f38.w0', '2B'),
    nds('VPSADBW', W66, 'F6', { ...FVM, dest: '' }),
    nds('VPALIGNR', '66.0f3a.wig', '0F', { ...FVM, imm: true }),
    nds('VDBPSADBW', '66.0f3a.w0', '42', { ...FVM, imm: true }),
    rm('VPABSB', W38, '1C', FVM),
    rm('VPABSW', W38, '1D', FVM),
    rm('VPSHUFHW', 'f3.0f.wig', '70', { ...FVM, imm: true }),
    rm('VPSHUFLW', 'f2.0f.wig', '70', { ...FVM, imm: true }),
  ].join('\n');
}

function shifts(): string {
  const rows: string[] = [
    shiftImm('VPSRLW', W66, '71', 2, FVM),
    shiftImm('VPSRAW', W66, '71', 4, FVM),
    shiftImm('VPSLLW', W66, '71', 6, FVM),
    shiftImm('VPSRLDQ', W66, '73', 3, { ...FVM, dest: '' }),
    shiftImm('VPSLLDQ', W66, '73', 7, { ...FVM, dest: '' }),
  ];
  for (const [name, code] of [
    ['VPSLLW', 'F1'],
    ['VPSRLW', 'D1'],
    ['VPSRAW', 'E1'],
  ] as const)
    for (const len of [128, 256, 512] as Length[]) {
      const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
      rows.push(`${name} ${v}{k}{z},${v}*,xmm/m128 | evex.nds.${len}.${W66}.m128 ${code} /r | skylake`);
    }
  return rows.join('\n');
}

function compares(): string {
  return [
    compare('VPCMPEQB', W66, '74', FVM),
    compare('VPCMPEQW', W66, '75', FVM),
    compare('VPCMPGTB', W66, '64', FVM),
    compare('VPCMPGTW', W66, '65', FVM),
    compare('VPCMPB', '66.0f3a.w0', '3F', { ...FVM, imm: true }),
    compare('VPCMPUB', '66.0f3a.w0', '3E', { ...FVM, imm: true }),
    compare('VPCMPW', '66.0f3a.w1', '3F', { ...FVM, imm: true }),
    compare('VPCMPUW', '66.0f3a.w1', '3E', { ...FVM, imm: true }),
    compare('VPTESTMB', '66.0f38.w0', '26', FVM),
    compare('VPTESTMW', '66.0f38.w1', '26', FVM),
    compare('VPTESTNMB', 'f3.0f38.w0', '26', FVM),
    compare('VPTESTNMW', 'f3.0f38.w1', '26', FVM),
  ].join('\n');
}

function movesAndWidths(): string {
  const rows: string[] = [];
  for (const len of [128, 256, 512] as Length[]) {
    const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
    for (const [name, w] of [
      ['VMOVDQU8', 'w0'],
      ['VMOVDQU16', 'w1'],
    ] as const) {
      rows.push(`${name} ${v}{k}{z},${v}/m${len} | evex.${len}.f2.0f.${w}.fvm 6F /r | skylake`);
      rows.push(`${name} m${len}{k}{z},${v} | evex.${len}.f2.0f.${w}.fvm 7F /r | skylake`);
    }
  }
  for (const len of [128, 256, 512] as Length[]) {
    const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
    rows.push(`VPBROADCASTB ${v}{k}{z},xmm/m8 | evex.${len}.66.0f38.w0.t1s8 78 /r | skylake`);
    rows.push(`VPBROADCASTW ${v}{k}{z},xmm/m16 | evex.${len}.66.0f38.w0.t1s16 79 /r | skylake`);
    // nasm 2.16.01 takes any general register here of at least the element's size (measured:
    // `vpbroadcastb zmm8, r11` and `, al`; `vpbroadcastw` refuses `al`), all encoded W0.
    for (const gpr of ['r32', 'r8', 'r16', 'r64'])
      rows.push(`VPBROADCASTB ${v}{k}{z},${gpr} | evex.${len}.66.0f38.w0 7A /r | skylake`);
    for (const gpr of ['r32', 'r16', 'r64'])
      rows.push(`VPBROADCASTW ${v}{k}{z},${gpr} | evex.${len}.66.0f38.w0 7B /r | skylake`);
  }
  for (const len of [128, 256, 512] as Length[]) {
    const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
    const half = len / 2;
    const hreg = len === 512 ? 'ymm' : 'xmm';
    rows.push(`VPMOVZXBW ${v}{k}{z},${hreg}/m${half} | evex.${len}.${W38}.hvm 30 /r | skylake`);
    rows.push(`VPMOVSXBW ${v}{k}{z},${hreg}/m${half} | evex.${len}.${W38}.hvm 20 /r | skylake`);
    for (const [name, code] of [
      ['VPMOVWB', '30'],
      ['VPMOVSWB', '20'],
      ['VPMOVUSWB', '10'],
    ] as const) {
      rows.push(`${name} ${hreg}{k}{z},${v} | mr: evex.${len}.f3.0f38.w0.hvm ${code} /r | skylake`);
      rows.push(`${name} m${half}{k},${v} | evex.${len}.f3.0f38.w0.hvm ${code} /r | skylake`);
    }
    rows.push(`VPMOVB2M k,${v} | evex.${len}.f3.0f38.w0 29 /r | skylake`);
    rows.push(`VPMOVW2M k,${v} | evex.${len}.f3.0f38.w1 29 /r | skylake`);
    rows.push(`VPMOVM2B ${v},k | evex.${len}.f3.0f38.w0 28 /r | skylake`);
    rows.push(`VPMOVM2W ${v},k | evex.${len}.f3.0f38.w1 28 /r | skylake`);
  }
  // NASM also takes a byte or word register (`vpextrb al,xmm1,1` is 62 F3 7D 08 14 C8 01, measured);
  // the decoder reads these bytes with the r32 rows, which ndisasm spells at the element's size.
  rows.push(`VPEXTRB r8,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s8 14 /r ib | skylake,nd
VPEXTRB r16,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s8 14 /r ib | skylake,nd
VPEXTRB r32,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s8 14 /r ib | skylake
VPEXTRB r64,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s8 14 /r ib | skylake
VPEXTRB m8,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s8 14 /r ib | skylake
VPEXTRW r16,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s16 15 /r ib | skylake,nd
VPEXTRW r32,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s16 15 /r ib | skylake
VPEXTRW r64,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s16 15 /r ib | skylake
VPEXTRW m16,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s16 15 /r ib | skylake
VPEXTRW r32,xmm,imm8 | evex.128.66.0f.wig C5 /r ib | skylake,ne ; nasm picks 0F3A 15; ndisasm reads C5's register form (62 D1 7D 08 C5 E4 01: vpextrw sp,xmm12)
VPINSRB xmm,xmm*,r32,imm8 | evex.nds.128.66.0f3a.wig.t1s8 20 /r ib | skylake
VPINSRB xmm,xmm*,m8,imm8 | evex.nds.128.66.0f3a.wig.t1s8 20 /r ib | skylake
VPINSRW xmm,xmm*,r32,imm8 | evex.nds.128.66.0f.wig.t1s16 C4 /r ib | skylake
VPINSRW xmm,xmm*,m16,imm8 | evex.nds.128.66.0f.wig.t1s16 C4 /r ib | skylake`);
  return rows.join('\n');
}

export function avx512bwRows(): string {
  return [arithmetic(), shifts(), compares(), movesAndWidths()].join('\n');
}
