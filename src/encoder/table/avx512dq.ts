/**
 * AVX-512 Doubleword and Quadword (AVX512DQ, with the VL forms), from the
 * Intel SDM; every form checked against NASM 2.16.01 by the EVEX corpus.
 */
import { nds, rm, scalar, type Length } from './evex-families.js';

const D3A = '66.0f3a.w0';
const Q3A = '66.0f3a.w1';

function logicAndMultiply(): string {
  return [
    nds('VANDPS', '0f.w0', '54'),
    nds('VANDPD', '66.0f.w1', '54'),
    nds('VANDNPS', '0f.w0', '55'),
    nds('VANDNPD', '66.0f.w1', '55'),
    nds('VORPS', '0f.w0', '56'),
    nds('VORPD', '66.0f.w1', '56'),
    nds('VXORPS', '0f.w0', '57'),
    nds('VXORPD', '66.0f.w1', '57'),
    nds('VPMULLQ', '66.0f38.w1', '40'),
  ].join('\n');
}

function conversions(): string {
  const rows: string[] = [
    rm('VCVTQQ2PD', 'f3.0f.w1', 'E6', { zmmDeco: '{er}' }),
    rm('VCVTUQQ2PD', 'f3.0f.w1', '7A', { zmmDeco: '{er}' }),
    rm('VCVTPD2QQ', '66.0f.w1', '7B', { zmmDeco: '{er}' }),
    rm('VCVTPD2UQQ', '66.0f.w1', '79', { zmmDeco: '{er}' }),
    rm('VCVTTPD2QQ', '66.0f.w1', '7A', { zmmDeco: '{sae}' }),
    rm('VCVTTPD2UQQ', '66.0f.w1', '78', { zmmDeco: '{sae}' }),
  ];
  for (const [name, enc, code] of [
    ['VCVTQQ2PS', '0f.w1', '5B'],
    ['VCVTUQQ2PS', 'f2.0f.w1', '7A'],
  ] as const)
    rows.push(`${name} xmm{k}{z},xmm/m128/b64 | evex.128.${enc}.fv ${code} /r | skylake
${name} xmm{k}{z},ymm/m256/b64 | evex.256.${enc}.fv ${code} /r | skylake
${name} ymm{k}{z},zmm/m512/b64{er} | evex.512.${enc}.fv ${code} /r | skylake`);
  for (const [name, code, deco] of [
    ['VCVTPS2QQ', '7B', '{er}'],
    ['VCVTPS2UQQ', '79', '{er}'],
    ['VCVTTPS2QQ', '7A', '{sae}'],
    ['VCVTTPS2UQQ', '78', '{sae}'],
  ] as const)
    rows.push(`${name} xmm{k}{z},xmm/m64/b32 | evex.128.66.0f.w0.hv ${code} /r | skylake
${name} ymm{k}{z},xmm/m128/b32 | evex.256.66.0f.w0.hv ${code} /r | skylake
${name} zmm{k}{z},ymm/m256/b32${deco} | evex.512.66.0f.w0.hv ${code} /r | skylake`);
  return rows.join('\n');
}

function lanes(): string {
  return `VEXTRACTF32X8 ymm{k}{z},zmm,imm8 | mri: evex.512.${D3A}.t8 1B /r ib | skylake
VEXTRACTF32X8 m256{k},zmm,imm8 | mri: evex.512.${D3A}.t8 1B /r ib | skylake
VEXTRACTF64X2 xmm{k}{z},ymm,imm8 | mri: evex.256.${Q3A}.t2 19 /r ib | skylake
VEXTRACTF64X2 m128{k},ymm,imm8 | mri: evex.256.${Q3A}.t2 19 /r ib | skylake
VEXTRACTF64X2 xmm{k}{z},zmm,imm8 | mri: evex.512.${Q3A}.t2 19 /r ib | skylake
VEXTRACTF64X2 m128{k},zmm,imm8 | mri: evex.512.${Q3A}.t2 19 /r ib | skylake
VEXTRACTI32X8 ymm{k}{z},zmm,imm8 | mri: evex.512.${D3A}.t8 3B /r ib | skylake
VEXTRACTI32X8 m256{k},zmm,imm8 | mri: evex.512.${D3A}.t8 3B /r ib | skylake
VEXTRACTI64X2 xmm{k}{z},ymm,imm8 | mri: evex.256.${Q3A}.t2 39 /r ib | skylake
VEXTRACTI64X2 m128{k},ymm,imm8 | mri: evex.256.${Q3A}.t2 39 /r ib | skylake
VEXTRACTI64X2 xmm{k}{z},zmm,imm8 | mri: evex.512.${Q3A}.t2 39 /r ib | skylake
VEXTRACTI64X2 m128{k},zmm,imm8 | mri: evex.512.${Q3A}.t2 39 /r ib | skylake
VINSERTF32X8 zmm{k}{z},zmm*,ymm/m256,imm8 | evex.nds.512.${D3A}.t8 1A /r ib | skylake
VINSERTF64X2 ymm{k}{z},ymm*,xmm/m128,imm8 | evex.nds.256.${Q3A}.t2 18 /r ib | skylake
VINSERTF64X2 zmm{k}{z},zmm*,xmm/m128,imm8 | evex.nds.512.${Q3A}.t2 18 /r ib | skylake
VINSERTI32X8 zmm{k}{z},zmm*,ymm/m256,imm8 | evex.nds.512.${D3A}.t8 3A /r ib | skylake
VINSERTI64X2 ymm{k}{z},ymm*,xmm/m128,imm8 | evex.nds.256.${Q3A}.t2 38 /r ib | skylake
VINSERTI64X2 zmm{k}{z},zmm*,xmm/m128,imm8 | evex.nds.512.${Q3A}.t2 38 /r ib | skylake
VBROADCASTF32X2 ymm{k}{z},xmm/m64 | evex.256.66.0f38.w0.t2 19 /r | skylake
VBROADCASTF32X2 zmm{k}{z},xmm/m64 | evex.512.66.0f38.w0.t2 19 /r | skylake
VBROADCASTI32X2 xmm{k}{z},xmm/m64 | evex.128.66.0f38.w0.t2 59 /r | skylake
VBROADCASTI32X2 ymm{k}{z},xmm/m64 | evex.256.66.0f38.w0.t2 59 /r | skylake
VBROADCASTI32X2 zmm{k}{z},xmm/m64 | evex.512.66.0f38.w0.t2 59 /r | skylake
VBROADCASTF32X8 zmm{k}{z},m256 | evex.512.66.0f38.w0.t8 1B /r | skylake
VBROADCASTF64X2 ymm{k}{z},m128 | evex.256.66.0f38.w1.t2 1A /r | skylake
VBROADCASTF64X2 zmm{k}{z},m128 | evex.512.66.0f38.w1.t2 1A /r | skylake
VBROADCASTI32X8 zmm{k}{z},m256 | evex.512.66.0f38.w0.t8 5B /r | skylake
VBROADCASTI64X2 ymm{k}{z},m128 | evex.256.66.0f38.w1.t2 5A /r | skylake
VBROADCASTI64X2 zmm{k}{z},m128 | evex.512.66.0f38.w1.t2 5A /r | skylake`;
}

function classify(): string {
  const rows: string[] = [
    nds('VRANGEPS', D3A, '50', { zmmDeco: '{sae}', imm: true }),
    nds('VRANGEPD', Q3A, '50', { zmmDeco: '{sae}', imm: true }),
    scalar('VRANGESS', D3A, '51', 32, '{sae}', { imm: true }),
    scalar('VRANGESD', Q3A, '51', 64, '{sae}', { imm: true }),
    rm('VREDUCEPS', D3A, '56', { zmmDeco: '{sae}', imm: true }),
    rm('VREDUCEPD', Q3A, '56', { zmmDeco: '{sae}', imm: true }),
    scalar('VREDUCESS', D3A, '57', 32, '{sae}', { imm: true }),
    scalar('VREDUCESD', Q3A, '57', 64, '{sae}', { imm: true }),
  ];
  for (const [name, enc, element] of [
    ['VFPCLASSPS', D3A, 32],
    ['VFPCLASSPD', Q3A, 64],
  ] as const)
    for (const len of [128, 256, 512] as Length[]) {
      const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
      rows.push(`${name} k{k},${v}/m${len}/b${element},imm8 | evex.${len}.${enc}.fv 66 /r ib | skylake`);
    }
  rows.push(`VFPCLASSSS k{k},xmm/m32,imm8 | evex.lig.${D3A}.t1s 67 /r ib | skylake
VFPCLASSSD k{k},xmm/m64,imm8 | evex.lig.${Q3A}.t1s 67 /r ib | skylake`);
  for (const len of [128, 256, 512] as Length[]) {
    const v = len === 128 ? 'xmm' : len === 256 ? 'ymm' : 'zmm';
    rows.push(`VPMOVM2D ${v},k | evex.${len}.f3.0f38.w0 38 /r | skylake
VPMOVM2Q ${v},k | evex.${len}.f3.0f38.w1 38 /r | skylake
VPMOVD2M k,${v} | evex.${len}.f3.0f38.w0 39 /r | skylake
VPMOVQ2M k,${v} | evex.${len}.f3.0f38.w1 39 /r | skylake`);
  }
  rows.push(`VPEXTRD rm32,xmm,imm8 | mri: evex.128.66.0f3a.w0.t1s 16 /r ib | skylake
VPEXTRQ rm64,xmm,imm8 | mri: evex.128.66.0f3a.w1.t1s 16 /r ib | skylake
VPINSRD xmm,xmm*,rm32,imm8 | evex.nds.128.66.0f3a.w0.t1s 22 /r ib | skylake
VPINSRQ xmm,xmm*,rm64,imm8 | evex.nds.128.66.0f3a.w1.t1s 22 /r ib | skylake
VEXTRACTPS rm32,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s 17 /r ib | skylake
VEXTRACTPS r64,xmm,imm8 | mri: evex.128.66.0f3a.wig.t1s 17 /r ib | skylake
VINSERTPS xmm,xmm*,xmm/m32,imm8 | evex.nds.128.66.0f3a.w0.t1s 21 /r ib | skylake`);
  return rows.join('\n');
}

export function avx512dqRows(): string {
  return [logicAndMultiply(), conversions(), lanes(), classify()].join('\n');
}
