/**
 * NASM syntax highlighting for CodeMirror, from the assembler's own lexer:
 * each line is cut into tokens by `lexLine` (grammar/tokens.ts, the rules the
 * preprocessor and parser use), keywords are re-typed with the encoder's
 * register table, and identifiers are told apart with the instruction table
 * and the parser's directive list. So the editor colours exactly what
 * tsnasm will read as a register, a mnemonic, a number or a string.
 */
import { StreamLanguage, type StringStream } from '@codemirror/language';
import type { IToken } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { isInstructionPrefix, isMnemonic } from '../../src/encoder/index.js';
import { lookupRegister } from '../../src/encoder/registers.js';
import { DIRECTIVES, isReservedStatementWord } from '../../src/parse/statement.js';

interface LineState {
  /** The tokens of the line being read (lexed once, at its first character). */
  tokens: IToken[];
  next: number;
  /** Offset where the line's comment starts, or -1. */
  commentStart: number;
}

const OPERATORS = new Set(T.lexerTokenTypes.filter((t) => t.PATTERN instanceof RegExp).map((t) => t.name));

function identifierStyle(tokens: readonly IToken[], index: number): string {
  const token = tokens[index]!;
  const lower = token.image.toLowerCase();
  const following = tokens[index + 1];
  if (following?.tokenType === T.Colon && index === 0) return 'labelName';
  if (isMnemonic(lower) || isInstructionPrefix(lower)) return 'keyword';
  if (DIRECTIVES.has(lower) || isReservedStatementWord(lower)) return 'definitionKeyword';
  if (index === 0 && following === undefined) return 'labelName';
  return 'variableName';
}

/** The highlighting tag name (see tokenTable below) of one token. */
function styleOf(tokens: readonly IToken[], index: number): string | null {
  const type = tokens[index]!.tokenType;
  switch (type) {
    case T.Comment:
      return 'lineComment';
    case T.StringLiteral:
      return 'string';
    case T.NumberLiteral:
      return 'number';
    case T.PreprocessorToken:
      return 'processingInstruction';
    case T.Register:
      return 'atom';
    case T.SizeKeyword:
    case T.Distance:
    case T.Strict:
    case T.Seg:
    case T.Wrt:
    case T.RelAbs:
    case T.Nosplit:
    case T.To:
      return 'typeName';
    case T.Here:
    case T.SectionStart:
      return 'variableName.special';
    case T.Identifier:
      return identifierStyle(tokens, index);
    default:
      return OPERATORS.has(type.name) ? 'operator' : null;
  }
}

function lex(text: string): LineState {
  const lexed = T.lexLine(text);
  T.retypeKeywords(lexed.tokens, (name) => lookupRegister(name) !== undefined);
  return { tokens: lexed.tokens, next: 0, commentStart: lexed.commentStart };
}

export const nasm = StreamLanguage.define<LineState>({
  name: 'nasm',
  startState: () => ({ tokens: [], next: 0, commentStart: -1 }),
  copyState: (s) => ({ tokens: s.tokens, next: s.next, commentStart: s.commentStart }),
  token(stream: StringStream, state: LineState): string | null {
    if (stream.sol()) Object.assign(state, lex(stream.string));
    if (state.commentStart >= 0 && stream.pos >= state.commentStart) {
      stream.skipToEnd();
      return 'lineComment';
    }
    while (state.next < state.tokens.length && state.tokens[state.next]!.startOffset < stream.pos) state.next++;
    const token = state.tokens[state.next];
    if (token === undefined || token.startOffset > stream.pos) {
      // White space, or characters the lexer did not take: up to the next token (or the comment).
      const stop = Math.min(
        token?.startOffset ?? stream.string.length,
        state.commentStart >= 0 ? state.commentStart : Infinity,
      );
      stream.pos = Math.max(stop, stream.pos + 1);
      return null;
    }
    stream.pos = token.startOffset + token.image.length;
    const style = styleOf(state.tokens, state.next);
    state.next++;
    return style;
  },
  languageData: { commentTokens: { line: ';' } },
});
