/**
 * nasm's address-size agreement, which it works out for the whole line before it looks at the
 * rows (measured with nasm 2.16.01, every mode against a16/a32/a64/asp and each kind of address):
 * the mode allows two sizes (16 and 32, or 32 and 64 in BITS 64); a written a16/a32/a64/asp keeps
 * its one size (`asp` is a16 in BITS 32, a32 otherwise); every general register of an address keeps
 * its own size (`[ebx+bx]` keeps none); an address with no register at all keeps the size its
 * displacement size names (`[word 5]` 16, `[dword 5]` 32, `[qword 5]` 64 outside BITS 64; in
 * BITS 64 only `[word 5]` counts). Vector index registers and `[byte 5]` keep every size. When no
 * size is left, nasm says "impossible combination of address sizes" in its first pass and goes on
 * with the mode's own address size.
 */
import type { InstructionRequest } from './types.js';

const SIZE_16 = 1;
const SIZE_32 = 2;
const SIZE_64 = 4;

/** The address size an a16/a32/a64/asp prefix asks for (the last one written), or 0 for none. */
export function writtenAddressSize(prefixes: readonly string[], bits: number): 0 | 16 | 32 | 64 {
  let written: 0 | 16 | 32 | 64 = 0;
  for (const p of prefixes) {
    if (p === 'a16') written = 16;
    else if (p === 'a32') written = 32;
    else if (p === 'a64') written = 64;
    else if (p === 'asp') written = bits === 32 ? 16 : 32;
  }
  return written;
}

function sizeBit(size: number): number {
  return size === 16 ? SIZE_16 : size === 32 ? SIZE_32 : SIZE_64;
}

/** Whether the mode, the written address-size prefix and the line's addresses leave no address size. */
export function addressSizesClash(req: InstructionRequest, bits: number): boolean {
  let sizes = bits === 64 ? SIZE_32 | SIZE_64 : SIZE_16 | SIZE_32;
  const written = writtenAddressSize(req.prefixes, bits);
  if (written !== 0) sizes &= sizeBit(written);
  for (const o of req.operands) {
    if (o.kind !== 'mem') continue;
    let registers = 0;
    for (const r of o.registers) {
      if (r.scale === 0) continue;
      registers++;
      const cls = r.reg.cls;
      if (cls === 'gpr16' || cls === 'gpr32' || cls === 'gpr64') sizes &= sizeBit(r.reg.size * 8);
    }
    if (registers > 0) continue;
    const ds = o.displacementSize;
    if (bits === 64 ? ds === 2 : ds === 2 || ds === 4 || ds === 8) sizes &= sizeBit((ds as number) * 8);
  }
  return sizes === 0;
}
