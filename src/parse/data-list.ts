/**
 * nasm 2.16's data list syntax around the single items: a trailing comma
 * (`db 1,2,3,`), `COUNT dup ITEM` and `COUNT dup (LIST)` with nested lists,
 * and `%(LIST)` groups (measured on nasm 2.16.01).
 *
 * A `dup` is expanded here, so the assembler sees a flat item list; its count
 * is a constant expression of numbers, or else (it names symbols) a `dup`
 * item that the assembler expands in each pass (src/asm/data.ts).
 */
import type { IToken } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { evaluate, EvalError, type EvalEnv } from '../core/expressions.js';
import { lookupRegister } from '../encoder/registers.js';
import { specialFloatName } from '../core/float.js';
import { fitted } from '../core/compact.js';
import { isFloatToken, isPackedBcd } from '../core/numbers.js';
import { itemUnit, type DataItem, type DataUnit, type Expr } from './ast.js';
import { mergeBraceGroups, type BraceGroups } from './data-braces.js';

/**
 * Builds one item (the statement builder's rules for a single data operand); `asExpression`: the
 * tokens are read as one expression, with no string, float or `?` item (data-item.ts).
 */
export type ItemBuilder = (tokens: IToken[], asExpression: boolean) => DataItem;
/** Parses a count expression, throwing the builder's line error on bad syntax. */
export type ExpressionBuilder = (tokens: IToken[]) => Expr;

export class DataListError extends Error {
  /** `lastRead`: where nasm stopped reading the line (its scanner warned up to there), when known. */
  constructor(
    message: string,
    readonly lastRead: IToken | null = null,
  ) {
    super(message);
  }
}

/** More repetitions than this are refused instead of filling memory. */
const MAX_EXPANDED_ITEMS = 1 << 26;

const UNKNOWN = { offset: 0n, base: null, unknown: true, wrt: null, segmentOf: false } as const;
const CONSTANTS_ONLY: EvalEnv = { symbolValue: () => null, here: UNKNOWN, sectionStart: UNKNOWN };

/** A float constant, packed BCD or special float name: an item of its own, never an expression's operand. */
function isFloatItemToken(t: IToken): boolean {
  if (t.tokenType === T.NumberLiteral) return isFloatToken(t.image) || isPackedBcd(t.image);
  return t.tokenType === T.Identifier && specialFloatName(t.image) !== null;
}

const isDup = (t: IToken | undefined): boolean => t?.tokenType === T.Identifier && t.image.toLowerCase() === 'dup';

/**
 * Whether tokens[i] opens a group that nasm's data reader closes with a `)` or `]`: a `(` or `[`
 * right after a complete value is the one stray token nasm drops after an item, and opens nothing
 * (`db 5 (, 6` and `db 1 [, 3` are two items; `db 2 dup (5 (, 6)` repeats two). Before the
 * parenthesis of `dup (…)`, a size, `%`, an operator or a function (`__?utf16?__(`) it opens one.
 */
function opensGroup(tokens: IToken[], i: number): boolean {
  const tt = tokens[i]!.tokenType;
  if (tt !== T.LParen && tt !== T.LBracket) return false;
  const before = tokens[i - 1];
  return before === undefined || !endsValue(before);
}

function endsValue(t: IToken): boolean {
  switch (t.tokenType) {
    case T.NumberLiteral:
    case T.StringLiteral:
    case T.Register:
    case T.RParen:
    case T.RBracket:
    case T.SectionStart:
    case T.Here:
      return true;
    case T.Identifier:
      return !isDup(t) && !/^__.*__$/.test(t.image);
    default:
      return false;
  }
}

/** Splits on commas outside the groups nasm's data reader pairs (one slice per part: no array grown token by token). */
function splitTopLevel(tokens: IToken[]): IToken[][] {
  const parts: IToken[][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (opensGroup(tokens, i)) depth++;
    // A `]` or `)` that closes nothing is a stray token too (`db 5 ], 6`).
    else if ((tt === T.RParen || tt === T.RBracket) && depth > 0) depth--;
    else if (tt === T.Comma && depth === 0) {
      parts.push(tokens.slice(start, i));
      start = i + 1;
    }
  }
  // The parts are only read: a line without a comma is its own single part.
  parts.push(start === 0 ? tokens : tokens.slice(start));
  return parts;
}

/**
 * A `)` that closes nothing ends nasm's reading of a data list, as the end of a group would
 * (`db 1), 5` is `db 1`, `db ?) 2` is `db ?`, `db )` declares nothing, `db 5 (, 6), 7` is
 * `db 5, 6`): the tokens before it.
 */
function beforeUnmatchedParen(tokens: IToken[]): IToken[] {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (tt === T.LParen && opensGroup(tokens, i)) depth++;
    else if (tt === T.RParen && --depth < 0) return tokens.slice(0, i);
  }
  return tokens;
}

/** The index of a top-level `dup` after a value in an item, or -1. */
function dupIndex(tokens: IToken[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (opensGroup(tokens, i)) depth++;
    else if ((tt === T.RParen || tt === T.RBracket) && depth > 0) depth--;
    // Where an operand is due (`1 + dup`, `1 wrt dup`) `dup` is a symbol's name (measured).
    else if (depth === 0 && i > 0 && isDup(tokens[i]) && endsValue(tokens[i - 1]!)) return i;
  }
  return -1;
}

/** `( … )` exactly (the closing parenthesis matches the opening one): its inside, else null. */
function parenthesised(tokens: IToken[]): IToken[] | null {
  if (tokens[0]?.tokenType !== T.LParen || tokens[tokens.length - 1]?.tokenType !== T.RParen) return null;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (tt === T.LParen && opensGroup(tokens, i)) depth++;
    else if (tt === T.RParen && --depth === 0 && i < tokens.length - 1) return null;
  }
  return tokens.slice(1, -1);
}

/**
 * A line's tokens as nasm's assembler scans them: a `%name` the preprocessor left (our lexer's one
 * preprocessor token) is the operator `%` and a name. So `dd 5 %foo` is 5 modulo foo, `times 2
 * %foo` a count of 2 % foo with no instruction, and a data operand `%foo` the `%` of a group
 * (`db %foo` is `db foo`, `db %str(a b` what an unterminated `%str(` call leaves). Context-local
 * names (`%$x`) stay whole: the operand grammar reads them as names.
 */
export function splitPercentNames(tokens: IToken[]): IToken[] {
  if (!tokens.some(isPercentName)) return tokens;
  const out: IToken[] = [];
  for (const t of tokens) {
    if (!isPercentName(t)) {
      out.push(t);
      continue;
    }
    const percent: IToken = { ...t, image: '%', endOffset: t.startOffset, tokenType: T.Percent };
    percent.tokenTypeIdx = T.Percent.tokenTypeIdx!;
    const name: IToken = { ...t, image: t.image.slice(1), startOffset: t.startOffset + 1 };
    name.tokenType = T.Identifier;
    name.tokenTypeIdx = T.Identifier.tokenTypeIdx!;
    if (name.startColumn !== undefined) name.startColumn++;
    T.retypeKeywords([name], (lower) => lookupRegister(lower) !== undefined);
    out.push(percent, name);
  }
  return out;
}

const isPercentName = (t: IToken): boolean =>
  t.tokenType === T.PreprocessorToken && T.isIdentifierStart(t.image.charCodeAt(1));

/** The element sizes a size keyword gives inside a data list (`fword` is a plain name there). */
const DATA_SIZES: ReadonlyMap<string, DataUnit> = new Map<string, DataUnit>([
  ['byte', 1],
  ['word', 2],
  ['dword', 4],
  ['qword', 8],
  ['tword', 10],
  ['oword', 16],
  ['yword', 32],
  ['zword', 64],
]);

function dataSize(token: IToken | undefined): DataUnit | undefined {
  return token?.tokenType === T.SizeKeyword ? DATA_SIZES.get(token.image.toLowerCase()) : undefined;
}

/** The size keywords in front of an operand: the last one's size (or the outer one) and the tokens after them. */
function leadingSize(
  tokens: IToken[],
  outer: DataUnit | null,
): { unit: DataUnit | null; rest: IToken[]; sized: boolean } {
  if (tokens[0]?.tokenType !== T.SizeKeyword) return unsized(tokens, outer);
  let unit = outer;
  let at = 0;
  for (let size = dataSize(tokens[0]); size !== undefined; size = dataSize(tokens[++at])) unit = size;
  return { unit, rest: at === 0 ? tokens : tokens.slice(at), sized: at > 0 };
}

/** leadingSize's answer for an operand without a size keyword (most), one object reused. */
const UNSIZED: { unit: DataUnit | null; rest: IToken[]; sized: boolean } = { unit: null, rest: [], sized: false };
function unsized(tokens: IToken[], outer: DataUnit | null): typeof UNSIZED {
  UNSIZED.unit = outer;
  UNSIZED.rest = tokens;
  return UNSIZED;
}

/**
 * A size keyword that ends a list ends nasm's reading of it, and the operand it began is dropped
 * (`db 5, word` is `db 5`; `db 2 dup word` and `db 2 dup` declare nothing); elsewhere nothing may
 * follow a size.
 * So does a group's `%` where an operand starts (`db 1, %`, `db 5, byte %`), though `db 5 %` is
 * an operator missing its operand.
 */
export function dropEndingSize(parts: IToken[][]): void {
  const last = parts[parts.length - 1];
  if (last !== undefined && endsBeforeAnOperand(last)) parts.pop();
}

/**
 * Whether a data line's operands end where one would start (`db word`, `db %`, `db 2 dup %`), so
 * that it declares nothing: nasm's db-empty (`db )` is the caller's other case).
 */
export function endsWithoutOperand(tokens: IToken[]): boolean {
  const read = beforeUnmatchedParen(tokens);
  return read.length > 0 && endsBeforeAnOperand(read);
}

function endsBeforeAnOperand(part: IToken[]): boolean {
  const end = part[part.length - 1];
  if (dataSize(end) !== undefined) return true;
  // `db 1, 2 dup` is `db 1`: the line ends where the repeated operand would start (measured).
  const beforeEnd = part[part.length - 2];
  if (isDup(end) && beforeEnd !== undefined && endsValue(beforeEnd)) return true;
  if (end?.tokenType !== T.Percent) return false;
  const before = part[part.length - 2];
  return before === undefined || before.tokenType === T.Percent || isDup(before) || dataSize(before) !== undefined;
}

function withUnit(item: DataItem, unit: DataUnit | null): DataItem {
  return unit === null ? item : { ...item, unit };
}

/**
 * `N dup (?)`: one reservation of N times the size (nasm's output stage is handed it once, with
 * one zeroing warning); undefined when the repeated part is anything else.
 */
export function repeatedReservation(once: DataItem[], count: number): DataItem[] | undefined {
  const only = once.length === 1 ? once[0]! : null;
  if (only?.kind !== 'uninit') return undefined;
  return count === 0 ? [] : [{ ...only, count: only.count * count }];
}

/**
 * The items of one list, operand by operand. nasm keeps a list of several items as a unit, but an
 * operand that is one reservation joins a neighbour of the same size: `db ?, 2 dup (?)` reserves
 * three bytes at once, `db 2 dup (1, ?), ?` twice.
 */
export class ItemList {
  readonly items: DataItem[] = [];
  /** Whether the last item is an operand's only item (so may take in the next one). */
  private lastAlone = false;

  constructor(private readonly lineUnit: DataUnit) {}

  /** An operand that is one item (most are): add([item]) without the array. */
  addOne(only: DataItem): void {
    const last = this.items[this.items.length - 1];
    if (
      only.kind === 'uninit' &&
      this.lastAlone &&
      last?.kind === 'uninit' &&
      itemUnit(last, this.lineUnit) === itemUnit(only, this.lineUnit)
    ) {
      this.items[this.items.length - 1] = { ...last, count: last.count + only.count };
      return;
    }
    this.items.push(only);
    this.lastAlone = true;
  }

  add(operand: DataItem[]): void {
    if (operand.length === 1) {
      this.addOne(operand[0]!);
      return;
    }
    for (const item of operand) this.items.push(item);
    this.lastAlone = false;
  }
}

export class DataListParser {
  /**
   * `scanned`: reports a message of nasm's scanner (a bad brace group, data-braces.ts) when nasm's
   * reading of the line reaches it, before the error that ends the line.
   */
  constructor(
    private readonly item: ItemBuilder,
    private readonly expression: ExpressionBuilder,
    private readonly scanned: (message: string) => void = () => {},
  ) {}

  /** The directive's unit (`dw`: 2), to compare element sizes with. */
  private lineUnit: DataUnit = 1;
  private braces: BraceGroups = mergeBraceGroups([]);

  /**
   * The items of a whole data line. `stop` says when the last item ended the line (nasm ignores the
   * rest), or gives the tokens nasm reads instead of the rest (see DataItemReading.continuesWith).
   */
  line(written: IToken[], lineUnit: DataUnit, stop: () => boolean | IToken[]): DataItem[] {
    this.braces = mergeBraceGroups(written);
    const tokens = beforeUnmatchedParen(this.braces.tokens);
    if (tokens.length === 0) return []; // `db` alone: only nasm's db-empty warning
    this.lineUnit = lineUnit;
    const parts = splitTopLevel(tokens);
    // `db 1,2,3,`: one trailing comma is allowed (`db ,` and `db 1,,2` stay errors).
    if (parts.length > 1 && parts[parts.length - 1]!.length === 0) parts.pop();
    dropEndingSize(parts);
    const items = new ItemList(lineUnit);
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p]!;
      try {
        this.operand(part, null, items);
      } catch (e) {
        throw this.readUntil(part, e);
      }
      // An item that ends the line (`db 'a' 'b' …`) is the last nasm reads, with the token after it.
      const ended = stop();
      this.reportScanned(part, ended !== false ? 1 : part.length);
      if (ended === false) continue;
      if (ended === true) break;
      parts.splice(p + 1, parts.length, ...splitTopLevel(ended));
    }
    return fitted(items.items);
  }

  /** Reports the scanner's messages for the bad brace groups in part[0..last]. */
  private reportScanned(part: IToken[], last: number): void {
    if (this.braces.invalid.size === 0) return;
    for (let i = 0; i <= last && i < part.length; i++) {
      const message = this.braces.invalid.get(part[i]!);
      if (message !== undefined) this.scanned(message);
    }
  }

  /**
   * The scanner's messages for what nasm read of a failing operand: up to where the error says it
   * stopped (`db 5 {a} {b}`: both groups, then the missing comma), else up to the first brace group
   * after the operand's start, which is where an expression fails (`dw 3+{foo}`). Returns the error,
   * its stopping point turned back into our own token.
   */
  private readUntil(part: IToken[], e: unknown): unknown {
    if (this.braces.last.size === 0) return e;
    const lastRead = e instanceof DataListError ? e.lastRead : null;
    let at = lastRead === null ? -1 : part.indexOf(lastRead);
    if (at < 0) {
      // An operand that starts with a bracket fails there (`db [a {1,2} b]`); any other at its
      // first brace group, which no expression takes.
      const start = part.findIndex((t) => dataSize(t) === undefined);
      const head = part[start]?.tokenType;
      if (head === T.LBracket || head === T.RBracket || head === T.RBrace) at = start;
      else at = part.findIndex((t, i) => i > 0 && this.braces.last.has(t));
      if (at < 0) at = part.length - 1;
    }
    this.reportScanned(part, at);
    const inGroup = lastRead === null ? undefined : this.braces.last.get(lastRead);
    return inGroup === undefined ? e : new DataListError((e as DataListError).message, inGroup);
  }

  /**
   * An expression's tokens without a bad brace group it starts with: nasm's expression reader
   * skips that token, and reads what follows as an expression (`db {foo} 'abc'` is a number).
   */
  private skipBadGroup(tokens: IToken[]): IToken[] {
    if (tokens.length === 0 || !this.braces.invalid.has(tokens[0]!)) return tokens;
    // What follows is read as an expression, where a float or `?` is no operand (`dd {foo} 1.5`).
    const rest = tokens.slice(1);
    const first = rest.find((t) => t.tokenType !== T.Plus && t.tokenType !== T.Minus);
    if (first !== undefined && (isFloatItemToken(first) || first.image === '?'))
      throw new DataListError('expression syntax error');
    return rest;
  }

  /** A parenthesised list (inside `dup (…)`, `%(…)` or after a size): may be empty, may end with a comma. */
  private list(tokens: IToken[], unit: DataUnit | null): DataItem[] {
    if (tokens.length === 0) return [];
    const parts = splitTopLevel(tokens);
    if (parts.length > 1 && parts[parts.length - 1]!.length === 0) parts.pop();
    dropEndingSize(parts);
    const items = new ItemList(this.lineUnit);
    for (const part of parts) this.operand(part, unit, items);
    return fitted(items.items);
  }

  /**
   * One operand: `[size…] COUNT dup REPEATED`, `size (LIST)`, `%(LIST)` or an item. A size keyword
   * sets the element size of what follows (the last one written wins, an inner one overrides).
   */
  private operand(written: IToken[], outerUnit: DataUnit | null, into: ItemList): void {
    const { unit, rest: tokens, sized } = leadingSize(written, outerUnit);
    // `%(1,2)`: a grouped list.
    if (tokens[0]?.tokenType === T.Percent) {
      const rest = tokens.slice(1);
      const inside = parenthesised(rest);
      if (inside !== null) {
        into.add(this.list(inside, unit));
        return;
      }
      // nasm takes the `%` for a group's opening without checking that a `(` follows, and
      // reads on: `db % 5` is `db 5`, `db %str(a b` (an unterminated macro call) is `db str(a b`.
      if (rest[0]?.tokenType !== T.LParen) {
        this.operand(rest, unit, into);
        return;
      }
    }
    const at = dupIndex(tokens);
    if (at < 0) {
      // After a size, `(…)` is a list (`dw byte (?, 44)`); without one it is an expression (`db (44)`).
      const inside = sized ? parenthesised(tokens) : null;
      if (inside !== null) into.add(this.list(inside, unit));
      else {
        const read = this.skipBadGroup(tokens);
        into.addOne(withUnit(this.item(read, read !== tokens), unit));
      }
      return;
    }
    into.add(this.repetition(tokens, at, unit));
  }

  /** `COUNT dup REPEATED` (`dup` at `at`), expanded unless the count names symbols. */
  private repetition(tokens: IToken[], at: number, unit: DataUnit | null): DataItem[] {
    const countExpr = this.expression(this.skipBadGroup(tokens.slice(0, at)));
    const count = this.count(countExpr);
    const once = this.repeated(tokens.slice(at + 1), unit);
    // A count that names symbols (`N dup`, `(end - start) dup`) is left to the assembler.
    if (count === null) return [{ kind: 'dup', count: countExpr, items: once }];
    const reservation = repeatedReservation(once, count);
    if (reservation !== undefined) return reservation;
    if (count * once.length > MAX_EXPANDED_ITEMS) throw new DataListError('DUP expansion too large');
    const out: DataItem[] = [];
    for (let i = 0; i < count; i++) out.push(...once);
    return out;
  }

  /** What follows `dup`: `[size…] (LIST)` or one operand (`2 dup 3 dup 4`, `2 dup word 7`). */
  private repeated(written: IToken[], outerUnit: DataUnit | null): DataItem[] {
    const { unit, rest: body } = leadingSize(written, outerUnit);
    if (body.length === 0) throw new DataListError('expression syntax error');
    const inside = parenthesised(body);
    if (inside !== null) return this.list(inside, unit);
    // A group must be the whole repeated part: `1 dup (2) dup (3)` is nasm's missing comma.
    if (body[0]!.tokenType === T.LParen) throw new DataListError('comma expected after operand');
    const items = new ItemList(this.lineUnit);
    this.operand(body, unit, items);
    return fitted(items.items);
  }

  /** A count made of numbers only; null when it names a symbol or `$`. */
  private count(expr: Expr): number | null {
    let value;
    try {
      value = evaluate(expr, CONSTANTS_ONLY);
    } catch (e) {
      if (e instanceof EvalError) throw new DataListError(e.message);
      throw e;
    }
    if (value.unknown) return null;
    if (value.base !== null) throw new DataListError('non-constant argument supplied to DUP');
    if (value.offset < 0n) throw new DataListError('negative argument supplied to DUP');
    return Number(value.offset);
  }
}
