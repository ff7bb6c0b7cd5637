/**
 * The parser's tokens for an output line, made from the preprocessor's own
 * tokens instead of lexing the line's text a second time.
 *
 * The preprocessor's tokenizer and the parser's lexer share their lexical
 * rules (grammar/tokens.ts), so a token list that came straight from
 * tokenizing text maps one to one onto what the lexer would make of that
 * text. The mapping gives up (null: lex the text) where the two differ — a
 * `%` form, an unterminated string, a character the lexer does not know — and,
 * on lines that macro expansion put together, where two tokens that touch
 * could read as one once written side by side (`$` then `x` is `$x`), or a
 * token a macro made is no single token to the lexer (`%assign` makes `-3`).
 */
import type { IToken, TokenType } from 'chevrotain';
import {
  Identifier,
  NumberLiteral,
  OPERATOR_TYPES,
  StringLiteral,
  identifierEnd,
  makeToken,
  numberEnd,
  quotedStringEnd,
  startsNumber,
} from '../../grammar/tokens.js';
import { K, type Tok } from './tokenize.js';

/** Operators after which the next token starts afresh, whatever it is. */
const ENDS_CLEANLY = new Set(['+', '-', '*', '(', ')', '[', ']', '{', '}', ',', ':', '~']);
/** Punctuation that no token before it can take in. */
const STARTS_CLEANLY = new Set(['(', ')', '[', ']', '{', '}', ',', ':']);

/** True when `a` directly followed by `b` lexes as `a` then `b`. */
function separate(a: Tok, b: Tok): boolean {
  if (a.k === K.WS || b.k === K.WS || a.k === K.STR) return true;
  if (a.k === K.OP && ENDS_CLEANLY.has(a.s)) return true;
  if (b.k !== K.OP) return false;
  if (STARTS_CLEANLY.has(b.s)) return true;
  // `$` and `$$` take in no operator but another `$` (`$$-$` is `$$` `-` `$`).
  if (a.k === K.OP && (a.s === '$' || a.s === '$$')) return b.s[0] !== '$';
  // A name cannot take in an arithmetic sign; a number can (`1e` `+5`).
  return a.k === K.ID && (b.s === '+' || b.s === '-' || b.s === '*');
}

/**
 * The lexer's type for the token alone. `expanded`: it may have been made by a
 * macro rather than read from text (`%assign` gives `-3`), so check that the
 * lexer would read its text as one such token.
 */
function tokenType(t: Tok, expanded: boolean): TokenType | undefined {
  switch (t.k) {
    case K.ID:
      return !expanded || identifierEnd(t.s, 0) === t.s.length ? Identifier : undefined;
    case K.NUM:
      return !expanded || (startsNumber(t.s, 0) && numberEnd(t.s, 0) === t.s.length) ? NumberLiteral : undefined;
    case K.STR:
      return quotedStringEnd(t.s, 0) === t.s.length ? StringLiteral : undefined;
    case K.OP:
      return OPERATOR_TYPES.get(t.s);
    default:
      return undefined;
  }
}

/**
 * The lexer's tokens for `toks` written out as `detokenize` does (offsets index
 * that text), or null when only lexing the text gives them. `expanded`: the
 * list was changed by macro expansion (neighbours may come from different texts).
 */
export function parserTokens(toks: readonly Tok[], expanded: boolean): IToken[] | null {
  const tokens: IToken[] = [];
  let offset = 0;
  let previous: Tok | undefined;
  for (const t of toks) {
    if (t.k !== K.WS) {
      const type = tokenType(t, expanded);
      if (type === undefined) return null;
      if (expanded && previous !== undefined && !separate(previous, t)) return null;
      tokens.push(makeToken(t.s, offset, type));
    }
    offset += t.s.length;
    previous = t;
  }
  return tokens;
}
