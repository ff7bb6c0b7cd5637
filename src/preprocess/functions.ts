/**
 * Preprocessor functions used inside expressions and lines: %eval(), %str(),
 * %strcat(), %strlen(), %tok(), %num(), %abs(), %cond(), %sel(), %count(),
 * %substr(). The %is…() functions are the %if family's (directives/conditionals.ts).
 */
import type { PreprocessorState } from './state.js';
import { collapseWs } from './toklist.js';
import { K, type Tok, detokenize, numberTokens, quoteString, tokenize, trimWs, unquote } from './tokenize.js';

/** One call: the arguments (each expanded and trimmed), a number reader for them, and the raw text inside the parentheses. */
export interface FunctionCall {
  args: Tok[][];
  /** The same arguments before trimming: white space before a comma leads the next one, as nasm splits them. */
  untrimmed: Tok[][];
  /**
   * The argument at `index` evaluated, as nasm evaluates a function's numeric parameters: null
   * after an error naming the parameter (counted from 0), or when there is no such argument.
   */
  num: (index: number) => bigint | null;
  inner: Tok[];
  /** Single-line macro expansion (passed in: expand.ts calls these functions). */
  expand: (toks: Tok[]) => Tok[];
}

/** Each function's result, or null to leave the call as written. */
export type PreprocessorFunction = (pp: PreprocessorState, call: FunctionCall) => Tok[] | null;

/**
 * One argument of `%strcat()`: a lone string gives its contents, anything else its text with
 * white space collapsed (`%strcat('a' ,'b')` is `a 'b'`: the space before the comma leads 'b').
 */
function strcatPiece(arg: Tok[]): string {
  let end = arg.length;
  while (end > 0 && arg[end - 1]!.k === K.WS) end--;
  const first = arg[0];
  if (end === 1 && first?.k === K.STR) return unquote(first.s);
  return detokenize(collapseWs(arg.slice(0, end)));
}

const NUM_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@_';

/**
 * `%num(value, digits = -1, base = 10)`: the value as an unsigned 64-bit
 * number in a string. `digits` > 0 is exactly that many (low) digits;
 * 0 or negative, at least that many and as many as the value needs.
 */
function numFunction(pp: PreprocessorState, { args, num }: FunctionCall): Tok[] | null {
  // A parameter that fails to evaluate counts as 0 (measured: `%num(x)` is '0', `%num(5,2,x)` is
  // "invalid base 0").
  const optional = (index: number, def: bigint): bigint =>
    args[index] && args[index].length > 0 ? (num(index) ?? 0n) : def;
  const value = num(0) ?? 0n;
  const digitsArg = optional(1, -1n);
  const baseArg = optional(2, 10n);
  if (baseArg < 2n || baseArg > BigInt(NUM_DIGITS.length)) {
    pp.error(`invalid base ${baseArg} given to %num()`);
    return [];
  }
  const maxDigits = 253n;
  let digits: number;
  let more: boolean;
  if (digitsArg < -maxDigits || digitsArg > maxDigits) {
    pp.error(`digit count ${digitsArg} specified to %num() too large`);
    [digits, more] = [1, true];
  } else if (digitsArg <= 0n) [digits, more] = [Number(-digitsArg), true];
  else [digits, more] = [Number(digitsArg), false];
  const base = baseArg;
  let n = BigInt.asUintN(64, value);
  let text = '';
  while (digits-- > 0 || (more && n !== 0n)) {
    text = NUM_DIGITS[Number(n % base)]! + text;
    n /= base;
  }
  return [{ k: K.STR, s: `'${text}'` }];
}

/**
 * A parameter nasm turns into a string: a lone string gives its contents, anything else its text
 * (measured: `%strlen(a)` is 1, `%substr(a b, 2)` is ' b', `%tok(r1)` is r1).
 */
function stringParameter(arg: Tok[] | undefined): string {
  const only = arg?.length === 1 ? arg[0] : undefined;
  return only?.k === K.STR ? unquote(only.s) : detokenize(collapseWs(arg ?? []));
}

/** `%substr(string, start[, count])`: as the %substr directive, but a missing count is the rest of the string. */
function substrFunction(_pp: PreprocessorState, { args, num }: FunctionCall): Tok[] {
  // The start is evaluated first: its errors come before the count's.
  const start = num(1) ?? 0n;
  const count = args[2] && args[2].length > 0 ? (num(2) ?? 0n) : -1n;
  return [{ k: K.STR, s: quoteString(substring(stringParameter(args[0]), start, count)) }];
}

/** nasm's substring rule, shared with the `%substr` directive: `start` from 1, a negative `count` counts from the end. */
export function substring(str: string, startValue: bigint, countValue: bigint): string {
  const len = BigInt(str.length);
  const start = startValue - 1n < 0n ? 0n : startValue - 1n;
  let count = countValue < 0n ? len + countValue + 1n - start : countValue;
  if (start + count > len) count = len - start;
  if (len === 0n || count < 0n || start >= len) return '';
  return str.slice(Number(start), Number(start + count));
}

/** `%sel(n, a, b, …)`: the n-th of the rest, warning as nasm does when there is none. */
function selFunction(pp: PreprocessorState, { args, num }: FunctionCall): Tok[] {
  const v = num(0) ?? 0n;
  if (v < 1n) pp.warning(`%sel(${v}) is not a valid selector`, 'pp-sel-range');
  else if (v >= BigInt(args.length)) pp.warning(`%sel(${v}) exceeds the number of arguments`, 'pp-sel-range');
  else return args[Number(v)]!;
  return [];
}

// nasm 2.16.01 has no %depend() or %pathsearch() functions (measured: they stay as written).
export const FUNCTIONS = new Map<string, PreprocessorFunction>([
  [
    'eval',
    (_pp, { args, num }) => {
      // (An item that fails to evaluate is left out: `%eval(1,x,2)` is `1,,2`, measured.)
      const result: Tok[] = [];
      args.forEach((_a, k) => {
        if (k > 0) result.push({ k: K.OP, s: ',' });
        const v = num(k);
        if (v !== null) result.push(...numberTokens(v));
      });
      return result;
    },
  ],
  ['str', (_pp, { inner, expand }) => [{ k: K.STR, s: quoteString(detokenize(collapseWs(trimWs(expand(inner))))) }]],
  ['strcat', (_pp, { untrimmed }) => [{ k: K.STR, s: quoteString(untrimmed.map(strcatPiece).join('')) }]],
  ['strlen', (_pp, { args }) => [{ k: K.NUM, s: String(stringParameter(args[0]).length) }]],
  // (Text that is not a string is its own tokens again: `%tok(r1)` is r1, measured.)
  ['tok', (_pp, { args }) => trimWs(tokenize(stringParameter(args[0])))],
  ['num', numFunction],
  [
    'abs',
    (_pp, { num }) => {
      const v = num(0) ?? 0n;
      return numberTokens(v < 0n ? -v : v);
    },
  ],
  [
    'cond',
    (_pp, { args, num }) => {
      const v = num(0);
      return (v !== null && v !== 0n ? args[1] : args[2]) ?? [];
    },
  ],
  ['sel', selFunction],
  ['count', (_pp, { args }) => [{ k: K.NUM, s: String(args.length) }]],
  ['substr', substrFunction],
]);

/**
 * How many arguments each function takes (a call with another number is nasm's "single-line
 * macro exists, but not taking N parameters" warning, and stays as written; measured).
 */
export const FUNCTION_ARITY: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['strlen', [1, 1]],
  ['tok', [1, 1]],
  ['num', [1, 3]],
  ['abs', [1, 1]],
  ['cond', [2, 3]],
  ['sel', [2, Infinity]],
  ['substr', [2, 3]],
]);
