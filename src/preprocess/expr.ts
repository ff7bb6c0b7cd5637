/**
 * The preprocessor's expression evaluator (`%if`, `%assign`, `%rep`, …).
 * Values are 64-bit two's complement (BigInt, wrapped after every step) and
 * operators follow NASM's precedence, lowest first:
 *   `?:`  `||`  `^^`  `&&`  comparisons  `|`  `^`  `&`  shifts  `+ -`
 *   `* / // % %%`  unary `- + ~ !`.
 * Behaviour checked against nasm 2.16.01 (e.g. `/` and `%` are unsigned,
 * `//` and `%%` signed, shift counts are taken modulo 64, `<` & co compare
 * signed values, `<=>` is not accepted by its preprocessor).
 */
import { EvalError as ExprError, scalarBinary, scalarUnary } from '../core/expressions.js';
import {
  DEFAULT_FLOAT_MODE,
  FloatError,
  floatFunctionBits,
  specialFloatName,
  type FloatMode,
  type FloatWarn,
} from '../core/float.js';
import { isFloatToken, isPackedBcd } from '../core/numbers.js';
import { K, type Tok, isTerminatedString, unquote } from './tokenize.js';

/**
 * An expression error with nasm's message (`division by zero` …). The same
 * class as the assembler's: the operators (src/core/expressions.ts) throw it.
 */
export { ExprError };

/** Raised for an expression the preprocessor cannot reduce to a number (a symbol, `<=>` …). */
export class NonConstantError extends Error {}

/**
 * A shift or `?:` given a label or register: nasm reports it and goes on, so the value is then
 * non-constant too (two errors on the line).
 */
export class NonScalarThenNonConstantError extends ExprError {}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/**
 * The binary operators by precedence, lowest first. Each one's arithmetic is
 * the assembler's (scalarBinary); only the syntax is the preprocessor's.
 */
const LEVELS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['||']),
  new Set(['^^']),
  new Set(['&&']),
  new Set(['=', '==', '!=', '<>', '<', '<=', '>', '>=']),
  new Set(['|']),
  new Set(['^']),
  new Set(['&']),
  new Set(['<<', '>>', '<<<', '>>>']),
  new Set(['+', '-']),
  new Set(['*', '/', '//', '%', '%%']),
];
const COMPARISON_LEVEL = 3;

/** Preprocessor spellings of the assembler's operators. */
const SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['=', '=='],
  ['<>', '!='],
]);

/** Parses a NASM integer literal (64-bit wrapped); returns null if it is not one (e.g. a float). */
export function parseNumber(text: string): bigint | null {
  const value = literalValue(text);
  return value === null ? null : wrap(value);
}

/** An integer literal's value as written (not wrapped), or null. */
function literalValue(text: string): bigint | null {
  // Plain decimal digits, by far the most common, need none of the radix rules below.
  if (isPlainDecimal(text)) return BigInt(text);
  let s = text.replace(/_/g, '');
  let radix = 10;
  if (s.startsWith('$')) {
    radix = 16;
    s = s.slice(1);
  } else if (/^0[xhdtoqby]/i.test(s) && s.length > 2) {
    const p = s[1]!.toLowerCase();
    const prefixRadix = p === 'x' || p === 'h' ? 16 : p === 'd' || p === 't' ? 10 : p === 'o' || p === 'q' ? 8 : 2;
    const rest = s.slice(2);
    if (isDigits(rest, prefixRadix)) return toBig(rest, prefixRadix);
    // Otherwise fall through to suffix rules (e.g. `0bh` is hex 0xb).
  }
  if (radix === 10) {
    const last = s[s.length - 1]!.toLowerCase();
    const body = s.slice(0, -1);
    if ((last === 'h' || last === 'x') && body.length > 0) {
      radix = 16;
      s = body;
    } else if ((last === 'd' || last === 't') && isDigits(body, 10) && body.length > 0) {
      s = body;
    } else if ((last === 'o' || last === 'q') && body.length > 0) {
      radix = 8;
      s = body;
    } else if ((last === 'b' || last === 'y') && isDigits(body, 2) && body.length > 0) {
      radix = 2;
      s = body;
    }
  }
  if (!isDigits(s, radix)) return null;
  return toBig(s, radix);
}

function isPlainDecimal(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** True for an integer literal above 2^64 - 1 (nasm warns, then keeps the low 64 bits). */
function overflows64(text: string): boolean {
  const value = literalValue(text);
  return value !== null && value > 0xffff_ffff_ffff_ffffn;
}

function isDigits(s: string, radix: number): boolean {
  if (s.length === 0) return false;
  const re = radix === 16 ? /^[0-9a-f]+$/i : radix === 10 ? /^[0-9]+$/ : radix === 8 ? /^[0-7]+$/ : /^[01]+$/;
  return re.test(s);
}

function toBig(s: string, radix: number): bigint {
  let v = 0n;
  const r = BigInt(radix);
  for (const ch of s) v = v * r + BigInt(parseInt(ch, radix));
  return v;
}

/**
 * A string used as a number: its bytes little-endian. As nasm, only the
 * first `width` bytes count (8 in BITS 64, else 4); `tooLong` when more
 * were given (nasm's "character constant too long").
 */
export function charConstant(quoted: string, width = 8): { value: bigint; tooLong: boolean } {
  const bytes = unquote(quoted);
  let v = 0n;
  for (let i = Math.min(bytes.length, width) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes.charCodeAt(i) & 255);
  return { value: wrap(v), tooLong: bytes.length > width };
}

/** A position in a section (or an extern): `base` names the section, `offset` is within it. */
export interface Address {
  base: number;
  offset: bigint;
}

/** Hooks the evaluator needs from the preprocessor. */
export interface ExprEnv {
  /** Value of an identifier left after macro expansion (a number or an address), or throws. */
  symbol(name: string): bigint | Address;
  /** `$` / `$$` (a number in absolute space), or null: a term of its own (positions unknown to the preprocessor). */
  position?(which: '$' | '$$'): bigint | Address | null;
  /** Bytes of a character constant that count (nasm: 8 in BITS 64, else 4). */
  charWidth?: number;
  /** nasm's warnings while evaluating (`character constant too long`). */
  warn?(message: string, warningClass: string): void;
  /**
   * Tokens left after a whole expression: nasm's directives that warn about them and go on
   * (absent: an expression syntax error). `rest` starts at the token the expression stopped at.
   */
  trailing?(rest: readonly Tok[]): void;
  /** An error nasm reports and evaluates on after (absent: it ends the evaluation). */
  error?(message: string): void;
  /** The `[float]` mode for the float functions (absent: the default one). */
  floatMode?(): FloatMode;
}

/** `__?float32?__` & co (and the spellings without `?`): the kind of float, or null. */
const FLOAT_FUNCTION =
  /^__(?:\?(float(?:8|16|32|64|80m|80e|128l|128h)|bfloat16)\?|(float(?:8|16|32|64|80m|80e|128l|128h)|bfloat16))__$/i;

/** The bits of a float constant as an integer; `80m`/`128l` are the low 64 bits, `80e`/`128h` the rest. */
function floatBits(kind: string, literal: string, negative: boolean, mode: FloatMode, warn?: FloatWarn): bigint {
  const text = specialFloatName(literal) ?? literal;
  // As in the assembler's expressions (grammar/literals.ts): an integer such as `1` or `0x10` is no float (measured).
  if (specialFloatName(literal) === null && !isFloatToken(text) && !isPackedBcd(text))
    throw new ExprError('expecting floating-point number');
  try {
    return wrap(floatFunctionBits(kind, text, negative, mode, warn));
  } catch (e) {
    if (e instanceof FloatError) throw new ExprError(e.message);
    throw e;
  }
}

/**
 * A value as nasm's evaluator keeps it: a number plus multiples of things that are not
 * constant here (labels, externs, registers, `$`, `$$`). Sums and scalar multiples of them
 * stay exact, so `label - label`, `2*$ - $ - $` and `eax*0` are numbers (nasm 2.16.01:
 * `%if a - a` is false, `%if a == a` true); the other operators refuse them as nasm does.
 */
interface Linear {
  n: bigint;
  /** Symbol -> coefficient; no zero coefficients; null when there are none (a number). */
  terms: Map<string, bigint> | null;
}

const scalar = (n: bigint): Linear => ({ n, terms: null });

function combine(a: Linear, b: Linear, sign: bigint): Linear {
  const n = wrap(a.n + sign * b.n);
  if (b.terms === null) return { n, terms: a.terms };
  const terms = new Map(a.terms ?? []);
  for (const [name, k] of b.terms) {
    const sum = wrap((terms.get(name) ?? 0n) + sign * k);
    if (sum === 0n) terms.delete(name);
    else terms.set(name, sum);
  }
  return { n, terms: terms.size > 0 ? terms : null };
}

function scale(a: Linear, k: bigint): Linear {
  if (a.terms === null || k === 0n) return scalar(wrap(a.n * k));
  const terms = new Map<string, bigint>();
  for (const [name, c] of a.terms) if (wrap(c * k) !== 0n) terms.set(name, wrap(c * k));
  return { n: wrap(a.n * k), terms: terms.size > 0 ? terms : null };
}

/**
 * What a symbol or `$` is when nothing can say (nasm -E): one unknown shared by all of them, so
 * they cancel (`a - b` is 0), and a comparison or division with it is unknown in turn.
 */
export const UNKNOWN_ADDRESS: Readonly<Address> = Object.freeze({ base: -1, offset: 0n });
const UNKNOWN_KEY = '\u0000-1';

const unknown = (): Linear => ({ n: 0n, terms: new Map([[UNKNOWN_KEY, 1n]]) });
/** Holds the unknown and nothing else that is not a number (nasm's is_just_unknown). */
const isJustUnknown = (a: Linear): boolean => a.terms !== null && a.terms.size === 1 && a.terms.has(UNKNOWN_KEY);

/** An address as offset plus one term for its base (so addresses of one base cancel), else a term named `name`. */
function addressTerm(address: Address | null, name: string): Linear {
  if (address === null) return { n: 0n, terms: new Map([[name, 1n]]) };
  return { n: wrap(address.offset), terms: new Map([[`\u0000${address.base}`, 1n]]) };
}

const positionValue = (value: bigint | Address | null, name: string): Linear =>
  typeof value === 'bigint' ? scalar(value) : addressTerm(value, name);

const sameTerms = (a: Linear, b: Linear): boolean => combine(a, b, -1n).terms === null;

/** nasm's refusal of a non-scalar operand, per operator. */
const SCALAR_ONLY: ReadonlyMap<string, string> = new Map([
  ['&', "`&' operator"],
  ['&&', "`&' operator"],
  ['|', "`|' operator"],
  ['||', "`|' operator"],
  ['^', "`^' operator"],
  ['^^', "`^' operator"],
  ['/', 'division operator'],
  ['//', 'division operator'],
  ['%', 'division operator'],
  ['%%', 'division operator'],
]);

function linearBinary(op: string, a: Linear, b: Linear, env: ExprEnv): Linear {
  if (op === '+' || op === '-') return combine(a, b, op === '+' ? 1n : -1n);
  if (op === '*') {
    if (a.terms !== null && b.terms !== null) throw new ExprError('unable to multiply two non-scalar objects');
    return a.terms === null ? scale(b, a.n) : scale(a, b.n);
  }
  const spelled = SPELLINGS.get(op) ?? op;
  if (a.terms === null && b.terms === null) return scalar(scalarBinary(spelled, a.n, b.n));
  if (isJustUnknown(a) || isJustUnknown(b)) return unknown();
  if (op.startsWith('<<') || op.startsWith('>>'))
    throw new NonScalarThenNonConstantError('shift operator may only be applied to scalar values');
  const refusal = SCALAR_ONLY.get(op);
  if (refusal !== undefined) throw new ExprError(`${refusal} may only be applied to scalar values`);
  // A comparison: the symbols cancel when both sides hold the same ones. Otherwise nasm calls the
  // two sides unequal, and refuses to order them (reported, then taken as false).
  if (!sameTerms(a, b)) {
    if (isJustUnknown(combine(a, b, -1n))) return unknown();
    if (spelled === '==' || spelled === '!=') return scalar(spelled === '!=' ? 1n : 0n);
    const message = `\`${op}': operands differ by a non-scalar`;
    if (env.error === undefined) throw new ExprError(message);
    env.error(message);
    return scalar(0n);
  }
  return scalar(scalarBinary(spelled, a.n, b.n));
}

/** `SEG x`: a term of its own, refused for a plain number. */
function segmentOf(v: Linear): Linear {
  if (v.terms === null) throw new ExprError('cannot apply SEG to a non-relocatable value');
  if (isJustUnknown(v)) return v;
  return { n: 0n, terms: new Map([[`\u0000seg ${[...v.terms.keys()].join(' ')}`, 1n]]) };
}

/** `x WRT y`: y may not be an address on its own (a label, an extern, `$`); anything else makes x no constant. */
function withRespectTo(v: Linear, segment: Linear): Linear {
  if (isJustUnknown(segment)) return unknown();
  const [only] = segment.terms ?? [];
  if (segment.terms?.size === 1 && only?.[1] === 1n && !only[0].startsWith('\u0000seg'))
    throw new ExprError('invalid right-hand operand to WRT');
  return combine(v, { n: 0n, terms: new Map([['\u0000wrt', 1n]]) }, 1n);
}

/** Evaluates an expression given as tokens (white space allowed); throws ExprError / NonConstantError. */
export function evaluate(toks: readonly Tok[], env: ExprEnv): bigint {
  const list = toks.filter((t) => t.k !== K.WS);
  let pos = 0;
  const peek = (): string | undefined => {
    const t = list[pos];
    return t && t.k === K.OP ? t.s : undefined;
  };
  const syntax = (): never => {
    throw new ExprError('expression syntax error');
  };
  let depth = 0;

  function cond(): Linear {
    const c = binary(0);
    if (peek() === '?') {
      if (c.terms !== null) throw new NonScalarThenNonConstantError("the left-hand side of `?' must be a scalar value");
      pos++;
      const a = cond();
      if (peek() !== ':') throw new ExprError("`?' without matching `:'");
      pos++;
      const b = cond();
      return c.n !== 0n ? a : b;
    }
    return c;
  }
  /** One precedence level: operands of the next level joined by this level's operators, left to right. */
  function binary(level: number): Linear {
    if (level === LEVELS.length) return unary();
    const operators = LEVELS[level]!;
    let v = binary(level + 1);
    for (;;) {
      const op = peek();
      // nasm's preprocessor does not know `<=>`: the expression is not a constant to it.
      if (op === '<=>' && level === COMPARISON_LEVEL) throw new NonConstantError('<=>');
      if (op === undefined || !operators.has(op)) return v;
      pos++;
      v = linearBinary(op, v, binary(level + 1), env);
    }
  }
  function unary(): Linear {
    if (++depth > 8192) throw new ExprError('expression too deeply nested');
    try {
      const t = list[pos];
      if (!t) return syntax();
      if (t.k === K.OP) {
        switch (t.s) {
          case '-':
            pos++;
            return scale(unary(), -1n);
          case '~':
          case '!': {
            pos++;
            const v = unary();
            if (v.terms !== null) throw new ExprError(`\`${t.s}' operator may only be applied to scalar values`);
            return scalar(scalarUnary(t.s, v.n));
          }
          case '+':
            pos++;
            return unary();
          case '(': {
            pos++;
            const v = cond();
            if (peek() !== ')') throw new ExprError("expecting `)'");
            pos++;
            return v;
          }
          case '$':
          case '$$':
            // The location counter is an address, not a constant, to the preprocessor.
            pos++;
            return positionValue(env.position?.(t.s) ?? null, t.s);
          default:
            return syntax();
        }
      }
      pos++;
      if (t.k === K.NUM) {
        const v = parseNumber(t.s);
        if (v === null) throw new ExprError('expression syntax error');
        warnOverflow(t);
        return scalar(v);
      }
      if (t.k === K.STR) {
        if (!isTerminatedString(t.s)) return syntax();
        const c = charConstant(t.s, env.charWidth ?? 8);
        if (c.tooLong) env.warn?.('character constant too long', 'other');
        return scalar(c.value);
      }
      if (t.k === K.ID) {
        const keyword = t.s.toLowerCase();
        if (keyword === 'wrt') return syntax();
        if (keyword === 'seg') return segmentOf(unary());
        const float = FLOAT_FUNCTION.exec(t.s);
        if (float && list[pos]?.k === K.OP && list[pos]!.s === '(')
          return scalar(floatCall((float[1] ?? float[2]!).toLowerCase()));
        // `__?NaN?__` and the other special floats are no integer term.
        if (specialFloatName(t.s) !== null) return syntax();
        return symbolValue(t.s);
      }
      return syntax();
    } finally {
      depth--;
    }
  }

  function warnOverflow(t: Tok): void {
    if (t.k === K.NUM && t.s.length > 16 && overflows64(t.s))
      env.warn?.(`numeric constant ${t.s} does not fit in 64 bits`, 'number-overflow');
  }

  /** A symbol's value, or (a label, a register …) a term of its own. */
  function symbolValue(name: string): Linear {
    try {
      return positionValue(env.symbol(name), name);
    } catch (e) {
      if (e instanceof NonConstantError) return { n: 0n, terms: new Map([[name, 1n]]) };
      throw e;
    }
  }

  /** `__?float32?__(-1.5e3)`: the literal may arrive in pieces (`1e` `+` `36` from pasted macro parameters). */
  function floatCall(kind: string): bigint {
    pos++;
    let negative = false;
    while (peek() === '-' || peek() === '+') if (list[pos++]!.s === '-') negative = !negative;
    let literal = '';
    while (pos < list.length && peek() !== ')') literal += list[pos++]!.s;
    if (peek() !== ')') syntax();
    pos++;
    const mode = env.floatMode?.() ?? DEFAULT_FLOAT_MODE;
    return floatBits(kind.replace(/^float/, ''), literal, negative, mode, env.warn?.bind(env));
  }

  if (list.length === 0) syntax();
  let v = cond();
  // `WRT` joins the whole expression to a term (nasm's expr6); the result is no constant.
  if (list[pos]?.k === K.ID && list[pos]!.s.toLowerCase() === 'wrt') {
    pos++;
    v = withRespectTo(v, unary());
  }
  if (pos < list.length) {
    if (env.trailing === undefined) syntax();
    else {
      // nasm's scanner has read (and converted) the token the expression stopped at, no further.
      warnOverflow(list[pos]!);
      env.trailing(list.slice(pos));
    }
  }
  if (v.terms !== null) throw new NonConstantError([...v.terms.keys()].join(' '));
  return v.n;
}
