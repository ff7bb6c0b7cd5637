/**
 * FMA3 (Intel, VEX 66 0F38: W0 single, W1 double precision) with NASM's
 * operand-order aliases (123 = 213, 312 = 132, 321 = 231), and AMD's FMA4
 * (VEX 66 0F3A with the fourth operand in an /is4 byte: W0 takes the memory
 * operand third, W1 fourth). Opcodes from the Intel SDM / AMD APM; forms
 * checked against NASM 2.16.01 (fixtures/encoding/vex).
 */
const FMA = 'haswell';
const FMA4 = '8086'; // NASM gives AMD's FMA4 no cpu level (accepted under `cpu 8086`, measured)

/** FMA3 operations: name, packed opcode base (132 form), scalar opcode base. */
const FMA3_OPS: ReadonlyArray<readonly [string, number, number]> = [
  ['VFMADDSUB', 0x96, -1],
  ['VFMSUBADD', 0x97, -1],
  ['VFMADD', 0x98, 0x99],
  ['VFMSUB', 0x9a, 0x9b],
  ['VFNMADD', 0x9c, 0x9d],
  ['VFNMSUB', 0x9e, 0x9f],
];
/** Operand orders: NASM's spelling → the opcode row (132: +0, 213: +0x10, 231: +0x20). */
const ORDERS: ReadonlyArray<readonly [string, number]> = [
  ['132', 0],
  ['312', 0],
  ['213', 0x10],
  ['123', 0x10],
  ['231', 0x20],
  ['321', 0x20],
];

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

function fma3(): string {
  const out: string[] = [];
  for (const [name, packed, scalar] of FMA3_OPS) {
    for (const [order, add] of ORDERS) {
      for (const [suffix, w] of [
        ['PS', 'w0'],
        ['PD', 'w1'],
      ] as const)
        out.push(
          `${name}${order}${suffix} xmm,xmm,xmm/m128 | vex.dds.128.66.0f38.${w} ${hex(packed + add)} /r | ${FMA}`,
          `${name}${order}${suffix} ymm,ymm,ymm/m256 | vex.dds.256.66.0f38.${w} ${hex(packed + add)} /r | ${FMA}`,
        );
      if (scalar < 0) continue;
      for (const [suffix, w, bits] of [
        ['SS', 'w0', 32],
        ['SD', 'w1', 64],
      ] as const)
        out.push(
          `${name}${order}${suffix} xmm,xmm,xmm/m${bits} | vex.dds.128.66.0f38.${w} ${hex(scalar + add)} /r | ${FMA}`,
        );
    }
  }
  return out.join('\n');
}

// The scalar forms (FMA3 …SS/…SD, FMA4 …SS/…SD) are L0, not LIG: ndisasm prints `db` for them with
// VEX.L 1 (C4 E2 4D A9 51 18); nasm writes L 0 either way.

/** FMA4 operations: name and opcode of the PS form (PD +1; scalar SS +2, SD +3 where they exist). */
const FMA4_OPS: ReadonlyArray<readonly [string, number, boolean]> = [
  ['VFMADDSUB', 0x5c, false],
  ['VFMSUBADD', 0x5e, false],
  ['VFMADD', 0x68, true],
  ['VFMSUB', 0x6c, true],
  ['VFNMADD', 0x78, true],
  ['VFNMSUB', 0x7c, true],
];

function fma4(): string {
  const out: string[] = [];
  const forms = (mn: string, op: number, vec: string, mem: string, l: string): void => {
    out.push(
      `${mn} ${vec},${vec}*,${vec}/${mem},${vec} | vex.nds.${l}.66.0f3a.w0 ${hex(op)} /r /is4 | ${FMA4}`,
      `${mn} ${vec},${vec}*,${vec},${vec}/${mem} | rvsm: vex.${l}.66.0f3a.w1 ${hex(op)} /r /is4 | ${FMA4}`,
    );
  };
  for (const [name, op, scalar] of FMA4_OPS) {
    forms(`${name}PS`, op, 'xmm', 'm128', '128');
    forms(`${name}PS`, op, 'ymm', 'm256', '256');
    forms(`${name}PD`, op + 1, 'xmm', 'm128', '128');
    forms(`${name}PD`, op + 1, 'ymm', 'm256', '256');
    if (!scalar) continue;
    forms(`${name}SS`, op + 2, 'xmm', 'm32', '128');
    forms(`${name}SD`, op + 3, 'xmm', 'm64', '128');
  }
  return out.join('\n');
}

export function fmaRows(): string {
  return fma3() + '\n' + fma4();
}
