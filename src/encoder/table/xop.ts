/**
 * AMD XOP (8F prefix, maps 8, 9 and A). The two-source forms come as W0
 * (memory second, vvvv third: `rmv`) and W1 (memory third), the /is4 forms
 * as VPCMOV/VPPERM do (W0: memory third; W1: memory fourth). Opcodes from
 * the AMD APM; forms checked against NASM 2.16.01 (fixtures/encoding/vex).
 * NASM lets the source of the one-source forms be left out (`vphaddbw xmm1`
 * is `vphaddbw xmm1,xmm1`, `vprotw xmm5,5` is `vprotw xmm5,xmm5,5`, measured
 * by fuzz/forms-probe.mjs), hence their `*`.
 */
const XOP = '8086'; // NASM gives AMD's XOP and FMA4 no cpu level (accepted under `cpu 8086`, measured)

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** The /is4 forms; `w1First`: NASM tries the W1 form (memory fourth) first (VPPERM, measured). */
function is4Forms(mn: string, op: string, ymm: boolean, w1: boolean, w1First = false): string {
  const out: string[] = [];
  for (const [vec, mem, l] of ymm
    ? ([
        ['xmm', 'm128', '128'],
        ['ymm', 'm256', '256'],
      ] as const)
    : ([['xmm', 'm128', '128']] as const)) {
    const w0Row = `${mn} ${vec},${vec}*,${vec}/${mem},${vec} | xop.nds.m8.${l}.w0 ${op} /r /is4 | ${XOP}`;
    const w1Row = `${mn} ${vec},${vec}*,${vec},${vec}/${mem} | rvsm: xop.m8.${l}.w1 ${op} /r /is4 | ${XOP}`;
    if (!w1) out.push(w0Row);
    else out.push(...(w1First ? [w1Row, w0Row] : [w0Row, w1Row]));
  }
  return out.join('\n');
}

/** Rotates and shifts by a vector: W0 `xmm,xmm/m128,xmm`, W1 `xmm,xmm,xmm/m128`. */
function shifts(): string {
  const out: string[] = [];
  const groups: Array<[string, number, number]> = [
    ['VPROT', 0x90, 0xc0],
    ['VPSHL', 0x94, -1],
    ['VPSHA', 0x98, -1],
  ];
  for (const [base, op, immOp] of groups) {
    ['B', 'W', 'D', 'Q'].forEach((size, i) => {
      const mn = `${base}${size}`;
      out.push(
        `${mn} xmm,xmm/m128*,xmm | rmv: xop.m9.128.w0 ${hex(op + i)} /r | ${XOP}`,
        `${mn} xmm,xmm*,xmm/m128 | rvm: xop.m9.128.w1 ${hex(op + i)} /r | ${XOP}`,
      );
      if (immOp >= 0) out.push(`${mn} xmm,xmm/m128*,imm8 | xop.m8.128.w0 ${hex(immOp + i)} /r ib,uw | ${XOP}`);
    });
  }
  return out.join('\n');
}

function horizontal(): string {
  const ops: Array<[string, number]> = [
    ['VPHADDBW', 0xc1],
    ['VPHADDBD', 0xc2],
    ['VPHADDBQ', 0xc3],
    ['VPHADDWD', 0xc6],
    ['VPHADDWQ', 0xc7],
    ['VPHADDDQ', 0xcb],
    ['VPHADDUBW', 0xd1],
    ['VPHADDUBD', 0xd2],
    ['VPHADDUBQ', 0xd3],
    ['VPHADDUWD', 0xd6],
    ['VPHADDUWQ', 0xd7],
    ['VPHADDUDQ', 0xdb],
    ['VPHSUBBW', 0xe1],
    ['VPHSUBWD', 0xe2],
    ['VPHSUBDQ', 0xe3],
  ];
  return ops.map(([mn, op]) => `${mn} xmm,xmm/m128* | xop.m9.128.w0 ${hex(op)} /r | ${XOP}`).join('\n');
}

function multiplyAccumulate(): string {
  const ops: Array<[string, number]> = [
    ['VPMACSSWW', 0x85],
    ['VPMACSSWD', 0x86],
    ['VPMACSSDQL', 0x87],
    ['VPMACSSDD', 0x8e],
    ['VPMACSSDQH', 0x8f],
    ['VPMACSWW', 0x95],
    ['VPMACSWD', 0x96],
    ['VPMACSDQL', 0x97],
    ['VPMACSDD', 0x9e],
    ['VPMACSDQH', 0x9f],
    ['VPMADCSSWD', 0xa6],
    ['VPMADCSWD', 0xb6],
  ];
  return ops.map(([mn, op]) => is4Forms(mn, hex(op), false, false)).join('\n');
}

function compares(): string {
  const out: string[] = [];
  ['B', 'W', 'D', 'Q'].forEach((size, i) => {
    out.push(`VPCOM${size} xmm,xmm*,xmm/m128,imm8 | xop.nds.m8.128.w0 ${hex(0xcc + i)} /r ib,uw | ${XOP}`);
    out.push(`VPCOMU${size} xmm,xmm*,xmm/m128,imm8 | xop.nds.m8.128.w0 ${hex(0xec + i)} /r ib,uw | ${XOP}`);
  });
  return out.join('\n');
}

function fractions(): string {
  return `
VFRCZPS xmm,xmm/m128* | xop.m9.128.w0 80 /r | ${XOP}
VFRCZPS ymm,ymm/m256* | xop.m9.256.w0 80 /r | ${XOP}
VFRCZPD xmm,xmm/m128* | xop.m9.128.w0 81 /r | ${XOP}
VFRCZPD ymm,ymm/m256* | xop.m9.256.w0 81 /r | ${XOP}
VFRCZSS xmm,xmm/m32*  | xop.m9.128.w0 82 /r | ${XOP}
VFRCZSD xmm,xmm/m64*  | xop.m9.128.w0 83 /r | ${XOP}
`;
}

export function xopRows(): string {
  return [
    is4Forms('VPCMOV', 'A2', true, true),
    is4Forms('VPPERM', 'A3', false, true, true),
    shifts(),
    horizontal(),
    multiplyAccumulate(),
    compares(),
    fractions(),
  ].join('\n');
}
