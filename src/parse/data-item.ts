/**
 * One data operand's item (`db 'ab'`, `dd 1.5`, `dq ?`, `dw __?utf16?__("x")`, an expression)
 * and nasm 2.16.01's rules for what may follow it before the next comma (measured).
 */
import type { IToken } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { parseExpression, parseExpressionPrefix, type SymbolNamer } from '../../grammar/operands.js';
import { exprItem, numberItem as sharedNumberItem, numberLeaf, stringItem } from '../../grammar/leaves.js';
import { ExpressionError, readNumberImage } from '../../grammar/literals.js';
import { specialFloatName } from '../core/float.js';
import { latin1 } from '../core/latin1.js';
import {
  isFloatToken,
  isPackedBcd,
  STRING_FUNCTION,
  StringFunctionError,
  stringBytes,
  stringFunctionName,
  utfBytes,
} from '../core/numbers.js';
import { lookupRegister } from '../encoder/registers.js';
import type { DataItem, Expr } from './ast.js';
import { DataListError } from './data-list.js';

/** The item, and whether nasm ignores the rest of the data line after it. */
export interface DataItemReading {
  item: DataItem;
  endsLine: boolean;
  /**
   * With `endsLine`: the tokens nasm reads instead of the rest of the line, the inside of a
   * string written right after a string after its first comma (`db 'a' 'b, 5', 6` is `db 'a', 5`).
   */
  continuesWith?: IToken[];
}

const item = (read: DataItem): DataItemReading => ({ item: read, endsLine: false });

/**
 * Reads one data item. `expression` parses a whole expression (throwing the builder's error);
 * problems of the item itself are DataListErrors. `asExpression`: nasm reads the tokens as an
 * expression (after a bad brace group it skipped, data-braces.ts), so a string is a number and
 * one stray token may follow it like any other expression.
 */
export function readDataItem(
  tokens: IToken[],
  namer: SymbolNamer,
  expression: (tokens: IToken[]) => Expr,
  asExpression = false,
): DataItemReading {
  if (asExpression) return expressionItem(tokens, namer, expression);
  const signedWords = signedStringWords(tokens);
  if (signedWords !== null) return { item: expressionItem(signedWords, namer, expression).item, endsLine: true };
  const number = numberItem(tokens);
  if (number !== null) return item(number);
  const single = singleTokenItem(tokens);
  if (single !== null) return item(single);
  if (tokens.length === 0) throw new DataListError('expression syntax error');
  const first = tokens[0]!;
  // `?` takes nothing after it but the comma (or a `)` ending the list: data-list.ts).
  if (first.tokenType === T.Identifier && first.image === '?')
    throw new DataListError('comma expected after operand', tokens[1] ?? null);
  const utf = utfStringItem(tokens);
  if (utf !== null) return item(utf);
  const full = parseExpression(tokens, namer);
  if (full.value !== null) return item(exprItem(full.value));
  // A float with anything after it: nasm wants the comma (and reads no further than the next token).
  const isFloat =
    (first.tokenType === T.NumberLiteral && isFloatToken(first.image)) ||
    (first.tokenType === T.Identifier && specialFloatName(first.image) !== null);
  if (isFloat) throw new DataListError('comma expected after operand', tokens[1] ?? null);
  // NASM quirk: in a data list, an expression followed by junk keeps the
  // expression and silently drops the rest (`db 3 4` is `db 3`; `db 'it''s'` is `db 'it'`):
  // measured on nasm 2.16.01.
  const prefix = parseExpressionPrefix(tokens, namer);
  if (prefix.value !== null && prefix.consumed > 0) {
    const rest = tokens.slice(prefix.consumed);
    // A string right after a string (`db 'a' ' b', 5`): nasm keeps the first and drops the rest of the line.
    if (first.tokenType === T.StringLiteral && isStringToken(rest[0])) {
      const continuesWith = refuseStrayWords(rest[0]);
      const read: DataItemReading = { item: { kind: 'expr', expr: prefix.value }, endsLine: true };
      return continuesWith === null ? read : { ...read, continuesWith };
    }
    // Otherwise nasm drops one stray token of any kind (`db 3 4`, `db 5 (`, `db f(` left by an
    // unterminated macro call) but not two (`db 3 4 5`, `db 1 (2)`, `dd 1010 times 0100b`).
    if (rest.length > 1) throw new DataListError('comma expected after operand', rest[1]);
    return item({ kind: 'expr', expr: prefix.value });
  }
  return item({ kind: 'expr', expr: expression(tokens) });
}

/**
 * nasm reads the inside of a string written right after a string as words of the line, in place
 * of the rest of the line (measured): two before a comma want the comma (`db 'Hello' 'big
 * world', 0`, `db 'a' 'b+', 5`), a `{` opens decorators (`db 'a' '{', 5`); one word is dropped
 * (`db 'a' ' b', 5` is `db 'a'`). After a comma inside, the words that follow are the line's next
 * items (`db 'a' 'b, 5', 6` is `db 'a', 5`; `db 'a' 'b,'` is `db 'a'`): returned, or null.
 */
function refuseStrayWords(second: IToken): IToken[] | null {
  const words = wordsInside(second);
  const comma = words.findIndex((t) => t.tokenType === T.Comma);
  const stray = comma < 0 ? words : words.slice(0, comma);
  if (stray.some((t) => t.image === '{')) throw new DataListError('invalid decorator token inside braces', second);
  if (stray.length > 1) throw new DataListError('comma expected after operand', second);
  if (comma < 0 || comma === words.length - 1) return null;
  const after = words.slice(comma + 1);
  T.retypeKeywords(after, (name) => lookupRegister(name) !== undefined);
  return after;
}

/** A string, terminated or not (an unterminated one runs to the end of the line: tokens.ts Other). */
function isStringToken(t: IToken | undefined): t is IToken {
  return t !== undefined && (t.tokenType === T.StringLiteral || (t.tokenType === T.Other && isQuoteChar(t.image)));
}

function isQuoteChar(image: string): boolean {
  const c = image.charCodeAt(0);
  return c === 34 || c === 39 || c === 96;
}

/** A string's inside read as words of a line, as nasm reads it in the two places above and below. */
function wordsInside(text: IToken): IToken[] {
  const inside = text.tokenType === T.StringLiteral ? latin1(stringBytes(text.image)) : text.image.slice(1);
  return T.lexLine(inside).tokens;
}

/**
 * A sign written before a string (`dd -'ab'`, `dd +"1"`): nasm, looking for a signed float there,
 * reads the string's inside as words of an expression, which end the line (measured: `dd -'ab'`
 * is "symbol `ab' not defined", `dd -'1', 5` is -1 alone, `dd -'1.5'` and `dd -''` are expression
 * syntax errors). The sign and those words, or null.
 * (An inside holding a comma would start another item: not read here.)
 */
function signedStringWords(tokens: IToken[]): IToken[] | null {
  const sign = tokens[0];
  const text = tokens[1];
  if (sign === undefined || (sign.tokenType !== T.Minus && sign.tokenType !== T.Plus)) return null;
  if (text?.tokenType !== T.StringLiteral) return null;
  const words = wordsInside(text);
  if (words.some((t) => t.tokenType === T.Comma || t.tokenType === T.StringLiteral)) return null;
  T.retypeKeywords(words, (name) => lookupRegister(name) !== undefined);
  return [sign, ...words];
}

/** An item read as one expression, and the one stray token nasm drops after it. */
function expressionItem(tokens: IToken[], namer: SymbolNamer, expression: (tokens: IToken[]) => Expr): DataItemReading {
  const prefix = parseExpressionPrefix(tokens, namer);
  if (prefix.value === null || prefix.consumed === 0) return item({ kind: 'expr', expr: expression(tokens) });
  const rest = tokens.slice(prefix.consumed);
  if (rest.length > 1) throw new DataListError('comma expected after operand', rest[1]);
  return item({ kind: 'expr', expr: prefix.value });
}

/**
 * The commonest item, a number (`5`, `0x1f`) or a negated one (`-5`): its tree as the expression
 * parser makes it, without the parser; null for anything else, or a token that is no number.
 */
function numberItem(tokens: IToken[]): DataItem | null {
  const negated = tokens.length === 2 && tokens[0]!.tokenType === T.Minus;
  if (tokens.length !== 1 && !negated) return null;
  const t = tokens[negated ? 1 : 0]!;
  if (t.tokenType !== T.NumberLiteral || isFloatLike(t.image)) return null;
  const shared = t.image.length <= SHARED_NUMBER_LENGTH;
  try {
    if (negated) {
      const leaf = shared ? numberLeaf(t.image, readNumberImage) : readNumberImage(t.image);
      return { kind: 'expr', expr: { kind: 'unary', op: '-', operand: leaf } };
    }
    return shared ? sharedNumberItem(t.image, readNumberImage) : { kind: 'expr', expr: readNumberImage(t.image) };
  } catch (e) {
    if (e instanceof ExpressionError) return null;
    throw e;
  }
}

/**
 * Numbers of up to this many characters share their tree and item (leaves.ts): short ones repeat
 * (`db 0`, `dw 255`). Longer ones are mostly written once (tables, random data), and looking
 * them up in the shared tables cost more than it saved.
 */
const SHARED_NUMBER_LENGTH = 4;

/** The items written as one token (or a sign and one token): strings, `?`, floats and packed BCD. */
function singleTokenItem(tokens: IToken[]): DataItem | null {
  if (tokens.length === 1) {
    const t = tokens[0]!;
    if (t.tokenType === T.StringLiteral) return stringItem(t.image, stringBytes);
    if (t.tokenType === T.Identifier && t.image === '?') return { kind: 'uninit', count: 1 };
    if (t.tokenType === T.NumberLiteral && isFloatLike(t.image)) return floatItem(t.image, false);
    if (t.tokenType === T.Identifier && specialFloatName(t.image))
      return { kind: 'float', text: specialFloatName(t.image)!, negative: false };
  }
  if (tokens.length === 2 && (tokens[0]!.tokenType === T.Minus || tokens[0]!.tokenType === T.Plus)) {
    const t = tokens[1]!;
    const negative = tokens[0]!.tokenType === T.Minus;
    if (t.tokenType === T.NumberLiteral && isFloatLike(t.image)) return floatItem(t.image, negative);
    if (t.tokenType === T.Identifier && specialFloatName(t.image))
      return { kind: 'float', text: specialFloatName(t.image)!, negative };
  }
  return null;
}

/**
 * A data item that starts with a string function: `__?utf16?__ "…"` or `__?utf16?__("…")`, a
 * string padded like one (not a truncated number); null for any other item. nasm wants nothing
 * after it (`dw __utf16__ "ab" + 1` is a missing comma).
 */
function utfStringItem(tokens: IToken[]): DataItem | null {
  const name = tokens[0]!.image;
  if (tokens[0]!.tokenType !== T.Identifier || !STRING_FUNCTION.test(name)) return null;
  const parenthesised = tokens[1]?.tokenType === T.LParen;
  const text = tokens[parenthesised ? 2 : 1];
  if (text?.tokenType !== T.StringLiteral)
    throw new DataListError(`${stringFunctionName(name)} must be followed by a string constant`);
  let end = parenthesised ? 3 : 2;
  if (parenthesised && tokens[end++]?.tokenType !== T.RParen)
    throw new DataListError(`unterminated ${stringFunctionName(name)} function`);
  if (end < tokens.length) throw new DataListError('comma expected after operand', tokens[end] ?? null);
  try {
    return { kind: 'string', bytes: utfBytes(name, stringBytes(text.image)) };
  } catch (e) {
    if (e instanceof StringFunctionError) throw new DataListError(e.message);
    throw e;
  }
}

/** A data item converted by the float code: a float constant or packed BCD (`123p`). */
function isFloatLike(image: string): boolean {
  return isFloatToken(image) || isPackedBcd(image);
}

function floatItem(text: string, negative: boolean): DataItem {
  if (!isPackedBcd(text) && text.indexOf('.') !== text.lastIndexOf('.'))
    throw new DataListError('too many periods in floating-point constant');
  return { kind: 'float', text, negative };
}
