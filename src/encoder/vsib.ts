/**
 * VSIB addresses (gathers: `[rax+xmm2*4]`, `[ymm15*8+0x10]`): the SIB index
 * is a vector register, the base an optional general register. NASM 2.16.01's
 * rules and messages (measured):
 * - the vector register is always the index, at any scale 1/2/4/8 (`xmm2+xmm2`
 *   is `xmm2*2`, never split); other scales: "invalid N-bit effective address";
 * - a second vector register, or a general register with a scale other than
 *   1: "invalid effective address: two index registers"; two general
 *   registers: "invalid effective address: impossible register";
 * - the address size is the base's, else a written a16/a32/a64's, else the
 *   mode's (a 16-bit one: "invalid N-bit effective address"; a 64-bit base
 *   outside BITS 64, or a prefix of another size than the base's: an
 *   address-size clash, address-size.ts);
 * - a word or qword displacement size: "invalid N-bit effective address";
 * - no base: SIB base 101 with a disp32; base rbp/r13: a zero disp8.
 * A vector-indexed address on a row that takes no VSIB operand is "invalid
 * N-bit effective address".
 */
import { plainNumberOf } from '../core/value.js';
import type { EffectiveAddress } from './ea.js';
import type { Register } from './registers.js';
import type { MemoryOperand } from './types.js';

const VECTOR = new Set(['xmm', 'ymm', 'zmm']);

/** The vector index register of a VSIB address, or null for an ordinary one. */
export function vectorIndex(mem: MemoryOperand): Register | null {
  for (const r of mem.registers) if (r.scale !== 0 && VECTOR.has(r.reg.cls)) return r.reg;
  return null;
}

/** NASM's complaint about the registers of a vector-indexed address, whatever the mode and row, or null. */
export function vsibShapeError(mem: MemoryOperand): string | null {
  const regs = mem.registers.filter((r) => r.scale !== 0);
  // A third register has no place at all; of two, one must be a base (a general register, unscaled).
  if (regs.length > 2) return 'invalid effective address: impossible register';
  if (regs.length === 2 && !regs.some((r) => !VECTOR.has(r.reg.cls) && r.scale === 1))
    return 'invalid effective address: two index registers';
  return null;
}

/**
 * Fills `ea` for a VSIB address; returns NASM's message on error. The address size is in
 * `ea.addrSize`: the base's, else the written a16/a32/a64's (`prefixAddr`), else the mode's; after
 * an address-size clash (address-size.ts: a base of another size than the prefix's, a 64-bit
 * base outside BITS 64) nasm goes on with the mode's.
 */
export function encodeVsib(
  mem: MemoryOperand,
  bits: 16 | 32 | 64,
  ea: EffectiveAddress,
  prefixAddr: number,
  afterClash: boolean,
): string | null {
  const badEa = `invalid ${bits}-bit effective address`;
  let index: { reg: Register; scale: number } | null = null;
  let base: Register | null = null;
  for (const r of mem.registers) {
    if (r.scale === 0) continue;
    if (VECTOR.has(r.reg.cls)) {
      if (index) return 'invalid effective address: two index registers';
      index = { reg: r.reg, scale: r.scale };
    } else if (r.scale !== 1) return 'invalid effective address: two index registers';
    else if (base) return 'invalid effective address: impossible register';
    else base = r.reg;
  }
  if (!index) throw new Error('encodeVsib without a vector index');
  const natural = bits === 16 ? 16 : bits;
  const size = (afterClash ? natural : base !== null ? base.size * 8 : prefixAddr || natural) as 16 | 32 | 64;
  // No VSIB at 16 bits; after a clash a base of another size than the mode's is refused (measured:
  // `a16 vgatherdps xmm1,[ebx+xmm2],xmm3` in BITS 64 is "invalid 64-bit effective address"); so
  // is a word or qword displacement size (`[word ebx+xmm2]`, `[qword xmm2]`; byte and dword are taken).
  if (size === 16 || (base !== null && base.size * 8 !== size)) return badEa;
  if (base !== null && base.cls !== 'gpr32' && base.cls !== 'gpr64') return badEa;
  if (mem.displacementSize === 2 || mem.displacementSize === 8) return badEa;
  if (![1, 2, 4, 8].includes(index.scale)) return badEa;
  const scaleBits = index.scale === 1 ? 0 : index.scale === 2 ? 1 : index.scale === 4 ? 2 : 3;
  ea.addrSize = size;
  ea.disp = mem.displacement;
  ea.ripRelative = false;
  ea.rex = (index.reg.num & 8 ? 2 : 0) | (base && base.num & 8 ? 1 : 0);
  const sibHigh = (scaleBits << 6) | ((index.reg.num & 7) << 3);
  if (base === null) {
    ea.modRm = 0x04;
    ea.sib = sibHigh | 5;
    ea.dispSize = 4;
    return null;
  }
  const n = plainNumberOf(mem.displacement);
  const wide = n === null ? 0n : BigInt.asIntN(size, n);
  let dispSize: 0 | 1 | 4;
  if (mem.displacementSize === 1) dispSize = 1;
  else if (mem.displacementSize !== null) dispSize = 4;
  // A displacement that is no plain number (a label, `sym - $$`) always takes 32 bits.
  else if (!mem.hasDisplacement || (n !== null && wide === 0n)) dispSize = (base.num & 7) === 5 ? 1 : 0;
  else dispSize = n !== null && wide >= -128n && wide <= 127n ? 1 : 4;
  ea.dispSize = dispSize;
  ea.modRm = (dispSize === 0 ? 0 : dispSize === 1 ? 0x40 : 0x80) | 4;
  ea.sib = sibHigh | (base.num & 7);
  return null;
}
