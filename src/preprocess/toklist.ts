/**
 * Helpers on token lists that know no preprocessor state: splitting at
 * commas and braces, parsing macro argument lists and %macro parameter
 * counts, pasting, and white-space handling.
 */
import { isFloatToken, readNumber } from '../core/numbers.js';
import { K, type Tok, WS_TOKEN, isTerminatedString, skipWs, tokenize, trimWs, unquote } from './tokenize.js';

/** Adjacent white space (left by macros that expand to nothing) prints as one space. */
export function collapseWs(toks: Tok[]): Tok[] {
  // Most lines have nothing to collapse: they come back as they are, not copied (callers only read the result).
  let k = 1;
  while (k < toks.length && !(toks[k]!.k === K.WS && toks[k - 1]!.k === K.WS)) k++;
  if (k >= toks.length) return toks;
  const out: Tok[] = toks.slice(0, k);
  for (; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.k === K.WS && out[out.length - 1]!.k === K.WS) continue;
    out.push(t);
  }
  return out;
}

export function canPaste(a: Tok, b: Tok): boolean {
  if (a.k === K.ID) return b.k === K.ID || b.k === K.NUM;
  // A number takes in a name only when it is a float (`1.5` `e3`): `%0x80` is `0` then `x80`.
  if (a.k === K.NUM) return b.k === K.NUM || (b.k === K.ID && isFloatToken(a.s));
  return false;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/**
 * `toks.splice(at, remove, ...insert)` in place, without spreading `insert`
 * into arguments (long expansions would overflow the call stack) and without
 * making the array of removed tokens.
 */
export function spliceTokens(toks: Tok[], at: number, remove: number, insert: readonly Tok[]): void {
  const oldLength = toks.length;
  const shift = insert.length - remove;
  if (shift > 0) {
    // Grown by pushing (setting `length` would leave holes, which slow every later read).
    for (let k = 0; k < shift; k++) toks.push(insert[0]!);
    for (let k = oldLength - 1; k >= at + remove; k--) toks[k + shift] = toks[k]!;
  } else if (shift < 0) {
    for (let k = at + remove; k < oldLength; k++) toks[k + shift] = toks[k]!;
    toks.length = oldLength + shift;
  }
  for (let k = 0; k < insert.length; k++) toks[at + k] = insert[k]!;
}

export function stripHide(t: Tok): Tok {
  return t.hide ? { k: t.k, s: t.s } : t;
}

export function needsParamSubstitution(toks: Tok[]): boolean {
  for (const t of toks)
    if (t.k === K.PARAM || t.k === K.LOCAL || t.k === K.QQ || (t.k === K.INDIRECT && t.s.includes('%'))) return true;
  return false;
}

export function findLastIndex<T>(list: T[], pred: (x: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) return i;
  return -1;
}

/** nasm's word on a count it reads: an error, or a warning of the given class. */
export type CountReport = (message: string, warningClass?: string) => void;

/**
 * A %macro parameter count: an integer in any radix nasm reads (`0x10`, `10h`), cut to 32 bits as
 * nasm's. A count that reads negative there (`0x80000000`, `0xffffffff`; `4294967296` is 0) is
 * nasm's out-of-bounds error and counts as 0; a number past 64 bits warns first (measured).
 */
export function paramCount(tok: Tok | undefined, report: CountReport): number | null {
  const reading = tok?.k === K.NUM ? readNumber(tok.s) : null;
  if (reading?.kind !== 'integer') return null;
  if (reading.overflows === true) report(`numeric constant ${tok!.s} does not fit in 64 bits`, 'number-overflow');
  const count = Number(BigInt.asIntN(32, reading.value));
  if (count >= 0) return count;
  report(`parameter count \`${tok!.s}' is out of bounds [0; 2147483647]`);
  return 0;
}

/**
 * A number token as nasm's tokenizer cuts it where a parameter count is read: its number scanner
 * stops at a dot that starts no fraction or exponent, so `1.nolist` and `1.x` are the count 1 and
 * a name (`.nolist`, `.x`); a dot before a digit or an exponent makes a float (`1.5`, `1.e5`), up
 * to a second dot (`1.5.nolist` is `1.5` and `.nolist`). tsnasm's scanner swallows the dot.
 */
export function splitCountDot(t: Tok): Tok[] {
  const dot = t.k === K.NUM ? t.s.indexOf('.') : -1;
  const split = dot < 0 ? -1 : /^[0-9eE]/.test(t.s.slice(dot + 1)) ? t.s.indexOf('.', dot + 1) : dot;
  return split > 0
    ? [
        { k: K.NUM, s: t.s.slice(0, split) },
        { k: K.ID, s: t.s.slice(split) },
      ]
    : [t];
}

/** Parses `N`, `N-M`, `N-*`, `N+`, `.nolist` from a %macro line (no white space tokens). */
export function parseParamSpec(
  toks: Tok[],
  report: CountReport,
): { min: number; max: number; greedy: boolean; nolist: boolean; consumed: number } | null {
  let i = 0;
  const min = paramCount(toks[i], report);
  if (min === null) return null;
  let max = min;
  i++;
  if (toks[i]?.k === K.OP && toks[i]!.s === '-') {
    const t = toks[i + 1];
    const upper = paramCount(t, report);
    if (t?.k === K.OP && t.s === '*') {
      max = Infinity;
      i += 2;
    } else if (upper !== null) {
      max = upper;
      i += 2;
    }
  }
  let greedy = false;
  if (toks[i]?.k === K.OP && toks[i]!.s === '+') {
    greedy = true;
    i++;
  }
  let nolist = false;
  if (toks[i]?.k === K.ID && toks[i]!.s.toLowerCase() === '.nolist') {
    nolist = true;
    i++;
  }
  return { min, max, greedy, nolist, consumed: i };
}

/** Splits at every comma. */
export function splitTopLevel(toks: Tok[]): Tok[][] {
  const out: Tok[][] = [];
  let cur: Tok[] = [];
  for (const t of toks) {
    if (t.k === K.OP && t.s === ',') {
      out.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  out.push(cur);
  return out;
}

function isOp(t: Tok | undefined, s: string): boolean {
  return t?.k === K.OP && t.s === s;
}

/** The index of the `}` closing the `{` at `open`, or -1 when the line ends first. */
function closingBrace(toks: Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (isOp(toks[i], '{')) depth++;
    else if (isOp(toks[i], '}') && --depth === 0) return i;
  }
  return -1;
}

/** A multi-line macro call's arguments as nasm reads them, and the errors it reports on the way. */
export interface MacroArgs {
  /** Each argument's value (see macroArgValue). */
  values: Tok[][];
  /** Where each argument starts in the line. */
  starts: number[];
  errors: string[];
}

/**
 * Splits a macro call's arguments (also a %macro's defaults) as nasm 2.16.01 does. An argument
 * that starts with `{` runs to its matching `}`, and anything but a comma after that is an error;
 * any other argument ends at the next comma, even one inside braces (`a {1,2} b` is two
 * arguments, though the first one's value reads past that comma: see macroArgValue).
 */
export function splitMacroArgs(toks: Tok[]): MacroArgs {
  const starts: number[] = [];
  const errors: string[] = [];
  let i = skipWs(toks, 0);
  while (i < toks.length) {
    starts.push(i);
    if (isOp(toks[i], '{')) {
      const close = closingBrace(toks, i);
      if (close < 0) {
        errors.push('expecting closing brace in macro parameter');
        break;
      }
      i = skipWs(toks, close + 1);
      if (i < toks.length && !isOp(toks[i], ',')) errors.push('braces do not enclose all of macro parameter');
    }
    while (i < toks.length && !isOp(toks[i], ',')) i++;
    if (i === toks.length) break;
    i = skipWs(toks, i + 1);
    // A comma that ends the line leaves an empty last argument.
    if (i === toks.length) starts.push(i);
  }
  return { values: starts.map((start) => macroArgValue(toks, start, false)), starts, errors };
}

/**
 * The value of the argument starting at `start`: inside its braces when it starts with `{` (the
 * rest is dropped; to the end of the line when they do not close), else up to the next comma
 * outside braces (a `}` without its `{` keeps later commas in), or to the end of the line for
 * a greedy parameter (`toEnd`).
 */
export function macroArgValue(toks: Tok[], start: number, toEnd: boolean): Tok[] {
  if (isOp(toks[start], '{')) {
    const close = closingBrace(toks, start);
    return toks.slice(start + 1, close < 0 ? toks.length : close);
  }
  let end = start;
  for (let depth = 0; end < toks.length && !toEnd; end++) {
    if (isOp(toks[end], '{')) depth++;
    else if (isOp(toks[end], '}')) depth--;
    else if (isOp(toks[end], ',') && depth === 0) break;
  }
  // Trimmed before slicing: one copy, not two.
  let a = start;
  let b = toEnd ? toks.length : end;
  while (a < b && toks[a]!.k === K.WS) a++;
  while (b > a && toks[b - 1]!.k === K.WS) b--;
  return toks.slice(a, b);
}

/** Parses `( a, b )` starting at the `(`; nasm strips the first argument's leading space and every argument's trailing space. */
export function parseSmacroArgs(
  toks: Tok[],
  open: number,
  keepRaw = true,
): { args: Tok[][]; raw: Tok[][]; end: number } | null {
  const args: Tok[][] = [];
  /** The same arguments as written: braces and white space kept (for `!x` parameters). */
  const raw: Tok[][] = [];
  let rawCur: Tok[] = [];
  let cur: Tok[] = [];
  let paren = 0;
  let brace = 0;
  let strippedBrace = false;
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i]!;
    const atSeparator = t.k === K.OP && brace === 0 && paren === 0 && (t.s === ')' || t.s === ',');
    if (!keepRaw) {
      // The arguments as written are not wanted: `raw` stays empty.
    } else if (atSeparator) {
      raw.push(rawCur);
      rawCur = [];
    } else rawCur.push(t);
    if (t.k === K.OP) {
      if (t.s === '{') {
        brace++;
        // An argument that opens with a brace loses it (white space carried from before the
        // comma stays: `g( {a} , {b} )` gives ` b`, measured) ...
        if (brace === 1 && !strippedBrace && cur.every((x) => x.k === K.WS)) {
          strippedBrace = true;
          continue;
        }
      } else if (t.s === '}') {
        brace--;
        // ... and every brace that closes a group at its top level, the first pair's or a later
        // one's (`g({a}{b},c)` is `a{b`, measured); one inside (`r({1,{2}})`) stays.
        if (brace === 0 && strippedBrace) continue;
      } else if (brace === 0) {
        if (t.s === '(') paren++;
        else if (t.s === ')') {
          if (paren === 0) {
            args.push(popTrailingWs(cur));
            if (args[0]!.length > 0 && args[0]![0]!.k === K.WS) args[0] = trimStart(args[0]!);
            return { args, raw, end: i + 1 };
          }
          paren--;
        } else if (t.s === ',' && paren === 0) {
          // nasm moves white space before a comma to the start of the next
          // argument and drops the white space after the comma.
          const carried = cur.length > 0 && cur[cur.length - 1]!.k === K.WS;
          args.push(popTrailingWs(cur));
          cur = carried ? [WS_TOKEN] : [];
          strippedBrace = false;
          while (toks[i + 1]?.k === K.WS) {
            i++;
            if (keepRaw) rawCur.push(toks[i]!);
          }
          continue;
        }
      }
    }
    cur.push(t);
  }
  return null;
}

/**
 * A greedy parameter's value: the arguments from `from` on, as written and joined by their commas
 * (one argument alone is the one parseSmacroArgs read). Opening with a brace, the value loses it
 * and every brace that closes a group at its top level, as a single argument does, across the
 * commas too: `f({a},{b})` of `f(x+)` gives `a,{b` (measured).
 */
export function greedyArgument(args: Tok[][], raw: Tok[][], from: number): Tok[] {
  if (args.length <= from + 1) return args[from] ?? [];
  const tail: Tok[] = [];
  raw.slice(from).forEach((a, k) => {
    if (k > 0) tail.push({ k: K.OP, s: ',' });
    for (const x of a) tail.push(x);
  });
  const value = trimWs(tail);
  if (!isOp(value[0], '{')) return value;
  const out: Tok[] = [];
  let depth = 0;
  value.forEach((t, k) => {
    if (isOp(t, '{')) {
      depth++;
      if (k === 0) return;
    } else if (isOp(t, '}') && depth > 0 && --depth === 0) return;
    out.push(t);
  });
  return out;
}

/** Drops trailing white space from a list this module has just built (in place: no copy). */
function popTrailingWs(toks: Tok[]): Tok[] {
  while (toks.length > 0 && toks[toks.length - 1]!.k === K.WS) toks.pop();
  return toks;
}

export function trimEnd(toks: Tok[]): Tok[] {
  let b = toks.length;
  while (b > 0 && toks[b - 1]!.k === K.WS) b--;
  return toks.slice(0, b);
}
export function trimStart(toks: Tok[]): Tok[] {
  let a = 0;
  while (a < toks.length && toks[a]!.k === K.WS) a++;
  return toks.slice(a);
}

/** Joins tokens around `%+` (white space around it is dropped) and re-tokenizes the pasted text. */
export function pasteTokens(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k !== K.PASTE) {
      out.push(t);
      continue;
    }
    while (out.length && out[out.length - 1]!.k === K.WS) out.pop();
    let j = i + 1;
    while (j < toks.length && toks[j]!.k === K.WS) j++;
    const left = out.pop();
    const right = toks[j];
    if (!left || !right || right.k === K.PASTE) {
      if (left) out.push(left);
      i = j - 1;
      continue;
    }
    const merged = tokenize(left.s + right.s);
    out.push(...merged);
    i = j;
  }
  return out;
}

/** Text for comparing %ifidn arguments: tokens without white space. */
export function comparable(toks: Tok[], fold: boolean): string {
  const parts = toks.filter((t) => t.k !== K.WS).map((t) => (t.k === K.STR ? 'S' + unquote(t.s) : 'T' + t.s));
  const s = parts.join('\u0000');
  return fold ? s.toLowerCase() : s;
}

/**
 * File name of an %include-like directive (%include, %require, %pathsearch, %depend): nasm 2.16.01
 * takes only a quoted string, and ignores what follows it with a warning (`trailing`). Bare text
 * (`%include foo.inc`, `%include <foo.inc>`, `%include f(1`) and a string without its closing
 * quote (`%include "foo.inc`) are "expects a file name" (measured).
 */
export function includeName(toks: Tok[]): { name: string; trailing: boolean } | null {
  const first = toks[0];
  if (first?.k !== K.STR || !isTerminatedString(first.s)) return null;
  return { name: unquote(first.s), trailing: toks.length > 1 };
}
