/**
 * AVX: the VEX forms of SSE…SSE4.2 and AVX's own 256-bit instructions, one
 * complete row per form (notation in ../table.ts and ../vex-spec.ts). Opcodes
 * from the Intel SDM; every form checked against NASM 2.16.01 through the
 * corpus in fixtures/encoding/vex. The 256-bit integer forms are AVX2 (avx2.ts).
 *
 * Small generators write the regular families; `pfx` is the dotted
 * `pp.map` part of the VEX token (`0f`, `66.0f`, `f3.0f`, `66.0f38` …).
 */
const AVX = 'sandybridge';

/** `op xmm,xmm*,xmm/m128` and its ymm form (packed floating point, both lengths). */
function ndsBoth(mn: string, pfx: string, op: string, w = 'wig', cpu = AVX): string {
  return `${mn} xmm,xmm*,xmm/m128 | vex.nds.128.${pfx}.${w} ${op} /r | ${cpu}
${mn} ymm,ymm*,ymm/m256 | vex.nds.256.${pfx}.${w} ${op} /r | ${cpu}`;
}

/** `op xmm,xmm*,xmm/mN` (scalar; L ignored). */
function ndsScalar(mn: string, pfx: string, op: string, bits: number, w = 'wig'): string {
  return `${mn} xmm,xmm*,xmm/m${bits} | vex.nds.lig.${pfx}.${w} ${op} /r | ${AVX}`;
}

/** `op xmm,xmm*,xmm/m128` only (128-bit integer form; its ymm form is AVX2). */
function nds128(mn: string, pfx: string, op: string, w = 'wig', tail = ''): string {
  return `${mn} xmm,xmm*,xmm/m128${tail ? ',imm8' : ''} | vex.nds.128.${pfx}.${w} ${op} /r${tail} | ${AVX}`;
}

/** `op xmm,xmm/m128` and `op ymm,ymm/m256` (two-operand packed). */
function twoBoth(mn: string, pfx: string, op: string, w = 'wig'): string {
  return `${mn} xmm,xmm/m128 | vex.128.${pfx}.${w} ${op} /r | ${AVX}
${mn} ymm,ymm/m256 | vex.256.${pfx}.${w} ${op} /r | ${AVX}`;
}

const FLOAT_ARITH: Array<[string, string]> = [
  ['ADD', '58'],
  ['MUL', '59'],
  ['SUB', '5C'],
  ['MIN', '5D'],
  ['DIV', '5E'],
  ['MAX', '5F'],
];

function floatArithmetic(): string {
  const out: string[] = [];
  for (const [name, op] of FLOAT_ARITH) {
    out.push(ndsBoth(`V${name}PS`, '0f', op), ndsBoth(`V${name}PD`, '66.0f', op));
    out.push(ndsScalar(`V${name}SS`, 'f3.0f', op, 32), ndsScalar(`V${name}SD`, 'f2.0f', op, 64));
  }
  for (const [name, op] of [
    ['AND', '54'],
    ['ANDN', '55'],
    ['OR', '56'],
    ['XOR', '57'],
    ['UNPCKL', '14'],
    ['UNPCKH', '15'],
  ] as const)
    out.push(ndsBoth(`V${name}PS`, '0f', op), ndsBoth(`V${name}PD`, '66.0f', op));
  out.push(
    ndsBoth('VADDSUBPD', '66.0f', 'D0'),
    ndsBoth('VADDSUBPS', 'f2.0f', 'D0'),
    ndsBoth('VHADDPD', '66.0f', '7C'),
    ndsBoth('VHADDPS', 'f2.0f', '7C'),
    ndsBoth('VHSUBPD', '66.0f', '7D'),
    ndsBoth('VHSUBPS', 'f2.0f', '7D'),
    twoBoth('VSQRTPS', '0f', '51'),
    twoBoth('VSQRTPD', '66.0f', '51'),
    ndsScalar('VSQRTSS', 'f3.0f', '51', 32),
    ndsScalar('VSQRTSD', 'f2.0f', '51', 64),
    twoBoth('VRSQRTPS', '0f', '52'),
    ndsScalar('VRSQRTSS', 'f3.0f', '52', 32),
    twoBoth('VRCPPS', '0f', '53'),
    ndsScalar('VRCPSS', 'f3.0f', '53', 32),
  );
  return out.join('\n');
}

/** NASM's 32 comparison predicates, in imm8 order (VCMPccPS is VCMPPS with that immediate). */
export const VEX_PREDICATES = [
  'eq',
  'lt',
  'le',
  'unord',
  'neq',
  'nlt',
  'nle',
  'ord',
  'eq_uq',
  'nge',
  'ngt',
  'false',
  'neq_oq',
  'ge',
  'gt',
  'true',
  'eq_os',
  'lt_oq',
  'le_oq',
  'unord_s',
  'neq_us',
  'nlt_uq',
  'nle_uq',
  'ord_s',
  'eq_us',
  'nge_uq',
  'ngt_uq',
  'false_os',
  'neq_os',
  'ge_oq',
  'gt_oq',
  'true_us',
];

/** The SDM's long names for predicates 1…15 that NASM also accepts (measured; `eq_oq` it refuses). */
export const PREDICATE_ALIASES: ReadonlyArray<readonly [string, number]> = [
  ['lt_os', 1],
  ['le_os', 2],
  ['unord_q', 3],
  ['neq_uq', 4],
  ['nlt_us', 5],
  ['nle_us', 6],
  ['ord_q', 7],
  ['nge_us', 9],
  ['ngt_us', 10],
  ['false_oq', 11],
  ['ge_os', 13],
  ['gt_os', 14],
  ['true_uq', 15],
];

function compares(): string {
  const out: string[] = [];
  const kinds: Array<[string, string, number]> = [
    ['PS', '0f', 0],
    ['PD', '66.0f', 0],
    // NASM 2.16.01 sizes VCMPccSS's memory operand as a qword (measured: `dword [eax]` is refused).
    ['SS', 'f3.0f', 64],
    ['SD', 'f2.0f', 64],
  ];
  for (const [suffix, pfx, scalar] of kinds) {
    const form = (mn: string, tail: string, flags = ''): string => {
      const imm = tail === 'ib,uw' ? ',imm8' : '';
      if (scalar) return `${mn} xmm,xmm*,xmm/m${scalar}${imm} | vex.nds.lig.${pfx}.wig C2 /r ${tail} | ${AVX}${flags}`;
      return `${mn} xmm,xmm*,xmm/m128${imm} | vex.nds.128.${pfx}.wig C2 /r ${tail} | ${AVX}${flags}
${mn} ymm,ymm*,ymm/m256${imm} | vex.nds.256.${pfx}.wig C2 /r ${tail} | ${AVX}${flags}`;
    };
    // ndisasm writes the alias of a predicate that has one (`vcmplt_osps`, not `vcmpltps`): the plain name is `nd`.
    const aliased = new Set(PREDICATE_ALIASES.map(([, i]) => i));
    VEX_PREDICATES.forEach((p, i) =>
      out.push(
        form(
          `VCMP${p.toUpperCase()}${suffix}`,
          i.toString(16).toUpperCase().padStart(2, '0'),
          aliased.has(i) ? ',nd' : '',
        ),
      ),
    );
    for (const [p, i] of PREDICATE_ALIASES)
      out.push(form(`VCMP${p.toUpperCase()}${suffix}`, i.toString(16).toUpperCase().padStart(2, '0')));
    out.push(form(`VCMP${suffix}`, 'ib,uw'));
  }
  return out.join('\n');
}

function moves(): string {
  return `
VMOVAPS xmm,xmm/m128           | vex.128.0f.wig 28 /r           | ${AVX}
VMOVAPS xmm/m128,xmm           | vex.128.0f.wig 29 /r           | ${AVX}
VMOVAPS ymm,ymm/m256           | vex.256.0f.wig 28 /r           | ${AVX}
VMOVAPS ymm/m256,ymm           | vex.256.0f.wig 29 /r           | ${AVX}
VMOVAPD xmm,xmm/m128           | vex.128.66.0f.wig 28 /r        | ${AVX}
VMOVAPD xmm/m128,xmm           | vex.128.66.0f.wig 29 /r        | ${AVX}
VMOVAPD ymm,ymm/m256           | vex.256.66.0f.wig 28 /r        | ${AVX}
VMOVAPD ymm/m256,ymm           | vex.256.66.0f.wig 29 /r        | ${AVX}
VMOVUPS xmm,xmm/m128           | vex.128.0f.wig 10 /r           | ${AVX}
VMOVUPS xmm/m128,xmm           | vex.128.0f.wig 11 /r           | ${AVX}
VMOVUPS ymm,ymm/m256           | vex.256.0f.wig 10 /r           | ${AVX}
VMOVUPS ymm/m256,ymm           | vex.256.0f.wig 11 /r           | ${AVX}
VMOVUPD xmm,xmm/m128           | vex.128.66.0f.wig 10 /r        | ${AVX}
VMOVUPD xmm/m128,xmm           | vex.128.66.0f.wig 11 /r        | ${AVX}
VMOVUPD ymm,ymm/m256           | vex.256.66.0f.wig 10 /r        | ${AVX}
VMOVUPD ymm/m256,ymm           | vex.256.66.0f.wig 11 /r        | ${AVX}
VMOVDQA xmm,xmm/m128           | vex.128.66.0f.wig 6F /r        | ${AVX}
VMOVDQA xmm/m128,xmm           | vex.128.66.0f.wig 7F /r        | ${AVX}
VMOVDQA ymm,ymm/m256           | vex.256.66.0f.wig 6F /r        | ${AVX},nd
VMOVDQA ymm/m256,ymm           | vex.256.66.0f.wig 7F /r        | ${AVX},nd
VMOVDQU xmm,xmm/m128           | vex.128.f3.0f.wig 6F /r        | ${AVX}
VMOVDQU xmm/m128,xmm           | vex.128.f3.0f.wig 7F /r        | ${AVX}
VMOVDQU ymm,ymm/m256           | vex.256.f3.0f.wig 6F /r        | ${AVX},nd
VMOVDQU ymm/m256,ymm           | vex.256.f3.0f.wig 7F /r        | ${AVX},nd
VMOVSS xmm,xmm*,xmm            | vex.nds.lig.f3.0f.wig 10 /r    | ${AVX}
VMOVSS xmm,m32                 | vex.lig.f3.0f.wig 10 /r        | ${AVX}
; The register forms at 11 before the stores: the order ndisasm tries them in (see VMOVHLPS below).
VMOVSS xmm,xmm*,xmm            | mvr: vex.nds.lig.f3.0f.wig 11 /r | ${AVX},ne
VMOVSS m32,xmm                 | vex.lig.f3.0f.wig 11 /r        | ${AVX}
VMOVSD xmm,xmm*,xmm            | vex.nds.lig.f2.0f.wig 10 /r    | ${AVX}
VMOVSD xmm,m64                 | vex.lig.f2.0f.wig 10 /r        | ${AVX}
VMOVSD xmm,xmm*,xmm            | mvr: vex.nds.lig.f2.0f.wig 11 /r | ${AVX},ne
VMOVSD m64,xmm                 | vex.lig.f2.0f.wig 11 /r        | ${AVX}
; VMOVHLPS before VMOVLPS: the order ndisasm tries them in, which shows when it reads a 16-bit address as a
; register (src/disasm/decode.ts, registerFromAddress: C5 D0 12 10 is vmovhlps xmm2,xmm5,xmm12).
VMOVHLPS xmm,xmm*,xmm          | vex.nds.128.0f.wig 12 /r       | ${AVX}
VMOVLPS xmm,xmm*,m64           | vex.nds.128.0f.wig 12 /r       | ${AVX}
VMOVLPS m64,xmm                | vex.128.0f.wig 13 /r           | ${AVX}
VMOVLPD xmm,xmm*,m64           | vex.nds.128.66.0f.wig 12 /r    | ${AVX}
VMOVLPD m64,xmm                | vex.128.66.0f.wig 13 /r        | ${AVX}
VMOVHPS xmm,xmm*,m64           | vex.nds.128.0f.wig 16 /r       | ${AVX}
VMOVHPS m64,xmm                | vex.128.0f.wig 17 /r           | ${AVX}
VMOVHPD xmm,xmm*,m64           | vex.nds.128.66.0f.wig 16 /r    | ${AVX}
VMOVHPD m64,xmm                | vex.128.66.0f.wig 17 /r        | ${AVX}
VMOVLHPS xmm,xmm*,xmm          | vex.nds.128.0f.wig 16 /r       | ${AVX}
VMOVSLDUP xmm,xmm/m128         | vex.128.f3.0f.wig 12 /r        | ${AVX}
VMOVSLDUP ymm,ymm/m256         | vex.256.f3.0f.wig 12 /r        | ${AVX}
VMOVSHDUP xmm,xmm/m128         | vex.128.f3.0f.wig 16 /r        | ${AVX}
VMOVSHDUP ymm,ymm/m256         | vex.256.f3.0f.wig 16 /r        | ${AVX}
VMOVDDUP xmm,xmm/m64           | vex.128.f2.0f.wig 12 /r        | ${AVX}
VMOVDDUP ymm,ymm/m256          | vex.256.f2.0f.wig 12 /r        | ${AVX}
VMOVNTPS m128,xmm              | vex.128.0f.wig 2B /r           | ${AVX}
VMOVNTPS m256,ymm              | vex.256.0f.wig 2B /r           | ${AVX}
VMOVNTPD m128,xmm              | vex.128.66.0f.wig 2B /r        | ${AVX}
VMOVNTPD m256,ymm              | vex.256.66.0f.wig 2B /r        | ${AVX}
VMOVNTDQ m128,xmm              | vex.128.66.0f.wig E7 /r        | ${AVX}
VMOVNTDQ m256,ymm              | vex.256.66.0f.wig E7 /r        | ${AVX},nd
VMOVNTDQA xmm,m128             | vex.128.66.0f38.wig 2A /r      | ${AVX}
VLDDQU xmm,m128                | vex.128.f2.0f.wig F0 /r        | ${AVX}
VLDDQU ymm,m256                | vex.256.f2.0f.wig F0 /r        | ${AVX},nd
VMOVQQA ymm,ymm/m256           | vex.256.66.0f.wig 6F /r        | ${AVX}
VMOVQQA ymm/m256,ymm           | vex.256.66.0f.wig 7F /r        | ${AVX}
VMOVQQU ymm,ymm/m256           | vex.256.f3.0f.wig 6F /r        | ${AVX}
VMOVQQU ymm/m256,ymm           | vex.256.f3.0f.wig 7F /r        | ${AVX}
VMOVNTQQ m256,ymm              | vex.256.66.0f.wig E7 /r        | ${AVX}
VLDQQU ymm,m256                | vex.256.f2.0f.wig F0 /r        | ${AVX}
VMOVMSKPS r32,xmm              | vex.128.0f.wig 50 /r           | ${AVX}
VMOVMSKPS r64,xmm              | vex.128.0f.wig 50 /r           | x64,long
VMOVMSKPS r32,ymm              | vex.256.0f.wig 50 /r           | ${AVX}
VMOVMSKPS r64,ymm              | vex.256.0f.wig 50 /r           | x64,long
VMOVMSKPD r32,xmm              | vex.128.66.0f.wig 50 /r        | ${AVX}
VMOVMSKPD r64,xmm              | vex.128.66.0f.wig 50 /r        | x64,long
VMOVMSKPD r32,ymm              | vex.256.66.0f.wig 50 /r        | ${AVX}
VMOVMSKPD r64,ymm              | vex.256.66.0f.wig 50 /r        | x64,long
VPMOVMSKB r32,xmm              | vex.128.66.0f.wig D7 /r        | ${AVX}
VPMOVMSKB r64,xmm              | vex.128.66.0f.wig D7 /r        | x64,long
VMASKMOVDQU xmm,xmm            | vex.128.66.0f.wig F7 /r        | ${AVX}
VMOVD xmm,rm32                 | vex.128.66.0f.w0 6E /r         | ${AVX}
VMOVD rm32,xmm                 | vex.128.66.0f.w0 7E /r         | ${AVX}
VMOVQ xmm,xmm/m64              | vex.128.f3.0f.wig 7E /r        | ${AVX}
VMOVQ xmm/m64,xmm              | vex.128.66.0f.wig D6 /r        | ${AVX}
VMOVQ xmm,rm64                 | vex.128.66.0f.w1 6E /r         | x64,long
VMOVQ rm64,xmm                 | vex.128.66.0f.w1 7E /r         | x64,long
VLDMXCSR m32                   | vex.lz.0f.wig AE /2            | ${AVX}
VSTMXCSR m32                   | vex.lz.0f.wig AE /3            | ${AVX}
VZEROUPPER                     | vex.128.0f.w0 77               | ${AVX}
VZEROALL                       | vex.256.0f.w0 77               | ${AVX}
`;
}

function conversions(): string {
  return `
VCVTDQ2PS xmm,xmm/m128         | vex.128.0f.wig 5B /r           | ${AVX}
VCVTDQ2PS ymm,ymm/m256         | vex.256.0f.wig 5B /r           | ${AVX}
VCVTPS2DQ xmm,xmm/m128         | vex.128.66.0f.wig 5B /r        | ${AVX}
VCVTPS2DQ ymm,ymm/m256         | vex.256.66.0f.wig 5B /r        | ${AVX}
VCVTTPS2DQ xmm,xmm/m128        | vex.128.f3.0f.wig 5B /r        | ${AVX}
VCVTTPS2DQ ymm,ymm/m256        | vex.256.f3.0f.wig 5B /r        | ${AVX}
VCVTDQ2PD xmm,xmm/m64          | vex.128.f3.0f.wig E6 /r        | ${AVX}
VCVTDQ2PD ymm,xmm/m128         | vex.256.f3.0f.wig E6 /r        | ${AVX}
VCVTPD2DQ xmm,xmm/m128         | vex.128.f2.0f.wig E6 /r        | ${AVX}
VCVTPD2DQ xmm,ymm/m256         | vex.256.f2.0f.wig E6 /r        | ${AVX},ng
VCVTTPD2DQ xmm,xmm/m128        | vex.128.66.0f.wig E6 /r        | ${AVX}
VCVTTPD2DQ xmm,ymm/m256        | vex.256.66.0f.wig E6 /r        | ${AVX},ng
VCVTPS2PD xmm,xmm/m64          | vex.128.0f.wig 5A /r           | ${AVX}
VCVTPS2PD ymm,xmm/m128         | vex.256.0f.wig 5A /r           | ${AVX}
VCVTPD2PS xmm,xmm/m128         | vex.128.66.0f.wig 5A /r        | ${AVX}
VCVTPD2PS xmm,ymm/m256         | vex.256.66.0f.wig 5A /r        | ${AVX},ng
VCVTSS2SD xmm,xmm*,xmm/m32     | vex.nds.lig.f3.0f.wig 5A /r    | ${AVX}
VCVTSD2SS xmm,xmm*,xmm/m64     | vex.nds.lig.f2.0f.wig 5A /r    | ${AVX}
VCVTSI2SS xmm,xmm*,rm32        | vex.nds.lig.f3.0f.w0 2A /r     | ${AVX}
VCVTSI2SS xmm,xmm*,rm64        | vex.nds.lig.f3.0f.w1 2A /r     | x64,long,ng
VCVTSI2SD xmm,xmm*,rm32        | vex.nds.lig.f2.0f.w0 2A /r     | ${AVX}
VCVTSI2SD xmm,xmm*,rm64        | vex.nds.lig.f2.0f.w1 2A /r     | x64,long,ng
VCVTSS2SI r32,xmm/m32          | vex.lig.f3.0f.w0 2D /r         | ${AVX}
VCVTSS2SI r64,xmm/m32          | vex.lig.f3.0f.w1 2D /r         | x64,long
VCVTSD2SI r32,xmm/m64          | vex.lig.f2.0f.w0 2D /r         | ${AVX}
VCVTSD2SI r64,xmm/m64          | vex.lig.f2.0f.w1 2D /r         | x64,long
VCVTTSS2SI r32,xmm/m32         | vex.lig.f3.0f.w0 2C /r         | ${AVX}
VCVTTSS2SI r64,xmm/m32         | vex.lig.f3.0f.w1 2C /r         | x64,long
VCVTTSD2SI r32,xmm/m64         | vex.lig.f2.0f.w0 2C /r         | ${AVX}
VCVTTSD2SI r64,xmm/m64         | vex.lig.f2.0f.w1 2C /r         | x64,long
VCOMISS xmm,xmm/m32            | vex.lig.0f.wig 2F /r           | ${AVX}
VCOMISD xmm,xmm/m64            | vex.lig.66.0f.wig 2F /r        | ${AVX}
VUCOMISS xmm,xmm/m32           | vex.lig.0f.wig 2E /r           | ${AVX}
VUCOMISD xmm,xmm/m64           | vex.lig.66.0f.wig 2E /r        | ${AVX}
`;
}

function shufflesAndBlends(): string {
  const ib = (mn: string, pfx: string, op: string, w = 'wig', only128 = false): string =>
    `${mn} xmm,xmm*,xmm/m128,imm8 | vex.nds.128.${pfx}.${w} ${op} /r ib,uw | ${AVX}` +
    (only128 ? '' : `\n${mn} ymm,ymm*,ymm/m256,imm8 | vex.nds.256.${pfx}.${w} ${op} /r ib,uw | ${AVX}`);
  const is4 = (mn: string, op: string): string =>
    `${mn} xmm,xmm*,xmm/m128,xmm | vex.nds.128.66.0f3a.w0 ${op} /r /is4 | ${AVX}
${mn} ymm,ymm*,ymm/m256,ymm | vex.nds.256.66.0f3a.w0 ${op} /r /is4 | ${AVX}`;
  const round = (mn: string, op: string): string =>
    `${mn} xmm,xmm/m128,imm8 | vex.128.66.0f3a.wig ${op} /r ib,uw | ${AVX}
${mn} ymm,ymm/m256,imm8 | vex.256.66.0f3a.wig ${op} /r ib,uw | ${AVX}`;
  return [
    ib('VSHUFPS', '0f', 'C6'),
    ib('VSHUFPD', '66.0f', 'C6'),
    ib('VBLENDPS', '66.0f3a', '0C'),
    ib('VBLENDPD', '66.0f3a', '0D'),
    ib('VDPPS', '66.0f3a', '40'),
    ib('VDPPD', '66.0f3a', '41', 'wig', true),
    is4('VBLENDVPS', '4A'),
    is4('VBLENDVPD', '4B'),
    round('VROUNDPS', '08'),
    round('VROUNDPD', '09'),
    `VROUNDSS xmm,xmm*,xmm/m32,imm8 | vex.nds.128.66.0f3a.wig 0A /r ib,uw | ${AVX}`,
    `VROUNDSD xmm,xmm*,xmm/m64,imm8 | vex.nds.128.66.0f3a.wig 0B /r ib,uw | ${AVX}`,
    `VBROADCASTSS xmm,m32 | vex.128.66.0f38.w0 18 /r | ${AVX}`,
    `VBROADCASTSS ymm,m32 | vex.256.66.0f38.w0 18 /r | ${AVX}`,
    `VBROADCASTSD ymm,m64 | vex.256.66.0f38.w0 19 /r | ${AVX}`,
    `VBROADCASTF128 ymm,m128 | vex.256.66.0f38.w0 1A /r | ${AVX}`,
    `VINSERTF128 ymm,ymm*,xmm/m128,imm8 | vex.nds.256.66.0f3a.w0 18 /r ib,uw | ${AVX}`,
    `VEXTRACTF128 xmm/m128,ymm,imm8 | vex.256.66.0f3a.w0 19 /r ib,uw | ${AVX}`,
    ndsBoth('VPERMILPS', '66.0f38', '0C', 'w0'),
    round('VPERMILPS', '04').replace(/wig/g, 'w0'),
    ndsBoth('VPERMILPD', '66.0f38', '0D', 'w0'),
    round('VPERMILPD', '05').replace(/wig/g, 'w0'),
    `VPERM2F128 ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.w0 06 /r ib,uw | ${AVX}`,
    `VMASKMOVPS xmm,xmm,m128 | vex.nds.128.66.0f38.w0 2C /r | ${AVX}
VMASKMOVPS ymm,ymm,m256 | vex.nds.256.66.0f38.w0 2C /r | ${AVX}
VMASKMOVPS m128,xmm,xmm | mvr: vex.128.66.0f38.w0 2E /r | ${AVX}
VMASKMOVPS m256,ymm,ymm | mvr: vex.256.66.0f38.w0 2E /r | ${AVX}
VMASKMOVPD xmm,xmm,m128 | vex.nds.128.66.0f38.w0 2D /r | ${AVX}
VMASKMOVPD ymm,ymm,m256 | vex.nds.256.66.0f38.w0 2D /r | ${AVX}
VMASKMOVPD m128,xmm,xmm | mvr: vex.128.66.0f38.w0 2F /r | ${AVX}
VMASKMOVPD m256,ymm,ymm | mvr: vex.256.66.0f38.w0 2F /r | ${AVX}`,
    twoBoth('VTESTPS', '66.0f38', '0E', 'w0'),
    twoBoth('VTESTPD', '66.0f38', '0F', 'w0'),
    twoBoth('VPTEST', '66.0f38', '17'),
  ].join('\n');
}

/** SSE2…SSE4.2 integer instructions, 128-bit (their 256-bit forms are in avx2.ts). */
export const INTEGER_NDS: ReadonlyArray<readonly [string, string, string]> = [
  ['VPADDB', '66.0f', 'FC'],
  ['VPADDW', '66.0f', 'FD'],
  ['VPADDD', '66.0f', 'FE'],
  ['VPADDQ', '66.0f', 'D4'],
  ['VPADDSB', '66.0f', 'EC'],
  ['VPADDSW', '66.0f', 'ED'],
  ['VPADDUSB', '66.0f', 'DC'],
  ['VPADDUSW', '66.0f', 'DD'],
  ['VPSUBB', '66.0f', 'F8'],
  ['VPSUBW', '66.0f', 'F9'],
  ['VPSUBD', '66.0f', 'FA'],
  ['VPSUBQ', '66.0f', 'FB'],
  ['VPSUBSB', '66.0f', 'E8'],
  ['VPSUBSW', '66.0f', 'E9'],
  ['VPSUBUSB', '66.0f', 'D8'],
  ['VPSUBUSW', '66.0f', 'D9'],
  ['VPMULLW', '66.0f', 'D5'],
  ['VPMULHW', '66.0f', 'E5'],
  ['VPMULHUW', '66.0f', 'E4'],
  ['VPMULUDQ', '66.0f', 'F4'],
  ['VPMADDWD', '66.0f', 'F5'],
  ['VPAVGB', '66.0f', 'E0'],
  ['VPAVGW', '66.0f', 'E3'],
  ['VPMINUB', '66.0f', 'DA'],
  ['VPMAXUB', '66.0f', 'DE'],
  ['VPMINSW', '66.0f', 'EA'],
  ['VPMAXSW', '66.0f', 'EE'],
  ['VPSADBW', '66.0f', 'F6'],
  ['VPAND', '66.0f', 'DB'],
  ['VPANDN', '66.0f', 'DF'],
  ['VPOR', '66.0f', 'EB'],
  ['VPXOR', '66.0f', 'EF'],
  ['VPCMPEQB', '66.0f', '74'],
  ['VPCMPEQW', '66.0f', '75'],
  ['VPCMPEQD', '66.0f', '76'],
  ['VPCMPGTB', '66.0f', '64'],
  ['VPCMPGTW', '66.0f', '65'],
  ['VPCMPGTD', '66.0f', '66'],
  ['VPACKSSWB', '66.0f', '63'],
  ['VPACKSSDW', '66.0f', '6B'],
  ['VPACKUSWB', '66.0f', '67'],
  ['VPUNPCKLBW', '66.0f', '60'],
  ['VPUNPCKLWD', '66.0f', '61'],
  ['VPUNPCKLDQ', '66.0f', '62'],
  ['VPUNPCKLQDQ', '66.0f', '6C'],
  ['VPUNPCKHBW', '66.0f', '68'],
  ['VPUNPCKHWD', '66.0f', '69'],
  ['VPUNPCKHDQ', '66.0f', '6A'],
  ['VPUNPCKHQDQ', '66.0f', '6D'],
  ['VPSHUFB', '66.0f38', '00'],
  ['VPHADDW', '66.0f38', '01'],
  ['VPHADDD', '66.0f38', '02'],
  ['VPHADDSW', '66.0f38', '03'],
  ['VPMADDUBSW', '66.0f38', '04'],
  ['VPHSUBW', '66.0f38', '05'],
  ['VPHSUBD', '66.0f38', '06'],
  ['VPHSUBSW', '66.0f38', '07'],
  ['VPSIGNB', '66.0f38', '08'],
  ['VPSIGNW', '66.0f38', '09'],
  ['VPSIGND', '66.0f38', '0A'],
  ['VPMULHRSW', '66.0f38', '0B'],
  ['VPMULDQ', '66.0f38', '28'],
  ['VPCMPEQQ', '66.0f38', '29'],
  ['VPACKUSDW', '66.0f38', '2B'],
  ['VPCMPGTQ', '66.0f38', '37'],
  ['VPMINSB', '66.0f38', '38'],
  ['VPMINSD', '66.0f38', '39'],
  ['VPMINUW', '66.0f38', '3A'],
  ['VPMINUD', '66.0f38', '3B'],
  ['VPMAXSB', '66.0f38', '3C'],
  ['VPMAXSD', '66.0f38', '3D'],
  ['VPMAXUW', '66.0f38', '3E'],
  ['VPMAXUD', '66.0f38', '3F'],
  ['VPMULLD', '66.0f38', '40'],
];

/** Shifts: by xmm/m128 count (NDS) and by imm8 (NDD, /digit). */
export const INTEGER_SHIFTS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['VPSRLW', 'D1', '71', '2'],
  ['VPSRLD', 'D2', '72', '2'],
  ['VPSRLQ', 'D3', '73', '2'],
  ['VPSRAW', 'E1', '71', '4'],
  ['VPSRAD', 'E2', '72', '4'],
  ['VPSLLW', 'F1', '71', '6'],
  ['VPSLLD', 'F2', '72', '6'],
  ['VPSLLQ', 'F3', '73', '6'],
];

/** Sign/zero extensions: opcode and the source memory size of the 128-bit form. */
export const INTEGER_EXTENDS: ReadonlyArray<readonly [string, string, number]> = [
  ['VPMOVSXBW', '20', 64],
  ['VPMOVSXBD', '21', 32],
  ['VPMOVSXBQ', '22', 16],
  ['VPMOVSXWD', '23', 64],
  ['VPMOVSXWQ', '24', 32],
  ['VPMOVSXDQ', '25', 64],
  ['VPMOVZXBW', '30', 64],
  ['VPMOVZXBD', '31', 32],
  ['VPMOVZXBQ', '32', 16],
  ['VPMOVZXWD', '33', 64],
  ['VPMOVZXWQ', '34', 32],
  ['VPMOVZXDQ', '35', 64],
];

function integer128(): string {
  const out: string[] = INTEGER_NDS.map(([mn, pfx, op]) => nds128(mn, pfx, op));
  for (const [mn, op, immOp, digit] of INTEGER_SHIFTS) {
    out.push(nds128(mn, '66.0f', op));
    out.push(`${mn} xmm*,xmm,imm8 | vex.ndd.128.66.0f.wig ${immOp} /${digit} ib,uw | ${AVX}`);
  }
  for (const [mn, digit] of [
    ['VPSRLDQ', '3'],
    ['VPSLLDQ', '7'],
  ] as const)
    out.push(`${mn} xmm*,xmm,imm8 | vex.ndd.128.66.0f.wig 73 /${digit} ib,uw | ${AVX}`);
  for (const [mn, op] of [
    ['VPABSB', '1C'],
    ['VPABSW', '1D'],
    ['VPABSD', '1E'],
  ] as const)
    out.push(`${mn} xmm,xmm/m128 | vex.128.66.0f38.wig ${op} /r | ${AVX}`);
  for (const [mn, op, bits] of INTEGER_EXTENDS)
    out.push(`${mn} xmm,xmm/m${bits} | vex.128.66.0f38.wig ${op} /r | ${AVX}`);
  out.push(
    `VPSHUFD xmm,xmm/m128,imm8 | vex.128.66.0f.wig 70 /r ib,uw | ${AVX}`,
    `VPSHUFHW xmm,xmm/m128,imm8 | vex.128.f3.0f.wig 70 /r ib,uw | ${AVX}`,
    `VPSHUFLW xmm,xmm/m128,imm8 | vex.128.f2.0f.wig 70 /r ib,uw | ${AVX}`,
    nds128('VPALIGNR', '66.0f3a', '0F', 'wig', ' ib,uw'),
    nds128('VPBLENDW', '66.0f3a', '0E', 'wig', ' ib,uw'),
    nds128('VMPSADBW', '66.0f3a', '42', 'wig', ' ib,uw'),
    `VPBLENDVB xmm,xmm*,xmm/m128,xmm | vex.nds.128.66.0f3a.w0 4C /r /is4 | ${AVX}`,
    `VPHMINPOSUW xmm,xmm/m128 | vex.128.66.0f38.wig 41 /r | ${AVX}`,
    `VPCMPESTRI xmm,xmm/m128,imm8 | vex.128.66.0f3a.wig 61 /r ib,uw | ${AVX}`,
    `VPCMPESTRM xmm,xmm/m128,imm8 | vex.128.66.0f3a.wig 60 /r ib,uw | ${AVX}`,
    `VPCMPISTRI xmm,xmm/m128,imm8 | vex.128.66.0f3a.wig 63 /r ib,uw | ${AVX}`,
    `VPCMPISTRM xmm,xmm/m128,imm8 | vex.128.66.0f3a.wig 62 /r ib,uw | ${AVX}`,
  );
  return out.join('\n');
}

function insertExtract(): string {
  return `
VPEXTRB r32/m8,xmm,imm8        | mri: vex.128.66.0f3a.w0 14 /r ib,uw | ${AVX}
VPEXTRB r64,xmm,imm8           | mri: vex.128.66.0f3a.w0 14 /r ib,uw | x64,long
VPEXTRW r32,xmm,imm8           | vex.128.66.0f.w0 C5 /r ib,uw        | ${AVX}
VPEXTRW r64,xmm,imm8           | vex.128.66.0f.w0 C5 /r ib,uw        | x64,long
VPEXTRW r32/m16,xmm,imm8       | mri: vex.128.66.0f3a.w0 15 /r ib,uw | ${AVX}
VPEXTRW r64,xmm,imm8           | mri: vex.128.66.0f3a.w0 15 /r ib,uw | x64,long,ne ; nasm picks C5; ndisasm reads any register here as r64 (C4 C3 79 15 E4 01: r12)
VPEXTRD rm32,xmm,imm8          | mri: vex.128.66.0f3a.w0 16 /r ib,uw | ${AVX}
VPEXTRD r64,xmm,imm8           | mri: vex.128.66.0f3a.w0 16 /r ib,uw | x64,long
VPEXTRQ rm64,xmm,imm8          | mri: vex.128.66.0f3a.w1 16 /r ib,uw | x64,long
VEXTRACTPS rm32,xmm,imm8       | mri: vex.128.66.0f3a.wig 17 /r ib,uw | ${AVX}
VPINSRB xmm,xmm*,r32/m8,imm8   | vex.nds.128.66.0f3a.wig 20 /r ib,uw  | ${AVX}
VPINSRB xmm,xmm*,r8,imm8       | vex.nds.128.66.0f3a.wig 20 /r ib,uw  | ${AVX}
VPINSRW xmm,xmm*,r32/m16,imm8  | vex.nds.128.66.0f.wig C4 /r ib,uw  | ${AVX}
VPINSRW xmm,xmm*,r16,imm8      | vex.nds.128.66.0f.wig C4 /r ib,uw  | ${AVX}
VPINSRD xmm,xmm*,rm32,imm8     | vex.nds.128.66.0f3a.w0 22 /r ib,uw  | ${AVX}
VPINSRQ xmm,xmm*,rm64,imm8     | vex.nds.128.66.0f3a.w1 22 /r ib,uw  | x64,long
VINSERTPS xmm,xmm*,xmm/m32,imm8 | vex.nds.128.66.0f3a.wig 21 /r ib,uw | ${AVX}
`;
}

function aesAndCarryless(): string {
  const out: string[] = [];
  for (const [mn, op] of [
    ['VAESENC', 'DC'],
    ['VAESENCLAST', 'DD'],
    ['VAESDEC', 'DE'],
    ['VAESDECLAST', 'DF'],
  ] as const)
    out.push(
      `${mn} xmm,xmm*,xmm/m128 | vex.nds.128.66.0f38.wig ${op} /r | westmere`,
      `${mn} ymm,ymm*,ymm/m256 | vex.nds.256.66.0f38.wig ${op} /r | future`,
    );
  out.push(
    `VAESIMC xmm,xmm/m128 | vex.128.66.0f38.wig DB /r | westmere`,
    `VAESKEYGENASSIST xmm,xmm/m128,imm8 | vex.128.66.0f3a.wig DF /r ib,uw | westmere`,
  );
  const clmul = (mn: string, tail: string): string =>
    `${mn} xmm,xmm*,xmm/m128${tail === 'ib,uw' ? ',imm8' : ''} | vex.nds.128.66.0f3a.wig 44 /r ${tail} | westmere
${mn} ymm,ymm*,ymm/m256${tail === 'ib,uw' ? ',imm8' : ''} | vex.nds.256.66.0f3a.wig 44 /r ${tail} | future`;
  out.push(
    clmul('VPCLMULLQLQDQ', '00'),
    clmul('VPCLMULHQLQDQ', '01'),
    clmul('VPCLMULLQHQDQ', '10'),
    clmul('VPCLMULHQHQDQ', '11'),
    clmul('VPCLMULQDQ', 'ib,uw'),
  );
  return out.join('\n');
}

export function avxRows(): string {
  return [
    floatArithmetic(),
    compares(),
    moves(),
    conversions(),
    shufflesAndBlends(),
    integer128(),
    insertExtract(),
    aesAndCarryless(),
  ].join('\n');
}
