/**
 * Floating-point constants for `dw`/`dd`/`dq`/`dt`/`do`: exact decimal (or
 * hex) to binary conversion with round-to-nearest-even, done with BigInt so
 * 80-bit extended values get all 64 mantissa bits right (a JS double has 53).
 */

interface FloatFormat {
  /** Total size in bytes. */
  bytes: number;
  exponentBits: number;
  /** Stored mantissa bits (excluding the implicit bit when `explicitInteger` is false). */
  mantissaBits: number;
  /** The x87 80-bit format stores the integer bit explicitly. */
  explicitInteger: boolean;
}

const FORMATS: Readonly<Record<number, FloatFormat>> = {
  1: { bytes: 1, exponentBits: 4, mantissaBits: 3, explicitInteger: false },
  2: { bytes: 2, exponentBits: 5, mantissaBits: 10, explicitInteger: false },
  4: { bytes: 4, exponentBits: 8, mantissaBits: 23, explicitInteger: false },
  8: { bytes: 8, exponentBits: 11, mantissaBits: 52, explicitInteger: false },
  10: { bytes: 10, exponentBits: 15, mantissaBits: 64, explicitInteger: true },
  16: { bytes: 16, exponentBits: 15, mantissaBits: 112, explicitInteger: false },
};

export class FloatError extends Error {}

/** An exact rational: numerator / denominator, both positive. */
interface Rational {
  num: bigint;
  den: bigint;
}

/** Parses NASM float syntax into an exact rational (decimal `1.5e3`, hex `0x1.8p3`). */
function parseFloatText(text: string): Rational {
  let s = text.toLowerCase().replace(/_/g, '');
  let radix = 10;
  if (s.startsWith('0x') || s.startsWith('0h')) {
    radix = 16;
    s = s.slice(2);
  } else if (s.startsWith('0b') || s.startsWith('0y')) {
    radix = 2;
    s = s.slice(2);
  } else if (s.startsWith('0o') || s.startsWith('0q')) {
    radix = 8;
    s = s.slice(2);
  } else if (s.startsWith('0d') || s.startsWith('0t')) {
    s = s.slice(2);
  }
  const expMarker = radix === 10 ? 'e' : 'p';
  let exponent = 0;
  const expAt = s.indexOf(expMarker);
  if (expAt >= 0) {
    const expText = s.slice(expAt + 1);
    if (!/^[+-]?[0-9]+$/.test(expText)) throw new FloatError(`invalid floating-point constant`);
    exponent = parseInt(expText, 10);
    s = s.slice(0, expAt);
  }
  const [intPart = '', fracPart = ''] = s.split('.');
  const digits = intPart + fracPart;
  let num = 0n;
  const r = BigInt(radix);
  for (const ch of digits) {
    const d = parseInt(ch, radix);
    if (Number.isNaN(d)) throw new FloatError(`invalid floating-point constant`);
    num = num * r + BigInt(d);
  }
  let den = r ** BigInt(fracPart.length);
  // Decimal exponents scale by 10; binary-radix exponents (p) scale by 2.
  const base = radix === 10 ? 10n : 2n;
  if (exponent >= 0) num *= base ** BigInt(exponent);
  else den *= base ** BigInt(-exponent);
  return { num, den };
}

/** NASM's special values (`__?Infinity?__`, `__?QNaN?__`, …), by the name inside the underscores. */
const SPECIAL_VALUES = new Set(['Infinity', 'NaN', 'QNaN', 'SNaN']);

export function specialFloatName(identifier: string): string | null {
  const m = /^__\??(Infinity|NaN|QNaN|SNaN)\??__$/.exec(identifier);
  return m && SPECIAL_VALUES.has(m[1]!) ? m[1]! : null;
}

function encodeSpecial(name: string, format: FloatFormat): bigint {
  const maxExp = (1n << BigInt(format.exponentBits)) - 1n;
  const integerBit = format.explicitInteger ? 1n << BigInt(format.mantissaBits - 1) : 0n;
  const quietBit = 1n << BigInt(format.mantissaBits - (format.explicitInteger ? 2 : 1));
  let mantissa = integerBit;
  if (name === 'NaN' || name === 'QNaN') mantissa |= quietBit;
  else if (name === 'SNaN') mantissa |= 1n;
  return (maxExp << BigInt(format.mantissaBits)) | mantissa;
}

/** Encodes a float constant into `size` bytes, little-endian. */
export function encodeFloat(text: string, negative: boolean, size: number): Uint8Array {
  const format = FORMATS[size];
  if (!format) throw new FloatError(`no floating-point format of size ${size}`);
  const bits = SPECIAL_VALUES.has(text) ? encodeSpecial(text, format) : encodeFinite(text, format);
  return littleEndian(negative ? bits | (1n << BigInt(format.exponentBits + format.mantissaBits)) : bits, format.bytes);
}

function littleEndian(bits: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return out;
}

/** The bit pattern (without sign) of a finite constant, rounded to nearest even. */
function encodeFinite(text: string, format: FloatFormat): bigint {
  const { num, den } = parseFloatText(text);
  const bias = (1 << (format.exponentBits - 1)) - 1;
  const maxExp = (1 << format.exponentBits) - 1;
  // Precision including the integer bit.
  const precision = format.explicitInteger ? format.mantissaBits : format.mantissaBits + 1;

  let bits: bigint;
  if (num === 0n) {
    bits = 0n;
  } else {
    // Find e such that 2^e <= num/den < 2^(e+1).
    let e = num.toString(2).length - den.toString(2).length;
    if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
    let biased = e + bias;
    let shift: number; // mantissa = round(num/den * 2^shift)
    if (biased <= 0) {
      // Denormal: fixed scale 2^(1 - bias - (precision - 1)).
      shift = precision - 1 - (1 - bias);
      biased = 0;
    } else {
      shift = precision - 1 - e;
    }
    let scaledNum = num;
    let scaledDen = den;
    if (shift >= 0) scaledNum <<= BigInt(shift);
    else scaledDen <<= BigInt(-shift);
    let mantissa = scaledNum / scaledDen;
    const remainder2 = (scaledNum % scaledDen) * 2n;
    if (remainder2 > scaledDen || (remainder2 === scaledDen && (mantissa & 1n) === 1n)) mantissa++;
    if (biased === 0) {
      // A denormal that rounded up into the normal range becomes the smallest normal.
      if (mantissa >> BigInt(precision - 1) === 1n) biased = 1;
    } else if (mantissa >> BigInt(precision) === 1n) {
      mantissa >>= 1n;
      biased++;
    }
    if (biased >= maxExp) {
      // Overflow: infinity.
      biased = maxExp;
      mantissa = format.explicitInteger ? 1n << BigInt(precision - 1) : 0n;
    }
    const stored = format.explicitInteger ? mantissa : mantissa & ((1n << BigInt(format.mantissaBits)) - 1n);
    bits = (BigInt(biased) << BigInt(format.mantissaBits)) | stored;
  }
  return bits;
}
