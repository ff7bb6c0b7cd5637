/**
 * The preprocessor's own view of a line: a flat list of small tokens that
 * keeps white space (collapsed to one space, as `nasm -E` prints it) and the
 * `%`-forms the macro engine works with. The assembler never sees these: the
 * final text of each line is re-lexed with the shared Chevrotain token set.
 *
 * The lexical rules themselves (where a number, identifier or string ends)
 * live in grammar/tokens.ts and are shared with the parser's Chevrotain
 * lexer, so each rule has one definition. This scanner differs only in what
 * it keeps: white space, and the `%`-forms the macro engine works with; the
 * macro engine re-tokenizes many short texts, so it stays a plain loop.
 */
import * as lexical from '../../grammar/tokens.js';

// The shared lexical rules, bound once: the tokenizer's loop then calls plain
// local functions (test runners turn every imported name into a property
// lookup per use, which doubles this hot loop's cost there).
const {
  codeAt,
  identifierEnd,
  isDigit,
  isIdentifierChar: isIdChar,
  isIdentifierStart: isIdStart,
  isQuote,
  isSpace,
  numberEnd,
  quotedStringEnd,
  startsNumber,
} = lexical;

export const enum K {
  /** White space (text is always one space). */
  WS,
  /** Identifier, including `$name`, `..@x` and `?`-names. */
  ID,
  NUM,
  /** Quoted string with its quotes. */
  STR,
  /** `%name`: a directive or an unknown preprocessor word. */
  PPID,
  /** `%%name`: macro-local label. */
  LOCAL,
  /** `%$name`, `%$$name`: context-local name (text keeps the `%$`). */
  CTX,
  /** `%1`, `%-1`, `%+1`, `%0`, `%00`, `%{…}`. */
  PARAM,
  /** `%+` token pasting. */
  PASTE,
  /** `%?` / `%??`. */
  QQ,
  /** `%[…]`: the text between the brackets is in `s` without them. */
  INDIRECT,
  /** `%!name` environment reference. */
  ENV,
  /** Operators and punctuation (multi-character operators are one token). */
  OP,
}

export interface Tok {
  k: K;
  s: string;
  /** Single-line macros this token came out of (the "hide set" that stops self-expansion). */
  hide?: readonly object[] | undefined;
  /** A `%{…}` read without its `}` (`open`), empty (`empty`) or both: nasm warns when it reads the line. */
  brace?: 'open' | 'empty' | 'open-empty';
}

export const WS_TOKEN: Tok = { k: K.WS, s: ' ' };

/** End of a quoted string starting at `i` (index after the closing quote, or the line's end if unterminated). */
export function stringEnd(text: string, i: number): number {
  const end = quotedStringEnd(text, i);
  return end < 0 ? text.length : end;
}

/** A string token that has its closing quote (a backquoted one may hide it behind a backslash). */
/** A string token with its closing quote: nasm's directives that want a string refuse an unterminated one. */
export function isString(t: Tok): boolean {
  return t.k === K.STR && isTerminatedString(t.s);
}

export function isTerminatedString(text: string): boolean {
  const quote = text.charCodeAt(0);
  if (text.length < 2 || text.charCodeAt(text.length - 1) !== quote) return false;
  if (quote !== 96 /* ` */) return true;
  let backslashes = 0;
  for (let i = text.length - 2; i > 0 && text.charCodeAt(i) === 92 /* \\ */; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** Splits one logical line into tokens, dropping a `;` comment and trailing white space. */
export function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      out.push(WS_TOKEN);
      continue;
    }
    if (c === 59 /* ; */) break;
    const start = i;
    if (isQuote(c)) {
      i = stringEnd(text, i);
      out.push({ k: K.STR, s: text.slice(start, i) });
      continue;
    }
    if (startsNumber(text, i)) {
      i = numberEnd(text, i);
      out.push({ k: K.NUM, s: text.slice(start, i) });
      continue;
    }
    // A lone `?` is the conditional operator, not a name.
    if (c === 63 && !isIdChar(codeAt(text, i + 1))) {
      out.push(OP_TOKENS[63]!);
      i++;
      continue;
    }
    const idEnd = identifierEnd(text, i);
    if (idEnd >= 0) {
      i = idEnd;
      out.push({ k: K.ID, s: text.slice(start, i) });
      continue;
    }
    if (c === 37 /* % */) {
      const tok = scanPercent(text, i);
      out.push(tok.tok);
      i = tok.end;
      continue;
    }
    const len = operatorLength(text, i, c);
    out.push(len === 1 ? (OP_TOKENS[c] ?? { k: K.OP, s: text[i]! }) : { k: K.OP, s: text.slice(i, i + len) });
    i += len;
    continue;
  }
  if (out.length > 0 && out[out.length - 1]!.k === K.WS) out.pop();
  return out;
}

/**
 * One token for each one-character ASCII operator, shared by every line that has it: tokens are
 * never changed once made, so a `,` or `[` need not be made afresh each time.
 */
const OP_TOKENS: Tok[] = [];
for (let c = 32; c < 127; c++) OP_TOKENS[c] = { k: K.OP, s: String.fromCharCode(c) };

/** Length of the operator at `i`: 3 for `<<< >>> <=>`, 2 for `// << >> == != <> <= >= && || ^^ $$`, else 1. */
function operatorLength(text: string, i: number, c: number): number {
  const d = codeAt(text, i + 1);
  const e = codeAt(text, i + 2);
  switch (c) {
    case 60: // <
      if (d === 60) return e === 60 ? 3 : 2;
      if (d === 61) return e === 62 ? 3 : 2;
      return d === 62 ? 2 : 1;
    case 62: // >
      if (d === 62) return e === 62 ? 3 : 2;
      return d === 61 ? 2 : 1;
    case 47:
      return d === 47 ? 2 : 1;
    case 61:
      return d === 61 ? 2 : 1;
    case 33:
      return d === 61 ? 2 : 1;
    case 38:
      return d === 38 ? 2 : 1;
    case 124:
      return d === 124 ? 2 : 1;
    case 94:
      return d === 94 ? 2 : 1;
    case 36:
      return d === 36 ? 2 : 1;
    default:
      return 1;
  }
}

interface Scanned {
  tok: Tok;
  end: number;
}

/** Index of the first non-identifier character at or after `j`. */
function identifierCharsEnd(text: string, j: number): number {
  while (j < text.length && isIdChar(text.charCodeAt(j))) j++;
  return j;
}

/** `%[…]`: up to the matching `]` (strings inside may hold brackets). */
function scanIndirect(text: string, i: number): Scanned {
  let depth = 1;
  let j = i + 2;
  while (j < text.length && depth > 0) {
    const d = text.charCodeAt(j);
    if (isQuote(d)) {
      j = stringEnd(text, j);
      continue;
    }
    if (d === 91) depth++;
    else if (d === 93) depth--;
    j++;
  }
  const inner = text.slice(i + 2, depth === 0 ? j - 1 : j);
  return { tok: { k: K.INDIRECT, s: inner }, end: j };
}

/**
 * `%{…}`: the text up to the matching `}` (braces nest; strings inside may hold braces), or to
 * the line's end when there is none, read as if written after a lone `%` (measured on nasm
 * 2.16.01): `%{1:2}`, `%{-1}` are parameters, `%{%x}` a macro-local label, `%{$x}` a context
 * name, `%{!x}` an environment variable, `%{?}` the macro's name, `%{+}` pasting, anything else a `%word` (`%{x}`
 * is `%x`, `%{define}` the directive); `%{}` is the `%` operator. The token notes a missing `}`
 * and empty braces, which nasm warns about as it reads a source line (see Tok.brace).
 */
function scanBraced(text: string, i: number): Scanned {
  let depth = 1;
  let j = i + 2;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (isQuote(d)) {
      j = stringEnd(text, j);
      continue;
    }
    if (d === 123) depth++;
    else if (d === 125 && --depth === 0) break;
    j++;
  }
  const open = depth > 0;
  const inner = text.slice(i + 2, j);
  const end = open ? j : j + 1;
  const first = inner.charCodeAt(0);
  const second = inner.charCodeAt(1);
  let tok: Tok;
  if (inner === '') tok = { k: K.OP, s: '%', brace: open ? 'open-empty' : 'empty' };
  else if (isDigit(first) || ((first === 43 || first === 45) && isDigit(second)))
    tok = { k: K.PARAM, s: `%{${inner}}` };
  else {
    tok = { k: bracedKind(inner, first), s: '%' + inner };
  }
  if (open && tok.brace === undefined) tok.brace = 'open';
  return { tok, end };
}

/** The kind of `%{inner}` that is no parameter: what `%inner` would be, read as one token. */
function bracedKind(inner: string, first: number): K {
  if (first === 36 /* $ */) return K.CTX;
  if (first === 33 /* ! */) return K.ENV; // the whole rest is the name: `%{!x:y}` reads variable `x:y`
  if (first === 37 /* % */) return K.LOCAL;
  if (inner === '?' || inner === '??') return K.QQ;
  if (inner === '+') return K.PASTE;
  return K.PPID;
}

/** How nasm names a parameter token in its messages: without the braces (`%{1:2}` is `%1:2`). */
export function parameterName(s: string): string {
  return s.startsWith('%{') ? '%' + s.slice(2, -1) : s;
}

/** The `%`-form starting at `i`: a directive name, a parameter, a local or context name, `%+`, `%?`, `%!env` … */
function scanPercent(text: string, i: number): Scanned {
  const c = codeAt(text, i + 1);
  const mk = (k: K, end: number): Scanned => ({ tok: { k, s: text.slice(i, end) }, end });
  if (c === 37 /* %% */) {
    if (isIdChar(codeAt(text, i + 2)) && codeAt(text, i + 2) !== 36)
      return mk(K.LOCAL, identifierCharsEnd(text, i + 2));
    return mk(K.OP, i + 2);
  }
  if (c === 36 /* %$ */) {
    let j = i + 1;
    while (codeAt(text, j) === 36) j++;
    return mk(K.CTX, identifierCharsEnd(text, j));
  }
  if (c === 91 /* %[ */) return scanIndirect(text, i);
  if (c === 123 /* %{ */) return scanBraced(text, i);
  if (c === 43 /* %+ */ || c === 45 /* %- */) {
    let j = i + 2;
    while (isDigit(codeAt(text, j))) j++;
    if (j > i + 2) return mk(K.PARAM, j);
    if (c === 43) return mk(K.PASTE, i + 2);
    return mk(K.OP, i + 1);
  }
  if (isDigit(c)) {
    let j = i + 1;
    while (isDigit(codeAt(text, j))) j++;
    return mk(K.PARAM, j);
  }
  if (c === 63 /* ? */) {
    return mk(K.QQ, codeAt(text, i + 2) === 63 ? i + 3 : i + 2);
  }
  if (c === 33 /* ! */) {
    const q = codeAt(text, i + 2);
    return mk(K.ENV, q === 34 || q === 39 ? stringEnd(text, i + 2) : identifierCharsEnd(text, i + 2));
  }
  if (isIdStart(c)) return mk(K.PPID, identifierCharsEnd(text, i + 2));
  // `%,`: the conditional comma of single-line macro bodies (see expand.ts).
  if (c === 44) return mk(K.OP, i + 2);
  return mk(K.OP, i + 1);
}

/** Text of a token list as nasm prints it (white space already collapsed). */
export function detokenize(toks: readonly Tok[]): string {
  let s = '';
  for (const t of toks) s += t.k === K.INDIRECT ? `%[${t.s}]` : t.s;
  return s;
}

/**
 * A number as the tokens nasm writes for it: a negative value is `-` followed by its magnitude
 * (as nasm's %assign does), so every reader of the tokens parses it again.
 */
export function numberTokens(n: bigint): Tok[] {
  return n < 0n
    ? [
        { k: K.OP, s: '-' },
        { k: K.NUM, s: (-n).toString() },
      ]
    : [{ k: K.NUM, s: n.toString() }];
}

/** Drops leading and trailing white-space tokens. */
export function trimWs(toks: Tok[]): Tok[] {
  let a = 0;
  let b = toks.length;
  while (a < b && toks[a]!.k === K.WS) a++;
  while (b > a && toks[b - 1]!.k === K.WS) b--;
  return a === 0 && b === toks.length ? toks : toks.slice(a, b);
}

/** Index of the first non-white-space token at or after `i` (or `toks.length`). */
export function skipWs(toks: readonly Tok[], i: number): number {
  while (i < toks.length && toks[i]!.k === K.WS) i++;
  return i;
}

/**
 * The bytes a NASM string literal stands for (quotes removed, backquote
 * escapes decoded). Returned as a JS string of char codes 0-255.
 */
export function unquote(s: string): string {
  const q = s[0];
  if (q !== '`') return s.length >= 2 && s.endsWith(q!) ? s.slice(1, -1) : s.slice(1);
  const end = s.length >= 2 && s.endsWith('`') && s[s.length - 2] !== '\\' ? s.length - 1 : s.length;
  let out = '';
  for (let i = 1; i < end; i++) {
    const ch = s[i]!;
    if (ch !== '\\') {
      out += encodeUtf8(ch);
      continue;
    }
    const escape = decodeEscape(s, i + 1, end);
    out += escape.bytes;
    i = escape.last;
  }
  return out;
}

/** One-character backquote escapes and the byte each stands for. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  e: '\x1b',
};

/**
 * Decodes the escape whose letter is at `i` (just after the backslash):
 * returns its bytes and the index of its last character.
 */
function decodeEscape(s: string, i: number, end: number): { bytes: string; last: number } {
  const e = s[i];
  if (e === undefined) return { bytes: '', last: i };
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return { bytes: simple, last: i };
  if (e >= '0' && e <= '7') {
    // Up to three octal digits.
    let v = 0;
    let j = i;
    while (j < i + 3 && j < end && s[j]! >= '0' && s[j]! <= '7') v = v * 8 + (s.charCodeAt(j++) - 48);
    return { bytes: String.fromCharCode(v & 255), last: j - 1 };
  }
  if (e === 'x') {
    // Up to two hex digits.
    let v = 0;
    let j = i;
    while (j < i + 2 && j + 1 < end && /[0-9a-fA-F]/.test(s[j + 1]!)) v = v * 16 + parseInt(s[++j]!, 16);
    return { bytes: String.fromCharCode(v), last: j };
  }
  if (e === 'u' || e === 'U') {
    const hex = s.slice(i + 1, i + 1 + (e === 'u' ? 4 : 8));
    return { bytes: encodeUtf8(String.fromCodePoint(parseInt(hex || '0', 16))), last: i + hex.length };
  }
  return { bytes: e, last: i };
}

function encodeUtf8(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 128) return ch;
  return Array.from(new TextEncoder().encode(ch), (b) => String.fromCharCode(b)).join('');
}

/** True if the text holds a control character (0-31, and DEL when `del`). */
export function hasControlCharacter(text: string, del: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || (del && c === 127)) return true;
  }
  return false;
}

/**
 * Quotes a byte string the way nasm does for `%defstr` & co: single quotes
 * when possible, else double quotes, else a backquoted string with escapes.
 */
export function quoteString(bytes: string): string {
  // Bytes above 0x7F are escaped too (measured: `%defstr A µ` is `\302\265`).
  const printable = !hasControlCharacter(bytes, true) && !/[\u0080-\uffff]/.test(bytes);
  if (printable && !bytes.includes("'")) return `'${bytes}'`;
  if (printable && !bytes.includes('"')) return `"${bytes}"`;
  let out = '`';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    const ch = bytes[i]!;
    if (ch === '`' || ch === '\\') out += '\\' + ch;
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c === 13) out += '\\r';
    else if (c > 0xff) {
      // A character above U+00FF (text given to the API) stands for its UTF-8 bytes.
      for (const byte of new TextEncoder().encode(String.fromCodePoint(bytes.codePointAt(i)!)))
        out += '\\' + byte.toString(8);
      if (c >= 0xd800 && c < 0xdc00) i++;
    } else if (c < 32 || c >= 127) {
      out += '\\' + c.toString(8);
    } else out += ch;
  }
  return out + '`';
}
