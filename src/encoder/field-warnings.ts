/**
 * Writing a number into an instruction's field, and nasm's `number-overflow` warnings on the
 * value (measured against nasm 2.16.01: which ranges each kind of field accepts, and in which
 * part of the final pass the warning is reported, `phase`).
 */
import type { EncodeWarning, WarningPhase } from './types.js';

/**
 * 2^k and -2^k for k = 0…64: the limits of the range checks, made once (an expression such as
 * `1n << 31n` or `-limit` makes a new BigInt each time it runs, and these run for every field).
 */
const POW2: readonly bigint[] = Array.from({ length: 65 }, (_, k) => 1n << BigInt(k));
const NEG_POW2: readonly bigint[] = POW2.map((x) => -x);

/** Whether `n` lies outside -2^lowBits … 2^highBits - 1 (bits 0…64). */
export function outsideRange(n: bigint, lowBits: number, highBits: number): boolean {
  return n < (NEG_POW2[lowBits] as bigint) || n >= (POW2[highBits] as bigint);
}
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN = -SAFE_MAX;

export function writeLE(buf: Uint8Array, at: number, n: bigint, width: number): void {
  // Nearly every field is at most four bytes of a number Number holds exactly: written through a
  // 32-bit integer (ToInt32 keeps the low 32 bits exactly), with no BigInt made per byte.
  if (width <= 4 && n >= SAFE_MIN && n <= SAFE_MAX) {
    let x = Number(n) | 0;
    for (let k = 0; k < width; k++) {
      buf[at + k] = x & 0xff;
      x >>= 8;
    }
    return;
  }
  let v = BigInt.asUintN(width * 8, n);
  for (let k = 0; k < width; k++) {
    buf[at + k] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** One `number-overflow` warning (nasm's "… exceeds bounds"), reported in `phase`. */
export function overflowWarning(warnings: EncodeWarning[], message: string, phase: WarningPhase): void {
  warnings.push({ message, warningClass: 'number-overflow', phase });
}

/**
 * nasm's warnings on a sign-extended byte immediate of an `opSize`-bit operation (measured).
 * Written `byte`: a value that is neither a signed byte nor one in the operation's width
 * (`add ax,byte 0xffff` is fine, `0xffffffff` is not). Chosen by the optimiser (whose
 * value already fits once cut to the operation's width): the operation's own range.
 */
export function signedByteWarning(n: bigint, opSize: number, written: boolean, warnings: EncodeWarning[]): void {
  if (written) {
    const t = BigInt.asIntN(64, n);
    const top = POW2[Math.min(opSize, 64)] as bigint;
    const small = (t >= -128n && t <= 127n) || (opSize < 64 && t >= top - 128n && t < top);
    if (!small) overflowWarning(warnings, 'signed byte value exceeds bounds', 'write');
  } else if (opSize === 64) {
    const t = BigInt.asIntN(64, n);
    if (outsideRange(t, 31, 31)) overflowWarning(warnings, 'signed dword value exceeds bounds', 'write');
  } else {
    rangeWarning(n, opSize / 8, warnings, 'value');
    const t = BigInt.asIntN(opSize, n);
    if (t < -128n || t > 127n) overflowWarning(warnings, 'signed byte value exceeds bounds', 'write');
  }
}

/**
 * nasm's range check on an address field that is neither signed nor unsigned (a 16/32-bit
 * address's displacement or moffs): anything from -2^bits to 2^bits - 1 passes (measured).
 */
export function generalRangeWarning(n: bigint, width: number, phase: WarningPhase, warnings: EncodeWarning[]): void {
  if (outsideRange(n, width * 8, width * 8))
    overflowWarning(warnings, `${WIDTH_NAME[width]} data exceeds bounds`, phase);
}

/** nasm's check on a field the CPU sign-extends (a label's disp32 or rel32 in 64-bit code), reported once. */
export function signedRangeWarning(n: bigint, width: number, warnings: EncodeWarning[]): void {
  if (outsideRange(n, width * 8 - 1, width * 8 - 1))
    overflowWarning(warnings, `${WIDTH_NAME[width]} data exceeds bounds`, 'write');
}

const WIDTH_NAME: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

/**
 * nasm's checks on a 16/32-bit address's disp8 (measured, br2496848). A value outside the address
 * size's range, or not a signed byte once cut to it (`[byte eax+0xff]`, `[eax+0x1ffffffff]`),
 * warns while the address is built, so in both halves of the final pass; otherwise a value that is
 * itself no signed byte (`[eax+0xffffff80]`, cut to -128) warns once, when the field is written.
 */
export function disp8Warnings(n: bigint, addrSize: number, warnings: EncodeWarning[]): void {
  const cut = BigInt.asIntN(addrSize, n);
  if (outsideRange(n, addrSize, addrSize) || cut < -128n || cut > 127n)
    overflowWarning(warnings, 'byte data exceeds bounds', 'address');
  else if (n < -128n || n > 127n) overflowWarning(warnings, 'byte data exceeds bounds', 'write');
}

/**
 * Range warning NASM gives for a plain number stored in a field of `width` bytes: a field that
 * wraps (a plain `ib`/`iw`, and `ib,uw`) takes -2^n … 2^n-1, the others -2^(n-1) … 2^n-1.
 */
export function rangeWarning(n: bigint, width: number, warnings: EncodeWarning[], what: string, wraps = false): void {
  const bits = width * 8;
  if (outsideRange(n, wraps ? bits : bits - 1, bits)) {
    overflowWarning(warnings, `${WIDTH_NAME[width]} ${what} exceeds bounds`, 'write');
  }
}

/**
 * nasm's check on an unsigned byte immediate (`ib,u`: INT, IN/OUT, shift counts, BLENDPD…): any
 * negative number warns, -1 as much as -200 (`int -1`, `shl eax,-1`; measured), as does 256 and up.
 */
export function unsignedByteWarning(n: bigint, warnings: EncodeWarning[]): void {
  if (n < 0n || n > 255n) overflowWarning(warnings, 'byte data exceeds bounds', 'write');
}
