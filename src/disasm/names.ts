/** Register names as ndisasm writes them, by register class and number (0-15 with REX). */
import type { RegisterClass } from '../encoder/registers.js';

const REGISTER_NAMES: Partial<Record<RegisterClass, readonly string[]>> = {
  gpr8: ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'],
  gpr16: ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'],
  gpr32: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'],
  sreg: ['es', 'cs', 'ss', 'ds', 'fs', 'gs', 'segr6', 'segr7'],
  creg: ['cr0', 'cr1', 'cr2', 'cr3', 'cr4', 'cr5', 'cr6', 'cr7'],
  dreg: ['dr0', 'dr1', 'dr2', 'dr3', 'dr4', 'dr5', 'dr6', 'dr7'],
  treg: ['tr0', 'tr1', 'tr2', 'tr3', 'tr4', 'tr5', 'tr6', 'tr7'],
  fpu: ['st0', 'st1', 'st2', 'st3', 'st4', 'st5', 'st6', 'st7'],
  mmx: ['mm0', 'mm1', 'mm2', 'mm3', 'mm4', 'mm5', 'mm6', 'mm7'],
  xmm: ['xmm0', 'xmm1', 'xmm2', 'xmm3', 'xmm4', 'xmm5', 'xmm6', 'xmm7'],
  ymm: ['ymm0', 'ymm1', 'ymm2', 'ymm3', 'ymm4', 'ymm5', 'ymm6', 'ymm7'],
  zmm: ['zmm0', 'zmm1', 'zmm2', 'zmm3', 'zmm4', 'zmm5', 'zmm6', 'zmm7'],
  kreg: ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'],
  tmm: ['tmm0', 'tmm1', 'tmm2', 'tmm3', 'tmm4', 'tmm5', 'tmm6', 'tmm7'],
  bnd: ['bnd0', 'bnd1', 'bnd2', 'bnd3', 'bnd4', 'bnd5', 'bnd6', 'bnd7'],
};

const EXTENDED = [8, 9, 10, 11, 12, 13, 14, 15];
/** Vector registers 8-31 (16-31 with EVEX's fifth bit). */
const VECTOR_EXTENDED = Array.from({ length: 24 }, (_, i) => i + 8);
const GPR64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', ...EXTENDED.map((n) => `r${n}`)];
/** Registers 8-15 of the classes REX extends, as ndisasm names them (`r8b`, `r9w`, `r10d`, `xmm12`, `cr9`). */
const EXTENDED_NAMES: Partial<Record<RegisterClass, readonly string[]>> = {
  gpr8: EXTENDED.map((n) => `r${n}b`),
  gpr16: EXTENDED.map((n) => `r${n}w`),
  gpr32: EXTENDED.map((n) => `r${n}d`),
  xmm: VECTOR_EXTENDED.map((n) => `xmm${n}`),
  ymm: VECTOR_EXTENDED.map((n) => `ymm${n}`),
  zmm: VECTOR_EXTENDED.map((n) => `zmm${n}`),
  creg: EXTENDED.map((n) => `cr${n}`),
  dreg: EXTENDED.map((n) => `dr${n}`),
};
const REX_BYTE_REGISTERS = ['spl', 'bpl', 'sil', 'dil'];

/**
 * Register `num` (0-15, vector registers 0-31) of class `cls`. With a REX prefix, byte registers 4-7
 * are spl…dil instead of ah…bh; classes REX does not extend (MMX, x87,
 * segment) ignore the fourth bit, as the processor does.
 */
export function registerName(cls: RegisterClass, num: number, rex = 0): string {
  if (cls === 'gpr64') return GPR64[num] ?? `?${cls}${num}`;
  if (num >= 8) {
    const extended = EXTENDED_NAMES[cls];
    if (extended) return extended[num - 8] ?? `?${cls}${num}`;
    num &= 7;
  }
  if (cls === 'gpr8' && rex !== 0 && num >= 4) return REX_BYTE_REGISTERS[num - 4] as string;
  return REGISTER_NAMES[cls]?.[num] ?? `?${cls}${num}`;
}
