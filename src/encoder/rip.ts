/**
 * BITS 64 addressing decisions outside the ModR/M arithmetic: when an address
 * is RIP-relative, how its disp32 is resolved, and the warnings NASM gives
 * about 64-bit displacements (all measured with nasm 2.16.01).
 */
import { isPlainNumber, type Value } from '../core/value.js';
import { hasAddressRegister } from './ea.js';
import { outsideRange } from './field-warnings.js';
import type { EncodeContext, EncodeWarning, Fixup, MemoryOperand } from './types.js';

type Warnings = EncodeWarning[];

/**
 * True when a register-free address asks to be RIP-relative: `[rel x]`, or
 * `default rel` without `abs` and without an fs:/gs: override (those stay
 * absolute: `[fs:x]` is 64 8B 04 25 under `default rel`).
 */
export function relativeRequested(mem: MemoryOperand, defaultRel: boolean, segment: string | null): boolean {
  if (hasAddressRegister(mem)) return false;
  if (mem.relative === 'rel') return true;
  return mem.relative === null && defaultRel && segment !== 'fs' && segment !== 'gs';
}

/**
 * Whether the address is encoded RIP-relative. A plain number cannot be
 * (NASM warns and encodes it absolute, with the 04 25 SIB form).
 */
export function wantsRipRelative(
  mem: MemoryOperand,
  ctx: EncodeContext,
  segment: string | null,
  warnings: Warnings,
): boolean {
  if (!relativeRequested(mem, ctx.defaultRel, segment)) return false;
  // A value not known yet (a forward reference in pass one) is sized absolute, one byte
  // longer (measured: nasm's pass one does so, then shrinks the address in pass two, which
  // can leave a later short jump long, as in intel/isa-l's crc32_ieee_avx2.asm).
  if (mem.displacement.unknown) return false;
  // `[baz - $]` (a self-relative value, `baz` elsewhere) is no address either: nasm warns the same
  // and writes it absolute with a PC-relative relocation, as in BITS 32 (measured).
  if (isPlainNumber(mem.displacement) || (mem.displacement.minusBase ?? null) !== null) {
    warnings.push({ message: 'absolute address can not be RIP-relative', warningClass: 'ea-absolute' });
    return false;
  }
  return true;
}

/**
 * Fills the RIP-relative disp32 at `at` of an instruction `length` bytes long:
 * a target in the instruction's own section is resolved here (as NASM does),
 * anything else becomes a PC-relative fixup for the assembler. Says which it was.
 */
export function resolveRipRelative(
  target: Value,
  at: number,
  length: number,
  ctx: EncodeContext,
  buf: Uint8Array,
  fixups: Fixup[],
): 'local' | 'fixup' {
  const local =
    !target.unknown &&
    target.base === ctx.segment &&
    target.wrt === null &&
    !target.segmentOf &&
    (target.minusBase ?? null) === null;
  let n = local ? BigInt.asUintN(32, target.offset - (ctx.offset + BigInt(length))) : 0n;
  if (!local) fixups.push({ at, size: 4, value: target, relative: true, signed: true });
  for (let k = 0; k < 4; k++, n >>= 8n) buf[at + k] = Number(n & 0xffn);
  return local ? 'local' : 'fixup';
}

/** NASM's range warnings on a BITS 64 displacement (sign-extended to 64 bits). */
export function displacementWarning(n: bigint, size: number, warnings: Warnings): void {
  const bits = size === 1 ? 7 : 31;
  if (outsideRange(BigInt.asIntN(64, n), bits, bits))
    warnings.push({
      message: `${size === 1 ? 'byte' : 'dword'} data exceeds bounds`,
      warningClass: 'number-overflow',
      phase: 'displacement',
    });
}

/** An es/cs/ss/ds override on a BITS 64 address: NASM emits it but warns that the CPU ignores it. */
export function ignoredSegmentWarning(segment: string | null, warnings: Warnings): void {
  if (segment === 'es' || segment === 'cs' || segment === 'ss' || segment === 'ds')
    warnings.push({
      message: `${segment} segment base generated, but will be ignored in 64-bit mode`,
      warningClass: 'prefix-seg',
      phase: 'segment',
    });
}
