/**
 * AVX-512 decorators and encoding prefixes written in braces: `{k1}`…`{k7}`,
 * `{z}`, `{1to2}`…`{1to32}`, `{rn-sae}` `{rd-sae}` `{ru-sae}` `{rz-sae}`
 * `{sae}` after an operand or as an operand of their own, and `{evex}`
 * `{vex}` `{vex2}` `{vex3}` `{rex}` before an instruction.
 *
 * NASM's lexer reads a brace group as one token: `{` then the word then `}`,
 * with no white space inside (`{ k1 }` is "invalid decorator token inside
 * braces"). Chevrotain gives us several tokens, so a group is rebuilt from
 * tokens that touch. The messages, and which second message follows the
 * first, are NASM 2.16.01's (measured line by line).
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { evaluate } from '../core/expressions.js';
import { constantValue, type Value } from '../core/value.js';
import { parseExpression } from '../../grammar/operands.js';
import type { Decorators } from '../encoder/types.js';

/** A problem with decorators: NASM's messages in the order it prints them. */
export class DecoratorError extends Error {
  constructor(readonly messages: readonly string[]) {
    super(messages[messages.length - 1]);
  }
}

export type RoundingMode = NonNullable<Decorators['rounding']>;

type DecoratorWord =
  | { kind: 'mask'; reg: number }
  | { kind: 'zero' }
  | { kind: 'broadcast'; code: number }
  | { kind: 'rounding'; mode: RoundingMode }
  | { kind: 'prefix'; name: string };

const ROUNDING: Readonly<Record<string, RoundingMode>> = {
  'rn-sae': 'rn',
  'rd-sae': 'rd',
  'ru-sae': 'ru',
  'rz-sae': 'rz',
  sae: 'sae',
};
const BROADCAST: Readonly<Record<string, number>> = { '1to2': 0, '1to4': 1, '1to8': 2, '1to16': 3, '1to32': 4 };
/** Encoding prefixes NASM writes in braces (their names are kept with the braces in `prefixes`). */
const BRACE_PREFIXES = new Set(['evex', 'vex', 'vex2', 'vex3', 'rex']);

function classify(word: string): DecoratorWord | null {
  const m = /^k([1-7])$/.exec(word);
  if (m) return { kind: 'mask', reg: Number(m[1]) };
  if (word === 'z') return { kind: 'zero' };
  const code = BROADCAST[word];
  if (code !== undefined) return { kind: 'broadcast', code };
  const mode = ROUNDING[word];
  if (mode !== undefined) return { kind: 'rounding', mode };
  if (BRACE_PREFIXES.has(word)) return { kind: 'prefix', name: `{${word}}` };
  return null;
}

/**
 * The word of a group opened at tokens[start] (an LBrace): the tokens written without blanks from
 * just after `{`, and the index of the token after them (blanks may come before `}`: nasm takes
 * `{k1 }`, measured).
 */
function scanGroupWord(tokens: readonly IToken[], start: number): { word: string; end: number } {
  let word = '';
  let prev = tokens[start] as IToken;
  let i = start + 1;
  for (; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    if (t.tokenType === T.RBrace || t.tokenType === T.Comma) break;
    if (prev.startOffset + prev.image.length !== t.startOffset) break;
    word += t.image;
    prev = t;
  }
  return { word, end: i };
}

/** A `{word}` group read from tokens[start] (an LBrace): the word (lower case) and the index after `}`; null when malformed. */
function readGroup(tokens: readonly IToken[], start: number): { word: string; next: number } | null {
  const { word, end } = scanGroupWord(tokens, start);
  if (tokens[end]?.tokenType !== T.RBrace || !/^[\w-]*$/.test(word)) return null;
  return { word: word.toLowerCase(), next: end + 1 };
}

export const INVALID_TOKEN = 'invalid decorator token inside braces';
const notValid = (word: string): string => `\`${word}' is not a valid decorator with braces`;

/**
 * nasm's scanner message for a `{word}` group (its word as written) that is no decorator and no
 * encoding prefix, or null for one that is: `{k1}`, `{z}`, `{1to8}`, `{rn-sae}`, `{evex}`.
 */
export function braceWordError(word: string): string | null {
  return classify(word.toLowerCase()) === null ? notValid(word) : null;
}

/** Reads a group and classifies it; throws NASM's first message plus `followUp` when it is no decorator. */
function readDecorator(tokens: readonly IToken[], start: number, followUp: string): { d: DecoratorWord; next: number } {
  const group = readGroup(tokens, start);
  if (group === null) throw new DecoratorError([INVALID_TOKEN, followUp]);
  const d = classify(group.word);
  if (d === null) throw new DecoratorError([notValid(group.word), followUp]);
  return { d, next: group.next };
}

/**
 * An encoding prefix in braces at the start of an instruction (`{evex}`), or null when tokens[start]
 * opens none. `afterLabelOrPrefix`: a label or prefix came first, so nasm wants an instruction
 * rather than a label or instruction (`x: {foo} nop`).
 */
export function readBracePrefix(
  tokens: readonly IToken[],
  start: number,
  afterLabelOrPrefix = false,
): { name: string; next: number } | null {
  const followUp = afterLabelOrPrefix
    ? 'parser: instruction expected'
    : 'label or instruction expected at start of line';
  const { d, next } = readDecorator(tokens, start, followUp);
  if (d.kind !== 'prefix') throw new DecoratorError([followUp]);
  return { name: d.name, next };
}

/** Index of the first `{` outside brackets and parentheses, or -1. */
function firstBrace(tokens: readonly IToken[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = (tokens[i] as IToken).tokenType;
    if (tt === T.LBracket || tt === T.LParen) depth++;
    else if (tt === T.RBracket || tt === T.RParen) depth--;
    else if (tt === T.LBrace && depth === 0) return i;
  }
  return -1;
}

export function noDecorators(): Decorators {
  return { mask: 0, zero: false, broadcast: -1, rounding: null };
}

/** What one comma-separated operand holds once its decorators are read. */
export type DecoratedOperand =
  | { kind: 'plain'; tokens: IToken[] }
  | { kind: 'decorated'; tokens: IToken[]; decorators: Decorators }
  /** `{rn-sae}`…`{sae}` written as an operand of its own: it belongs to the operand before it. */
  | { kind: 'rounding'; mode: RoundingMode };

/** A name's value when the parser meets it: a constant of an earlier line (`x equ 3`), else null. */
export type NameConstant = (name: string) => bigint | null;

const noNames: NameConstant = () => null;

/**
 * A register group, NASM's `zmm4+3` (AVX512_4FMAPS) and `k2+1` (VP2INTERSECT):
 * the register and the group's size: the register plus a number, in any
 * expression of numbers and names that are constants already (`zmm4+3`,
 * `3+zmm4`, `zmm4+(1+2)`, `zmm4+x` after `x equ 3`); `+0` and `-1` are the
 * register alone. Null when the tokens are no such group. A register plus a
 * name that is no constant yet (`zmm4+x` before `x equ 3`, a label) is nasm's
 * "invalid operand type", and the line is dropped.
 */
function registerGroup(tokens: readonly IToken[], constantOf: NameConstant): { register: IToken; size: number } | null {
  if (tokens.length < 3) return null;
  let register: IToken | null = null;
  let named = false;
  for (const t of tokens) {
    if (t.tokenType === T.Identifier) named = true;
    else if (t.tokenType !== T.Register) {
      if (!GROUP_TOKENS.has(t.tokenType)) return null;
    } else if (register !== null) return null;
    else register = t;
  }
  if (register === null) return null;
  const names = named ? constantOf : noNames;
  // nasm evaluates the operand: the register once, plus a number (`zmm4+(1+2)`, `zmm4-1`, `3+zmm4`).
  const at0 = groupConstant(tokens, register, 0n, names);
  const at1 = groupConstant(tokens, register, 1n, names);
  if (at0 === UNKNOWN || at1 === UNKNOWN) {
    const zeroAt0 = groupConstant(tokens, register, 0n, zeroNames);
    const zeroAt1 = groupConstant(tokens, register, 1n, zeroNames);
    if (zeroAt0 !== null && zeroAt1 !== null && zeroAt1 - zeroAt0 === 1n)
      throw new DecoratorError(['invalid operand type']);
    return null;
  }
  if (at0 === null || at1 === null || at1 - at0 !== 1n) return null;
  return { register, size: at0 > 64n || at0 < -64n ? -1 : Number(at0) + 1 };
}

const zeroNames: NameConstant = () => 0n;
/** groupConstant's answer when a name has no constant value yet. */
const UNKNOWN = -(1n << 64n);

/** Tokens a register group's expression may hold besides its register (and names). */
const GROUP_TOKENS: ReadonlySet<TokenType> = new Set([T.NumberLiteral, T.Plus, T.Minus, T.Star, T.LParen, T.RParen]);

/** The value of the group's expression with the register read as `value`: null when it has none, UNKNOWN. */
function groupConstant(tokens: readonly IToken[], register: IToken, value: bigint, names: NameConstant): bigint | null {
  const numberToken: IToken = {
    ...register,
    image: String(value),
    tokenType: T.NumberLiteral,
    tokenTypeIdx: T.NumberLiteral.tokenTypeIdx!,
  };
  const parsed = parseExpression(
    tokens.map((t) => (t === register ? numberToken : t)),
    (name) => name,
  );
  if (parsed.value === null) return null;
  const symbolValue = (name: string): Value | null => {
    const known = names(name);
    return known === null ? null : constantValue(known);
  };
  try {
    const zero = constantValue(0n);
    const result = evaluate(parsed.value, { symbolValue, here: zero, sectionStart: zero });
    return result.unknown ? UNKNOWN : result.offset;
  } catch {
    return null;
  }
}

/** Splits an operand into its expression tokens and the decorators after them. */
export function readOperandDecorators(tokens: IToken[], constantOf: NameConstant = noNames): DecoratedOperand {
  const at = firstBrace(tokens);
  const set = registerGroup(at < 0 ? tokens : tokens.slice(0, at), constantOf);
  // `zmm4+0` and `zmm4-1` are the register alone to nasm (a group of one, or none).
  if (set && set.size <= 1 && set.size >= 0 && at < 0) return { kind: 'plain', tokens: [set.register] };
  if (set) {
    const read = at < 0 ? null : readOperandDecorators([set.register, ...tokens.slice(at)]);
    const decorators = read?.kind === 'decorated' ? read.decorators : noDecorators();
    // A size nasm refuses (`zmm4-2`: -1) goes on to the encoder, which words the error in the final pass.
    if (set.size > 1 || set.size < 0) decorators.registerSet = set.size;
    return { kind: 'decorated', tokens: [set.register], decorators };
  }
  if (at === 0) return standaloneDecorator(tokens);
  const wrapped = wrappedStandaloneDecorator(tokens);
  if (wrapped !== null) return standaloneDecorator(wrapped);
  if (at < 0) return { kind: 'plain', tokens };
  const core = tokens.slice(0, at);
  const memory = core.some((t) => t.tokenType === T.LBracket);
  const followUp = memory
    ? 'comma, decorator or end of line expected, got -1'
    : 'comma, colon, decorator or end of line expected after operand';
  const decorators = noDecorators();
  let i = at;
  while (i < tokens.length) {
    if ((tokens[i] as IToken).tokenType !== T.LBrace)
      throw new DecoratorError(['only a series of valid decorators expected']);
    const { d, next } = readDecorator(tokens, i, followUp);
    i = next;
    switch (d.kind) {
      case 'mask':
        if (decorators.mask !== 0) throw new DecoratorError([`opmask k${decorators.mask} is already set`]);
        decorators.mask = d.reg;
        break;
      case 'zero':
        decorators.zero = true;
        break;
      case 'broadcast':
        decorators.broadcast = decorators.broadcast < 0 ? d.code : decorators.broadcast | d.code;
        break;
      case 'rounding':
        throw new DecoratorError([`{${group(tokens, at, i)}} is not an expected decorator`]);
      case 'prefix':
        throw new DecoratorError(['comma, colon, decorator or end of line expected after operand']);
    }
  }
  return { kind: 'decorated', tokens: core, decorators };
}

/**
 * A decorator operand written behind size, `strict`, `short`/`near` or `to` words, or inside
 * parentheses: nasm's operand parser skips the words and its expression reader takes a decorator
 * through the parentheses, so `zword {rd-sae}`, `({rn-sae})` and `byte (({rz-sae}))` are the
 * decorator alone (measured). Returns the tokens from the decorator's `{` on, parentheses left
 * out, or null (`far {rd-sae}`, `({rn-sae}+1)`: other messages). Costs one token test on a plain
 * operand.
 */
function wrappedStandaloneDecorator(tokens: readonly IToken[]): IToken[] | null {
  let i = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    const tt = t.tokenType;
    if (tt === T.Distance ? t.image.toLowerCase() === 'far' : !IGNORED_BEFORE_DECORATOR.has(tt)) break;
  }
  let parentheses = 0;
  while (tokens[i + parentheses]?.tokenType === T.LParen) parentheses++;
  const brace = i + parentheses;
  if (brace === 0 || tokens[brace]?.tokenType !== T.LBrace) return null;
  if (parentheses === 0) return tokens.slice(brace);
  const read = readGroup(tokens, brace);
  // A malformed group inside parentheses ends nasm's expression (`({ rd-sae })`).
  if (read === null) throw new DecoratorError([INVALID_TOKEN, 'expression syntax error']);
  for (let p = 0; p < parentheses; p++) if (tokens[read.next + p]?.tokenType !== T.RParen) return null;
  const rest = tokens.slice(read.next + parentheses);
  if (rest.length > 0 && (rest[0] as IToken).tokenType !== T.LBrace) return null;
  return [...tokens.slice(brace, read.next), ...rest];
}

/** Tokens that start a new term of an expression (no operator between it and what came before). */
const TERM_STARTS: ReadonlySet<TokenType> = new Set([
  T.NumberLiteral,
  T.Identifier,
  T.Register,
  T.StringLiteral,
  T.LParen,
]);

/** The operand words nasm passes over before a decorator operand (`far` is refused instead). */
const IGNORED_BEFORE_DECORATOR: ReadonlySet<TokenType> = new Set([T.SizeKeyword, T.Strict, T.Distance, T.To]);

/** The word of the last group read (as written, for the message). */
function group(tokens: readonly IToken[], from: number, to: number): string {
  let last = from;
  for (let i = from; i < to; i++) if ((tokens[i] as IToken).tokenType === T.LBrace) last = i;
  return tokens
    .slice(last + 1, to - 1)
    .map((t) => t.image)
    .join('')
    .toLowerCase();
}

/** Whether another word follows the first one in an operand's leading `{` group (rather than `,` or the end). */
function blankEndsFirstWord(tokens: readonly IToken[]): boolean {
  const next = tokens[scanGroupWord(tokens, 0).end];
  return next !== undefined && next.tokenType !== T.Comma;
}

/** An operand that starts with `{`: only a rounding mode is one (NASM ignores decorator groups after it). */
function standaloneDecorator(tokens: IToken[]): DecoratedOperand {
  // A malformed group: nasm reads the word after `{` up to a blank, a comma, `}` or the end; a
  // second word after it is followed by the operand message, a comma or the end by the expression
  // one (measured: `push {a b, c}` the first, `push {r4-r5, lr}` and `push {a` the second).
  if (readGroup(tokens, 0) === null)
    throw new DecoratorError([
      INVALID_TOKEN,
      blankEndsFirstWord(tokens)
        ? 'comma, colon, decorator or end of line expected after operand'
        : 'expression syntax error',
    ]);
  const { d, next } = readDecorator(tokens, 0, 'expression syntax error');
  if (d.kind === 'zero' || d.kind === 'broadcast') {
    // nasm reads on past the group first: a term after it is the operand message (`{z} 5`, `{z} x`);
    // an operator goes on with the expression (`{z} +5`: another message, open).
    const after = tokens[next];
    if (after !== undefined && TERM_STARTS.has(after.tokenType))
      throw new DecoratorError(['comma, colon, decorator or end of line expected after operand', 'invalid decorator']);
    throw new DecoratorError(['invalid decorator']);
  }
  if (d.kind !== 'rounding') throw new DecoratorError(['expression syntax error']);
  for (let i = next; i < tokens.length;) {
    if ((tokens[i] as IToken).tokenType !== T.LBrace)
      throw new DecoratorError(['comma, colon, decorator or end of line expected after operand']);
    const later = readDecorator(tokens, i, 'comma, colon, decorator or end of line expected after operand');
    // Masks, `{z}` and broadcasts after it are passed over, a second rounding mode is not (measured).
    if (later.d.kind === 'rounding')
      throw new DecoratorError([`{${group(tokens, i, later.next)}} is not an expected decorator`]);
    i = later.next;
  }
  return { kind: 'rounding', mode: d.mode };
}
