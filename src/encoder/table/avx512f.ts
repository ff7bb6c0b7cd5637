/**
 * AVX-512 Foundation, with the AVX512VL forms on xmm/ymm, from the Intel SDM
 * (opcode, EVEX fields and tuple type of each form); every form checked
 * against NASM 2.16.01 by the EVEX corpus (fixtures/encoding/evex). Rows for
 * one mnemonic go 128, 256, 512, as in NASM. The `*` operand may be left out
 * (`vaddps zmm1,zmm2` is `vaddps zmm1,zmm1,zmm2`).
 */
import { compare, nds, rm, scalar, shiftImm, type Length } from './evex-families.js';

const PS = '0f.w0';
const PD = '66.0f.w1';
const SS = 'f3.0f.w0';
const SD = 'f2.0f.w1';
const D66 = '66.0f.w0';
const Q66 = '66.0f.w1';
const D38 = '66.0f38.w0';
const Q38 = '66.0f38.w1';
const D3A = '66.0f3a.w0';
const Q3A = '66.0f3a.w1';

/** Packed and scalar FP arithmetic: ADD SUB MUL DIV (rounding), MIN MAX (SAE). */
function arithmetic(): string {
  const ops: Array<[string, string, string]> = [
    ['ADD', '58', '{er}'],
    ['SUB', '5C', '{er}'],
    ['MUL', '59', '{er}'],
    ['DIV', '5E', '{er}'],
    ['MIN', '5D', '{sae}'],
    ['MAX', '5F', '{sae}'],
  ];
  return ops
    .map(([op, code, deco]) =>
      [
        nds(`V${op}PS`, PS, code, { zmmDeco: deco }),
        nds(`V${op}PD`, PD, code, { zmmDeco: deco }),
        scalar(`V${op}SS`, SS, code, 32, deco),
        scalar(`V${op}SD`, SD, code, 64, deco),
      ].join('\n'),
    )
    .join('\n');
}

/** FMA3: 132/213/231 × (ps pd ss sd) for each of the eight operations. */
function fma(): string {
  const ops: Array<[string, number, boolean]> = [
    ['VFMADDSUB', 0x96, false],
    ['VFMSUBADD', 0x97, false],
    ['VFMADD', 0x98, true],
    ['VFMSUB', 0x9a, true],
    ['VFNMADD', 0x9c, true],
    ['VFNMSUB', 0x9e, true],
  ];
  const rows: string[] = [];
  for (const [name, base, scalars] of ops) {
    for (const [order, add] of [
      ['132', 0],
      ['213', 0x10],
      ['231', 0x20],
    ] as const) {
      const code = (base + add).toString(16).toUpperCase();
      rows.push(nds(`${name}${order}PS`, D38, code, { zmmDeco: '{er}', noOmit: true }));
      rows.push(nds(`${name}${order}PD`, Q38, code, { zmmDeco: '{er}', noOmit: true }));
      if (scalars) {
        const scode = (base + add + 1).toString(16).toUpperCase();
        rows.push(scalar(`${name}${order}SS`, D38, scode, 32, '{er}', { noOmit: true }));
        rows.push(scalar(`${name}${order}SD`, Q38, scode, 64, '{er}', { noOmit: true }));
      }
    }
  }
  return rows.join('\n');
}

/** Aligned/unaligned moves: load `v{k}{z},v/m`, store `m{k},v`. */
function moves(): string {
  const list: Array<[string, string, string, string]> = [
    ['VMOVAPS', PS, '28', '29'],
    ['VMOVAPD', PD, '28', '29'],
    ['VMOVUPS', PS, '10', '11'],
    ['VMOVUPD', PD, '10', '11'],
    ['VMOVDQA32', D66, '6F', '7F'],
    ['VMOVDQA64', Q66, '6F', '7F'],
    ['VMOVDQU32', 'f3.0f.w0', '6F', '7F'],
    ['VMOVDQU64', 'f3.0f.w1', '6F', '7F'],
  ];
  const rows: string[] = [];
  for (const [name, enc, load, store] of list) {
    for (const len of [128, 256, 512] as Length[]) {
      const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
      rows.push(`${name} ${v}{k}{z},${v}/m${len} | evex.${len}.${enc}.fvm ${load} /r | skylake`);
      // NASM 2.16.01 takes (and encodes) {z} on the integer stores, not on the FP ones.
      const zero = name.startsWith('VMOVDQ') ? '{z}' : '';
      rows.push(`${name} m${len}{k}${zero},${v} | evex.${len}.${enc}.fvm ${store} /r | skylake`);
    }
  }
  return rows.join('\n');
}

/** Non-temporal stores and loads, duplicating moves, 64-bit halves. */
function otherMoves(): string {
  const rows: string[] = [];
  for (const len of [128, 256, 512] as Length[]) {
    const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
    rows.push(`VMOVNTPS m${len},${v} | evex.${len}.${PS}.fvm 2B /r | skylake`);
    rows.push(`VMOVNTPD m${len},${v} | evex.${len}.${PD}.fvm 2B /r | skylake`);
    rows.push(`VMOVNTDQ m${len},${v} | evex.${len}.${D66}.fvm E7 /r | skylake`);
    rows.push(`VMOVNTDQA ${v},m${len} | evex.${len}.${D38}.fvm 2A /r | skylake`);
  }
  return [
    rows.join('\n'),
    rm('VMOVSHDUP', 'f3.0f.w0', '16', { element: 0, tuple: 'fvm' }),
    rm('VMOVSLDUP', 'f3.0f.w0', '12', { element: 0, tuple: 'fvm' }),
    `VMOVDDUP xmm{k}{z},xmm/m64 | evex.128.f2.0f.w1.dup 12 /r | skylake
VMOVDDUP ymm{k}{z},ymm/m256 | evex.256.f2.0f.w1.dup 12 /r | skylake
VMOVDDUP zmm{k}{z},zmm/m512 | evex.512.f2.0f.w1.dup 12 /r | skylake
VMOVSS xmm{k}{z},m32 | evex.lig.${SS}.t1s 10 /r | skylake
VMOVSS m32{k},xmm | evex.lig.${SS}.t1s 11 /r | skylake
VMOVSS xmm{k}{z},xmm*,xmm | evex.nds.lig.${SS}.t1s 10 /r | skylake
VMOVSS xmm{k}{z},xmm*,xmm | mvr: evex.nds.lig.${SS}.t1s 11 /r | skylake,ne
VMOVSD xmm{k}{z},m64 | evex.lig.${SD}.t1s 10 /r | skylake
VMOVSD m64{k},xmm | evex.lig.${SD}.t1s 11 /r | skylake
VMOVSD xmm{k}{z},xmm*,xmm | evex.nds.lig.${SD}.t1s 10 /r | skylake
VMOVSD xmm{k}{z},xmm*,xmm | mvr: evex.nds.lig.${SD}.t1s 11 /r | skylake,ne
VMOVD xmm,rm32 | evex.128.${D66}.t1s 6E /r | skylake
VMOVD rm32,xmm | evex.128.${D66}.t1s 7E /r | skylake
VMOVQ xmm,rm64 | evex.128.${Q66}.t1s 6E /r | skylake
VMOVQ rm64,xmm | evex.128.${Q66}.t1s 7E /r | skylake
VMOVQ xmm,xmm/m64 | evex.128.f3.0f.w1.t1s 7E /r | skylake
VMOVHPS xmm,xmm*,m64 | evex.nds.128.${PS}.t2 16 /r | skylake
VMOVHPS m64,xmm | evex.128.${PS}.t2 17 /r | skylake
VMOVLPS xmm,xmm*,m64 | evex.nds.128.${PS}.t2 12 /r | skylake
VMOVLPS m64,xmm | evex.128.${PS}.t2 13 /r | skylake
VMOVHPD xmm,xmm*,m64 | evex.nds.128.${PD}.t1s 16 /r | skylake
VMOVHPD m64,xmm | evex.128.${PD}.t1s 17 /r | skylake
VMOVLPD xmm,xmm*,m64 | evex.nds.128.${PD}.t1s 12 /r | skylake
VMOVLPD m64,xmm | evex.128.${PD}.t1s 13 /r | skylake
VMOVHLPS xmm,xmm*,xmm | evex.nds.128.${PS} 12 /r | skylake
VMOVLHPS xmm,xmm*,xmm | evex.nds.128.${PS} 16 /r | skylake`,
  ].join('\n');
}

/** Integer arithmetic, logic, min/max, shifts and rotates on dwords and qwords. */
function integer(): string {
  const pairs: Array<[string, string, string, string, string]> = [
    ['VPADDD', D66, 'FE', 'VPADDQ', 'D4'],
    ['VPSUBD', D66, 'FA', 'VPSUBQ', 'FB'],
    ['VPANDD', D66, 'DB', 'VPANDQ', 'DB'],
    ['VPANDND', D66, 'DF', 'VPANDNQ', 'DF'],
    ['VPORD', D66, 'EB', 'VPORQ', 'EB'],
    ['VPXORD', D66, 'EF', 'VPXORQ', 'EF'],
    ['VPMAXSD', D38, '3D', 'VPMAXSQ', '3D'],
    ['VPMAXUD', D38, '3F', 'VPMAXUQ', '3F'],
    ['VPMINSD', D38, '39', 'VPMINSQ', '39'],
    ['VPMINUD', D38, '3B', 'VPMINUQ', '3B'],
    ['VPSLLVD', D38, '47', 'VPSLLVQ', '47'],
    ['VPSRLVD', D38, '45', 'VPSRLVQ', '45'],
    ['VPSRAVD', D38, '46', 'VPSRAVQ', '46'],
    ['VPROLVD', D38, '15', 'VPROLVQ', '15'],
    ['VPRORVD', D38, '14', 'VPRORVQ', '14'],
    ['VPUNPCKLDQ', D66, '62', 'VPUNPCKLQDQ', '6C'],
    ['VPUNPCKHDQ', D66, '6A', 'VPUNPCKHQDQ', '6D'],
    ['VPBLENDMD', D38, '64', 'VPBLENDMQ', '64'],
    ['VBLENDMPS', D38, '65', 'VBLENDMPD', '65'],
    ['VPERMI2D', D38, '76', 'VPERMI2Q', '76'],
    ['VPERMI2PS', D38, '77', 'VPERMI2PD', '77'],
    ['VPERMT2D', D38, '7E', 'VPERMT2Q', '7E'],
    ['VPERMT2PS', D38, '7F', 'VPERMT2PD', '7F'],
    ['VPERMILPS', D38, '0C', 'VPERMILPD', '0D'],
  ];
  const rows: string[] = [];
  // NASM lets the second operand be left out except where the destination is also a source.
  const noOmit = /^(VPBLENDM|VBLENDM|VPERMI2|VPERMT2)/;
  for (const [d, enc, dcode, q, qcode] of pairs) {
    rows.push(nds(d, enc, dcode, { noOmit: noOmit.test(d) }));
    rows.push(nds(q, enc.replace('w0', 'w1'), qcode, { noOmit: noOmit.test(q) }));
  }
  rows.push(nds('VPMULLD', D38, '40'), nds('VPMULDQ', Q38, '28'), nds('VPMULUDQ', Q66, 'F4'));
  rows.push(rm('VPABSD', D38, '1E'), rm('VPABSQ', Q38, '1F'));
  rows.push(
    shiftImm('VPRORD', D66, '72', 0),
    shiftImm('VPRORQ', Q66, '72', 0),
    shiftImm('VPROLD', D66, '72', 1),
    shiftImm('VPROLQ', Q66, '72', 1),
    shiftImm('VPSRLD', D66, '72', 2),
    shiftImm('VPSRAD', D66, '72', 4),
    shiftImm('VPSRAQ', Q66, '72', 4),
    shiftImm('VPSLLD', D66, '72', 6),
    shiftImm('VPSRLQ', Q66, '73', 2),
    shiftImm('VPSLLQ', Q66, '73', 6),
  );
  const byCount: Array<[string, string, string]> = [
    ['VPSLLD', D66, 'F2'],
    ['VPSRLD', D66, 'D2'],
    ['VPSRAD', D66, 'E2'],
    ['VPSLLQ', Q66, 'F3'],
    ['VPSRLQ', Q66, 'D3'],
    ['VPSRAQ', Q66, 'E2'],
  ];
  for (const [name, enc, code] of byCount)
    for (const len of [128, 256, 512] as Length[]) {
      const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
      rows.push(`${name} ${v}{k}{z},${v}*,xmm/m128 | evex.nds.${len}.${enc}.m128 ${code} /r | skylake`);
    }
  rows.push(rm('VPSHUFD', D66, '70', { imm: true }));
  rows.push(
    nds('VPTERNLOGD', D3A, '25', { imm: true, noOmit: true }),
    nds('VPTERNLOGQ', Q3A, '25', { imm: true, noOmit: true }),
  );
  rows.push(nds('VALIGND', D3A, '03', { imm: true }), nds('VALIGNQ', Q3A, '03', { imm: true }));
  rows.push(
    nds('VSHUFPS', PS, 'C6', { imm: true }),
    nds('VSHUFPD', PD, 'C6', { imm: true }),
    nds('VUNPCKHPS', PS, '15'),
    nds('VUNPCKHPD', PD, '15'),
    nds('VUNPCKLPS', PS, '14'),
    nds('VUNPCKLPD', PD, '14'),
  );
  return rows.join('\n');
}

/** Compares and tests into opmasks. */
function compares(): string {
  return [
    compare('VCMPPS', PS, 'C2', { zmmDeco: '{sae}', imm: true }),
    compare('VCMPPD', PD, 'C2', { zmmDeco: '{sae}', imm: true }),
    `VCMPSS k{k},xmm,xmm/m32{sae},imm8 | evex.nds.lig.${SS}.t1s C2 /r ib | skylake
VCMPSD k{k},xmm,xmm/m64{sae},imm8 | evex.nds.lig.${SD}.t1s C2 /r ib | skylake
VCOMISS xmm,xmm/m32{sae} | evex.lig.${PS}.t1s 2F /r | skylake
VCOMISD xmm,xmm/m64{sae} | evex.lig.${PD}.t1s 2F /r | skylake
VUCOMISS xmm,xmm/m32{sae} | evex.lig.${PS}.t1s 2E /r | skylake
VUCOMISD xmm,xmm/m64{sae} | evex.lig.${PD}.t1s 2E /r | skylake`,
    compare('VPCMPD', D3A, '1F', { imm: true }),
    compare('VPCMPUD', D3A, '1E', { imm: true }),
    compare('VPCMPQ', Q3A, '1F', { imm: true }),
    compare('VPCMPUQ', Q3A, '1E', { imm: true }),
    compare('VPCMPEQD', D66, '76'),
    compare('VPCMPGTD', D66, '66'),
    compare('VPCMPEQQ', Q38, '29'),
    compare('VPCMPGTQ', Q38, '37'),
    compare('VPTESTMD', D38, '27'),
    compare('VPTESTMQ', Q38, '27'),
    compare('VPTESTNMD', 'f3.0f38.w0', '27'),
    compare('VPTESTNMQ', 'f3.0f38.w1', '27'),
  ].join('\n');
}

/** Permutes, broadcasts, 128/256-bit lane inserts and extracts. */
function lanes(): string {
  const wide: Length[] = [256, 512];
  return [
    nds('VPERMD', D38, '36', { lengths: wide }),
    nds('VPERMQ', Q38, '36', { lengths: wide }),
    rm('VPERMQ', Q3A, '00', { lengths: wide, imm: true }),
    nds('VPERMPS', D38, '16', { lengths: wide }),
    nds('VPERMPD', Q38, '16', { lengths: wide }),
    rm('VPERMPD', Q3A, '01', { lengths: wide, imm: true }),
    rm('VPERMILPS', D3A, '04', { imm: true }),
    rm('VPERMILPD', Q3A, '05', { imm: true }),
    nds('VSHUFF32X4', D3A, '23', { lengths: wide, imm: true }),
    nds('VSHUFF64X2', Q3A, '23', { lengths: wide, imm: true }),
    nds('VSHUFI32X4', D3A, '43', { lengths: wide, imm: true }),
    nds('VSHUFI64X2', Q3A, '43', { lengths: wide, imm: true }),
    `VBROADCASTSS xmm{k}{z},xmm/m32 | evex.128.${D38}.t1s 18 /r | skylake
VBROADCASTSS ymm{k}{z},xmm/m32 | evex.256.${D38}.t1s 18 /r | skylake
VBROADCASTSS zmm{k}{z},xmm/m32 | evex.512.${D38}.t1s 18 /r | skylake
VBROADCASTSD ymm{k}{z},xmm/m64 | evex.256.${Q38}.t1s 19 /r | skylake
VBROADCASTSD zmm{k}{z},xmm/m64 | evex.512.${Q38}.t1s 19 /r | skylake
VPBROADCASTD xmm{k}{z},xmm/m32 | evex.128.${D38}.t1s 58 /r | skylake
VPBROADCASTD ymm{k}{z},xmm/m32 | evex.256.${D38}.t1s 58 /r | skylake
VPBROADCASTD zmm{k}{z},xmm/m32 | evex.512.${D38}.t1s 58 /r | skylake
VPBROADCASTQ xmm{k}{z},xmm/m64 | evex.128.${Q38}.t1s 59 /r | skylake
VPBROADCASTQ ymm{k}{z},xmm/m64 | evex.256.${Q38}.t1s 59 /r | skylake
VPBROADCASTQ zmm{k}{z},xmm/m64 | evex.512.${Q38}.t1s 59 /r | skylake
VPBROADCASTD xmm{k}{z},r32 | evex.128.${D38}.t1s 7C /r | skylake
VPBROADCASTD ymm{k}{z},r32 | evex.256.${D38}.t1s 7C /r | skylake
VPBROADCASTD zmm{k}{z},r32 | evex.512.${D38}.t1s 7C /r | skylake
VPBROADCASTQ xmm{k}{z},r64 | evex.128.${Q38}.t1s 7C /r | skylake
VPBROADCASTQ ymm{k}{z},r64 | evex.256.${Q38}.t1s 7C /r | skylake
VPBROADCASTQ zmm{k}{z},r64 | evex.512.${Q38}.t1s 7C /r | skylake
VBROADCASTF32X4 ymm{k}{z},m128 | evex.256.${D38}.t4 1A /r | skylake
VBROADCASTF32X4 zmm{k}{z},m128 | evex.512.${D38}.t4 1A /r | skylake
VBROADCASTF64X4 zmm{k}{z},m256 | evex.512.${Q38}.t4 1B /r | skylake
VBROADCASTI32X4 ymm{k}{z},m128 | evex.256.${D38}.t4 5A /r | skylake
VBROADCASTI32X4 zmm{k}{z},m128 | evex.512.${D38}.t4 5A /r | skylake
VBROADCASTI64X4 zmm{k}{z},m256 | evex.512.${Q38}.t4 5B /r | skylake
VEXTRACTF32X4 xmm{k}{z},ymm,imm8 | mri: evex.256.${D3A}.t4 19 /r ib | skylake
VEXTRACTF32X4 m128{k},ymm,imm8 | mri: evex.256.${D3A}.t4 19 /r ib | skylake
VEXTRACTF32X4 xmm{k}{z},zmm,imm8 | mri: evex.512.${D3A}.t4 19 /r ib | skylake
VEXTRACTF32X4 m128{k},zmm,imm8 | mri: evex.512.${D3A}.t4 19 /r ib | skylake
VEXTRACTF64X4 ymm{k}{z},zmm,imm8 | mri: evex.512.${Q3A}.t4 1B /r ib | skylake
VEXTRACTF64X4 m256{k},zmm,imm8 | mri: evex.512.${Q3A}.t4 1B /r ib | skylake
VEXTRACTI32X4 xmm{k}{z},ymm,imm8 | mri: evex.256.${D3A}.t4 39 /r ib | skylake
VEXTRACTI32X4 m128{k},ymm,imm8 | mri: evex.256.${D3A}.t4 39 /r ib | skylake
VEXTRACTI32X4 xmm{k}{z},zmm,imm8 | mri: evex.512.${D3A}.t4 39 /r ib | skylake
VEXTRACTI32X4 m128{k},zmm,imm8 | mri: evex.512.${D3A}.t4 39 /r ib | skylake
VEXTRACTI64X4 ymm{k}{z},zmm,imm8 | mri: evex.512.${Q3A}.t4 3B /r ib | skylake
VEXTRACTI64X4 m256{k},zmm,imm8 | mri: evex.512.${Q3A}.t4 3B /r ib | skylake
VINSERTF32X4 ymm{k}{z},ymm*,xmm/m128,imm8 | evex.nds.256.${D3A}.t4 18 /r ib | skylake
VINSERTF32X4 zmm{k}{z},zmm*,xmm/m128,imm8 | evex.nds.512.${D3A}.t4 18 /r ib | skylake
VINSERTF64X4 zmm{k}{z},zmm*,ymm/m256,imm8 | evex.nds.512.${Q3A}.t4 1A /r ib | skylake
VINSERTI32X4 ymm{k}{z},ymm*,xmm/m128,imm8 | evex.nds.256.${D3A}.t4 38 /r ib | skylake
VINSERTI32X4 zmm{k}{z},zmm*,xmm/m128,imm8 | evex.nds.512.${D3A}.t4 38 /r ib | skylake
VINSERTI64X4 zmm{k}{z},zmm*,ymm/m256,imm8 | evex.nds.512.${Q3A}.t4 3A /r ib | skylake`,
  ].join('\n');
}

/** Zero/sign extension (source a fraction of the vector) and the narrowing moves (destination a fraction). */
function widthChanges(): string {
  const rows: string[] = [];
  // [name, opcode, tuple, source bytes per 128 bits of destination]
  const extend: Array<[string, string, string, number, string]> = [
    ['BD', '1', 'qvm', 4, 'wig'],
    ['BQ', '2', 'ovm', 2, 'wig'],
    ['WD', '3', 'hvm', 8, 'wig'],
    ['WQ', '4', 'qvm', 4, 'wig'],
    ['DQ', '5', 'hvm', 8, 'w0'],
  ];
  for (const [kind, digit, tuple, per128, w] of extend)
    for (const [sign, hi] of [
      ['ZX', '3'],
      ['SX', '2'],
    ] as const)
      for (const len of [128, 256, 512] as Length[]) {
        const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
        const src = (per128 * len) / 128;
        const srcReg = src === 32 ? 'ymm' : 'xmm';
        rows.push(
          `VPMOV${sign}${kind} ${v}{k}{z},${srcReg}/m${src * 8} | evex.${len}.66.0f38.${w}.${tuple} ${hi}${digit} /r | skylake`,
        );
      }
  const narrow: Array<[string, string, string, number]> = [
    ['DB', '1', 'qvm', 4],
    ['DW', '3', 'hvm', 8],
    ['QB', '2', 'ovm', 2],
    ['QW', '4', 'qvm', 4],
    ['QD', '5', 'hvm', 8],
  ];
  for (const [kind, digit, tuple, per128] of narrow)
    for (const [prefix, hi] of [
      ['', '3'],
      ['S', '2'],
      ['US', '1'],
    ] as const)
      for (const len of [128, 256, 512] as Length[]) {
        const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
        const dst = (per128 * len) / 128;
        const dstReg = dst === 32 ? 'ymm' : 'xmm';
        const code = `evex.${len}.f3.0f38.w0.${tuple} ${hi}${digit} /r`;
        rows.push(`VPMOV${prefix}${kind} ${dstReg}{k}{z},${v} | mr: ${code} | skylake`);
        rows.push(`VPMOV${prefix}${kind} m${dst * 8}{k},${v} | ${code} | skylake`);
      }
  return rows.join('\n');
}

/** Conversions between integers and floating point, and between the float sizes. */
function conversions(): string {
  const rows: string[] = [
    rm('VCVTDQ2PS', PS, '5B', { zmmDeco: '{er}' }),
    rm('VCVTPS2DQ', D66, '5B', { zmmDeco: '{er}' }),
    rm('VCVTTPS2DQ', 'f3.0f.w0', '5B', { zmmDeco: '{sae}' }),
    rm('VCVTUDQ2PS', 'f2.0f.w0', '7A', { zmmDeco: '{er}' }),
    rm('VCVTPS2UDQ', PS, '79', { zmmDeco: '{er}' }),
    rm('VCVTTPS2UDQ', PS, '78', { zmmDeco: '{sae}' }),
  ];
  // Widening: destination length from a half-length source.
  const widen: Array<[string, string, string, string]> = [
    ['VCVTDQ2PD', 'f3.0f.w0', 'E6', ''],
    ['VCVTUDQ2PD', 'f3.0f.w0', '7A', ''],
    ['VCVTPS2PD', PS, '5A', '{sae}'],
  ];
  for (const [name, enc, code, deco] of widen)
    rows.push(`${name} xmm{k}{z},xmm/m64/b32 | evex.128.${enc}.hv ${code} /r | skylake
${name} ymm{k}{z},xmm/m128/b32 | evex.256.${enc}.hv ${code} /r | skylake
${name} zmm{k}{z},ymm/m256/b32${deco} | evex.512.${enc}.hv ${code} /r | skylake`);
  // Narrowing: a full-length source into half a register.
  const narrow: Array<[string, string, string, string]> = [
    ['VCVTPD2PS', PD, '5A', '{er}'],
    ['VCVTPD2DQ', 'f2.0f.w1', 'E6', '{er}'],
    ['VCVTTPD2DQ', PD, 'E6', '{sae}'],
    ['VCVTPD2UDQ', '0f.w1', '79', '{er}'],
    ['VCVTTPD2UDQ', '0f.w1', '78', '{sae}'],
  ];
  for (const [name, enc, code, deco] of narrow)
    rows.push(`${name} xmm{k}{z},xmm/m128/b64 | evex.128.${enc}.fv ${code} /r | skylake
${name} xmm{k}{z},ymm/m256/b64 | evex.256.${enc}.fv ${code} /r | skylake
${name} ymm{k}{z},zmm/m512/b64${deco} | evex.512.${enc}.fv ${code} /r | skylake`);
  rows.push(`VCVTPH2PS xmm{k}{z},xmm/m64 | evex.128.${D38}.hvm 13 /r | skylake
VCVTPH2PS ymm{k}{z},xmm/m128 | evex.256.${D38}.hvm 13 /r | skylake
VCVTPH2PS zmm{k}{z},ymm/m256{sae} | evex.512.${D38}.hvm 13 /r | skylake
VCVTPS2PH xmm{k},xmm,imm8 | mri: evex.128.${D3A}.hvm 1D /r ib | skylake
VCVTPS2PH m64{k},xmm,imm8 | mri: evex.128.${D3A}.hvm 1D /r ib | skylake
VCVTPS2PH xmm{k},ymm,imm8 | mri: evex.256.${D3A}.hvm 1D /r ib | skylake
VCVTPS2PH m128{k},ymm,imm8 | mri: evex.256.${D3A}.hvm 1D /r ib | skylake
VCVTPS2PH ymm{k},zmm{sae},imm8 | mri: evex.512.${D3A}.hvm 1D /r ib | skylake
VCVTPS2PH m256{k},zmm,imm8 | mri: evex.512.${D3A}.hvm 1D /r ib | skylake
VCVTSD2SS xmm{k}{z},xmm,xmm/m64{er} | evex.nds.lig.${SD}.t1s 5A /r | skylake
VCVTSS2SD xmm{k}{z},xmm,xmm/m32{sae} | evex.nds.lig.${SS}.t1s 5A /r | skylake
VCVTSI2SS xmm,xmm{er},rm32 | evex.nds.lig.f3.0f.w0.t1s 2A /r | skylake
VCVTSI2SS xmm,xmm{er},rm64 | evex.nds.lig.f3.0f.w1.t1s 2A /r | skylake
VCVTSI2SD xmm,xmm{er},rm32 | evex.nds.lig.f2.0f.w0.t1s 2A /r | skylake
VCVTSI2SD xmm,xmm{er},rm64 | evex.nds.lig.f2.0f.w1.t1s 2A /r | skylake
VCVTUSI2SS xmm,xmm{er},rm32 | evex.nds.lig.f3.0f.w0.t1s 7B /r | skylake
VCVTUSI2SS xmm,xmm{er},rm64 | evex.nds.lig.f3.0f.w1.t1s 7B /r | skylake
VCVTUSI2SD xmm,xmm{er},rm32 | evex.nds.lig.f2.0f.w0.t1s 7B /r | skylake
VCVTUSI2SD xmm,xmm{er},rm64 | evex.nds.lig.f2.0f.w1.t1s 7B /r | skylake`);
  const toInt: Array<[string, string, string, string, string]> = [
    ['VCVTSS2SI', 'f3', '2D', '32', '{er}'],
    ['VCVTSD2SI', 'f2', '2D', '64', '{er}'],
    ['VCVTTSS2SI', 'f3', '2C', '32', '{sae}'],
    ['VCVTTSD2SI', 'f2', '2C', '64', '{sae}'],
    ['VCVTSS2USI', 'f3', '79', '32', '{er}'],
    ['VCVTSD2USI', 'f2', '79', '64', '{er}'],
    ['VCVTTSS2USI', 'f3', '78', '32', '{sae}'],
    ['VCVTTSD2USI', 'f2', '78', '64', '{sae}'],
  ];
  for (const [name, pp, code, size, deco] of toInt)
    rows.push(`${name} r32,xmm/m${size}${deco} | evex.lig.${pp}.0f.w0.t1f${size} ${code} /r | skylake
${name} r64,xmm/m${size}${deco} | evex.lig.${pp}.0f.w1.t1f${size} ${code} /r | skylake`);
  return rows.join('\n');
}

/** Reciprocals, exponent/mantissa, rounding, scaling, fix-ups. */
function mathHelpers(): string {
  return [
    rm('VRCP14PS', D38, '4C'),
    rm('VRCP14PD', Q38, '4C'),
    scalar('VRCP14SS', D38, '4D', 32),
    scalar('VRCP14SD', Q38, '4D', 64),
    rm('VRSQRT14PS', D38, '4E'),
    rm('VRSQRT14PD', Q38, '4E'),
    scalar('VRSQRT14SS', D38, '4F', 32),
    scalar('VRSQRT14SD', Q38, '4F', 64),
    rm('VSQRTPS', PS, '51', { zmmDeco: '{er}' }),
    rm('VSQRTPD', PD, '51', { zmmDeco: '{er}' }),
    scalar('VSQRTSS', SS, '51', 32, '{er}'),
    scalar('VSQRTSD', SD, '51', 64, '{er}'),
    rm('VGETEXPPS', D38, '42', { zmmDeco: '{sae}' }),
    rm('VGETEXPPD', Q38, '42', { zmmDeco: '{sae}' }),
    scalar('VGETEXPSS', D38, '43', 32, '{sae}', { noOmit: true }),
    scalar('VGETEXPSD', Q38, '43', 64, '{sae}', { noOmit: true }),
    rm('VGETMANTPS', D3A, '26', { zmmDeco: '{sae}', imm: true }),
    rm('VGETMANTPD', Q3A, '26', { zmmDeco: '{sae}', imm: true }),
    scalar('VGETMANTSS', D3A, '27', 32, '{sae}', { imm: true, noOmit: true }),
    scalar('VGETMANTSD', Q3A, '27', 64, '{sae}', { imm: true, noOmit: true }),
    rm('VRNDSCALEPS', D3A, '08', { zmmDeco: '{sae}', imm: true }),
    rm('VRNDSCALEPD', Q3A, '09', { zmmDeco: '{sae}', imm: true }),
    scalar('VRNDSCALESS', D3A, '0A', 32, '{sae}', { imm: true }),
    scalar('VRNDSCALESD', Q3A, '0B', 64, '{sae}', { imm: true }),
    nds('VSCALEFPS', D38, '2C', { zmmDeco: '{er}' }),
    nds('VSCALEFPD', Q38, '2C', { zmmDeco: '{er}' }),
    scalar('VSCALEFSS', D38, '2D', 32, '{er}'),
    scalar('VSCALEFSD', Q38, '2D', 64, '{er}'),
    nds('VFIXUPIMMPS', D3A, '54', { zmmDeco: '{sae}', imm: true }),
    nds('VFIXUPIMMPD', Q3A, '54', { zmmDeco: '{sae}', imm: true }),
    scalar('VFIXUPIMMSS', D3A, '55', 32, '{sae}', { imm: true }),
    scalar('VFIXUPIMMSD', Q3A, '55', 64, '{sae}', { imm: true }),
  ].join('\n');
}

/** Compress (store the selected elements packed) and expand. */
function compressExpand(): string {
  const rows: string[] = [];
  const list: Array<[string, string, string, string]> = [
    ['VCOMPRESSPS', D38, '8A', 'c'],
    ['VCOMPRESSPD', Q38, '8A', 'c'],
    ['VPCOMPRESSD', D38, '8B', 'c'],
    ['VPCOMPRESSQ', Q38, '8B', 'c'],
    ['VEXPANDPS', D38, '88', 'e'],
    ['VEXPANDPD', Q38, '88', 'e'],
    ['VPEXPANDD', D38, '89', 'e'],
    ['VPEXPANDQ', Q38, '89', 'e'],
  ];
  for (const [name, enc, code, kind] of list)
    for (const len of [128, 256, 512] as Length[]) {
      const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
      const spec = `evex.${len}.${enc}.t1s ${code} /r`;
      if (kind === 'c') {
        rows.push(`${name} m${len}{k},${v} | ${spec} | skylake`);
        rows.push(`${name} ${v}{k}{z},${v} | mr: ${spec} | skylake`);
      } else rows.push(`${name} ${v}{k}{z},${v}/m${len} | ${spec} | skylake`);
    }
  return rows.join('\n');
}

export function avx512fRows(): string {
  return [
    arithmetic(),
    fma(),
    moves(),
    otherMoves(),
    integer(),
    compares(),
    lanes(),
    widthChanges(),
    conversions(),
    mathHelpers(),
    compressExpand(),
  ].join('\n');
}
