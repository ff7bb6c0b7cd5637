/**
 * AVX512-FP16 as NASM 2.16.01 assembles it. NASM's FP16 table differs from
 * the Intel SDM in many places, and NASM is the reference, so these rows were
 * read off NASM's own output (every operand shape probed, the EVEX fields,
 * roles, disp8*N, decorators and register range decoded from the bytes it
 * writes) and are checked by the EVEX corpus (fixtures/encoding/evex/
 * avx512fp16-*). What looks wrong is NASM's, kept on purpose:
 *
 * - VADDPH and VCMPPH take a `word` memory operand at every length, so no
 *   `{1toN}` count fits; VRSQRTPH and VRSQRTSH take an imm8; VGETMANTPH is
 *   opcode 25; VFMADD…PH / VFMSUB…PH use the VFNMADD/VFNMSUB opcodes; VRCPPH
 *   has a vvvv operand; VGETEXPSH and VGETMANTSH have none; VREDUCESH puts the
 *   third operand in vvvv.
 * - NASM also knows the FP16 FMA opcodes under `vp` names: VPMADD132PH
 *   (map6 98, which the Intel SDM calls VFMADD132PH), VPMSUB…PH, and the
 *   scalar VPMADD…SH, VPMSUB…SH, VPNMADD…SH, VPNMSUB…SH (the SDM's
 *   VF[N]MADD/VF[N]MSUB…SH opcodes). Their operand forms are those of
 *   VFMADD132PH and VSCALEFSH (probed form by form, BITS 16/32/64); ndisasm
 *   prints these names too. There is no VPNMADD…PH / VPNMSUB…PH.
 * - A second VCVTUSI2SS: `xmm,xmm*,rm64{er}` in map5 (F3 W1 7B, the 64-bit
 *   VCVTUSI2SH opcode), reached only with the rounding mode after the general
 *   register (`vcvtusi2ss xmm1,xmm2,rax,{rn-sae}`); ndisasm decodes those
 *   bytes as `vcvtusi2ss`.
 * - VDIVPH, VDIVSH, VMOVW and VCVTSS2SH are W-ignored (ndisasm decodes them
 *   with W 1 too; nasm writes W 0).
 * - `/b16x`: a broadcast NASM declares but whose count never matches (the
 *   128-bit widening forms); `lo16`: the form refuses xmm16…31.
 * - The odd disp8*N scales (`m128` on VCOMISH, `ovm`/`t1s` on VCVTTPH2QQ) are
 *   NASM's.
 * - VMAXPH/SH, VMINPH/SH and VRNDSCALEPH/SH are NASM's VGETMAXPH/SH,
 *   VGETMINPH/SH and VENDSCALEPH/SH (ndisasm prints these names too). The
 *   VGETMAX/VGETMIN forms have no vvvv operand (two operands: `vgetmaxph
 *   xmm1,xmm2` is map5 5F with vvvv 1111), and VGETMINPH's 256-bit form takes
 *   an xmm register as its source (`vgetminph ymm1,xmm2`; `ymm1,ymm2` is refused).
 *
 * Not here because NASM 2.16.01 does not know them: VMINPH/SH, VMAXPH/SH,
 * VRNDSCALEPH/SH (under these names), VFNMADD*, VFNMSUB*, the scalar
 * VFMADD*SH / VFMSUB*SH, VFMULCPH, VFCMULCPH (NASM spells them VFMULCPCH,
 * VFCMULCPCH; ndisasm too), VCVTPS2PHX. VREDUCESH with a memory operand is
 * left out: NASM drops the address (or panics), so only its register form exists.
 */

export function avx512fp16Rows(): string {
  return `VADDPH xmm{k}{z},xmm*,xmm/m16/b16 | rvm: evex.128.map5.w0.fv 58 /r | skylake
VADDPH ymm{k}{z},ymm*,ymm/m16/b16 | rvm: evex.256.map5.w0.fv 58 /r | skylake
VADDPH zmm{k}{z},zmm*,zmm/m16/b16{er} | rvm: evex.512.map5.w0.fv 58 /r | skylake
VADDSH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.f3.map5.w0.t1s 58 /r | skylake
VCMPPH k{k},xmm*,xmm/m16/b16,imm8 | rvmi: evex.128.0f3a.w0.fv C2 /r ib | skylake
VCMPPH k{k},ymm*,ymm/m16/b16,imm8 | rvmi: evex.256.0f3a.w0.fv C2 /r ib | skylake
VCMPPH k{k},zmm*,zmm/m16/b16{sae},imm8 | rvmi: evex.512.0f3a.w0.fv C2 /r ib | skylake
VCMPSH k{k},xmm*,xmm/m16{sae},imm8 | rvmi: evex.lig.f3.0f3a.w0.t1s C2 /r ib | skylake
VCOMISH xmm,xmm/m16{sae} | rm: evex.lig.map5.w0.m128 2F /r | skylake
VCVTDQ2PH xmm{k}{z},xmm/m128/b32 | rm: evex.128.map5.w0.fv 5B /r | skylake
VCVTDQ2PH ymm{k}{z},ymm/m256/b32 | rm: evex.256.map5.w0.fv 5B /r | skylake
VCVTDQ2PH zmm{k}{z},zmm/m512/b32{er} | rm: evex.512.map5.w0.fv 5B /r | skylake
VCVTPD2PH xmm{k}{z},xmm/m128/b64 | rm: evex.128.66.map5.w1.fv 5A /r | skylake
VCVTPD2PH ymm{k}{z},ymm/m256/b64 | rm: evex.256.66.map5.w1.fv 5A /r | skylake
VCVTPD2PH zmm{k}{z},zmm/m512/b64{er} | rm: evex.512.66.map5.w1.fv 5A /r | skylake
VCVTPH2DQ xmm{k}{z},xmm/m64/b16 | rm: evex.128.66.map5.w0.hv 5B /r | skylake
VCVTPH2DQ ymm{k}{z},xmm/m128/b16 | rm: evex.256.66.map5.w0.hv 5B /r | skylake
VCVTPH2DQ zmm{k}{z},ymm/m256/b16{er} | rm: evex.512.66.map5.w0.hv 5B /r | skylake
VCVTPH2PD xmm{k}{z},xmm/m32/b16x | rm: evex.128.map5.w0.qv 5A /r | skylake
VCVTPH2PD ymm{k}{z},xmm/m64/b16 | rm: evex.256.map5.w0.qv 5A /r | skylake
VCVTPH2PD zmm{k}{z},xmm/m128/b16{sae} | rm: evex.512.map5.w0.qv 5A /r | skylake
VCVTPH2PSX xmm{k}{z},xmm/m64/b16 | rm: evex.128.66.map6.w0.hv 13 /r | skylake
VCVTPH2PSX ymm{k}{z},xmm/m128/b16 | rm: evex.256.66.map6.w0.hv 13 /r | skylake
VCVTPH2PSX zmm{k}{z},ymm/m256/b16{sae} | rm: evex.512.66.map6.w0.hv 13 /r | skylake
VCVTPH2QQ xmm{k}{z},xmm/m32/b16x | rm: evex.128.66.map5.w0.qv.lo16 7B /r | skylake
VCVTPH2QQ ymm{k}{z},xmm/m64/b16 | rm: evex.256.66.map5.w0.qv.lo16 7B /r | skylake
VCVTPH2QQ zmm{k}{z},xmm/m128/b16{er} | rm: evex.512.66.map5.w0.qv.lo16 7B /r | skylake
VCVTPH2UDQ xmm{k}{z},xmm/m32/b16x | rm: evex.128.map5.w0.hv 79 /r | skylake
VCVTPH2UDQ ymm{k}{z},xmm/m64/b16 | rm: evex.256.map5.w0.hv 79 /r | skylake
VCVTPH2UDQ zmm{k}{z},xmm/m128/b16{er} | rm: evex.512.map5.w0.hv 79 /r | skylake
VCVTPH2UQQ xmm{k}{z},xmm/m32/b16x | rm: evex.128.66.map5.w0.qv.lo16 79 /r | skylake
VCVTPH2UQQ ymm{k}{z},xmm/m64/b16 | rm: evex.256.66.map5.w0.qv.lo16 79 /r | skylake
VCVTPH2UQQ zmm{k}{z},xmm/m128/b16{er} | rm: evex.512.66.map5.w0.qv.lo16 79 /r | skylake
VCVTPH2UW xmm{k}{z},xmm/m128/b16 | rm: evex.128.map5.w0.fv 7D /r | skylake
VCVTPH2UW ymm{k}{z},ymm/m256/b16 | rm: evex.256.map5.w0.fv 7D /r | skylake
VCVTPH2UW zmm{k}{z},zmm/m512/b16{er} | rm: evex.512.map5.w0.fv 7D /r | skylake
VCVTPH2W xmm{k}{z},xmm/m128/b16 | rm: evex.128.66.map5.w0.fv 7D /r | skylake
VCVTPH2W ymm{k}{z},ymm/m256/b16 | rm: evex.256.66.map5.w0.fv 7D /r | skylake
VCVTPH2W zmm{k}{z},zmm/m512/b16{er} | rm: evex.512.66.map5.w0.fv 7D /r | skylake
VCVTQQ2PH xmm{k}{z},xmm/m128/b64 | rm: evex.128.map5.w1.fv 5B /r | skylake
VCVTQQ2PH ymm{k}{z},ymm/m256/b64 | rm: evex.256.map5.w1.fv 5B /r | skylake
VCVTQQ2PH zmm{k}{z},zmm/m512/b64{er} | rm: evex.512.map5.w1.fv 5B /r | skylake
VCVTSD2SH xmm{k}{z},xmm*,xmm/m64{er} | rvm: evex.lig.f2.map5.w1.t1s 5A /r | skylake
VCVTSH2SD xmm,xmm*,xmm/m16{sae} | rvm: evex.lig.f3.map5.w0.t1s 5A /r | skylake
VCVTSH2SI r32,xmm/m16{er} | rm: evex.lig.f3.map5.w0.t1s.lo16 2D /r | skylake
VCVTSH2SI r64,xmm/m16{er} | rm: evex.lig.f3.map5.w1.t1s.lo16 2D /r | skylake
VCVTSH2SS xmm{k}{z},xmm*,xmm/m16{sae} | rvm: evex.lig.map6.w0.t1s 13 /r | skylake
VCVTSH2USI r32,xmm/m16{er} | rm: evex.lig.f3.map5.w0.t1s.lo16 79 /r | skylake
VCVTSH2USI r64,xmm/m16{er} | rm: evex.lig.f3.map5.w1.t1s.lo16 79 /r | skylake
VCVTSI2SH xmm,xmm*,rm32{er} | rvm: evex.lig.f3.map5.w0.t1s 2A /r | skylake
VCVTSI2SH xmm,xmm*,rm64{er} | rvm: evex.lig.f3.map5.w1.t1s 2A /r | skylake
VCVTSS2SH xmm,xmm*,xmm/m32{er} | rvm: evex.lig.map5.wig.t1s 1D /r | skylake
VCVTTPH2DQ xmm{k}{z},xmm/m64/b16 | rm: evex.128.f3.map5.w0.hv 5B /r | skylake
VCVTTPH2DQ ymm{k}{z},xmm/m128/b16 | rm: evex.256.f3.map5.w0.hv 5B /r | skylake
VCVTTPH2DQ zmm{k}{z},ymm/m256/b16{sae} | rm: evex.512.f3.map5.w0.hv 5B /r | skylake
VCVTTPH2QQ xmm{k}{z},xmm/m32/b16x | rm: evex.128.66.map5.w0.qv.lo16 7A /r | skylake
VCVTTPH2QQ ymm{k}{z},xmm/m64/b16 | rm: evex.256.66.map5.w0.ovm.lo16 7A /r | skylake
VCVTTPH2QQ zmm{k}{z},xmm/m128/b16{sae} | rm: evex.512.66.map5.w0.t1s.lo16 7A /r | skylake
VCVTTPH2UDQ xmm{k}{z},xmm/m64/b16 | rm: evex.128.map5.w0.hv 78 /r | skylake
VCVTTPH2UDQ ymm{k}{z},xmm/m128/b16 | rm: evex.256.map5.w0.hv 78 /r | skylake
VCVTTPH2UDQ zmm{k}{z},ymm/m256/b16{sae} | rm: evex.512.map5.w0.hv 78 /r | skylake
VCVTTPH2UQQ xmm{k}{z},xmm/m32/b16x | rm: evex.128.66.map5.w0.qv 78 /r | skylake
VCVTTPH2UQQ ymm{k}{z},xmm/m64/b16 | rm: evex.256.66.map5.w0.ovm 78 /r | skylake
VCVTTPH2UQQ zmm{k}{z},xmm/m128/b16{sae} | rm: evex.512.66.map5.w0.t1s 78 /r | skylake
VCVTTPH2UW xmm{k}{z},xmm/m128/b16 | rm: evex.128.map5.w0.fv 7C /r | skylake
VCVTTPH2UW ymm{k}{z},ymm/m256/b16 | rm: evex.256.map5.w0.fv 7C /r | skylake
VCVTTPH2UW zmm{k}{z},zmm/m512/b16{sae} | rm: evex.512.map5.w0.fv 7C /r | skylake
VCVTTPH2W xmm{k}{z},xmm/m128/b16 | rm: evex.128.66.map5.w0.fv 7C /r | skylake
VCVTTPH2W ymm{k}{z},ymm/m256/b16 | rm: evex.256.66.map5.w0.fv 7C /r | skylake
VCVTTPH2W zmm{k}{z},zmm/m512/b16{sae} | rm: evex.512.66.map5.w0.fv 7C /r | skylake
VCVTTSH2SI r32,xmm/m16{sae} | rm: evex.lig.f3.map5.w0.t1s.lo16 2C /r | skylake
VCVTTSH2SI r64,xmm/m16{sae} | rm: evex.lig.f3.map5.w1.t1s.lo16 2C /r | skylake
VCVTTSH2USI r32,xmm/m16{sae} | rm: evex.lig.f3.map5.w0.t1s.lo16 78 /r | skylake
VCVTTSH2USI r64,xmm/m16{sae} | rm: evex.lig.f3.map5.w1.t1s.lo16 78 /r | skylake
VCVTUDQ2PH xmm{k}{z},xmm/m128/b32 | rm: evex.128.f2.map5.w0.fv 7A /r | skylake
VCVTUDQ2PH ymm{k}{z},ymm/m256/b32 | rm: evex.256.f2.map5.w0.fv 7A /r | skylake
VCVTUDQ2PH zmm{k}{z},zmm/m512/b32 | rm: evex.512.f2.map5.w0.fv 7A /r | skylake
VCVTUQQ2PH xmm{k}{z},xmm/m128/b32 | rm: evex.128.f2.map5.w1.fv 7A /r | skylake
VCVTUQQ2PH ymm{k}{z},ymm/m256/b32 | rm: evex.256.f2.map5.w1.fv 7A /r | skylake
VCVTUQQ2PH zmm{k}{z},zmm/m512/b32 | rm: evex.512.f2.map5.w1.fv 7A /r | skylake
VCVTUSI2SH xmm,xmm{er},rm32{er} | rvm: evex.lig.f3.map5.w0.t1s 7B /r | skylake
VCVTUSI2SS xmm,xmm{er},rm64{er} | rvm: evex.lig.f3.map5.w1.t1s 7B /r | skylake
VCVTUW2PH xmm{k}{z},xmm/m128/b16 | rm: evex.128.f2.map5.w0.fv 7D /r | skylake
VCVTUW2PH ymm{k}{z},ymm/m256/b16 | rm: evex.256.f2.map5.w0.fv 7D /r | skylake
VCVTUW2PH zmm{k}{z},zmm/m512/b16{er} | rm: evex.512.f2.map5.w0.fv 7D /r | skylake
VCVTW2PH xmm{k}{z},xmm/m128/b16 | rm: evex.128.f3.map5.w0.fv 7D /r | skylake
VCVTW2PH ymm{k}{z},ymm/m256/b16 | rm: evex.256.f3.map5.w0.fv 7D /r | skylake
VCVTW2PH zmm{k}{z},zmm/m512/b16{er} | rm: evex.512.f3.map5.w0.fv 7D /r | skylake
VDIVPH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.map5.wig.fv 5E /r | skylake
VDIVPH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.map5.wig.fv 5E /r | skylake
VDIVPH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.map5.wig.fv 5E /r | skylake
VDIVSH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.f3.map5.wig.t1s 5E /r | skylake
VFCMADDCPH xmm{k}{z},xmm*,xmm/m128/b32 | rvm: evex.128.f2.map6.w0.fv 56 /r | skylake
VFCMADDCPH ymm{k}{z},ymm*,ymm/m256/b32 | rvm: evex.256.f2.map6.w0.fv 56 /r | skylake
VFCMADDCPH zmm{k}{z},zmm*,zmm/m512/b32{er} | rvm: evex.512.f2.map6.w0.fv 56 /r | skylake
VFCMADDCSH xmm{k}{z},xmm*,xmm/m32{er} | rvm: evex.lig.f2.map6.w0.t1s 57 /r | skylake
VFCMULCPCH xmm{k}{z},xmm*,xmm/m128/b32 | rvm: evex.128.f2.map6.w0.fv D6 /r | skylake
VFCMULCPCH ymm{k}{z},ymm*,ymm/m256/b32 | rvm: evex.256.f2.map6.w0.fv D6 /r | skylake
VFCMULCPCH zmm{k}{z},zmm*,zmm/m512/b32{er} | rvm: evex.512.f2.map6.w0.fv D6 /r | skylake
VFCMULCSH xmm{k}{z},xmm*,xmm/m32{er} | rvm: evex.lig.f2.map6.w0.t1s D7 /r | skylake
VFMADD132PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 9C /r | skylake
VFMADD132PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 9C /r | skylake
VFMADD132PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv 9C /r | skylake
VFMADD213PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv AC /r | skylake
VFMADD213PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv AC /r | skylake
VFMADD213PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv AC /r | skylake
VFMADD231PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv BC /r | skylake
VFMADD231PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv BC /r | skylake
VFMADD231PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv BC /r | skylake
VFMADDCPH xmm{k}{z},xmm*,xmm/m128/b32 | rvm: evex.128.f3.map6.w0.fv 56 /r | skylake
VFMADDCPH ymm{k}{z},ymm*,ymm/m256/b32 | rvm: evex.256.f3.map6.w0.fv 56 /r | skylake
VFMADDCPH zmm{k}{z},zmm*,zmm/m512/b32{er} | rvm: evex.512.f3.map6.w0.fv 56 /r | skylake
VFMADDCSH xmm{k}{z},xmm*,xmm/m32{er} | rvm: evex.lig.f3.map6.w0.t1s 57 /r | skylake
VFMADDSUB132PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 96 /r | skylake
VFMADDSUB132PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 96 /r | skylake
VFMADDSUB132PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv 96 /r | skylake
VFMADDSUB213PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv A6 /r | skylake
VFMADDSUB213PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv A6 /r | skylake
VFMADDSUB213PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv A6 /r | skylake
VFMADDSUB231PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv B6 /r | skylake
VFMADDSUB231PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv B6 /r | skylake
VFMADDSUB231PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv B6 /r | skylake
VFMSUB132PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 9E /r | skylake
VFMSUB132PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 9E /r | skylake
VFMSUB132PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv 9E /r | skylake
VFMSUB213PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv AE /r | skylake
VFMSUB213PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv AE /r | skylake
VFMSUB213PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv AE /r | skylake
VFMSUB231PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv BE /r | skylake
VFMSUB231PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv BE /r | skylake
VFMSUB231PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv BE /r | skylake
VFMSUBADD132PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 97 /r | skylake
VFMSUBADD132PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 97 /r | skylake
VFMSUBADD132PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv 97 /r | skylake
VFMSUBADD213PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv A7 /r | skylake
VFMSUBADD213PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv A7 /r | skylake
VFMSUBADD213PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv A7 /r | skylake
VFMSUBADD231PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv B7 /r | skylake
VFMSUBADD231PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv B7 /r | skylake
VFMSUBADD231PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv B7 /r | skylake
VFMULCPCH xmm{k}{z},xmm*,xmm/m128/b32 | rvm: evex.128.f3.map6.w0.fv D6 /r | skylake
VFMULCPCH ymm{k}{z},ymm*,ymm/m256/b32 | rvm: evex.256.f3.map6.w0.fv D6 /r | skylake
VFMULCPCH zmm{k}{z},zmm*,zmm/m512/b32{er} | rvm: evex.512.f3.map6.w0.fv D6 /r | skylake
VFMULCSH xmm{k}{z},xmm*,xmm/m32{er} | rvm: evex.lig.f3.map6.w0.t1s D7 /r | skylake
VFPCLASSPH k{k},xmm/m128/b16,imm8 | rmi: evex.128.0f3a.w0.fv 66 /r ib | skylake
VFPCLASSPH k{k},ymm/m256/b16,imm8 | rmi: evex.256.0f3a.w0.fv 66 /r ib | skylake
VFPCLASSPH k{k},zmm/m512/b16,imm8 | rmi: evex.512.0f3a.w0.fv 66 /r ib | skylake
VFPCLASSSH k{k},xmm/m16,imm8 | rmi: evex.lig.0f3a.w0.t1s 67 /r ib | skylake
VGETEXPPH xmm{k}{z},xmm/m128/b16 | rm: evex.128.66.map6.w0.fv 42 /r | skylake
VGETEXPPH ymm{k}{z},ymm/m256/b16 | rm: evex.256.66.map6.w0.fv 42 /r | skylake
VGETEXPPH zmm{k}{z},zmm/m512/b16{sae} | rm: evex.512.66.map6.w0.fv 42 /r | skylake
VGETEXPSH xmm{k}{z},xmm/m16{sae} | rm: evex.lig.66.map6.w0.t1s 43 /r | skylake
VGETMANTPH xmm{k}{z},xmm/m128/b16,imm8 | rmi: evex.128.0f3a.w0.fv 25 /r ib | skylake
VGETMANTPH ymm{k}{z},ymm/m256/b16,imm8 | rmi: evex.256.0f3a.w0.fv 25 /r ib | skylake
VGETMANTPH zmm{k}{z},zmm/m512/b16{sae},imm8 | rmi: evex.512.0f3a.w0.fv 25 /r ib | skylake
VGETMANTSH xmm{k}{z},xmm/m16{sae},imm8 | rmi: evex.lig.0f3a.w0.t1s 27 /r ib | skylake
VMOVSH xmm{k}{z},xmm*,xmm | rvm: evex.lig.f3.map5.w0.t1s 10 /r | skylake
VMOVSH xmm{k}{z},m16 | rm: evex.lig.f3.map5.w0.t1s 10 /r | skylake
VMOVSH m16{k},xmm | mr: evex.lig.f3.map5.w0.t1s 11 /r | skylake
VMOVSH xmm{k}{z},xmm*,xmm | rvm: evex.lig.f3.map5.w0.t1s 11 /r | skylake,ne ; ndisasm reads reg first at 11 too
VMOVW xmm{k}{z},rm16 | rm: evex.128.66.map5.wig.qv 6E /r | skylake
VMOVW rm16,xmm | mr: evex.128.66.map5.wig.qv 7E /r | skylake
VMULPH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.map5.w0.fv 59 /r | skylake
VMULPH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.map5.w0.fv 59 /r | skylake
VMULPH zmm{k}{z},zmm*,zmm/m512/b16 | rvm: evex.512.map5.w0.fv 59 /r | skylake
VMULSH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.f3.map5.w0.t1s 59 /r | skylake
VPMADD132PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 98 /r | skylake
VPMADD132PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 98 /r | skylake
VPMADD132PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv 98 /r | skylake
VPMADD132SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s 99 /r | skylake
VPMADD213PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv A8 /r | skylake
VPMADD213PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv A8 /r | skylake
VPMADD213PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv A8 /r | skylake
VPMADD213SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s A9 /r | skylake
VPMADD231PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv B8 /r | skylake
VPMADD231PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv B8 /r | skylake
VPMADD231PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv B8 /r | skylake
VPMADD231SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s B9 /r | skylake
VPMSUB132PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 9A /r | skylake
VPMSUB132PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 9A /r | skylake
VPMSUB132PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv 9A /r | skylake
VPMSUB132SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s 9B /r | skylake
VPMSUB213PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv AA /r | skylake
VPMSUB213PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv AA /r | skylake
VPMSUB213PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv AA /r | skylake
VPMSUB213SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s AB /r | skylake
VPMSUB231PH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv BA /r | skylake
VPMSUB231PH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv BA /r | skylake
VPMSUB231PH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv BA /r | skylake
VPMSUB231SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s BB /r | skylake
VPNMADD132SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s 9D /r | skylake
VPNMADD213SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s AD /r | skylake
VPNMADD231SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s BD /r | skylake
VPNMSUB132SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s 9F /r | skylake
VPNMSUB213SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s AF /r | skylake
VPNMSUB231SH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s BF /r | skylake
VRCPPH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 4C /r | skylake
VRCPPH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 4C /r | skylake
VRCPPH zmm{k}{z},zmm*,zmm/m512/b16 | rvm: evex.512.66.map6.w0.fv 4C /r | skylake
VRCPSH xmm{k}{z},xmm*,xmm/m16{sae} | rvm: evex.lig.66.map6.w0.t1s 4D /r | skylake
VREDUCEPH xmm{k}{z},xmm/m128/b16,imm8 | rmi: evex.128.0f3a.w0.fv 56 /r ib | skylake
VREDUCEPH ymm{k}{z},ymm/m256/b16,imm8 | rmi: evex.256.0f3a.w0.fv 56 /r ib | skylake
VREDUCEPH zmm{k}{z},zmm/m512/b16{sae},imm8 | rmi: evex.512.0f3a.w0.fv 56 /r ib | skylake
VREDUCESH xmm{k}{z},xmm*,xmm{sae},imm8 | rmvi: evex.lig.0f3a.w0.t1s 57 /r ib | skylake
VRSQRTPH xmm{k}{z},xmm/m128/b16,imm8 | rmi: evex.128.66.map6.w0.fv 4E /r ib | skylake
VRSQRTPH ymm{k}{z},ymm/m256/b16,imm8 | rmi: evex.256.66.map6.w0.fv 4E /r ib | skylake
VRSQRTPH zmm{k}{z},zmm/m512/b16{sae},imm8 | rmi: evex.512.66.map6.w0.fv 4E /r ib | skylake
VRSQRTSH xmm{k}{z},xmm*,xmm/m16{sae},imm8 | rvmi: evex.lig.66.map6.w0.t1s 4F /r ib | skylake
VSCALEFPH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.66.map6.w0.fv 2C /r | skylake
VSCALEFPH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.66.map6.w0.fv 2C /r | skylake
VSCALEFPH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.66.map6.w0.fv 2C /r | skylake
VSCALEFSH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.66.map6.w0.t1s 2D /r | skylake
VSQRTPH xmm{k}{z},xmm/m128/b16 | rm: evex.128.map5.w0.fv 51 /r | skylake
VSQRTPH ymm{k}{z},ymm/m256/b16 | rm: evex.256.map5.w0.fv 51 /r | skylake
VSQRTPH zmm{k}{z},zmm/m512/b16{er} | rm: evex.512.map5.w0.fv 51 /r | skylake
VSQRTSH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.f3.map5.w0.t1s 51 /r | skylake
VENDSCALEPH xmm{k}{z},xmm/m128/b16,imm8 | rmi: evex.128.0f3a.w0.fv 08 /r ib | skylake
VENDSCALEPH ymm{k}{z},ymm/m256/b16,imm8 | rmi: evex.256.0f3a.w0.fv 08 /r ib | skylake
VENDSCALEPH zmm{k}{z},zmm/m512/b16{sae},imm8 | rmi: evex.512.0f3a.w0.fv 08 /r ib | skylake
VENDSCALESH xmm{k}{z},xmm*,xmm/m16{sae},imm8 | rvmi: evex.lig.0f3a.w0.t1s 0A /r ib | skylake
VGETMAXPH xmm{k}{z},xmm/m128/b16 | rm: evex.128.map5.w0.fv 5F /r | skylake
VGETMAXPH ymm{k}{z},ymm/m256/b16 | rm: evex.256.map5.w0.fv 5F /r | skylake
VGETMAXPH zmm{k}{z},zmm/m512/b16{sae} | rm: evex.512.map5.w0.fv 5F /r | skylake
VGETMAXSH xmm{k}{z},xmm/m16{sae} | rm: evex.lig.f3.map5.w0.t1s 5F /r | skylake
VGETMINPH xmm{k}{z},xmm/m128/b16 | rm: evex.128.map5.w0.fv 5D /r | skylake
VGETMINPH ymm{k}{z},xmm/m256/b16 | rm: evex.256.map5.w0.fv 5D /r | skylake
VGETMINPH zmm{k}{z},zmm/m512/b16{sae} | rm: evex.512.map5.w0.fv 5D /r | skylake
VGETMINSH xmm{k}{z},xmm/m16{sae} | rm: evex.lig.f3.map5.w0.t1s 5D /r | skylake
VSUBPH xmm{k}{z},xmm*,xmm/m128/b16 | rvm: evex.128.map5.w0.fv 5C /r | skylake
VSUBPH ymm{k}{z},ymm*,ymm/m256/b16 | rvm: evex.256.map5.w0.fv 5C /r | skylake
VSUBPH zmm{k}{z},zmm*,zmm/m512/b16{er} | rvm: evex.512.map5.w0.fv 5C /r | skylake
VSUBSH xmm{k}{z},xmm*,xmm/m16{er} | rvm: evex.lig.f3.map5.w0.t1s 5C /r | skylake
VUCOMISH xmm,xmm/m16{sae} | rm: evex.lig.map5.w0.t1s 2E /r | skylake`;
}
