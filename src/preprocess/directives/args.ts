/**
 * Argument readers several directive families share: the macro name a
 * directive defines (which may be glued from `%$ctx` and `%[…]` pieces) and
 * the single string argument of %deftok / %strlen.
 */
import { expandSmacros } from '../expand.js';
import type { PreprocessorState } from '../state.js';
import { K, type Tok, detokenize, isString, skipWs, tokenize, trimWs, unquote } from '../tokenize.js';
import type { CountReport } from '../toklist.js';

/** Reads the macro name at the start of a directive's arguments. */
export function macroName(pp: PreprocessorState, args: Tok[], directive: string): { key: string; rest: Tok[] } | null {
  const i = skipWs(args, 0);
  const name = readName(pp, args, i);
  if (!name) {
    pp.error(`\`%${directive}' expects a macro identifier`);
    return null;
  }
  if (name.key === null) return null;
  return { key: name.key, rest: args.slice(name.next) };
}

/**
 * Reads a macro name that may be glued from pieces: `name`, `%$name`,
 * `prefix_%[expr]`, `%[a]%[b]`. Returns null if no name starts at `i`.
 */
export function readName(pp: PreprocessorState, args: Tok[], i: number): { key: string | null; next: number } | null {
  const t = args[i];
  if (!t || (t.k !== K.ID && t.k !== K.CTX && t.k !== K.INDIRECT)) return null;
  const glued = readGluedName(pp, args, i);
  if (glued !== undefined) return glued;
  let key: string | null = '';
  let j = i;
  while (j < args.length) {
    const p = args[j]!;
    if (p.k === K.ID || (p.k === K.NUM && j > i)) key += p.s;
    else if (p.k === K.CTX && j === i) key = pp.ctxKey(p.s);
    else if (p.k === K.INDIRECT) key += detokenize(trimWs(expandSmacros(pp, tokenize(p.s)))).replace(/\s+/g, '');
    else break;
    if (key === null) return { key: null, next: j + 1 };
    j++;
  }
  return { key, next: j };
}
const GLUE_KINDS = new Set<number>([K.ID, K.PPID, K.CTX, K.NUM]);

/**
 * nasm's `expand_id`: a name written as several pieces with no space
 * between (`%$_ur%$_uses`, `name%$x`) is macro-expanded (with implicit
 * pasting) and must come out as one identifier. Undefined when the name is
 * a single piece (read as written).
 */
export function readGluedName(
  pp: PreprocessorState,
  args: Tok[],
  i: number,
): { key: string | null; next: number } | null | undefined {
  let end = i;
  while (end < args.length && GLUE_KINDS.has(args[end]!.k)) end++;
  if (end - i < 2 || !args.slice(i, end).some((p) => p.k === K.CTX || p.k === K.PPID)) return undefined;
  const result = trimWs(expandSmacros(pp, args.slice(i, end)));
  const only = result[0];
  if (result.length !== 1 || !only || (only.k !== K.ID && only.k !== K.CTX)) return null;
  return { key: only.k === K.CTX ? pp.ctxKey(only.s) : only.s, next: end };
}

/** The string `%strlen`/`%deftok` read: the first token, which must be one; nasm ignores what follows it (measured). */
export function stringArgument(pp: PreprocessorState, rest: Tok[], directive: string): string | null {
  const list = trimWs(expandSmacros(pp, rest));
  if (list.length === 0 || !isString(list[0]!)) {
    pp.error(`\`%${directive}' requires string as second parameter`);
    return null;
  }
  return unquote(list[0]!.s);
}

/** Reports what parseParamSpec finds wrong with a parameter count: an error, or a warning of its class. */
export function countReport(pp: PreprocessorState): CountReport {
  return (message, warningClass) => {
    if (warningClass === undefined) pp.error(message);
    else pp.warning(message, warningClass);
  };
}
