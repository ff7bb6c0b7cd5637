import { CONDITIONS, nd } from './general.js';

/**
 * CMPccXADD (BITS 64 only): compare the memory dword/qword with the second
 * operand, add the third to memory when the condition holds; vvvv is the
 * addend, W the size, the condition the opcode's low nibble (E0+cc). NASM
 * 2.16.01 takes every condition alias (`cmpnbexadd` is `cmpaxadd`); ndisasm
 * prints the names Jcc has there (`cmpcxadd`, `cmppexadd`, `cmpngxadd`).
 */
function cmpccxaddRows(): string {
  return CONDITIONS.map(([cc, n]) => {
    const name = `CMP${cc.toUpperCase()}XADD`;
    const opcode = (0xe0 + n).toString(16).toUpperCase();
    return `${name} m32,r32,r32 | mrv: vex.128.66.0f38.w0 ${opcode} /r | future,long${nd(cc)}
${name} m64,r64,r64 | mrv: vex.128.66.0f38.w1 ${opcode} /r | future,long${nd(cc)}`;
  }).join('\n');
}

/**
 * Smaller VEX extensions: F16C (half-precision conversions), the VEX
 * forms of GFNI and CMPccXADD. Opcodes from the Intel SDM; forms checked against NASM
 * 2.16.01 (fixtures/encoding/vex).
 */
export function vexMiscRows(): string {
  return `
VCVTPH2PS xmm,xmm/m64             | vex.128.66.0f38.w0 13 /r        | ivybridge
VCVTPH2PS ymm,xmm/m128            | vex.256.66.0f38.w0 13 /r        | ivybridge
VCVTPS2PH xmm/m64,xmm,imm8        | vex.128.66.0f3a.w0 1D /r ib,uw  | ivybridge
VCVTPS2PH xmm/m128,ymm,imm8       | vex.256.66.0f3a.w0 1D /r ib,uw  | ivybridge
VGF2P8AFFINEINVQB xmm,xmm*,xmm/m128,imm8 | vex.nds.128.66.0f3a.w1 CF /r ib,uw | future
VGF2P8AFFINEINVQB ymm,ymm*,ymm/m256,imm8 | vex.nds.256.66.0f3a.w1 CF /r ib,uw | future
VGF2P8AFFINEQB xmm,xmm*,xmm/m128,imm8    | vex.nds.128.66.0f3a.w1 CE /r ib,uw | future
VGF2P8AFFINEQB ymm,ymm*,ymm/m256,imm8    | vex.nds.256.66.0f3a.w1 CE /r ib,uw | future
VGF2P8MULB xmm,xmm*,xmm/m128      | vex.nds.128.66.0f38.w0 CF /r    | future
VGF2P8MULB ymm,ymm*,ymm/m256      | vex.nds.256.66.0f38.w0 CF /r    | future
${cmpccxaddRows()}
`;
}

/**
 * AVX-NE-CONVERT, AVX-VNNI-INT8, and the VEX forms of AVX-IFMA and
 * VCVTNEPS2BF16: NASM 2.16.01's late VEX forms (`pv`), used only when `{vex}`
 * is written or under `cpu latevex` (cpu.ts); otherwise: "instruction not
 * encodable without explicit prefix". They come before the EVEX rows of the same
 * mnemonic, so `cpu latevex` prefers them (measured). The xmm forms size no unsized
 * memory operand (`ng`: "operation size not specified"), and NASM knows no shorter
 * forms (measured).
 */
export function vexExplicitRows(): string {
  // (NASM guesses an unsized memory operand's size for the ymm forms only, measured.)
  const both = (mn: string, spec: string, op: string): string =>
    `${mn} xmm,xmm,xmm/m128 | vex.nds.128.${spec} ${op} /r | future,pv,ng
${mn} ymm,ymm,ymm/m256 | vex.nds.256.${spec} ${op} /r | future,pv`;
  return [
    both('VPDPBSSD', 'f2.0f38.w0', '50'),
    both('VPDPBSSDS', 'f2.0f38.w0', '51'),
    both('VPDPBSUD', 'f3.0f38.w0', '50'),
    both('VPDPBSUDS', 'f3.0f38.w0', '51'),
    both('VPDPBUUD', '0f38.w0', '50'),
    both('VPDPBUUDS', '0f38.w0', '51'),
    `VBCSTNEBF16PS xmm,m16 | vex.128.f3.0f38.w0 B1 /r | future,pv
VBCSTNEBF16PS ymm,m16 | vex.256.f3.0f38.w0 B1 /r | future,pv
VBCSTNESH2PS xmm,m16 | vex.128.66.0f38.w0 B1 /r | future,pv
VBCSTNESH2PS ymm,m16 | vex.256.66.0f38.w0 B1 /r | future,pv
VCVTNEEBF162PS xmm,m128 | vex.128.f3.0f38.w0 B0 /r | future,pv,ng
VCVTNEEBF162PS ymm,m256 | vex.256.f3.0f38.w0 B0 /r | future,pv
VCVTNEEPH2PS xmm,m128 | vex.128.66.0f38.w0 B0 /r | future,pv,ng
VCVTNEEPH2PS ymm,m256 | vex.256.66.0f38.w0 B0 /r | future,pv
VCVTNEOBF162PS xmm,m128 | vex.128.f2.0f38.w0 B0 /r | future,pv,ng
VCVTNEOBF162PS ymm,m256 | vex.256.f2.0f38.w0 B0 /r | future,pv
VCVTNEOPH2PS xmm,m128 | vex.128.0f38.w0 B0 /r | future,pv,ng
VCVTNEOPH2PS ymm,m256 | vex.256.0f38.w0 B0 /r | future,pv
VCVTNEPS2BF16 xmm,xmm/m128 | vex.128.f3.0f38.w0 72 /r | future,pv,ng
VCVTNEPS2BF16 ymm,ymm/m256 | vex.256.f3.0f38.w0 72 /r | future,pv
VPMADD52LUQ xmm,xmm,xmm/m128 | vex.nds.128.66.0f38.w1 B4 /r | future,pv,ng
VPMADD52LUQ ymm,ymm,ymm/m256 | vex.nds.256.66.0f38.w1 B4 /r | future,pv
VPMADD52HUQ xmm,xmm,xmm/m128 | vex.nds.128.66.0f38.w1 B5 /r | future,pv,ng
VPMADD52HUQ ymm,ymm,ymm/m256 | vex.nds.256.66.0f38.w1 B5 /r | future,pv
`,
  ].join('\n');
}
