/**
 * Integer arithmetic with the flags the Intel SDM (vol. 2) defines for each
 * instruction. Values are unsigned bigints of `size` bytes; each operation
 * returns the result and the new status flags. Where the SDM leaves a flag
 * undefined the choice made is stated (and matches what the x86-64 CPUs we
 * measured do for the cases tested in test/emu/flags.test.ts).
 */
export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const DF = 0x400;
export const OF = 0x800;
/** The six status flags arithmetic writes. */
export const STATUS = CF | PF | AF | ZF | SF | OF;

export const maskOf = (size: number): bigint => (1n << BigInt(size * 8)) - 1n;
const signOf = (size: number): bigint => 1n << BigInt(size * 8 - 1);

export interface AluResult {
  value: bigint;
  /** New values of the flags in `affected`. */
  flags: number;
  affected: number;
}

function parity(v: bigint): number {
  let b = Number(v & 0xffn);
  b ^= b >> 4;
  b ^= b >> 2;
  b ^= b >> 1;
  return b & 1 ? 0 : PF;
}

/** SF, ZF and PF of a result. */
export function szp(value: bigint, size: number): number {
  return (value === 0n ? ZF : 0) | (value & signOf(size) ? SF : 0) | parity(value);
}

export function add(a: bigint, b: bigint, carryIn: number, size: number): AluResult {
  const mask = maskOf(size);
  const full = a + b + BigInt(carryIn);
  const r = full & mask;
  let f = szp(r, size);
  if (full > mask) f |= CF;
  if ((a ^ r) & (b ^ r) & signOf(size)) f |= OF;
  if ((a ^ b ^ r) & 0x10n) f |= AF;
  return { value: r, flags: f, affected: STATUS };
}

export function sub(a: bigint, b: bigint, borrowIn: number, size: number): AluResult {
  const mask = maskOf(size);
  const r = (a - b - BigInt(borrowIn)) & mask;
  let f = szp(r, size);
  if (a < b + BigInt(borrowIn)) f |= CF;
  if ((a ^ b) & (a ^ r) & signOf(size)) f |= OF;
  if ((a ^ b ^ r) & 0x10n) f |= AF;
  return { value: r, flags: f, affected: STATUS };
}

/** AND, OR, XOR, TEST: CF and OF cleared; AF undefined (cleared, as the CPUs measured do). */
export function logic(r: bigint, size: number): AluResult {
  return { value: r, flags: szp(r, size), affected: STATUS };
}

/** INC and DEC leave CF alone. */
export function incDec(a: bigint, delta: 1 | -1, size: number): AluResult {
  const r = delta === 1 ? add(a, 1n, 0, size) : sub(a, 1n, 0, size);
  return { value: r.value, flags: r.flags & ~CF, affected: STATUS & ~CF };
}

/** NEG: 0 - a, CF set unless the operand was 0. */
export function neg(a: bigint, size: number): AluResult {
  return sub(0n, a, 0, size);
}

const unchanged = (a: bigint): AluResult => ({ value: a, flags: 0, affected: 0 });

/**
 * Shifts and rotates (group 2: /0 ROL … /7 SAR; /6 is SAL's alias of SHL).
 * The count is masked to 5 bits (6 for 64-bit operands); a zero count
 * changes nothing. OF is defined only for 1-bit shifts; for larger counts
 * it is computed by the same rule, as the CPUs measured do.
 */
export function shift(kind: number, a: bigint, rawCount: number, size: number, carryIn: number): AluResult {
  const bits = size * 8;
  const count = rawCount & (size === 8 ? 63 : 31);
  if (count === 0) return unchanged(a);
  const mask = maskOf(size);
  const msb = (v: bigint): number => (v & signOf(size) ? 1 : 0);
  const n = BigInt(count);
  switch (kind) {
    case 0: {
      const c = count % bits;
      const r = c === 0 ? a : ((a << BigInt(c)) | (a >> BigInt(bits - c))) & mask;
      const cf = Number(r & 1n);
      return { value: r, flags: cf | ((msb(r) ^ cf) !== 0 ? OF : 0), affected: CF | OF };
    }
    case 1: {
      const c = count % bits;
      const r = c === 0 ? a : ((a >> BigInt(c)) | (a << BigInt(bits - c))) & mask;
      const top = msb(r);
      const next = r & (signOf(size) >> 1n) ? 1 : 0;
      return { value: r, flags: top | (top ^ next ? OF : 0), affected: CF | OF };
    }
    case 2:
    case 3: {
      const c = count % (bits + 1);
      if (c === 0) return unchanged(a);
      // Rotate through carry: a (bits) plus CF as a (bits+1)-bit quantity.
      const wide = (BigInt(carryIn) << BigInt(bits)) | a;
      const wmask = (1n << BigInt(bits + 1)) - 1n;
      const C = BigInt(c);
      const rot =
        kind === 2
          ? ((wide << C) | (wide >> BigInt(bits + 1 - c))) & wmask
          : ((wide >> C) | (wide << BigInt(bits + 1 - c))) & wmask;
      const r = rot & mask;
      const cf = Number(rot >> BigInt(bits));
      const of = kind === 2 ? msb(r) ^ cf : msb(r) ^ (r & (signOf(size) >> 1n) ? 1 : 0);
      return { value: r, flags: cf | (of ? OF : 0), affected: CF | OF };
    }
    case 4:
    case 6: {
      const r = (a << n) & mask;
      const cf = count <= bits ? Number((a >> BigInt(bits - count)) & 1n) : 0;
      return { value: r, flags: szp(r, size) | cf | ((msb(r) ^ cf) !== 0 ? OF : 0), affected: STATUS };
    }
    case 5: {
      const r = a >> n;
      const cf = Number((a >> (n - 1n)) & 1n);
      return { value: r, flags: szp(r, size) | cf | (msb(a) ? OF : 0), affected: STATUS };
    }
    default: {
      const signed = BigInt.asIntN(bits, a);
      const r = BigInt.asUintN(bits, signed >> n);
      const cf = Number((signed >> (n - 1n)) & 1n);
      return { value: r, flags: szp(r, size) | cf, affected: STATUS };
    }
  }
}

/** SHLD (left) / SHRD: shift `dest` filling from `src`. Count masked as for shifts; > size is undefined (left unchanged here). */
export function doubleShift(left: boolean, dest: bigint, src: bigint, rawCount: number, size: number): AluResult {
  const bits = size * 8;
  const count = rawCount & (size === 8 ? 63 : 31);
  if (count === 0 || count > bits) return unchanged(dest);
  const mask = maskOf(size);
  const n = BigInt(count);
  const r = left
    ? ((dest << n) | (src >> BigInt(bits - count))) & mask
    : ((dest >> n) | (src << BigInt(bits - count))) & mask;
  const cf = left ? Number((dest >> BigInt(bits - count)) & 1n) : Number((dest >> (n - 1n)) & 1n);
  const of = (r ^ dest) & signOf(size) ? OF : 0;
  return { value: r, flags: szp(r, size) | cf | of, affected: STATUS };
}

export { signOf };
