/**
 * The opmask instructions (AVX512F/DQ/BW): VEX-encoded, on k0…k7 and general
 * registers, from the Intel SDM; checked against NASM 2.16.01 by the EVEX corpus.
 * Suffixes: B (66, W0), W (none, W0), D (66, W1), Q (none, W1).
 */
const SIZES: ReadonlyArray<[string, string]> = [
  ['B', '66.0f.w0'],
  ['W', '0f.w0'],
  ['D', '66.0f.w1'],
  ['Q', '0f.w1'],
];

export function avx512maskRows(): string {
  const rows: string[] = [];
  const binary: Array<[string, string]> = [
    ['KAND', '41'],
    ['KANDN', '42'],
    ['KOR', '45'],
    ['KXNOR', '46'],
    ['KXOR', '47'],
    ['KADD', '4A'],
  ];
  for (const [name, code] of binary)
    for (const [s, enc] of SIZES) rows.push(`${name}${s} k,k,k | vex.nds.l1.${enc} ${code} /r | skylake`);
  for (const [name, code] of [
    ['KNOT', '44'],
    ['KORTEST', '98'],
    ['KTEST', '99'],
  ] as const)
    for (const [s, enc] of SIZES) rows.push(`${name}${s} k,k | vex.l0.${enc} ${code} /r | skylake`);
  // KMOV: k←k/m, m←k, k←r, r←k (the register forms of D and Q are F2-prefixed).
  const gpr: Record<string, [string, string]> = {
    B: ['r32', '66.0f.w0'],
    W: ['r32', '0f.w0'],
    D: ['r32', 'f2.0f.w0'],
    Q: ['r64', 'f2.0f.w1'],
  };
  const mem: Record<string, string> = { B: 'm8', W: 'm16', D: 'm32', Q: 'm64' };
  for (const [s, enc] of SIZES) {
    const [reg, genc] = gpr[s] as [string, string];
    rows.push(`KMOV${s} k,k/${mem[s] as string} | vex.l0.${enc} 90 /r | skylake`);
    rows.push(`KMOV${s} ${mem[s] as string},k | vex.l0.${enc} 91 /r | skylake`);
    rows.push(`KMOV${s} k,${reg} | vex.l0.${genc} 92 /r | skylake`);
    rows.push(`KMOV${s} ${reg},k | vex.l0.${genc} 93 /r | skylake`);
  }
  const shifts: Array<[string, string, string]> = [
    ['B', 'w0', '0'],
    ['W', 'w1', '0'],
    ['D', 'w0', '1'],
    ['Q', 'w1', '1'],
  ];
  for (const [s, w, low] of shifts) {
    rows.push(`KSHIFTL${s} k,k,imm8 | vex.l0.66.0f3a.${w} 3${Number(low) + 2} /r ib | skylake`);
    rows.push(`KSHIFTR${s} k,k,imm8 | vex.l0.66.0f3a.${w} 3${low} /r ib | skylake`);
  }
  rows.push(`KUNPCKBW k,k,k | vex.nds.l1.66.0f.w0 4B /r | skylake
KUNPCKWD k,k,k | vex.nds.l1.0f.w0 4B /r | skylake
KUNPCKDQ k,k,k | vex.nds.l1.0f.w1 4B /r | skylake`);
  return rows.join('\n');
}
