/**
 * BMI1, BMI2 (VEX-encoded general-purpose instructions), AMD's TBM (XOP
 * map 9 / A) and AMD's LWP (XOP map 9 / A opcode 12). vvvv holds a source (`rvm`, `rmv`) or, for the BLS* and TBM
 * one-operand groups, the destination (`vm`). W1 forms are the 64-bit ones.
 * Opcodes from the Intel SDM / AMD APM; forms checked against NASM 2.16.01.
 */
const BMI = 'haswell';

function both(mn: string, ops: string, roles: string, spec: string, code: string, cpu = BMI): string {
  const wide = ops.replace(/\b(r|rm)32\b/g, '$164');
  return `${mn} ${ops} | ${roles}: ${spec}.w0 ${code} | ${cpu}
${mn} ${wide} | ${roles}: ${spec}.w1 ${code} | x64,long`;
}

function bmi(): string {
  return [
    both('ANDN', 'r32,r32,rm32', 'rvm', 'vex.lz.0f38', 'F2 /r'),
    both('BEXTR', 'r32,rm32,r32', 'rmv', 'vex.lz.0f38', 'F7 /r'),
    both('BLSI', 'r32,rm32', 'vm', 'vex.lz.0f38', 'F3 /3'),
    both('BLSMSK', 'r32,rm32', 'vm', 'vex.lz.0f38', 'F3 /2'),
    both('BLSR', 'r32,rm32', 'vm', 'vex.lz.0f38', 'F3 /1'),
    both('BZHI', 'r32,rm32,r32', 'rmv', 'vex.lz.0f38', 'F5 /r'),
    both('MULX', 'r32,r32,rm32', 'rvm', 'vex.lz.f2.0f38', 'F6 /r'),
    both('PDEP', 'r32,r32,rm32', 'rvm', 'vex.lz.f2.0f38', 'F5 /r'),
    both('PEXT', 'r32,r32,rm32', 'rvm', 'vex.lz.f3.0f38', 'F5 /r'),
    both('RORX', 'r32,rm32,imm8', 'rmi', 'vex.lz.f2.0f3a', 'F0 /r ib,uw'),
    both('SARX', 'r32,rm32,r32', 'rmv', 'vex.lz.f3.0f38', 'F7 /r'),
    both('SHLX', 'r32,rm32,r32', 'rmv', 'vex.lz.66.0f38', 'F7 /r'),
    both('SHRX', 'r32,rm32,r32', 'rmv', 'vex.lz.f2.0f38', 'F7 /r'),
  ].join('\n');
}

function tbm(): string {
  const out = [both('BEXTR', 'r32,rm32,imm32', 'rmi', 'xop.ma.lz', '10 /r id', 'future')];
  for (const [mn, op, digit] of [
    ['BLCFILL', '01', 1],
    ['BLSFILL', '01', 2],
    ['BLCS', '01', 3],
    ['TZMSK', '01', 4],
    ['BLCIC', '01', 5],
    ['BLSIC', '01', 6],
    ['T1MSKC', '01', 7],
    ['BLCMSK', '02', 1],
    ['BLCI', '02', 6],
  ] as const)
    out.push(both(mn, 'r32,rm32', 'vm', 'xop.m9.lz', `${op} /${digit}`, 'future'));
  return out.join('\n');
}

/**
 * AMD LWP (lightweight profiling, AMD APM vol. 3): LLWPCB/SLWPCB take one
 * register in ModR/M r/m (/0, /1; vvvv 1111), LWPINS/LWPVAL the destination in
 * vvvv, a dword register or memory in r/m and a dword immediate. W1 is the
 * 64-bit form. NASM 2.16.01 (measured): cpu level 386, no memory form of
 * LLWPCB/SLWPCB, the immediate only unsized or `dword`, any mode.
 */
function lwp(): string {
  const out: string[] = [];
  for (const [mn, digit] of [
    ['LLWPCB', 0],
    ['SLWPCB', 1],
  ] as const)
    out.push(`${mn} r32 | m: xop.m9.lz.w0 12 /${digit} | 386
${mn} r64 | m: xop.m9.lz.w1 12 /${digit} | x64,long`);
  for (const [mn, digit] of [
    ['LWPINS', 0],
    ['LWPVAL', 1],
  ] as const)
    out.push(`${mn} r32,rm32,imm32 | vmi: xop.ma.lz.w0 12 /${digit} id | 386
${mn} r64,rm32,imm32 | vmi: xop.ma.lz.w1 12 /${digit} id | x64,long`);
  return out.join('\n');
}

export function bmiRows(): string {
  return [bmi(), tbm(), lwp()].join('\n');
}
