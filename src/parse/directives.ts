/**
 * Directive arguments: each assembler directive has its own little syntax
 * (`global f:function (f.end - f)`, `section .data align=16`, `common x 4:8`),
 * read here once so the assembler receives typed arguments (DirectiveArguments).
 */
import { lexLine, retypeKeywords } from '../../grammar/tokens.js';
import { parseExpression, parseExpressionPrefix, type ParseOutcome } from '../../grammar/operands.js';
import { lookupRegister } from '../encoder/registers.js';
import type {
  CommonDeclaration,
  DirectiveArguments,
  Expr,
  SectionDirective,
  SymbolDeclaration,
  SymbolVisibility,
} from './ast.js';

/** Reads the arguments of directive `name` (lower case) from its text. */
export function parseDirectiveArguments(name: string, args: string): DirectiveArguments {
  switch (name) {
    case 'section':
    case 'segment':
      return { kind: 'section', section: parseSectionDirective(args) };
    case 'bits':
      return { kind: 'bits', bits: bitsSetBy(args) };
    case 'global':
    case 'static':
    case 'extern':
    case 'required':
      return symbolsArgument(name, args);
    case 'common':
      return { kind: 'common', common: parseCommon(args), hasColon: /:\s*\S/.test(args) };
    case 'org':
    case 'absolute':
    case 'sectalign':
      return expressionArgument(args);
    case 'align':
    case 'alignb':
      return expressionArgument(args.split(',')[0]!);
    case 'warning':
      // nasm reads the whole argument as one switch, white space collapsed, case kept:
      // `[warning push ?]` pushes nothing and is the unknown name `push ?` (measured).
      return { kind: 'words', words: [args.trim().replace(/\s+/g, ' ')] };
    default:
      return { kind: 'text', text: args.trim() };
  }
}

/** The mode a `bits N` directive selects, or null for a bad size. */
export function bitsSetBy(args: string): 16 | 32 | 64 | null {
  // nasm reads the leading decimal digits and ignores the rest (`bits 64 )`, `bits 32+32` are fine).
  const n = Number(/^\d*/.exec(args.trim())![0]);
  return n === 16 || n === 32 || n === 64 ? n : null;
}

/**
 * A directive's expression (`org 0x7c00`, `absolute label+4`, `align 16`).
 * Names are taken as written: directives do not qualify local labels.
 */
export function directiveExpression(text: string): Expr | null {
  return parseDirectiveExpression(text).value;
}

function parseDirectiveExpression(text: string): ParseOutcome<Expr> {
  const lexed = lexLine(text.trim());
  retypeKeywords(lexed.tokens, (n) => lookupRegister(n) !== undefined);
  return parseExpression(lexed.tokens, (s) => s);
}

/** A binary operator (or `?`/`:`) where an expression stopped: its operand is missing, a syntax error to nasm. */
function isOperatorToken(t: { image: string }): boolean {
  return /^(\+|-|\*|\/\/?|%%?|<<<?|>>>?|&&?|\|\|?|\^\^?|==?|!=|<>|<=>?|>=?|\?|:)$/.test(t.image);
}

/**
 * A directive's expression argument, with nasm's message when it does not parse. nasm reads the
 * longest expression at the start and ignores what follows it (`org 0x100 5`, `sectalign ebx edi`,
 * `absolute 4, 5`: measured), but not an operator left without its operand (`4 +`).
 */
export function expressionArgument(text: string): DirectiveArguments {
  const outcome = parseDirectiveExpression(text);
  if (outcome.value !== null) return { kind: 'expression', expr: outcome.value };
  // `absolute f(1`, what an unterminated macro call leaves, is "symbol `f' not defined before use".
  const lexed = lexLine(text.trim());
  retypeKeywords(lexed.tokens, (n) => lookupRegister(n) !== undefined);
  const prefix = parseExpressionPrefix(lexed.tokens, (n) => n);
  const stop = lexed.tokens[prefix.consumed];
  if (prefix.value !== null && prefix.consumed > 0 && stop !== undefined && !isOperatorToken(stop))
    return { kind: 'expression', expr: prefix.value };
  const unclosed = outcome.error?.message.includes('--> RParen <--') === true;
  return { kind: 'expression', expr: null, syntaxError: unclosed ? "expecting `)'" : 'expression syntax error' };
}

/** Parses `name attr attr=value …` (the name may be quoted). */
export function parseSectionDirective(args: string): SectionDirective {
  // Words are split at blanks, quotes or not (`section 'a b'` is section `'a` with attribute `b'`).
  // The raw `[section]` with no name enters a section named '' (measured; the `section` macro wants a name).
  const words = args.match(/[^\s]+/g) ?? [''];
  // nasm 2.16.01 keeps the quotes: `section ".text"` is another section than .text (named with its quotes).
  const name = words[0];
  const attributes = words.slice(1).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0
      ? { key: w.toLowerCase(), value: null, text: w }
      : { key: w.slice(0, eq).toLowerCase(), value: w.slice(eq + 1), text: w };
  });
  return { name, attributes };
}

/** `name size` or `name size:align [type] [visibility] [binding] [size]`. */
function parseCommon(args: string): CommonDeclaration | null {
  const m = /^\s*([^\s]+)\s+([^\s:]+)(?:\s*:(.*))?/.exec(args);
  if (!m) return null;
  const afterColon = m[3];
  const aligned = afterColon === undefined ? null : /^\s*([^\s]+)(.*)/.exec(afterColon);
  const special = aligned === null ? null : readSpecial(aligned[2]!, afterColon!, false);
  return {
    name: m[1]!,
    size: m[2]!,
    align: aligned?.[1] ?? null,
    type: special?.type ?? null,
    visibility: special?.visibility ?? null,
    weak: special?.weak ?? null,
    sizeText: special?.sizeText ?? null,
    symbolSize: special?.size ?? null,
    sizeReport: special?.sizeReport ?? null,
    special: aligned === null ? null : `${aligned[1]!}${aligned[2]!}`.trim(),
  };
}

/** Splits at top-level commas (a size expression may hold parenthesised ones). */
function splitTopLevel(args: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of args) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items;
}

/**
 * nasm's label characters: a name starts with a letter, `_`, `.`, `?`, `@` or a byte over 0x7F, and goes on
 * with those, digits, `$`, `#`, `~` (grammar/tokens.ts isIdentifierStart / isIdentifierChar).
 */
const IDENTIFIER = /^[A-Za-z_.?@\x80-\xff][\w.?@$#~\x80-\xff]*$/;
const IDENTIFIER_THEN_BLANK = /^[A-Za-z_.?@\x80-\xff][\w.?@$#~\x80-\xff]*\s/;

/** `global`/`static`/`extern` names, with nasm's message for a list it cannot read. */
function symbolsArgument(directive: string, args: string): DirectiveArguments {
  const symbols = splitNames(args);
  const items = splitTopLevel(args).map((s) => s.trim());
  if (items.length > 1 && items[items.length - 1] === '') items.pop(); // `extern a,` is fine
  for (const item of items) {
    const colon = item.indexOf(':');
    // A blank before the colon is already bad syntax (`extern a :b`).
    const written = colon < 0 ? item : item.slice(0, colon);
    const name = written.startsWith('$') ? written.slice(1) : written;
    if (IDENTIFIER.test(name)) continue;
    // nasm quotes the whole item, its `:special` part included, less an escaping `$`.
    const quoted = item.startsWith('$') ? item.slice(1) : item;
    const syntaxError = IDENTIFIER_THEN_BLANK.test(name)
      ? `invalid syntax in ${directive} declaration`
      : `identifier expected after ${directive}, got \`${quoted}'`;
    return { kind: 'symbols', symbols, syntaxError };
  }
  return { kind: 'symbols', symbols };
}

/** Splits `a, b:function (b.end - b), c:data 4` into names with optional ELF types and size expressions. */
function splitNames(args: string): SymbolDeclaration[] {
  return splitTopLevel(args)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const colon = s.indexOf(':');
      const rawName = (colon < 0 ? s : s.slice(0, colon)).trim();
      const name = rawName.startsWith('$') ? rawName.slice(1) : rawName;
      const special = colon < 0 ? '' : s.slice(colon + 1);
      return { name, ...readSpecial(special, special, true) };
    });
}

const TYPE_WORDS: Readonly<Record<string, 'function' | 'object' | null>> = {
  function: 'function',
  data: 'object',
  object: 'object',
  notype: null,
};
const VISIBILITY_WORDS: readonly SymbolVisibility[] = ['default', 'internal', 'hidden', 'protected'];

/**
 * The ELF "special" text of `global name:special`, read as nasm 2.16.01 does (measured): leading
 * words that are types (`function`, `data`, `object`, `notype`) or visibilities (`default`,
 * `hidden`, `protected`, and `internal` only as the last word), in any order; an unknown first
 * word that starts like a name right after the colon is skipped, but then a size must follow
 * (`skipUnknownFirst`; a common's words come after its alignment, which is that first word);
 * the rest is the size.
 *
 * `whole` is all the text after the colon: nasm names an undefined symbol of the size as it finds
 * it in the expression that starts after the first word there (`data hidden zz` names `hidden`,
 * ` data zz` names `data`), and sizeReport is that expression.
 */
function readSpecial(text: string, whole: string, skipUnknownFirst: boolean): Omit<SymbolDeclaration, 'name'> {
  const special = text.replace(/\s+/g, ' ').trimEnd();
  const none = {
    special: null,
    type: null,
    visibility: null,
    weak: null,
    sizeRequired: false,
    sizeText: null,
    size: null,
    sizeReport: null,
  };
  if (special.trim().length === 0) return none;
  let type: 'function' | 'object' | null = null;
  let visibility: SymbolVisibility | null = null;
  let weak: boolean | null = null;
  let sizeRequired = false;
  const words = special.trim().split(' ');
  let used = 0;
  for (; used < words.length; used++) {
    const word = words[used]!.toLowerCase();
    const isLast = used === words.length - 1;
    if (word in TYPE_WORDS) type = TYPE_WORDS[word]!;
    else if (VISIBILITY_WORDS.includes(word as SymbolVisibility) && (word !== 'internal' || isLast))
      visibility = word as SymbolVisibility;
    else if (word === 'weak' || word === 'strong') weak = word === 'weak';
    else break;
  }
  if (skipUnknownFirst && used === 0 && /^[A-Za-z_.?@$]/.test(special)) {
    used = 1;
    sizeRequired = true;
  }
  const rest = words.slice(used).join(' ');
  const sizeText = rest.length > 0 || sizeRequired ? rest : null;
  const size = sizeText ? sizeExpression(sizeText) : null;
  const reportText = whole.replace(/^\S*/, '');
  const sizeReport = sizeText === null ? null : reportText.trim() === sizeText ? size : sizeExpression(reportText);
  return { special, type, visibility, weak, sizeRequired, sizeText, size, sizeReport };
}

/** nasm evaluates the longest expression at the start of a symbol size and ignores the rest (`2 hidden` is 2). */
function sizeExpression(text: string): Expr | null {
  const lexed = lexLine(text.trim());
  retypeKeywords(lexed.tokens, (n) => lookupRegister(n) !== undefined);
  return parseExpressionPrefix(lexed.tokens, (s) => s).value;
}

/**
 * Directive arguments come from the raw line text, which may hold a comment.
 * `atBracket`: nasm's macros turn `section .data] junk` into `[section .data] junk]`,
 * so the arguments also end at the first `]` outside quotes (measured on nasm 2.16.01).
 */
export function stripComment(text: string, atBracket = false): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === ';' || (atBracket && c === ']')) {
      return text.slice(0, i).trim();
    }
  }
  return text.trim();
}
