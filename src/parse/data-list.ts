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
import type { DataItem, Expr } from './ast.js';

/** Builds one item (the statement builder's rules for a single data operand). */
export type ItemBuilder = (tokens: IToken[]) => DataItem;
/** Parses a count expression, throwing the builder's line error on bad syntax. */
export type ExpressionBuilder = (tokens: IToken[]) => Expr;

export class DataListError extends Error {}

/** More repetitions than this are refused instead of filling memory. */
const MAX_EXPANDED_ITEMS = 1 << 26;

const UNKNOWN = { offset: 0n, base: null, unknown: true, wrt: null, segmentOf: false } as const;
const CONSTANTS_ONLY: EvalEnv = { symbolValue: () => null, here: UNKNOWN, sectionStart: UNKNOWN };

/** Splits on commas outside (), [] and {}. */
function splitTopLevel(tokens: IToken[]): IToken[][] {
  const parts: IToken[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    const tt = t.tokenType;
    if (tt === T.LParen || tt === T.LBracket || tt === T.LBrace) depth++;
    else if (tt === T.RParen || tt === T.RBracket || tt === T.RBrace) depth--;
    if (tt === T.Comma && depth === 0) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts;
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

export class DataListParser {
  constructor(
    private readonly item: ItemBuilder,
    private readonly expression: ExpressionBuilder,
  ) {}

  /** The items of a whole data line. `stop` says when the last item ended the line (nasm ignores the rest). */
  line(tokens: IToken[], stop: () => boolean): DataItem[] {
    if (tokens.length === 0) return []; // `db` alone: only nasm's db-empty warning
    const parts = splitTopLevel(tokens);
    // `db 1,2,3,`: one trailing comma is allowed (`db ,` and `db 1,,2` stay errors).
    if (parts.length > 1 && parts[parts.length - 1]!.length === 0) parts.pop();
    const items: DataItem[] = [];
    for (const part of parts) {
      items.push(...this.operand(part));
      if (stop()) break;
    }
    return items;
  }

  /** A parenthesised list (inside `dup (…)` or `%(…)`): may be empty, may end with a comma. */
  private list(tokens: IToken[]): DataItem[] {
    if (tokens.length === 0) return [];
    const parts = splitTopLevel(tokens);
    if (parts.length > 1 && parts[parts.length - 1]!.length === 0) parts.pop();
    return parts.flatMap((part) => this.operand(part));
  }

  private operand(tokens: IToken[]): DataItem[] {
    // `%(1,2)`: a grouped list.
    if (tokens[0]?.tokenType === T.Percent) {
      const inside = parenthesised(tokens.slice(1));
      if (inside !== null) return this.list(inside);
    }
    const at = dupIndex(tokens);
    if (at < 0) return [this.item(tokens)];
    const countExpr = this.expression(tokens.slice(0, at));
    const count = this.count(countExpr);
    const body = tokens.slice(at + 1);
    if (body.length === 0) throw new DataListError('expression syntax error');
    const inside = parenthesised(body);
    // `2 dup 3 dup 4` nests, but a group must be the whole repeated part: `1 dup (2) dup (3)` is
    // nasm's missing comma.
    if (inside === null && body[0]!.tokenType === T.LParen) throw new DataListError('comma expected after operand');
    const once = inside !== null ? this.list(inside) : this.operand(body);
    // A count that names symbols (`N dup`, `(end - start) dup`) is left to the assembler.
    if (count === null) return [{ kind: 'dup', count: countExpr, items: once }];
    if (count * once.length > MAX_EXPANDED_ITEMS) throw new DataListError('DUP expansion too large');
    const out: DataItem[] = [];
    for (let i = 0; i < count; i++) out.push(...once);
    return out;
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
