/**
 * Argument readers several directive families share: the macro name a
 * directive defines (which may be glued from `%$ctx` and `%[…]` pieces) and
 * the single string argument of %deftok / %strlen.
 */
import { expandSmacros } from '../expand.js';
import type { PreprocessorState } from '../state.js';
import { K, type Tok, detokenize, skipWs, tokenize, trimWs, unquote } from '../tokenize.js';

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
export function stringArgument(pp: PreprocessorState, rest: Tok[], directive: string): string | null {
  const list = trimWs(expandSmacros(pp, rest));
  if (list.length !== 1 || list[0]!.k !== K.STR) {
    pp.error(`\`%${directive}' requires string as second parameter`);
    return null;
  }
  return unquote(list[0]!.s);
}
