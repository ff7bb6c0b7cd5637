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
  num: (a: Tok[] | undefined) => bigint | null;
  inner: Tok[];
  /** Single-line macro expansion (passed in: expand.ts calls these functions). */
  expand: (toks: Tok[]) => Tok[];
}

/** Each function's result, or null to leave the call as written. */
export type PreprocessorFunction = (pp: PreprocessorState, call: FunctionCall) => Tok[] | null;

const firstString = (a: Tok[] | undefined): string | null => (a?.[0]?.k === K.STR ? unquote(a[0].s) : null);

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
  const optional = (a: Tok[] | undefined, def: bigint): bigint | null => (a && a.length > 0 ? num(a) : def);
  const value = num(args[0]);
  const digitsArg = optional(args[1], -1n);
  const baseArg = optional(args[2], 10n);
  if (value === null || digitsArg === null || baseArg === null) return [];
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

// nasm 2.16.01 has no %depend() or %pathsearch() functions (measured: they stay as written),
// and %substr() is recognised but left as written here.
export const FUNCTIONS = new Map<string, PreprocessorFunction>([
  [
    'eval',
    (_pp, { args, num }) => {
      const result: Tok[] = [];
      args.forEach((a, k) => {
        if (k > 0) result.push({ k: K.OP, s: ',' });
        result.push(...numberTokens(num(a) ?? 0n));
      });
      return result;
    },
  ],
  ['str', (_pp, { inner, expand }) => [{ k: K.STR, s: quoteString(detokenize(collapseWs(trimWs(expand(inner))))) }]],
  ['strcat', (_pp, { untrimmed }) => [{ k: K.STR, s: quoteString(untrimmed.map(strcatPiece).join('')) }]],
  ['strlen', (_pp, { args }) => [{ k: K.NUM, s: String(firstString(args[0])?.length ?? 0) }]],
  [
    'tok',
    (_pp, { args }) => {
      const str = firstString(args[0]);
      return str === null ? [] : trimWs(tokenize(str));
    },
  ],
  ['num', numFunction],
  [
    'abs',
    (_pp, { args, num }) => {
      const v = num(args[0]);
      return numberTokens(v === null ? 0n : v < 0n ? -v : v);
    },
  ],
  [
    'cond',
    (_pp, { args, num }) => {
      const v = num(args[0]);
      return (v !== null && v !== 0n ? args[1] : args[2]) ?? [];
    },
  ],
  [
    'sel',
    (_pp, { args, num }) => {
      const v = num(args[0]);
      return v !== null && v > 0n ? (args[Number(v)] ?? []) : [];
    },
  ],
  ['count', (_pp, { args }) => [{ k: K.NUM, s: String(args.length === 1 && args[0]!.length === 0 ? 0 : args.length) }]],
  ['substr', () => null],
]);
