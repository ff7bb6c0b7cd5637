/**
 * Literal values: NASM's number forms, strings with escapes, and the decision
 * "is this number token a floating-point constant?".
 */

/** Result of reading a number token: an integer, a float (kept as text), or an error. */
export type NumberReading =
  /** `overflows`: the number does not fit in 64 bits (`value` keeps the low 64; nasm warns). */
  { kind: 'integer'; value: bigint; overflows?: boolean } | { kind: 'float'; text: string } | { kind: 'invalid' };

const RADIX_BY_LETTER: Readonly<Record<string, number>> = {
  x: 16,
  h: 16,
  d: 10,
  t: 10,
  q: 8,
  o: 8,
  b: 2,
  y: 2,
};

/** How BigInt() is told a radix (it reads these four, and no other). */
const BIGINT_PREFIX: Readonly<Record<number, string>> = { 16: '0x', 10: '', 8: '0o', 2: '0b' };

function digitsToBigInt(digits: string, radix: number): bigint | null {
  if (digits.length === 0) return null;
  for (let i = 0; i < digits.length; i++) if (digitValue(digits.charCodeAt(i)) >= radix) return null;
  // Checked digits of one of BigInt's radixes: one conversion, not a BigInt per digit.
  return BigInt(BIGINT_PREFIX[radix]! + digits);
}

/** A digit's value (letters either case), 99 for any other character. */
function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const letter = code | 0x20;
  if (letter >= 97 && letter <= 122) return letter - 87;
  return 99;
}

/** Only the digits 0-9: the commonest number token, a decimal integer (no float, no BCD, no radix). */
function isDecimalDigits(image: string): boolean {
  for (let i = 0; i < image.length; i++) {
    const code = image.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return image.length > 0;
}

/**
 * True when a number token is packed BCD (`123p`, `0p123`): nasm reads any
 * number token ending in `p`, or starting `0p`, as one (and then complains
 * about characters that are not decimal digits).
 */
export function isPackedBcd(image: string): boolean {
  const last = image.charCodeAt(image.length - 1) | 0x20;
  return last === 112 /* p */ || (image.charCodeAt(0) === 48 && (image.charCodeAt(1) | 0x20) === 112);
}

/**
 * True when a number token is a floating-point constant: a decimal point, or
 * an exponent (`e` in a non-hex number, `p` in any). `1e5`, `1e` and `5e-`
 * are floats in NASM; `0x1e5` is not.
 */
export function isFloatToken(image: string): boolean {
  if (isDecimalDigits(image)) return false;
  const s = image.toLowerCase();
  if (isPackedBcd(s)) return false;
  if (s.includes('.') || s.includes('p')) return true;
  const hex = s.startsWith('0x') || s.startsWith('0h') || s.startsWith('$') || /^[0-9][0-9a-f_]*h$/.test(s);
  if (hex) return false;
  return /^[0-9][0-9_]*e[+-]?[0-9_]*$/.test(s);
}

/**
 * Reads an integer in any NASM form: prefixes `0x 0h $ 0d 0t 0q 0o 0b 0y`,
 * suffixes `h d t q o b y`, `_` separators (not inside a prefix: `0_x10` is
 * no number). A prefix with no digits (`0x`, `$`) is 0, as in nasm 2.16.01.
 */
export function readNumber(image: string): NumberReading {
  // Up to 19 digits always fit in 64 bits.
  if (image.length < 20 && isDecimalDigits(image)) return { kind: 'integer', value: BigInt(image) };
  if (isFloatToken(image)) return { kind: 'float', text: image };
  const raw = image.toLowerCase();
  const s = raw.replace(/_/g, '');
  let value: bigint | null = null;
  if (raw.startsWith('$')) {
    value = s.length === 1 ? 0n : digitsToBigInt(s.slice(1), 16);
  } else {
    const last = s[s.length - 1]!;
    const suffixRadix = RADIX_BY_LETTER[last];
    const prefixRadix = raw[0] === '0' ? RADIX_BY_LETTER[raw[1] ?? ''] : undefined;
    // A radix suffix wins over a prefix (`0b1h` is hex B1): try it first, but
    // `b` and `d` are also hex digits, so only when the rest is valid in that radix.
    if (suffixRadix !== undefined && s.length > 1 && !(s[1] === 'x' && s[0] === '0')) {
      value = digitsToBigInt(s.slice(0, -1), suffixRadix);
    }
    if (value === null && prefixRadix !== undefined) {
      value = s.length === 2 ? 0n : digitsToBigInt(s.slice(2), prefixRadix);
    }
    if (value === null) value = digitsToBigInt(s, 10);
  }
  if (value === null) return { kind: 'invalid' };
  const low = BigInt.asUintN(64, value);
  return low === value ? { kind: 'integer', value } : { kind: 'integer', value: low, overflows: true };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  "'": 0x27,
  '"': 0x22,
  '`': 0x60,
  '\\': 0x5c,
  '?': 0x3f,
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  e: 27,
};

/** UTF-8 without Node's Buffer, so the library runs in a browser. */
const UTF8 = new TextEncoder();

function utf8(codePoint: number, out: number[]): void {
  const bytes = UTF8.encode(String.fromCodePoint(codePoint));
  for (const b of bytes) out.push(b);
}

/**
 * The bytes of a string literal token (quotes included in `image`).
 * Single and double quotes take the text as is; back quotes process C-style
 * escapes (`\n`, `\x41`, `\101`, `\u263a`, …) as the NASM manual describes.
 */
export function stringBytes(image: string): Uint8Array {
  const quote = image[0];
  const body = image.slice(1, -1);
  const out: number[] = [];
  // Source text holds one character per byte (read as ISO 8859-1), so bytes outside ASCII are
  // copied unchanged, as nasm does; characters above U+00FF (text given to the API) go as UTF-8.
  const literal = (at: number): number => {
    const code = body.codePointAt(at)!;
    if (code <= 0xff) out.push(code);
    else utf8(code, out);
    return code > 0xffff ? 2 : 1;
  };
  if (quote !== '`') {
    for (let i = 0; i < body.length;) i += literal(i);
    return new Uint8Array(out);
  }
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      i += literal(i) - 1;
      continue;
    }
    const next = body[++i];
    if (next === undefined) break;
    if (SIMPLE_ESCAPES[next] !== undefined) {
      out.push(SIMPLE_ESCAPES[next]);
    } else if (next === 'x') {
      let hex = '';
      while (hex.length < 2 && /[0-9a-fA-F]/.test(body[i + 1] ?? '')) hex += body.charAt(++i);
      out.push(hex.length ? parseInt(hex, 16) : 0);
    } else if (/[0-7]/.test(next)) {
      let oct = next;
      while (oct.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) oct += body.charAt(++i);
      out.push(parseInt(oct, 8) & 0xff);
    } else if (next === 'u' || next === 'U') {
      const len = next === 'u' ? 4 : 8;
      let hex = '';
      while (hex.length < len && /[0-9a-fA-F]/.test(body[i + 1] ?? '')) hex += body.charAt(++i);
      utf8(parseInt(hex || '0', 16), out);
    } else {
      // Unknown escapes keep the character itself.
      i += literal(i) - 1;
    }
  }
  return new Uint8Array(out);
}

/** nasm's string functions `__?utf16?__("…")`, `…le`, `…be`, `__?utf32?__` …, by name (either spelling). */
export const STRING_FUNCTION = /^__\??utf(16|32)(le|be)?\??__$/i;

/** A string function's input that is not UTF-8 as nasm reads it. */
export class StringFunctionError extends Error {}

/** How nasm names a string function in its messages, whichever spelling was written: `__?utf16le?__`. */
export function stringFunctionName(written: string): string {
  const [, width, order] = STRING_FUNCTION.exec(written)!;
  return `__?utf${width}${order?.toLowerCase() ?? ''}?__`;
}

/**
 * The code points of UTF-8 `bytes`, or null where nasm refuses them: a stray or missing
 * continuation byte, an overlong form, a surrogate. nasm still reads the old 5- and 6-byte forms
 * (up to 0x7fffffff, for UTF-32).
 */
function utf8CodePoints(bytes: Uint8Array): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i++]!;
    if (lead < 0x80) {
      out.push(lead);
      continue;
    }
    const extra =
      lead >= 0xfc
        ? lead >= 0xfe
          ? -1
          : 5
        : lead >= 0xf8
          ? 4
          : lead >= 0xf0
            ? 3
            : lead >= 0xe0
              ? 2
              : lead >= 0xc0
                ? 1
                : -1;
    if (extra < 0) return null;
    let code = lead & (0x3f >> extra);
    for (let k = 0; k < extra; k++) {
      const next = bytes[i++];
      if (next === undefined || (next & 0xc0) !== 0x80) return null;
      code = code * 64 + (next & 0x3f);
    }
    const shortest = [0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000][extra]!;
    if (code < shortest || (code >= 0xd800 && code <= 0xdfff)) return null;
    out.push(code);
  }
  return out;
}

/**
 * The bytes of a string function: the string's bytes read as UTF-8, written as UTF-16/32
 * (little-endian unless `be`). Throws StringFunctionError with nasm's message on bad input.
 */
export function utfBytes(functionName: string, bytes: Uint8Array): Uint8Array {
  const [, width, order] = STRING_FUNCTION.exec(functionName)!;
  const unit = width === '16' ? 2 : 4;
  const bigEndian = order?.toLowerCase() === 'be';
  const codes = utf8CodePoints(bytes);
  if (codes === null || (unit === 2 && codes.some((code) => code > 0x10ffff)))
    throw new StringFunctionError(`invalid input string to ${stringFunctionName(functionName)}`);
  const out: number[] = [];
  const put = (value: number): void => {
    for (let i = 0; i < unit; i++) out.push(Math.floor(value / 2 ** (8 * (bigEndian ? unit - 1 - i : i))) & 0xff);
  };
  for (const code of codes) {
    if (unit === 4 || code <= 0xffff) put(code);
    else {
      // nasm 2.16.01 writes a big-endian pair low surrogate first (its byte swap takes the pair as one unit).
      const high = 0xd800 + ((code - 0x10000) >> 10);
      const low = 0xdc00 + ((code - 0x10000) & 0x3ff);
      put(bigEndian ? low : high);
      put(bigEndian ? high : low);
    }
  }
  return new Uint8Array(out);
}

/** A character constant's value: the bytes little-endian, as NASM reads `'ab'` = 0x6261. */
export function characterConstant(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = Math.min(bytes.length, 8) - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}
