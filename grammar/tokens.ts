/**
 * NASM's lexical syntax as Chevrotain token types. One token set serves both
 * the preprocessor and the parser, so a token keeps its source position from
 * the file through macro expansion into the statement it ends up in.
 *
 * Keywords (registers, size names, `seg`, `wrt`, …) are NOT separate regexes:
 * every name is lexed once as an Identifier and then re-typed by a table
 * lookup (`retypeKeywords`), as Chevrotain's performance guide recommends.
 * Mnemonics and directives stay Identifiers: the statement builder asks the
 * instruction table whether a name is an instruction.
 */
import { createToken, Lexer, type IToken, type TokenType, type CustomPatternMatcherFunc } from 'chevrotain';

// ---------------------------------------------------------------------------
// Lexical rules. These scanning functions are the one definition of NASM's
// numbers, identifiers, strings and white space: the Chevrotain matchers
// below and the preprocessor's tokenizer (src/preprocess/tokenize.ts) both
// call them. Each takes the text and a start offset and returns where the
// token ends (or -1 when none starts there).
// ---------------------------------------------------------------------------

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters allowed inside a number token: letters, digits and `_` (NASM's "numchar"). */
const isNumberChar = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 95;
/** Bytes 0x80–0xFF (one character each in the ISO 8859-1 source text): nasm takes them as identifier letters. */
const isHighByte = (c: number): boolean => c >= 0x80 && c <= 0xff;
/** First character of an identifier (NASM manual 3.1: letters, `.`, `_`, `?`; `@` and bytes over 0x7F as NASM accepts them). */
export const isIdentifierStart = (c: number): boolean =>
  isAlpha(c) || c === 95 || c === 46 || c === 63 || c === 64 || isHighByte(c);
/** Later characters of an identifier: letters, digits, `_ $ # @ ~ . ?`, bytes over 0x7F. */
export const isIdentifierChar = (c: number): boolean =>
  isAlpha(c) ||
  isDigit(c) ||
  c === 95 ||
  c === 36 ||
  c === 35 ||
  c === 64 ||
  c === 126 ||
  c === 46 ||
  c === 63 ||
  isHighByte(c);
/** White space inside a line: space, tab, CR, form feed, vertical tab. */
export const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
/** The three quote characters: `'`, `"` and the backquote (C-style escapes inside). */
export const isQuote = (c: number): boolean => c === 39 || c === 34 || c === 96;

/**
 * The character code at `i`, or -1 past the end. Scanners peek past a token's
 * end; doing that with a bare charCodeAt makes V8 discard the scanner's
 * optimised code ("out of bounds") and compile it again, several times per run.
 */
export function codeAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : -1;
}

/** True if a number starts at `i`: a digit, or `$` then a digit. */
export function startsNumber(text: string, i: number): boolean {
  const c = codeAt(text, i);
  return isDigit(c) || (c === 36 && isDigit(codeAt(text, i + 1)));
}

/**
 * End of the number starting at `i` (see startsNumber). It runs over letters,
 * digits, `_` and `.`; an `e`/`E` followed by a sign belongs to the number
 * only in a decimal (non-hex) number, and `p`/`P` may be followed by a sign
 * (hex floats). This mirrors how NASM decides where a number ends, so that
 * `0x1e+5` is `0x1e` `+` `5` while `1.5e+5` is one floating-point number.
 */
export function numberEnd(text: string, i: number): number {
  let isHex = false;
  if (text.charCodeAt(i) === 36 /* $ */) i++;
  // Reads stay inside the text: a read past the end makes V8 throw away this function's optimised code.
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isHex && (c === 101 || c === 69) /* e E */) {
      i++;
      const s = codeAt(text, i);
      if (s === 43 || s === 45) i++;
    } else if (c === 120 || c === 88 || c === 104 || c === 72 /* x X h H */) {
      isHex = true;
      i++;
    } else if (c === 112 || c === 80 /* p P */) {
      i++;
      const s = codeAt(text, i);
      if (s === 43 || s === 45) i++;
    } else if (isNumberChar(c) || c === 46 /* . */) {
      i++;
    } else {
      return i;
    }
  }
  return text.length;
}

/**
 * End of the identifier starting at `i`, or -1 if none does. `$name` escapes
 * a keyword (`$` and `$$` alone are not identifiers); `..@` names are
 * ordinary identifiers.
 */
export function identifierEnd(text: string, i: number): number {
  const c = codeAt(text, i);
  if (c === 36 /* $ */) {
    if (!isIdentifierStart(codeAt(text, i + 1))) return -1;
    i++;
  } else if (!isIdentifierStart(c)) {
    return -1;
  }
  i++;
  while (i < text.length && isIdentifierChar(text.charCodeAt(i))) i++;
  return i;
}

/**
 * End (just past the closing quote) of the quoted string starting at `i`, or
 * -1 if it is not terminated on this line. In a backquoted string a `\`
 * escapes the next character.
 */
export function quotedStringEnd(text: string, i: number): number {
  const q = text.charCodeAt(i);
  if (q !== 96 /* ` */) {
    const close = text.indexOf(text.charAt(i), i + 1);
    return close < 0 ? -1 : close + 1;
  }
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \ */) j += 2;
    else if (c === 96) return j + 1;
    else j++;
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Custom matchers for Chevrotain, built on the lexical rules above.
// ---------------------------------------------------------------------------

function matchResult(text: string, offset: number, end: number): RegExpExecArray {
  const result = [text.slice(offset, end)] as unknown as RegExpExecArray;
  result.index = offset;
  result.input = text;
  return result;
}

const matchNumber: CustomPatternMatcherFunc = (text, offset) =>
  startsNumber(text, offset) ? matchResult(text, offset, numberEnd(text, offset)) : null;

const matchIdentifier: CustomPatternMatcherFunc = (text, offset) => {
  const end = identifierEnd(text, offset);
  return end < 0 ? null : matchResult(text, offset, end);
};

/** A terminated string; an unterminated one is left for the lexer to report. */
const matchString: CustomPatternMatcherFunc = (text, offset) => {
  if (!isQuote(text.charCodeAt(offset))) return null;
  const end = quotedStringEnd(text, offset);
  return end < 0 ? null : matchResult(text, offset, end);
};

/**
 * Preprocessor tokens: `%define`, `%1`, `%-1`, `%+1`, `%%local`, `%$ctx`,
 * `%$$ctx`, `%{1:3}`, `%[`, `%+`, `%?`, `%??`, `%!env`, `%*`, `%0`, `%00`.
 * A `%` followed by a space (or anything else) is the modulo operator.
 */
const matchPreprocessor: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 37 /* % */) return null;
  let i = offset + 1;
  const c = text.charCodeAt(i);
  if (c === 123 /* { */) {
    const close = text.indexOf('}', i);
    if (close < 0) return null;
    return matchResult(text, offset, close + 1);
  }
  if (c === 91 /* [ */) return matchResult(text, offset, i + 1);
  if (c === 63 /* ? */) {
    i++;
    if (text.charCodeAt(i) === 63) i++;
    return matchResult(text, offset, i);
  }
  if (c === 43 /* + */ || c === 45 /* - */) {
    // `%+1` / `%-1` are parameter references; a bare `%+` is token pasting.
    let j = i + 1;
    while (isDigit(text.charCodeAt(j))) j++;
    if (j > i + 1) return matchResult(text, offset, j);
    return c === 43 ? matchResult(text, offset, i + 1) : null;
  }
  if (c === 42 /* * */) return matchResult(text, offset, i + 1);
  if (isDigit(c)) {
    while (isDigit(text.charCodeAt(i))) i++;
    return matchResult(text, offset, i);
  }
  if (c === 33 /* ! */) {
    i++;
    if (text.charCodeAt(i) === 34 || text.charCodeAt(i) === 39) {
      const end = quotedStringEnd(text, i);
      return end < 0 ? null : matchResult(text, offset, end);
    }
    while (i < text.length && isIdentifierChar(text.charCodeAt(i))) i++;
    return matchResult(text, offset, i);
  }
  // %%name, %$name, %$$name, %name
  while (text.charCodeAt(i) === 37 || text.charCodeAt(i) === 36) {
    if (i - offset >= 3) break;
    i++;
  }
  if (!isIdentifierStart(text.charCodeAt(i)) && !(i > offset + 1 && isIdentifierChar(text.charCodeAt(i)))) return null;
  while (i < text.length && isIdentifierChar(text.charCodeAt(i))) i++;
  return matchResult(text, offset, i);
};

// ---------------------------------------------------------------------------
// Token types
// ---------------------------------------------------------------------------

/** The characters of isSpace, as a regular expression (Chevrotain optimises these best). */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /;[^\n]*/, group: 'comments' });

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: { exec: matchString },
  line_breaks: false,
  start_chars_hint: ["'", '"', '`'],
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: { exec: matchNumber },
  line_breaks: false,
  start_chars_hint: ['$', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
});
export const Identifier = createToken({
  name: 'Identifier',
  pattern: { exec: matchIdentifier },
  line_breaks: false,
  start_chars_hint: [
    '$',
    '.',
    '_',
    '?',
    '@',
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
    ...Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(0x80 + i)),
  ],
});
export const PreprocessorToken = createToken({
  name: 'PreprocessorToken',
  pattern: { exec: matchPreprocessor },
  line_breaks: false,
  start_chars_hint: ['%'],
});

/** `$$`: the start of the current section. Must come before Here. */
export const SectionStart = createToken({ name: 'SectionStart', pattern: /\$\$/ });
/** `$`: the address of the start of the current line. */
export const Here = createToken({ name: 'Here', pattern: /\$/ });

// Keyword token types: never produced by the lexer itself (pattern NA);
// identifiers are re-typed into them by `retypeKeywords`.
export const Register = createToken({ name: 'Register', pattern: Lexer.NA });
export const SizeKeyword = createToken({ name: 'SizeKeyword', pattern: Lexer.NA });
export const Seg = createToken({ name: 'Seg', pattern: Lexer.NA });
export const Wrt = createToken({ name: 'Wrt', pattern: Lexer.NA });
export const Strict = createToken({ name: 'Strict', pattern: Lexer.NA });
export const Distance = createToken({ name: 'Distance', pattern: Lexer.NA }); // short, near, far
export const To = createToken({ name: 'To', pattern: Lexer.NA });
export const Nosplit = createToken({ name: 'Nosplit', pattern: Lexer.NA });
export const RelAbs = createToken({ name: 'RelAbs', pattern: Lexer.NA }); // rel, abs

// Operators, longest first.
const op = (name: string, pattern: RegExp): TokenType => createToken({ name, pattern });
export const SignedShiftRight = op('SignedShiftRight', />>>/);
export const SignedShiftLeft = op('SignedShiftLeft', /<<</);
export const Spaceship = op('Spaceship', /<=>/);
export const SignedDivide = op('SignedDivide', /\/\//);
export const SignedModulo = op('SignedModulo', /%%/);
export const ShiftLeft = op('ShiftLeft', /<</);
export const ShiftRight = op('ShiftRight', />>/);
export const EqualEqual = op('EqualEqual', /==/);
export const NotEqual = op('NotEqual', /!=|<>/);
export const LessEqual = op('LessEqual', /<=/);
export const GreaterEqual = op('GreaterEqual', />=/);
export const LogicalAnd = op('LogicalAnd', /&&/);
export const LogicalOr = op('LogicalOr', /\|\|/);
export const LogicalXor = op('LogicalXor', /\^\^/);
export const Plus = op('Plus', /\+/);
export const Minus = op('Minus', /-/);
export const Star = op('Star', /\*/);
export const Slash = op('Slash', /\//);
export const Percent = op('Percent', /%/);
export const Ampersand = op('Ampersand', /&/);
export const Pipe = op('Pipe', /\|/);
export const Caret = op('Caret', /\^/);
export const Tilde = op('Tilde', /~/);
export const Bang = op('Bang', /!/);
export const Equal = op('Equal', /=/);
export const Less = op('Less', /</);
export const Greater = op('Greater', />/);
export const LParen = op('LParen', /\(/);
export const RParen = op('RParen', /\)/);
export const LBracket = op('LBracket', /\[/);
export const RBracket = op('RBracket', /\]/);
export const LBrace = op('LBrace', /\{/);
export const RBrace = op('RBrace', /\}/);
export const Comma = op('Comma', /,/);
export const Colon = op('Colon', /:/);
/**
 * Anything else: kept so the preprocessor can pass it through and the parser can report it. A quote
 * no string matched opens an unterminated string, which runs to the end of the line as one token, as
 * in nasm (measured: `dd 1 "x, 2` is `dd 1` with one stray token dropped; `dd 1 "a ; b` too).
 */
export const Other = createToken({ name: 'Other', pattern: /['"`][^\n]*|[\\#]/ });

/** Token types in the order the lexer tries them. */
export const lexerTokenTypes: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  NumberLiteral,
  PreprocessorToken,
  Identifier,
  SectionStart,
  Here,
  SignedShiftRight,
  SignedShiftLeft,
  Spaceship,
  SignedDivide,
  SignedModulo,
  ShiftLeft,
  ShiftRight,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  LogicalAnd,
  LogicalOr,
  LogicalXor,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Ampersand,
  Pipe,
  Caret,
  Tilde,
  Bang,
  Equal,
  Less,
  Greater,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Other,
];

/** Every token type, including the keyword types that only `retypeKeywords` produces (the parser needs them all). */
export const allTokenTypes: TokenType[] = [
  ...lexerTokenTypes,
  Register,
  SizeKeyword,
  Seg,
  Wrt,
  Strict,
  Distance,
  To,
  Nosplit,
  RelAbs,
];

/**
 * Chevrotain checks a grammar's definitions when it is built (about 50 ms at every start-up).
 * The grammar is fixed, so the checks run under the test runner, where a mistake would show,
 * and are skipped in the shipped tools.
 */
export const CHECK_GRAMMAR = typeof process !== 'undefined' && process.env['VITEST'] !== undefined;

let nasmLexer: Lexer | undefined;

/** The lexer, built on first use: the assembler's own scanner handles most lines without it. */
function lexer(): Lexer {
  return (nasmLexer ??= new Lexer(lexerTokenTypes, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: CHECK_GRAMMAR,
    skipValidations: !CHECK_GRAMMAR,
  }));
}

/**
 * Size keywords and their sizes in bytes (`long` is nasm 2.16's other name for `dword`; `fword`
 * is no keyword of nasm 2.16.01, a plain name: `fword equ 5` / `db fword` assembles).
 */
export const SIZE_KEYWORDS: ReadonlyMap<string, number> = new Map([
  ['byte', 1],
  ['word', 2],
  ['dword', 4],
  ['long', 4],
  ['qword', 8],
  ['tword', 10],
  ['oword', 16],
  ['yword', 32],
  ['zword', 64],
]);

const KEYWORD_TYPES: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ...[...SIZE_KEYWORDS.keys()].map((k): [string, TokenType] => [k, SizeKeyword]),
  ['seg', Seg],
  ['wrt', Wrt],
  ['strict', Strict],
  ['short', Distance],
  ['near', Distance],
  ['far', Distance],
  ['to', To],
  ['nosplit', Nosplit],
  ['rel', RelAbs],
  ['abs', RelAbs],
]);

const ADDRESS_SIZE_WORDS: ReadonlyMap<string, 16 | 32 | 64> = new Map<string, 16 | 32 | 64>([
  ['a16', 16],
  ['a32', 32],
  ['a64', 64],
]);

/** The address size an `a16` / `a32` / `a64` word names (nasm reads them inside brackets too), or null. */
export function addressSizeWord(t: IToken | undefined): 16 | 32 | 64 | null {
  if (t === undefined || t.tokenType !== Identifier || t.image.length !== 3) return null;
  return ADDRESS_SIZE_WORDS.get(t.image.toLowerCase()) ?? null;
}

/**
 * Re-types identifiers that are keywords (case-insensitive, as in NASM).
 * `isRegister` is injected so the grammar does not depend on the encoder.
 */
export function retypeKeywords(tokens: IToken[], isRegister: (lowerName: string) => boolean): void {
  for (const t of tokens) {
    if (t.tokenType !== Identifier) continue;
    const image = t.image;
    if (image.charCodeAt(0) === 36 /* $ */) continue; // `$name` is never a keyword
    const lower = image.toLowerCase();
    const kw = KEYWORD_TYPES.get(lower);
    // Chevrotain matches on tokenTypeIdx, so both fields must change.
    const type = kw ?? (isRegister(lower) ? Register : undefined);
    if (type) {
      t.tokenType = type;
      t.tokenTypeIdx = type.tokenTypeIdx!;
    }
  }
}

export interface LexedLine {
  tokens: IToken[];
  /** Offset where a `;` comment starts, or -1. */
  commentStart: number;
  /** Characters that could not be lexed (e.g. an unterminated string), with their offsets. */
  errors: Array<{ offset: number; message: string }>;
}

/** Lexes one logical source line (continuations already joined). */
export function lexLine(text: string): LexedLine {
  const result = lexer().tokenize(text);
  const comments = result.groups['comments'];
  return {
    tokens: result.tokens,
    commentStart: comments && comments.length > 0 ? comments[0]!.startOffset : -1,
    errors: result.errors.map((e) => ({ offset: e.offset, message: e.message })),
  };
}

/**
 * The token type the lexer gives an operator or punctuation written alone
 * (`?` alone is an Identifier, `\\` and `#` are Other). `%` and `%%` are left
 * out: after them the lexer may read a preprocessor token (`%%$x`, `%{1}`).
 */
export const OPERATOR_TYPES: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['>>>', SignedShiftRight],
  ['<<<', SignedShiftLeft],
  ['<=>', Spaceship],
  ['//', SignedDivide],
  ['<<', ShiftLeft],
  ['>>', ShiftRight],
  ['==', EqualEqual],
  ['!=', NotEqual],
  ['<>', NotEqual],
  ['<=', LessEqual],
  ['>=', GreaterEqual],
  ['&&', LogicalAnd],
  ['||', LogicalOr],
  ['^^', LogicalXor],
  ['+', Plus],
  ['-', Minus],
  ['*', Star],
  ['/', Slash],
  ['&', Ampersand],
  ['|', Pipe],
  ['^', Caret],
  ['~', Tilde],
  ['!', Bang],
  ['=', Equal],
  ['<', Less],
  ['>', Greater],
  ['(', LParen],
  [')', RParen],
  ['[', LBracket],
  [']', RBracket],
  ['{', LBrace],
  ['}', RBrace],
  [',', Comma],
  [':', Colon],
  ['$', Here],
  ['$$', SectionStart],
  ['?', Identifier],
  ['\\', Other],
  ['#', Other],
]);

/** A token with the fields the lexer gives its own (`positionTracking: 'onlyOffset'`), so parsers see one shape. */
export function makeToken(image: string, startOffset: number, tokenType: TokenType): IToken {
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx!, tokenType };
}

/** True if the two tokens touch (no white space between them): needed for `%+`-free pasting rules and `%define f(x)`. */
export function adjacent(a: IToken, b: IToken): boolean {
  return a.endOffset !== undefined && a.endOffset + 1 === b.startOffset;
}
