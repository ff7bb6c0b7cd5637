/**
 * AVX (VEX-encoded SSE…SSE4.2 and the new 256-bit forms), one row per form;
 * opcodes from the Intel SDM, each form checked against NASM 2.16.01.
 */
export function avxRows(): string {
  return `
VADDPS xmm,xmm*,xmm/m128       | vex.nds.128.0f.wig 58 /r       | sandybridge
VADDPS ymm,ymm*,ymm/m256       | vex.nds.256.0f.wig 58 /r       | sandybridge
VADDSS xmm,xmm*,xmm/m32        | vex.nds.lig.f3.0f.wig 58 /r    | sandybridge
VMOVAPS xmm,xmm/m128           | vex.128.0f.wig 28 /r           | sandybridge
VMOVAPS xmm/m128,xmm           | vex.128.0f.wig 29 /r           | sandybridge
VMOVAPS ymm,ymm/m256           | vex.256.0f.wig 28 /r           | sandybridge
VMOVAPS ymm/m256,ymm           | vex.256.0f.wig 29 /r           | sandybridge
VPSLLDQ xmm*,xmm,imm8          | vex.ndd.128.66.0f.wig 73 /7 ib,u | sandybridge
VGATHERDPS xmm,vm32x,xmm       | rmv: vex.128.66.0f38.w0 92 /r  | haswell
VPGATHERQQ ymm,vm64y,ymm       | rmv: vex.256.66.0f38.w1 91 /r  | haswell
VFMADDPS xmm,xmm*,xmm/m128,xmm | vex.nds.128.66.0f3a.w0 68 /r /is4 | sandybridge
VFMADDPS xmm,xmm*,xmm,xmm/m128 | rvsm: vex.nds.128.66.0f3a.w1 68 /r /is4 | sandybridge
ANDN r32,r32,rm32              | rvm: vex.lz.0f38.w0 F2 /r      | haswell
ANDN r64,r64,rm64              | rvm: vex.lz.0f38.w1 F2 /r      | haswell,long
`;
}
