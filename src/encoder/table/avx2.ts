/**
 * AVX2: the 256-bit forms of the VEX integer instructions, broadcasts,
 * permutes, variable shifts, masked moves and gathers (VSIB). Opcodes from
 * the Intel SDM; forms checked against NASM 2.16.01 (fixtures/encoding/vex).
 */
import { INTEGER_EXTENDS, INTEGER_NDS, INTEGER_SHIFTS } from './avx.js';

const AVX2 = 'haswell';

function integer256(): string {
  const out: string[] = INTEGER_NDS.filter(([mn]) => mn !== 'VPHMINPOSUW').map(
    ([mn, pfx, op]) => `${mn} ymm,ymm*,ymm/m256 | vex.nds.256.${pfx}.wig ${op} /r | ${AVX2}`,
  );
  for (const [mn, op, immOp, digit] of INTEGER_SHIFTS) {
    out.push(`${mn} ymm,ymm*,xmm/m128 | vex.nds.256.66.0f.wig ${op} /r | ${AVX2}`);
    out.push(`${mn} ymm*,ymm,imm8 | vex.ndd.256.66.0f.wig ${immOp} /${digit} ib,uw | ${AVX2}`);
  }
  out.push(
    `VPSRLDQ ymm*,ymm,imm8 | vex.ndd.256.66.0f.wig 73 /3 ib,uw | ${AVX2}`,
    `VPSLLDQ ymm*,ymm,imm8 | vex.ndd.256.66.0f.wig 73 /7 ib,uw | ${AVX2}`,
  );
  for (const [mn, op] of [
    ['VPABSB', '1C'],
    ['VPABSW', '1D'],
    ['VPABSD', '1E'],
  ] as const)
    out.push(`${mn} ymm,ymm/m256 | vex.256.66.0f38.wig ${op} /r | ${AVX2}`);
  for (const [mn, op, bits] of INTEGER_EXTENDS)
    out.push(`${mn} ymm,xmm/m${bits * 2} | vex.256.66.0f38.wig ${op} /r | ${AVX2}`);
  out.push(
    `VPSHUFD ymm,ymm/m256,imm8 | vex.256.66.0f.wig 70 /r ib,uw | ${AVX2}`,
    `VPSHUFHW ymm,ymm/m256,imm8 | vex.256.f3.0f.wig 70 /r ib,uw | ${AVX2}`,
    `VPSHUFLW ymm,ymm/m256,imm8 | vex.256.f2.0f.wig 70 /r ib,uw | ${AVX2}`,
    `VPALIGNR ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.wig 0F /r ib,uw | ${AVX2}`,
    `VPBLENDW ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.wig 0E /r ib,uw | ${AVX2}`,
    `VMPSADBW ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.wig 42 /r ib,uw | ${AVX2}`,
    `VPBLENDVB ymm,ymm*,ymm/m256,ymm | vex.nds.256.66.0f3a.wig 4C /r /is4 | ${AVX2}`,
    `VMOVNTDQA ymm,m256 | vex.256.66.0f38.wig 2A /r | ${AVX2}`,
    `VPMOVMSKB r32,ymm | vex.256.66.0f.wig D7 /r | ${AVX2}`,
    // (NASM 2.16.01 takes this one r64 form in every mode, measured: `vpmovmskb rbx,ymm3` in BITS 32 is C5 FD D7 DB.)
    `VPMOVMSKB r64,ymm | vex.256.66.0f.wig D7 /r | ${AVX2}`,
  );
  return out.join('\n');
}

function broadcastsAndPermutes(): string {
  return `
VBROADCASTSS xmm,xmm           | vex.128.66.0f38.w0 18 /r       | ${AVX2}
VBROADCASTSS ymm,xmm           | vex.256.66.0f38.w0 18 /r       | ${AVX2}
VBROADCASTSD ymm,xmm           | vex.256.66.0f38.w0 19 /r       | ${AVX2}
VBROADCASTI128 ymm,m128        | vex.256.66.0f38.w0 5A /r       | ${AVX2}
VPBROADCASTB xmm,xmm/m8        | vex.128.66.0f38.w0 78 /r       | ${AVX2}
VPBROADCASTB ymm,xmm/m8        | vex.256.66.0f38.w0 78 /r       | ${AVX2}
VPBROADCASTW xmm,xmm/m16       | vex.128.66.0f38.w0 79 /r       | ${AVX2}
VPBROADCASTW ymm,xmm/m16       | vex.256.66.0f38.w0 79 /r       | ${AVX2}
VPBROADCASTD xmm,xmm/m32       | vex.128.66.0f38.w0 58 /r       | ${AVX2}
VPBROADCASTD ymm,xmm/m32       | vex.256.66.0f38.w0 58 /r       | ${AVX2}
VPBROADCASTQ xmm,xmm/m64       | vex.128.66.0f38.w0 59 /r       | ${AVX2}
VPBROADCASTQ ymm,xmm/m64       | vex.256.66.0f38.w0 59 /r       | ${AVX2}
VPERMD ymm,ymm*,ymm/m256       | vex.nds.256.66.0f38.w0 36 /r   | ${AVX2}
VPERMPS ymm,ymm*,ymm/m256      | vex.nds.256.66.0f38.w0 16 /r   | ${AVX2}
VPERMQ ymm,ymm/m256,imm8       | vex.256.66.0f3a.w1 00 /r ib,uw | ${AVX2}
VPERMPD ymm,ymm/m256,imm8      | vex.256.66.0f3a.w1 01 /r ib,uw | ${AVX2}
VPERM2I128 ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.w0 46 /r ib,uw | ${AVX2}
VINSERTI128 ymm,ymm*,xmm/m128,imm8 | vex.nds.256.66.0f3a.w0 38 /r ib,uw | ${AVX2}
VEXTRACTI128 xmm/m128,ymm,imm8 | vex.256.66.0f3a.w0 39 /r ib,uw | ${AVX2}
VPBLENDD xmm,xmm*,xmm/m128,imm8 | vex.nds.128.66.0f3a.w0 02 /r ib,uw | ${AVX2}
VPBLENDD ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.w0 02 /r ib,uw | ${AVX2}
VPMASKMOVD xmm,xmm*,m128       | vex.nds.128.66.0f38.w0 8C /r   | ${AVX2}
VPMASKMOVD ymm,ymm*,m256       | vex.nds.256.66.0f38.w0 8C /r   | ${AVX2}
VPMASKMOVD m128,xmm*,xmm       | mvr: vex.128.66.0f38.w0 8E /r  | ${AVX2}
VPMASKMOVD m256,ymm*,ymm       | mvr: vex.256.66.0f38.w0 8E /r  | ${AVX2}
VPMASKMOVQ xmm,xmm*,m128       | vex.nds.128.66.0f38.w1 8C /r   | ${AVX2}
VPMASKMOVQ ymm,ymm*,m256       | vex.nds.256.66.0f38.w1 8C /r   | ${AVX2}
VPMASKMOVQ m128,xmm*,xmm       | mvr: vex.128.66.0f38.w1 8E /r  | ${AVX2}
VPMASKMOVQ m256,ymm*,ymm       | mvr: vex.256.66.0f38.w1 8E /r  | ${AVX2}
`;
}

function variableShifts(): string {
  const out: string[] = [];
  for (const [mn, op, w] of [
    ['VPSLLVD', '47', 'w0'],
    ['VPSLLVQ', '47', 'w1'],
    ['VPSRLVD', '45', 'w0'],
    ['VPSRLVQ', '45', 'w1'],
    ['VPSRAVD', '46', 'w0'],
  ] as const)
    out.push(
      `${mn} xmm,xmm*,xmm/m128 | vex.nds.128.66.0f38.${w} ${op} /r | ${AVX2}`,
      `${mn} ymm,ymm*,ymm/m256 | vex.nds.256.66.0f38.${w} ${op} /r | ${AVX2}`,
    );
  return out.join('\n');
}

/** Gathers: destination, VSIB address, mask; the index width (d/q) and element width set the VSIB kind. */
function gathers(): string {
  const out: string[] = [];
  for (const [mn, op, w, index, element] of [
    ['VGATHERDPS', '92', 'w0', 32, 32],
    ['VGATHERDPD', '92', 'w1', 32, 64],
    ['VGATHERQPS', '93', 'w0', 64, 32],
    ['VGATHERQPD', '93', 'w1', 64, 64],
    ['VPGATHERDD', '90', 'w0', 32, 32],
    ['VPGATHERDQ', '90', 'w1', 32, 64],
    ['VPGATHERQD', '91', 'w0', 64, 32],
    ['VPGATHERQQ', '91', 'w1', 64, 64],
  ] as const) {
    // The 256-bit form: the larger of index and element vectors is a ymm.
    const small = `${mn} xmm,vm${index}x,xmm | rmv: vex.128.66.0f38.${w} ${op} /r | ${AVX2}`;
    const big =
      index === element
        ? `${mn} ymm,vm${index}y,ymm | rmv: vex.256.66.0f38.${w} ${op} /r | ${AVX2}`
        : index === 32
          ? `${mn} ymm,vm32x,ymm | rmv: vex.256.66.0f38.${w} ${op} /r | ${AVX2}`
          : `${mn} xmm,vm64y,xmm | rmv: vex.256.66.0f38.${w} ${op} /r | ${AVX2}`;
    out.push(small, big);
  }
  return out.join('\n');
}

export function avx2Rows(): string {
  return [integer256(), broadcastsAndPermutes(), variableShifts(), gathers()].join('\n');
}
