/**
 * Writing a number into an instruction's field, and nasm's `number-overflow` warnings on the
 * value (measured against nasm 2.16.01: which ranges each kind of field accepts, and in which
 * part of the final pass the warning is reported, `phase`).
 */
import type { EncodeWarning, WarningPhase } from './types.js';

export function writeLE(buf: Uint8Array, at: number, n: bigint, width: number): void {
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
  const warn = (message: string): void => {
    overflowWarning(warnings, message, 'write');
  };
  if (written) {
    const t = BigInt.asIntN(64, n);
    const top = 1n << BigInt(Math.min(opSize, 64));
    const small = (t >= -128n && t <= 127n) || (opSize < 64 && t >= top - 128n && t < top);
    if (!small) warn('signed byte value exceeds bounds');
  } else if (opSize === 64) {
    const t = BigInt.asIntN(64, n);
    if (t < -(1n << 31n) || t >= 1n << 31n) warn('signed dword value exceeds bounds');
  } else {
    rangeWarning(n, opSize / 8, warnings, 'value');
    const t = BigInt.asIntN(opSize, n);
    if (t < -128n || t > 127n) warn('signed byte value exceeds bounds');
  }
}

/**
 * nasm's range check on an address field that is neither signed nor unsigned (a 16/32-bit
 * address's displacement or moffs): anything from -2^bits to 2^bits - 1 passes (measured).
 */
export function generalRangeWarning(n: bigint, width: number, phase: WarningPhase, warnings: EncodeWarning[]): void {
  const limit = 1n << BigInt(width * 8);
  if (n < -limit || n >= limit) overflowWarning(warnings, `${WIDTH_NAME[width]} data exceeds bounds`, phase);
}

/** nasm's check on a field the CPU sign-extends (a label's disp32 or rel32 in 64-bit code), reported once. */
export function signedRangeWarning(n: bigint, width: number, warnings: EncodeWarning[]): void {
  const limit = 1n << BigInt(width * 8 - 1);
  if (n < -limit || n >= limit) overflowWarning(warnings, `${WIDTH_NAME[width]} data exceeds bounds`, 'write');
}

const WIDTH_NAME: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

/**
 * nasm's checks on a 16/32-bit address's disp8 (measured, br2496848). A value outside the address
 * size's range, or not a signed byte once cut to it (`[byte eax+0xff]`, `[eax+0x1ffffffff]`),
 * warns while the address is built, so in both halves of the final pass; otherwise a value that is
 * itself no signed byte (`[eax+0xffffff80]`, cut to -128) warns once, when the field is written.
 */
export function disp8Warnings(n: bigint, addrSize: number, warnings: EncodeWarning[]): void {
  const warn = (phase: WarningPhase): void => {
    overflowWarning(warnings, 'byte data exceeds bounds', phase);
  };
  const limit = 1n << BigInt(addrSize);
  const cut = BigInt.asIntN(addrSize, n);
  if (n < -limit || n >= limit || cut < -128n || cut > 127n) warn('address');
  else if (n < -128n || n > 127n) warn('write');
}

/**
 * Range warning NASM gives for a plain number stored in a field of `width` bytes: a field that
 * wraps (a plain `ib`/`iw`, and `ib,uw`) takes -2^n … 2^n-1, the others -2^(n-1) … 2^n-1.
 */
export function rangeWarning(n: bigint, width: number, warnings: EncodeWarning[], what: string, wraps = false): void {
  const bits = BigInt(width * 8);
  if (n < -(1n << (wraps ? bits : bits - 1n)) || n >= 1n << bits) {
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
