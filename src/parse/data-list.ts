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
import { itemUnit, type DataItem, type DataUnit, type Expr } from './ast.js';

/** Builds one item (the statement builder's rules for a single data operand). */
export type ItemBuilder = (tokens: IToken[]) => DataItem;
/** Parses a count expression, throwing the builder's line error on bad syntax. */
export type ExpressionBuilder = (tokens: IToken[]) => Expr;

export class DataListError extends Error {
  /**
   * `lastRead`: where nasm stopped reading the line (its scanner warned up to there), when known.
   * `earlier`: errors nasm reports on the line before this one (its scanner's, `{` in data).
   */
  constructor(
    message: string,
    readonly lastRead: IToken | null = null,
    readonly earlier: readonly string[] = [],
  ) {
    super(message);
  }
}

/** More repetitions than this are refused instead of filling memory. */
const MAX_EXPANDED_ITEMS = 1 << 26;

const UNKNOWN = { offset: 0n, base: null, unknown: true, wrt: null, segmentOf: false } as const;
const CONSTANTS_ONLY: EvalEnv = { symbolValue: () => null, here: UNKNOWN, sectionStart: UNKNOWN };

/** Splits on commas outside (), [] and {} (one slice per part: no array grown token by token). */
function splitTopLevel(tokens: IToken[]): IToken[][] {
  const parts: IToken[][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (tt === T.LParen || tt === T.LBracket || tt === T.LBrace) depth++;
    else if (tt === T.RParen || tt === T.RBracket || tt === T.RBrace) depth--;
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
 * (`db 1), 5` is `db 1`, `db ?) 2` is `db ?`, `db )` declares nothing): the tokens before it.
 */
function beforeUnmatchedParen(tokens: IToken[]): IToken[] {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (tt === T.LParen) depth++;
    else if (tt === T.RParen && --depth < 0) return tokens.slice(0, i);
  }
  return tokens;
}

const isDup = (t: IToken | undefined): boolean => t?.tokenType === T.Identifier && t.image.toLowerCase() === 'dup';

/** The index of a top-level `dup` in an item, or -1. */
function dupIndex(tokens: IToken[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (tt === T.LParen || tt === T.LBracket) depth++;
    else if (tt === T.RParen || tt === T.RBracket) depth--;
    else if (depth === 0 && i > 0 && isDup(tokens[i])) return i;
  }
  return -1;
}

/** `( … )` exactly (the closing parenthesis matches the opening one): its inside, else null. */
function parenthesised(tokens: IToken[]): IToken[] | null {
  if (tokens[0]?.tokenType !== T.LParen || tokens[tokens.length - 1]?.tokenType !== T.RParen) return null;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = tokens[i]!.tokenType;
    if (tt === T.LParen) depth++;
    else if (tt === T.RParen && --depth === 0 && i < tokens.length - 1) return null;
  }
  return tokens.slice(1, -1);
}

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
 * (`db 5, word` is `db 5`; `db 2 dup word` declares nothing); elsewhere nothing may follow a size.
 */
export function dropEndingSize(parts: IToken[][]): void {
  const last = parts[parts.length - 1];
  if (last !== undefined && dataSize(last[last.length - 1]) !== undefined) parts.pop();
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
  constructor(
    private readonly item: ItemBuilder,
    private readonly expression: ExpressionBuilder,
  ) {}

  /** The directive's unit (`dw`: 2), to compare element sizes with. */
  private lineUnit: DataUnit = 1;

  /** The items of a whole data line. `stop` says when the last item ended the line (nasm ignores the rest). */
  line(written: IToken[], lineUnit: DataUnit, stop: () => boolean): DataItem[] {
    const tokens = beforeUnmatchedParen(written);
    if (tokens.length === 0) return []; // `db` alone: only nasm's db-empty warning
    this.lineUnit = lineUnit;
    const parts = splitTopLevel(tokens);
    // `db 1,2,3,`: one trailing comma is allowed (`db ,` and `db 1,,2` stay errors).
    if (parts.length > 1 && parts[parts.length - 1]!.length === 0) parts.pop();
    dropEndingSize(parts);
    const items = new ItemList(lineUnit);
    for (const part of parts) {
      this.operand(part, null, items);
      if (stop()) break;
    }
    return items.items;
  }

  /** A parenthesised list (inside `dup (…)`, `%(…)` or after a size): may be empty, may end with a comma. */
  private list(tokens: IToken[], unit: DataUnit | null): DataItem[] {
    if (tokens.length === 0) return [];
    const parts = splitTopLevel(tokens);
    if (parts.length > 1 && parts[parts.length - 1]!.length === 0) parts.pop();
    dropEndingSize(parts);
    const items = new ItemList(this.lineUnit);
    for (const part of parts) this.operand(part, unit, items);
    return items.items;
  }

  /**
   * One operand: `[size…] COUNT dup REPEATED`, `size (LIST)`, `%(LIST)` or an item. A size keyword
   * sets the element size of what follows (the last one written wins, an inner one overrides).
   */
  private operand(written: IToken[], outerUnit: DataUnit | null, into: ItemList): void {
    const { unit, rest: tokens, sized } = leadingSize(written, outerUnit);
    // `%(1,2)`: a grouped list.
    if (tokens[0]?.tokenType === T.Percent) {
      const inside = parenthesised(tokens.slice(1));
      if (inside !== null) {
        into.add(this.list(inside, unit));
        return;
      }
    }
    const at = dupIndex(tokens);
    if (at < 0) {
      // After a size, `(…)` is a list (`dw byte (?, 44)`); without one it is an expression (`db (44)`).
      const inside = sized ? parenthesised(tokens) : null;
      if (inside !== null) into.add(this.list(inside, unit));
      else into.addOne(withUnit(this.item(tokens), unit));
      return;
    }
    into.add(this.repetition(tokens, at, unit));
  }

  /** `COUNT dup REPEATED` (`dup` at `at`), expanded unless the count names symbols. */
  private repetition(tokens: IToken[], at: number, unit: DataUnit | null): DataItem[] {
    const countExpr = this.expression(tokens.slice(0, at));
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
    return items.items;
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
