/** String directives: %strcat, %strlen, %substr (and %i… forms), %defstr's neighbours that build a macro from strings. */

import { expandSmacros } from '../expand.js';
import type { PreprocessorState } from '../state.js';
import { K, isString, quoteString, trimWs, unquote } from '../tokenize.js';
import { substring } from '../functions.js';
import { macroName, stringArgument } from './args.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

function strcatDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  let s = '';
  for (const t of expandSmacros(pp, target.rest)) {
    if (t.k === K.WS || (t.k === K.OP && t.s === ',')) continue;
    if (!isString(t)) {
      pp.error(`non-string passed to \`%${name}': ${t.s}`);
      return;
    }
    s += unquote(t.s);
  }
  pp.macros.setSimple(target.key, name === 'strcat', [{ k: K.STR, s: quoteString(s) }]);
}

function strlenDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  const str = stringArgument(pp, target.rest, name);
  if (str === null) return;
  pp.macros.setSimple(target.key, name === 'strlen', [{ k: K.NUM, s: String(str.length) }]);
}

/** `%substr name 'string'[,] start[, count]`: nasm clamps a start before the string to 1 (no counting from the end). */
function substrDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  const list = trimWs(expandSmacros(pp, target.rest));
  const strTok = list[0];
  if (!strTok || !isString(strTok)) {
    pp.error(`\`%${name}' requires a string as parameter`);
    return;
  }
  let rest = trimWs(list.slice(1));
  if (rest[0]?.k === K.OP && rest[0].s === ',') rest = trimWs(rest.slice(1));
  if (rest.length === 0) {
    pp.error(`\`%${name}' requires a starting index`);
    return;
  }
  const str = unquote(strTok.s);
  // nasm reads the start as the longest leading expression and skips the one token it stopped at
  // (the comma, or anything else: `2 foo 3` is start 2, count 3); whatever is left is the count,
  // read the same way, so tokens after it are ignored (`3,-1 .local`). Nothing left: one character.
  const first = pp.evalLeading(rest, name);
  if (first === null) return;
  const countToks = trimWs(first.rest);
  const second = countToks.length > 0 ? pp.evalLeading(countToks, name) : { value: 1n };
  if (second === null) return;
  pp.macros.setSimple(target.key, name === 'substr', [
    { k: K.STR, s: quoteString(substring(str, first.value, second.value)) },
  ]);
}

export const stringDirectives: DirectiveTable = {
  strcat: strcatDirective,
  istrcat: strcatDirective,
  strlen: strlenDirective,
  istrlen: strlenDirective,
  substr: substrDirective,
  isubstr: substrDirective,
};
