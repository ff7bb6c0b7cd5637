/**
 * Smaller VEX extensions: F16C (half-precision conversions) and the VEX
 * forms of GFNI. Opcodes from the Intel SDM; forms checked against NASM
 * 2.16.01 (fixtures/encoding/vex).
 */
export function vexMiscRows(): string {
  return `
VCVTPH2PS xmm,xmm/m64             | vex.128.66.0f38.w0 13 /r        | ivybridge
VCVTPH2PS ymm,xmm/m128            | vex.256.66.0f38.w0 13 /r        | ivybridge
VCVTPS2PH xmm/m64,xmm,imm8        | vex.128.66.0f3a.w0 1D /r ib,u   | ivybridge
VCVTPS2PH xmm/m128,ymm,imm8       | vex.256.66.0f3a.w0 1D /r ib,u   | ivybridge
VGF2P8AFFINEINVQB xmm,xmm*,xmm/m128,imm8 | vex.nds.128.66.0f3a.w1 CF /r ib,u | future
VGF2P8AFFINEINVQB ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.w1 CF /r ib,u | future
VGF2P8AFFINEQB xmm,xmm*,xmm/m128,imm8    | vex.nds.128.66.0f3a.w1 CE /r ib,u | future
VGF2P8AFFINEQB ymm,ymm*,ymm/m256,imm8    | vex.nds.256.66.0f3a.w1 CE /r ib,u | future
VGF2P8MULB xmm,xmm*,xmm/m128      | vex.nds.128.66.0f38.w0 CF /r    | future
VGF2P8MULB ymm,ymm*,ymm/m256      | vex.nds.256.66.0f38.w0 CF /r    | future
`;
}
