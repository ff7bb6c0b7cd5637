/**
 * NASM's comparison pseudo-ops in their EVEX forms: VCMPccPS/PD/SS/SD into
 * an opmask (`vcmpeqps k1{k2},zmm1,zmm2` is VCMPPS with imm8 0) and
 * VPCMPcc{B,W,D,Q,UB,UW,UD,UQ} (VPCMP[U]B… with the predicate as imm8), as
 * NASM 2.16.01 takes them (measured): the predicate byte follows the ModR/M
 * like an immediate. VPCMP's predicates are eq lt le neq nlt nle (0 1 2 4 5
 * 6) and ge gt ngt (5 6 2); NASM has no vpcmpfalse/vpcmptrue, and the signed
 * vpcmpeq{b,w,d,q} / vpcmpgt{b,w,d,q} are the real instructions. The VEX
 * forms of VCMPcc come first (table/avx.ts), so an opmask destination, a
 * decorator or a register above 15 picks these rows. They are `nd`: the
 * disassembler decodes VCMPPS/VPCMPx with their immediate.
 */
import { PREDICATE_ALIASES, VEX_PREDICATES } from './avx.js';
import { vreg, vrm, type Length } from './evex-families.js';

const LENGTHS: readonly Length[] = [128, 256, 512];
const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** Every VCMP predicate name with its immediate (the 32, then NASM's long aliases). */
function predicates(): Array<readonly [string, number]> {
  return [...VEX_PREDICATES.map((p, i): readonly [string, number] => [p, i]), ...PREDICATE_ALIASES];
}

function floatCompares(): string {
  const rows: string[] = [];
  for (const [name, imm] of predicates()) {
    const n = name.toUpperCase();
    for (const [suffix, enc, element] of [
      ['PS', '0f.w0', 32],
      ['PD', '66.0f.w1', 64],
    ] as const)
      for (const len of LENGTHS) {
        const sae = len === 512 ? '{sae}' : '';
        rows.push(
          `VCMP${n}${suffix} k{k},${vreg(len)},${vrm(len, element)}${sae} | evex.nds.${len}.${enc}.fv C2 /r ${hex(imm)} | skylake,nd`,
        );
      }
    rows.push(`VCMP${n}SS k{k},xmm,xmm/m32{sae} | evex.nds.lig.f3.0f.w0.t1s C2 /r ${hex(imm)} | skylake,nd
VCMP${n}SD k{k},xmm,xmm/m64{sae} | evex.nds.lig.f2.0f.w1.t1s C2 /r ${hex(imm)} | skylake,nd`);
  }
  return rows.join('\n');
}

const VPCMP_PREDICATES: ReadonlyArray<readonly [string, number, boolean]> = [
  // [name, imm8, signed form exists as a pseudo-op]
  ['EQ', 0, false],
  ['LT', 1, true],
  ['LE', 2, true],
  ['NEQ', 4, true],
  ['NLT', 5, true],
  ['NLE', 6, true],
  ['GE', 5, true],
  ['GT', 6, false],
  ['NGT', 2, true],
];

function integerCompares(): string {
  const rows: string[] = [];
  // [element suffix, W, element bits, broadcast]
  const elements = [
    ['B', 'w0', 8, 0],
    ['W', 'w1', 16, 0],
    ['D', 'w0', 32, 32],
    ['Q', 'w1', 64, 64],
  ] as const;
  for (const [p, imm, signed] of VPCMP_PREDICATES)
    for (const unsigned of [false, true]) {
      if (!unsigned && !signed) continue;
      for (const [el, w, bits, bcast] of elements) {
        const opcode = (bits <= 16 ? 0x3e : 0x1e) + (unsigned ? 0 : 1);
        const tuple = bcast ? 'fv' : 'fvm';
        for (const len of LENGTHS)
          rows.push(
            `VPCMP${p}${unsigned ? 'U' : ''}${el} k{k},${vreg(len)},${vrm(len, bcast)} | evex.nds.${len}.66.0f3a.${w}.${tuple} ${hex(opcode)} /r ${hex(imm)} | skylake,nd`,
          );
      }
    }
  return rows.join('\n');
}

export function avx512AliasRows(): string {
  return [floatCompares(), integerCompares()].join('\n');
}
