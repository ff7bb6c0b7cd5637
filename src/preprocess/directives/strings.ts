/** String directives: %strcat, %strlen, %substr (and %i… forms), %defstr's neighbours that build a macro from strings. */

import { expandSmacros } from '../expand.js';
import type { PreprocessorState } from '../state.js';
import { splitTopLevel } from '../toklist.js';
import { K, quoteString, trimWs, unquote } from '../tokenize.js';
import { macroName, stringArgument } from './args.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

function strcatDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  let s = '';
  for (const t of expandSmacros(pp, target.rest)) {
    if (t.k === K.WS || (t.k === K.OP && t.s === ',')) continue;
    if (t.k !== K.STR) {
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

function substrDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  const list = trimWs(expandSmacros(pp, target.rest));
  const strTok = list[0];
  if (!strTok || strTok.k !== K.STR) {
    pp.error(`\`%${name}' requires string as second parameter`);
    return;
  }
  const parts = splitTopLevel(list.slice(1), false);
  const str = unquote(strTok.s);
  const startV = parts[0] ? pp.evalExpr(parts[0], name) : 1n;
  const lenV = parts[1] ? pp.evalExpr(parts[1], name) : 1n;
  if (startV === null || lenV === null) return;
  let start = Number(startV) - 1;
  let len = Number(lenV);
  if (start < 0) start = Math.max(0, str.length + start + 1);
  if (len < 0) len = Math.max(0, str.length - start + len + 1);
  pp.macros.setSimple(target.key, name === 'substr', [{ k: K.STR, s: quoteString(str.slice(start, start + len)) }]);
}

export const stringDirectives: DirectiveTable = {
  strcat: strcatDirective,
  istrcat: strcatDirective,
  strlen: strlenDirective,
  istrlen: strlenDirective,
  substr: substrDirective,
  isubstr: substrDirective,
};
