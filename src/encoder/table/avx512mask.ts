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
    // NASM also takes the operand-sized register for the byte and word loads (`kmovb k1,bl`);
    // its byte row refuses ah…bh as PINSRB does, not as the AVX rows do (`norex`; measured:
    // `kmovb k2,bh` is "instruction cannot use high registers").
    if (s === 'B') rows.push(`KMOVB k,r8 | vex.l0.${genc} 92 /r | skylake,nd,norex`);
    if (s === 'W') rows.push(`KMOVW k,r16 | vex.l0.${genc} 92 /r | skylake,nd`);
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
  return [...rows, ...sizelessRows(rows)].join('\n');
}

const BITS: Record<string, number> = { B: 8, W: 16, D: 32, Q: 64 };

/** One suffixed row's operands in its size-less spelling: every opmask operand sized, a store's memory `mu`. */
function sizedOperands(operands: string, bits: number): string {
  return operands
    .split(',')
    .map((o) =>
      o === 'k' ? `k${bits}` : o.startsWith('k/m') ? `k${bits}/m${bits}` : /^m\d+$/.test(o) ? `mu${bits}` : o,
    )
    .join(',');
}

/**
 * NASM 2.16.01's size-less spellings (`kadd byte k1,k2,k3`, `kmov k1,word [rax]`,
 * `kunpck word k1,byte k2,k3`): the B, W, D and Q rows in that order, each opmask
 * operand taking the row's size keyword or none, so the first size that fits wins
 * (`kmov k1,k2` is KMOVB, `kmov k1,bx` KMOVW, `kmov k1,rax` KMOVQ). A load from
 * unsized memory is ambiguous ("operation size not specified"); a store to it is
 * KMOVB (measured). Not decoded: the disassembler names the suffixed forms.
 */
function sizelessRows(suffixed: readonly string[]): string[] {
  const out: string[] = [];
  for (const size of ['B', 'W', 'D', 'Q'])
    for (const row of suffixed) {
      // (The size-less KMOV's byte row refuses ah…bh as the AVX rows do: no `norex`, measured.)
      const [, name, suffix, operands, rest] = /^(K[A-Z]+)([BWDQ]) (\S+) \| (.*?)(?:,nd)?(?:,norex)?$/.exec(row) ?? [];
      if (name === undefined || operands === undefined || rest === undefined || suffix !== size) continue;
      if (name.startsWith('KUNPCK')) continue;
      // (KMOV and KNOT take a size keyword of another size as another form, measured.)
      const flags = name === 'KMOV' || name === 'KNOT' ? ',nd' : ',nd,ksm';
      // NASM 2.16.01's size-less KANDN has its sizes backwards: `kandn byte k1,k2,k3` is
      // KANDNQ, `kandn qword …` KANDNB (measured; NASM is the reference).
      const bits = name === 'KANDN' ? 512 / (BITS[size] as number) : (BITS[size] as number);
      out.push(`${name} ${sizedOperands(operands, bits)} | ${rest}${flags}`);
    }
  // KUNPCKBW's destination is twice its sources (`kunpck word k1,byte k2,k3`).
  out.push(`KUNPCK k16,k8,k8 | vex.nds.l1.66.0f.w0 4B /r | skylake,nd
KUNPCK k32,k16,k16 | vex.nds.l1.0f.w0 4B /r | skylake,nd
KUNPCK k64,k32,k32 | vex.nds.l1.0f.w1 4B /r | skylake,nd`);
  return out;
}
