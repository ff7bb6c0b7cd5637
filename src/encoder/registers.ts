/**
 * The register file as data: name, class, number (the 3-bit field value in
 * ModR/M, SIB or the opcode) and size in bytes.
 */
export type RegisterClass =
  | 'gpr8'
  | 'gpr16'
  | 'gpr32'
  | 'gpr64'
  | 'sreg'
  | 'creg'
  | 'dreg'
  | 'treg'
  | 'fpu'
  | 'mmx'
  | 'xmm'
  | 'ymm'
  | 'zmm'
  | 'kreg'
  | 'tmm'
  | 'bnd';

export interface Register {
  readonly name: string;
  readonly cls: RegisterClass;
  readonly num: number;
  /** Size in bytes (0 where the notion does not apply, e.g. control registers use 4). */
  readonly size: number;
  /**
   * Only encodable with a REX prefix (`spl` `bpl` `sil` `dil`, r8…r15 and their
   * parts, xmm8…xmm15): outside 64-bit
   * mode NASM rejects them ("invalid operands in non-64-bit mode"), except in
   * the few rows that ignore REX (PINSRB's register form). Absent = false.
   */
  readonly needsRex?: boolean;
}

const table: Register[] = [];
function add(cls: RegisterClass, size: number, names: readonly string[], first = 0, needsRex = false): void {
  names.forEach((name, i) =>
    table.push(needsRex ? { name, cls, num: first + i, size, needsRex } : { name, cls, num: first + i, size }),
  );
}

add('gpr8', 1, ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh']);
add('gpr8', 1, ['spl', 'bpl', 'sil', 'dil'], 4, true);
add('gpr16', 2, ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di']);
add('gpr32', 4, ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi']);
// 64-bit registers exist in every mode for NASM: outside BITS 64 a row using
// them is "instruction not supported in N-bit mode" (rax…rdi, 64-bit-only
// rows) or "invalid operands in non-64-bit mode" (the REX-only ones).
add('gpr64', 8, ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi']);
const extended = [8, 9, 10, 11, 12, 13, 14, 15];
add(
  'gpr64',
  8,
  extended.map((n) => `r${n}`),
  8,
  true,
);
add(
  'gpr32',
  4,
  extended.map((n) => `r${n}d`),
  8,
  true,
);
add(
  'gpr16',
  2,
  extended.map((n) => `r${n}w`),
  8,
  true,
);
add(
  'gpr8',
  1,
  extended.map((n) => `r${n}b`),
  8,
  true,
);
add('sreg', 2, ['es', 'cs', 'ss', 'ds', 'fs', 'gs']);
// NASM's names for the two reserved segment-register encodings (8C/8E with reg 6 and 7).
add('sreg', 2, ['segr6', 'segr7'], 6);
add('creg', 4, ['cr0', 'cr1', 'cr2', 'cr3', 'cr4', 'cr5', 'cr6', 'cr7', 'cr8']);
// cr8 outside BITS 64 takes NASM's LOCK-for-REX.R form; cr9…cr15 and dr8…dr15 need REX.
add('creg', 4, ['cr9', 'cr10', 'cr11', 'cr12', 'cr13', 'cr14', 'cr15'], 9, true);
add('dreg', 4, ['dr0', 'dr1', 'dr2', 'dr3', 'dr4', 'dr5', 'dr6', 'dr7']);
add(
  'dreg',
  4,
  extended.map((n) => `dr${n}`),
  8,
  true,
);
add('treg', 4, ['tr0', 'tr1', 'tr2', 'tr3', 'tr4', 'tr5', 'tr6', 'tr7']);
add('fpu', 10, ['st0', 'st1', 'st2', 'st3', 'st4', 'st5', 'st6', 'st7']);
add('mmx', 8, ['mm0', 'mm1', 'mm2', 'mm3', 'mm4', 'mm5', 'mm6', 'mm7']);
add('xmm', 16, ['xmm0', 'xmm1', 'xmm2', 'xmm3', 'xmm4', 'xmm5', 'xmm6', 'xmm7']);
// xmm8…xmm15 need REX.R/X/B: outside BITS 64 "invalid operands in non-64-bit mode".
add(
  'xmm',
  16,
  extended.map((n) => `xmm${n}`),
  8,
  true,
);
add('ymm', 32, ['ymm0', 'ymm1', 'ymm2', 'ymm3', 'ymm4', 'ymm5', 'ymm6', 'ymm7']);
// ymm8…ymm15 need VEX.R̅/X̅/B̅ (or vvvv's top bit): outside BITS 64 "invalid operands in non-64-bit mode".
add(
  'ymm',
  32,
  extended.map((n) => `ymm${n}`),
  8,
  true,
);
add('kreg', 8, ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
add('bnd', 16, ['bnd0', 'bnd1', 'bnd2', 'bnd3']);
// AMX tile registers (1 KiB each); only BITS 64 rows use them.
add('tmm', 1024, ['tmm0', 'tmm1', 'tmm2', 'tmm3', 'tmm4', 'tmm5', 'tmm6', 'tmm7']);

// AVX-512 (EVEX) registers: xmm16…31 and ymm16…31 (EVEX.R'/V'/X), zmm0…31.
// Numbers 16…31 are only reachable through EVEX: the matcher keeps them out of
// legacy and VEX rows (match.ts, evexOnlyRegister). Outside BITS 64 the EVEX
// encoder applies NASM's own rule (evex.ts): a register whose bit 3 is set
// needs REX-like bits and is refused, while 16…23 in the ModR/M fields pass.
const upper = Array.from({ length: 16 }, (_, i) => i + 16);
add(
  'xmm',
  16,
  upper.map((n) => `xmm${n}`),
  16,
);
add(
  'ymm',
  32,
  upper.map((n) => `ymm${n}`),
  16,
);
add(
  'zmm',
  64,
  Array.from({ length: 32 }, (_, i) => `zmm${i}`),
);

const byName = new Map<string, Register>(table.map((r) => [r.name, r]));

/** Looks a register up by name, case-insensitively (NASM register names ignore case). */
export function lookupRegister(name: string): Register | undefined {
  return byName.get(name.toLowerCase());
}

export const ALL_REGISTERS: readonly Register[] = table;
