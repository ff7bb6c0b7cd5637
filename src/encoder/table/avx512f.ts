/**
 * AVX-512 Foundation (with the VL forms on xmm/ymm), from the Intel SDM;
 * every form checked against NASM 2.16.01 (fixtures/encoding/evex).
 */
export function avx512fRows(): string {
  return `
VADDPS xmm{k}{z},xmm,xmm/m128/b32        | evex.nds.128.0f.w0.fv 58 /r    | skylake
VADDPS ymm{k}{z},ymm,ymm/m256/b32        | evex.nds.256.0f.w0.fv 58 /r    | skylake
VADDPS zmm{k}{z},zmm,zmm/m512/b32{er}    | evex.nds.512.0f.w0.fv 58 /r    | skylake
VADDPD xmm{k}{z},xmm,xmm/m128/b64        | evex.nds.128.66.0f.w1.fv 58 /r | skylake
VADDPD ymm{k}{z},ymm,ymm/m256/b64        | evex.nds.256.66.0f.w1.fv 58 /r | skylake
VADDPD zmm{k}{z},zmm,zmm/m512/b64{er}    | evex.nds.512.66.0f.w1.fv 58 /r | skylake
VADDSS xmm{k}{z},xmm,xmm/m32{er}         | evex.nds.lig.f3.0f.w0.t1s 58 /r | skylake
VADDSD xmm{k}{z},xmm,xmm/m64{er}         | evex.nds.lig.f2.0f.w1.t1s 58 /r | skylake
VMOVAPS xmm{k}{z},xmm/m128               | evex.128.0f.w0.fvm 28 /r       | skylake
VMOVAPS m128{k},xmm                      | evex.128.0f.w0.fvm 29 /r       | skylake
VMOVAPS zmm{k}{z},zmm/m512               | evex.512.0f.w0.fvm 28 /r       | skylake
VMOVAPS m512{k},zmm                      | evex.512.0f.w0.fvm 29 /r       | skylake
VCMPPS k{k},zmm,zmm/m512/b32{sae},imm8   | evex.nds.512.0f.w0.fv C2 /r ib | skylake
VUCOMISS xmm,xmm/m32{sae}                | evex.lig.0f.w0.t1s 2E /r       | skylake
`;
}
