/**
 * AVX512_4FMAPS, AVX512_4VNNIW (NASM spells them V4DPWSSD, V4DPWSSDS), VP2INTERSECT, AVX512_BF16's VDPBF16PS and VCVTNEPS2BF16,
 * as NASM assembles them (its output probed shape by shape, and
 * the EVEX corpus checks every row):
 *
 * - `zmm+3` / `k+1` take NASM's register groups (`v4fmaddps zmm1,zmm4+3,[rax]`,
 *   `vp2intersectd k2+1,zmm1,zmm2`); the group's first register is encoded,
 *   a plain register is accepted too, and NASM requires no alignment of it.
 *   NASM's group operand refuses zmm16…31 (`lo16`), and V4FMADDSS /
 *   V4FNMADDSS take zmm registers (scalar: L'L 0).
 * - VP2INTERSECTD and VDPBF16PS read an m128 at every length (NASM's sizes);
 *   VCVTNEPS2BF16 is a three-operand `nds` form in NASM, its second operand
 *   omissible; NASM 2.16.01 knows no VP2INTERSECTQ, and
 *   no VP4DPWSSD or VP4DPWSSDS spelling.
 * - VCVTNEPS2BF16's VEX forms come before these rows (vex-misc.ts).
 */
export function avx512GroupRows(): string {
  return `V4FMADDPS zmm{k}{z},zmm+3,m128 | rvm: evex.512.f2.0f38.w0.m128.lo16 9A /r | skylake,ni,mnz
V4FNMADDPS zmm{k}{z},zmm+3,m128 | rvm: evex.512.f2.0f38.w0.m128.lo16 AA /r | skylake,ni,mnz
V4FMADDSS zmm{k}{z},zmm+3,m128 | rvm: evex.lig.f2.0f38.w0.m128.lo16 9B /r | skylake,ni,mnz
V4FNMADDSS zmm{k}{z},zmm+3,m128 | rvm: evex.lig.f2.0f38.w0.m128.lo16 AB /r | skylake,ni,mnz
V4DPWSSDS zmm{k}{z},zmm+3,m128 | rvm: evex.512.f2.0f38.w0.m128.lo16 53 /r | skylake,ni,mnz
V4DPWSSD zmm{k}{z},zmm+3,m128 | rvm: evex.512.f2.0f38.w0.m128.lo16 52 /r | skylake,ni,mnz
VP2INTERSECTD k+1,xmm,xmm/m128/b32 | rvm: evex.128.f2.0f38.w0.fv 68 /r | skylake
VP2INTERSECTD k+1,ymm,ymm/m128/b32 | rvm: evex.256.f2.0f38.w0.fv 68 /r | skylake
VP2INTERSECTD k+1,zmm,zmm/m128/b32 | rvm: evex.512.f2.0f38.w0.fv 68 /r | skylake
VDPBF16PS xmm{k}{z},xmm*,xmm/m128/b32 | rvm: evex.128.f3.0f38.w0.fv 52 /r | skylake
VDPBF16PS ymm{k}{z},ymm*,ymm/m128/b32 | rvm: evex.256.f3.0f38.w0.fv 52 /r | skylake
VDPBF16PS zmm{k}{z},zmm*,zmm/m128/b32 | rvm: evex.512.f3.0f38.w0.fv 52 /r | skylake
VCVTNEPS2BF16 xmm{k}{z},xmm*,xmm/m128/b32 | rvm: evex.128.f3.0f38.w0.fv 72 /r | skylake
VCVTNEPS2BF16 ymm{k}{z},ymm*,ymm/m256/b32 | rvm: evex.256.f3.0f38.w0.fv 72 /r | skylake
VCVTNEPS2BF16 zmm{k}{z},zmm*,zmm/m512/b32 | rvm: evex.512.f3.0f38.w0.fv 72 /r | skylake`;
}
