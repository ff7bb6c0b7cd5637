/**
 * Floating-point constants for `dw`/`dd`/`dq`/`dt`/`do` and the float
 * functions, bit for bit as nasm 2.16.01 converts them (BigInt, so 80- and
 * 128-bit values get all their bits).
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

const FORMATS: Readonly<Record<number | 'bfloat16', FloatFormat>> = {
  bfloat16: { bytes: 2, exponentBits: 8, mantissaBits: 7, explicitInteger: false },
  1: { bytes: 1, exponentBits: 4, mantissaBits: 3, explicitInteger: false },
  2: { bytes: 2, exponentBits: 5, mantissaBits: 10, explicitInteger: false },
  4: { bytes: 4, exponentBits: 8, mantissaBits: 23, explicitInteger: false },
  8: { bytes: 8, exponentBits: 11, mantissaBits: 52, explicitInteger: false },
  10: { bytes: 10, exponentBits: 15, mantissaBits: 64, explicitInteger: true },
  16: { bytes: 16, exponentBits: 15, mantissaBits: 112, explicitInteger: false },
};

export class FloatError extends Error {}

/** How `[float …]` rounds: nasm's `near` (ties to even), `up`, `down` (toward ±infinity), `zero`. */
export type FloatRounding = 'near' | 'up' | 'down' | 'zero';

/** The `[float …]` state a conversion uses: the rounding, and `daz` (denormal results become zero). */
export interface FloatMode {
  readonly round: FloatRounding;
  readonly daz: boolean;
}

export const DEFAULT_FLOAT_MODE: FloatMode = { round: 'near', daz: false };

/**
 * nasm 2.16.01's conversion, reconstructed by measurement (sweeps of random
 * constants against nasm, fixtures/float/): the significand is carried in a
 * fixed 192-bit binary fraction, and every step truncates to it.
 *
 * - Decimal: at most 52 significant digits are read (the rest are dropped,
 *   with the `float-toolong` warning); the exponent saturates at ±5000. The
 *   digits become a 192-bit fraction (truncated), which is then multiplied by
 *   5^exponent by binary powering, where 5 and 1/5 are 192-bit fractions
 *   (1/5 rounded up in its last bit) and every product keeps only its top 192
 *   bits. This is why nasm's last bit sometimes differs from IEEE rounding.
 * - Hex, octal, binary (`0x1.8p3`, `$1.0p1`, `0b1.1`): the digits are exact,
 *   cut to 192 bits.
 * - Packing: the 192 bits are shifted into place under the sign and exponent
 *   (the bits shifted out are lost), then rounded to nearest, ties to even,
 *   on what remains. A constant whose exponent is one above the largest
 *   finite one is packed as it is (nasm writes a NaN pattern for
 *   `dd 3.5e38`); only a rounding carry beyond that, or a larger exponent,
 *   gives infinity and the `float-overflow` warning.
 */
const WIDTH = 192n;
const MASK = (1n << WIDTH) - 1n;
const MAX_DIGITS = 52;

/** A positive value `fraction / 2^192 * 2^exponent` with the fraction's top bit set, or zero. */
interface Significand {
  fraction: bigint;
  exponent: number;
}

/** Reports a warning (message, nasm warning class). */
export type FloatWarn = (message: string, warningClass: string) => void;

/** The top 192 bits of a product of two 192-bit fractions, and the exponent change its normalisation made. */
function multiplyTruncated(a: bigint, b: bigint): { fraction: bigint; shift: number } {
  const product = a * b;
  if (product >> (2n * WIDTH - 1n)) return { fraction: product >> WIDTH, shift: 0 };
  return { fraction: (product >> (WIDTH - 1n)) & MASK, shift: -1 };
}

/** A 192-bit fraction of `num / den` (0 < num/den < 1 not required), truncated, with its binary exponent. */
function truncatedFraction(num: bigint, den: bigint): Significand {
  if (num === 0n) return { fraction: 0n, exponent: 0 };
  // num/den = 0.1xxx * 2^e with 2^(e-1) <= num/den < 2^e.
  let e = bitLength(num) - bitLength(den) + 1;
  if (e >= 1 ? num < den << BigInt(e - 1) : num << BigInt(1 - e) < den) e--;
  const shift = WIDTH - BigInt(e);
  const fraction = shift >= 0n ? (num << shift) / den : num / (den << -shift);
  return { fraction, exponent: e };
}

/** The number of bits of a positive integer (from its hex digits: a quarter of the binary text). */
function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return hex.length * 4 - (Math.clz32(parseInt(hex[0]!, 16)) - 28);
}

/** 10^n for the significand's digit counts (at most MAX_DIGITS), made once. */
const POWERS_OF_TEN: bigint[] = [1n];
function powerOfTen(n: number): bigint {
  while (POWERS_OF_TEN.length <= n) POWERS_OF_TEN.push(POWERS_OF_TEN[POWERS_OF_TEN.length - 1]! * 10n);
  return POWERS_OF_TEN[n]!;
}

/** Saturating exponent reader: digits and `_`; nasm caps the magnitude at `max` as it reads. */
function readExponent(text: string, max: number): number {
  let i = 0;
  let negative = false;
  let rest = text;
  if (rest[0] === '+' || rest[0] === '-') {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  for (const ch of rest) {
    if (ch === '_') continue;
    if (ch < '0' || ch > '9') throw new FloatError(`invalid character in floating-point constant exponent: '${ch}'`);
    i = Math.min(i * 10 + (ch.charCodeAt(0) - 48), max);
  }
  return negative ? -i : i;
}

function decimalSignificand(text: string, warn: FloatWarn | undefined): Significand {
  const expAt = text.search(/[eE]/);
  const mantissaText = expAt >= 0 ? text.slice(0, expAt) : text;
  let digits = '';
  let tenPower = 0;
  let seenDot = false;
  let started = false;
  let warned = false;
  // The significant digits are kept as one slice of the text while they run unbroken (`404.247`
  // is `404` then `247`): a string grown a character at a time costs an object per character.
  let runStart = -1;
  const endRun = (at: number): void => {
    if (runStart >= 0) digits += mantissaText.slice(runStart, Math.min(at, runStart + MAX_DIGITS - digits.length));
    runStart = -1;
  };
  for (let i = 0; i < mantissaText.length; i++) {
    const code = mantissaText.charCodeAt(i);
    if (code === 46 /* . */) {
      if (seenDot) throw new FloatError('too many periods in floating-point constant');
      endRun(i);
      seenDot = true;
    } else if (code >= 48 && code <= 57) {
      if (code === 48 && !started) {
        if (seenDot) tenPower--;
        continue;
      }
      started = true;
      if (digits.length + (runStart < 0 ? 0 : i - runStart) < MAX_DIGITS) {
        if (runStart < 0) runStart = i;
      } else if (!warned) {
        warn?.(`floating-point constant significand contains more than ${MAX_DIGITS} digits`, 'float-toolong');
        warned = true;
      }
      if (!seenDot) tenPower++;
    } else if (code === 95 /* _ */) {
      endRun(i);
    } else {
      const ch = String.fromCodePoint(mantissaText.codePointAt(i)!);
      throw new FloatError(`invalid character in floating-point constant significand: '${ch}'`);
    }
  }
  endRun(mantissaText.length);
  if (expAt >= 0) tenPower += readExponent(text.slice(expAt + 1), 5000);
  // 0.digits as a truncated 192-bit fraction: value = that * 10^tenPower = that * 2^tenPower * 5^tenPower.
  const start = truncatedFraction(BigInt(digits || '0'), powerOfTen(digits.length));
  if (start.fraction === 0n) return start;
  let fraction = start.fraction;
  let twoPower = start.exponent + tenPower;
  let power = Math.abs(tenPower);
  const squares = tenPower > 0 ? FIVE_SQUARES : FIFTH_SQUARES;
  for (let k = 0; power > 0; k++, power >>= 1) {
    if (power & 1) {
      const multiplier = repeatedSquare(squares, k);
      const product = multiplyTruncated(fraction, multiplier.fraction);
      fraction = product.fraction;
      twoPower += multiplier.exponent + product.shift;
    }
  }
  return { fraction, exponent: twoPower };
}

/**
 * The multipliers of binary powering, 5^(2^k) and (1/5)^(2^k) as nasm computes them (each the
 * truncated square of the one before), kept between constants: they are the same every time.
 * 5 = 0.625 * 2^3; 1/5 = 0.8 * 2^-2 with 0.8 = 0.CCCC…CD (rounded up in its last bit).
 */
const FIVE_SQUARES: Significand[] = [{ fraction: 0xan << (WIDTH - 4n), exponent: 3 }];
const FIFTH_SQUARES: Significand[] = [{ fraction: (MASK / 5n) * 4n + 1n, exponent: -2 }];

function repeatedSquare(squares: Significand[], k: number): Significand {
  while (squares.length <= k) {
    const last = squares[squares.length - 1]!;
    const square = multiplyTruncated(last.fraction, last.fraction);
    squares.push({ fraction: square.fraction, exponent: last.exponent * 2 + square.shift });
  }
  return squares[k]!;
}

/** Hex (`0x`, `0h`, `$`), octal (`0o`, `0q`) and binary (`0b`, `0y`) floats: exact digits, `p` exponent. */
function radixSignificand(body: string, radix: number): Significand {
  const expAt = body.search(/[pP]/);
  const mantissaText = expAt >= 0 ? body.slice(0, expAt) : body;
  let num = 0n;
  let fractionDigits = 0;
  let seenDot = false;
  for (const ch of mantissaText) {
    if (ch === '_') continue;
    if (ch === '.') {
      if (seenDot) throw new FloatError('too many periods in floating-point constant');
      seenDot = true;
      continue;
    }
    const d = parseInt(ch, radix);
    if (Number.isNaN(d)) throw new FloatError(`invalid character in floating-point constant significand: '${ch}'`);
    num = num * BigInt(radix) + BigInt(d);
    if (seenDot) fractionDigits++;
  }
  const bitsPerDigit = Math.log2(radix);
  const exponent = expAt >= 0 ? readExponent(body.slice(expAt + 1), 20000) : 0;
  const value = truncatedFraction(num, 1n);
  return { fraction: value.fraction, exponent: value.exponent - fractionDigits * bitsPerDigit + exponent };
}

const PREFIX_RADIX: Readonly<Record<string, number>> = { x: 16, h: 16, o: 8, q: 8, b: 2, y: 2, d: 10, t: 10 };

function significandOf(text: string, warn: FloatWarn | undefined): Significand {
  const s = text.toLowerCase();
  if (s.startsWith('$')) return radixSignificand(s.slice(1), 16);
  const prefix = /^0[xhoqbydt]/.test(s) ? s[1]! : '';
  const radix = PREFIX_RADIX[prefix] ?? 10;
  const body = prefix === '' ? s : s.slice(2);
  return radix === 10 ? decimalSignificand(body, warn) : radixSignificand(body, radix);
}

/** NASM's special values (`__?Infinity?__`, `__?QNaN?__`, …), by the lower-case name inside the underscores. */
const SPECIAL_VALUES: Readonly<Record<string, string>> = {
  infinity: 'Infinity',
  nan: 'NaN',
  qnan: 'QNaN',
  snan: 'SNaN',
};

const SPECIAL_NAMES: ReadonlySet<string> = new Set(Object.values(SPECIAL_VALUES));

/** The special value an identifier names, in any case as nasm reads them (`__?nan?__`, `__INFINITY__`). */
export function specialFloatName(identifier: string): string | null {
  const m = /^__\??(infinity|nan|qnan|snan)\??__$/i.exec(identifier);
  return m ? (SPECIAL_VALUES[m[1]!.toLowerCase()] ?? null) : null;
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

/**
 * Encodes a float constant into `size` bytes (or nasm's bfloat16), little-endian;
 * packed BCD (`123p`) for the 80-bit size. `warn` receives nasm's float warnings.
 */
export function encodeFloat(
  text: string,
  negative: boolean,
  size: number | 'bfloat16',
  warn?: FloatWarn,
  mode: FloatMode = DEFAULT_FLOAT_MODE,
): Uint8Array {
  const format = formatOf(size);
  if (isPackedBcdText(text)) return packedBcd(text, negative, size, warn);
  return littleEndian(encodeFloatBits(text, negative, size, warn, mode), format.bytes);
}

/** encodeFloat's bytes as one little-endian integer (a data field takes it without a byte array). */
export function encodeFloatBits(
  text: string,
  negative: boolean,
  size: number | 'bfloat16',
  warn?: FloatWarn,
  mode: FloatMode = DEFAULT_FLOAT_MODE,
): bigint {
  const format = formatOf(size);
  if (isPackedBcdText(text)) return fromLittleEndian(packedBcd(text, negative, size, warn));
  const bits = SPECIAL_NAMES.has(text) ? encodeSpecial(text, format) : encodeFinite(text, negative, format, warn, mode);
  return negative ? bits | (1n << BigInt(format.exponentBits + format.mantissaBits)) : bits;
}

function formatOf(size: number | 'bfloat16'): FloatFormat {
  const format = FORMATS[size];
  if (!format)
    throw new FloatError(
      typeof size === 'number' ? `no ${size * 8}-bit floating-point format supported` : `no format ${size}`,
    );
  return format;
}

function fromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

function isPackedBcdText(text: string): boolean {
  const s = text.toLowerCase();
  return s.endsWith('p') || s.startsWith('0p');
}

/** nasm's packed BCD: 18 digits in nibbles, low digits first, the sign in the top bit of byte 9. */
function packedBcd(
  text: string,
  negative: boolean,
  size: number | 'bfloat16',
  warn: FloatWarn | undefined,
): Uint8Array {
  if (size !== 10) throw new FloatError('packed BCD requires an 80-bit format');
  const s = text.toLowerCase();
  const body = s.startsWith('0p') ? s.slice(2) : s.slice(0, -1);
  let digits = '';
  for (const ch of body) {
    if (ch === '_') continue;
    if (ch < '0' || ch > '9') throw new FloatError(`invalid character \`${ch}' in packed BCD constant`);
    digits += ch;
  }
  if (digits.length > 18) {
    warn?.('packed BCD truncated to 18 digits', 'other');
    digits = digits.slice(-18);
  }
  const out = new Uint8Array(10);
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    out[i >> 1]! |= i & 1 ? digit << 4 : digit;
  }
  if (negative) out[9] = 0x80;
  return out;
}

function littleEndian(bits: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  // 32 bits at a time through a Number: no BigInt per byte.
  for (let at = 0; at < size; at += 4, bits >>= 32n) {
    let word = Number(BigInt.asUintN(32, bits));
    for (let i = at; i < size && i < at + 4; i++, word >>>= 8) out[i] = word & 0xff;
  }
  return out;
}

/**
 * Whether the bits below the format round the magnitude up (`roundBit` is the first of them,
 * `sticky` says whether any later one is set). `up` and `down` round toward ±infinity, so on the
 * magnitude they round away from zero for one sign and truncate for the other. nasm 2.16.01
 * rounds away from zero only when the round bit is set; the bits after it do not count
 * (measured, `float up`: `dd 0x1.000003p0` is 3f800002, `dd 0x1.0000028p0` is 3f800001).
 */
function roundsUp(mode: FloatMode, negative: boolean, odd: boolean, roundBit: boolean, sticky: boolean): boolean {
  switch (mode.round) {
    case 'near':
      return roundBit && (sticky || odd);
    case 'zero':
      return false;
    case 'up':
      return !negative && roundBit;
    case 'down':
      return negative && roundBit;
  }
}

/** A nonzero constant too small for the format (or flushed by `daz`): zero, with nasm's warning. */
function underflow(warn: FloatWarn | undefined): bigint {
  warn?.('underflow in floating-point constant', 'float-underflow');
  return 0n;
}

/**
 * The bit pattern (without sign) of a finite constant, packed and rounded as nasm does under
 * `mode`. Directed rounding changes only whether the last bit is bumped, so a constant just above
 * the largest finite one becomes that (no carry, no `float-overflow`), while a larger exponent
 * still gives infinity (measured: `float down` + `dd 3.4028236e38` is 7f7fffff, `dd 1e39` is inf).
 */
function encodeFinite(
  text: string,
  negative: boolean,
  format: FloatFormat,
  warn: FloatWarn | undefined,
  mode: FloatMode,
): bigint {
  const { fraction, exponent: twoPower } = significandOf(text, warn);
  if (fraction === 0n) return 0n;
  const totalBits = BigInt(format.bytes * 8);
  const expMax = 1 << (format.exponentBits - 1);
  const integerBitAt = BigInt(format.mantissaBits); // position of the integer bit in the packed pattern
  const infinity = (): bigint => {
    warn?.('overflow in floating-point constant', 'float-overflow');
    const all = (1n << BigInt(format.exponentBits)) - 1n;
    return (all << BigInt(format.mantissaBits)) | (format.explicitInteger ? 1n << (integerBitAt - 1n) : 0n);
  };
  const exponent = twoPower - 1; // value = 1.xxx * 2^exponent
  if (exponent > expMax) return infinity();
  const normal = exponent >= 2 - expMax;
  const explicit = format.explicitInteger ? 1 : 0;
  // Below half the smallest denormal nasm gives zero before rounding, so `up` does not make it
  // the smallest denormal (measured: `float up` + `dd 0x1p-150` is 1, `dd 0x1.8p-151` is 0).
  if (exponent < 1 - expMax - (format.mantissaBits - explicit)) return underflow(warn);
  // Shift the fraction into place under sign and exponent; denormals go further right.
  const shift = BigInt(format.exponentBits + explicit + (normal ? 0 : 2 - expMax - exponent));
  const placed = shift >= WIDTH ? 0n : fraction >> shift;
  const dropped = WIDTH - totalBits; // bits below the format, used for rounding only
  let packed = placed >> dropped;
  const roundBit = ((placed >> (dropped - 1n)) & 1n) === 1n;
  const sticky = (placed & ((1n << (dropped - 1n)) - 1n)) !== 0n;
  if (roundsUp(mode, negative, (packed & 1n) === 1n, roundBit, sticky)) packed++;
  const integerBit = format.explicitInteger ? integerBitAt - 1n : integerBitAt;
  if (!normal) {
    // Rounded up into the smallest normal: the integer bit doubles as exponent 1.
    if (packed >> integerBit === 1n && !format.explicitInteger) return packed;
    if (format.explicitInteger && packed >> integerBit === 1n) return (1n << BigInt(format.mantissaBits)) | packed;
    // `daz` flushes a result that stays denormal to (signed) zero; one rounded up into the
    // smallest normal is kept (measured: `float daz` + `dd 0x1.ffffffp-127` is 00800000). A
    // denormal warns as such even when rounding leaves no bit (`float zero` + `dd 0x1.8p-150`).
    if (mode.daz) return underflow(warn);
    warn?.('denormal floating-point constant', 'float-denorm');
    return packed;
  }
  let biased = BigInt(exponent + expMax - 1);
  if (packed >> (integerBit + 1n) !== 0n) {
    // The rounding carried into the next power of two; only then does nasm check for overflow.
    packed >>= 1n;
    biased++;
    if (biased >= BigInt(2 * expMax - 1)) return infinity();
  }
  const mantissa = format.explicitInteger ? packed : packed & ((1n << integerBitAt) - 1n);
  return (biased << BigInt(format.mantissaBits)) | mantissa;
}

/**
 * The bits of a float as an integer, as the `__?floatN?__()` functions give them (`kind` is
 * `8` … `128h` or `bfloat16`): `80m`/`128l` are the low 64 bits, `80e`/`128h` the rest.
 * Throws FloatError as encodeFloat does.
 */
export function floatFunctionBits(
  kind: string,
  text: string,
  negative: boolean,
  mode: FloatMode = DEFAULT_FLOAT_MODE,
  warn?: FloatWarn,
): bigint {
  const size =
    kind === 'bfloat16' ? 'bfloat16' : kind.startsWith('80') ? 10 : kind.startsWith('128') ? 16 : Number(kind) / 8;
  const bytes = encodeFloat(text, negative, size, warn, mode);
  const part =
    kind === '80e'
      ? bytes.subarray(8, 10)
      : kind === '128h'
        ? bytes.subarray(8, 16)
        : bytes.subarray(0, Math.min(8, bytes.length));
  return fromLittleEndian(part);
}

/** One float item's conversion: its bytes and the warnings it gave, or the error it threw. */
export interface FloatConversion {
  /** The bytes as one little-endian integer (encodeFloatBits). */
  readonly bits: bigint | null;
  readonly error: FloatError | null;
  readonly warnings: readonly FloatWarning[];
}

export interface FloatWarning {
  readonly message: string;
  readonly warningClass: string;
}

const NO_WARNINGS: readonly FloatWarning[] = [];

/** Conversions kept per table (size and sign) before it is emptied and starts again. */
const CONVERSIONS_KEPT = 1 << 14;
const conversions = new Map<number, Map<string, FloatConversion>>();
const ROUNDINGS: readonly FloatRounding[] = ['near', 'up', 'down', 'zero'];

/**
 * encodeFloat's outcome for a data item, remembered: the assembler converts each float item in
 * pass one (for its errors) and again in the final pass (for its bytes and warnings), and data
 * repeats its constants.
 */
export function convertFloat(text: string, negative: boolean, size: number, mode: FloatMode): FloatConversion {
  // One table per size, sign and mode: the mode changes the bits (and whether there is an overflow).
  const modeIndex = ROUNDINGS.indexOf(mode.round) * 2 + (mode.daz ? 1 : 0);
  const key = (modeIndex * 2 + (negative ? 1 : 0)) * 32 + size;
  let table = conversions.get(key);
  if (table === undefined) conversions.set(key, (table = new Map<string, FloatConversion>()));
  const known = table.get(text);
  if (known !== undefined) return known;
  let warnings = NO_WARNINGS as FloatWarning[];
  let conversion: FloatConversion;
  try {
    const bits = encodeFloatBits(
      text,
      negative,
      size,
      (message, warningClass) => {
        if (warnings === NO_WARNINGS) warnings = [];
        warnings.push({ message, warningClass });
      },
      mode,
    );
    conversion = { bits, error: null, warnings };
  } catch (e) {
    if (!(e instanceof FloatError)) throw e;
    conversion = { bits: null, error: e, warnings };
  }
  if (table.size >= CONVERSIONS_KEPT) table.clear();
  table.set(text, conversion);
  return conversion;
}
