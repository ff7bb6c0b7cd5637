/**
 * Single-line macro directives: %define, %xdefine (and their %i… forms),
 * %undef, %undefalias, %defalias, %assign, %defstr, %deftok, %clear and
 * %aliases.
 */

import { expandSmacros, PARAMETER_NAME } from '../expand.js';
import type { ParamFlags, SMacro } from '../model.js';
import type { PreprocessorState } from '../state.js';
import { stripHide } from '../toklist.js';
import { K, type Tok, detokenize, numberTokens, quoteString, skipWs, tokenize, trimWs } from '../tokenize.js';
import { macroName, readName, stringArgument } from './args.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

function defineDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const i = skipWs(args, 0);
  const nameInfo = readName(pp, args, i);
  if (!nameInfo) {
    pp.error(`\`%${name}' expects a macro identifier`);
    return;
  }
  if (nameInfo.key === null) return;
  const key = pp.macros.definitionTarget(nameInfo.key);
  let j = nameInfo.next;
  let params: string[] | null = null;
  let greedy = false;
  let flags: ParamFlags[] | undefined;
  if (args[j]?.k === K.OP && args[j]!.s === '(') {
    const parsed = parseSmacroParams(pp, args, j + 1);
    if (!parsed) return;
    params = parsed.names;
    greedy = parsed.greedy;
    if (parsed.flags.some((f) => f.evaluate || f.stringify || f.raw)) flags = parsed.flags;
    j = parsed.end;
  }
  let body = trimWs(args.slice(j));
  if (name === 'xdefine' || name === 'ixdefine') {
    const names = params;
    if (names) body = body.map((t) => (t.k === K.ID && names.includes(t.s) ? { ...t, hide: PARAMETER_NAME } : t));
    body = trimWs(expandSmacros(pp, body));
  }
  const casesense = name === 'define' || name === 'xdefine';
  const existing = pp.macros.findSmacros(key);
  warnCaseShadowing(pp, casesense ? existing : pp.macros.findSmacrosAnyCase(key), key, casesense, params);
  if (existing && existing.some((d) => !d.dynamic && !d.alias && (d.params === null) !== (params === null))) {
    // nasm keeps both kinds (measured: the next conflicting %define is reported again, and a
    // bare use then expands to nothing; see the bare-use rule in the expansion code).
    pp.error(`macro \`${key}' defined both with and without parameters [-w+error=pp-macro-def-param-single]`);
  }
  pp.macros.removeSameRule(key, params ? params.length : 0, casesense);
  const def: SMacro = { name: key, casesense, params, greedy, body: body.map(stripHide) };
  if (flags) def.flags = flags;
  pp.macros.addSmacro(def);
}

/**
 * nasm warns when a definition shadows one of the other case rule: the
 * newest existing definition the new name matches (case-insensitively
 * unless both are case-sensitive; any parameter count for a macro without
 * parameters).
 */
function warnCaseShadowing(
  pp: PreprocessorState,
  existing: SMacro[] | undefined,
  key: string,
  casesense: boolean,
  params: string[] | null,
): void {
  if (!existing) return;
  const n = params ? params.length : 0;
  const shadowed = existing.find(
    (m) =>
      !m.dynamic &&
      (m.casesense && casesense ? m.name === key : m.name.toLowerCase() === key.toLowerCase()) &&
      (n === 0 || !m.params || m.params.length === 0 || n === m.params.length || (m.greedy && n >= m.params.length)),
  );
  if (!shadowed || shadowed.casesense === casesense) return;
  pp.warning(
    `case ${casesense ? '' : 'in'}sensitive definition of macro \`${key}' will shadow ${shadowed.casesense ? '' : 'in'}sensitive macro \`${shadowed.name}'`,
    'pp-macro-def-case-single',
  );
}

/** Reads a parameter's modifiers (`=`, `&`, `&&`, `!`) starting at args[j]. */
function readParamModifiers(args: Tok[], j: number, complaints: string[]): { flags: ParamFlags; next: number } {
  const flags: ParamFlags = { evaluate: false, stringify: false, keepString: false, raw: false };
  for (; j < args.length; j++) {
    const p = args[j]!;
    if (p.k === K.WS) continue;
    if (p.k !== K.OP) break;
    if (p.s === '=' || p.s === '==') flags.evaluate = true;
    else if (p.s === '&') flags.stringify = true;
    else if (p.s === '&&') flags.stringify = flags.keepString = true;
    else if (p.s === '!') flags.raw = true;
    else if (p.s === '!=') {
      complaints.push("garbage `!=' in macro parameter list");
      flags.raw = true;
    } else break;
  }
  return { flags, next: j };
}

/**
 * Reads a single-line macro's parameter list after its `(`: each entry is
 * optional modifiers (`=`, `&`, `&&`, `!`), an optional name (nameless
 * parameters take an argument that is dropped) and an optional greedy `+`.
 * nasm reads the list twice, so each complaint about it appears twice.
 */
function parseSmacroParams(
  pp: PreprocessorState,
  args: Tok[],
  start: number,
): { names: string[]; flags: ParamFlags[]; greedy: boolean; end: number } | null {
  const names: string[] = [];
  const flags: ParamFlags[] = [];
  let greedy = false;
  const complaints: string[] = [];
  let j = start;
  for (;;) {
    const { flags: f, next } = readParamModifiers(args, j, complaints);
    j = next;
    let name = '';
    let plus = false;
    if (args[j]?.k === K.ID) name = args[j++]!.s;
    j = skipWs(args, j);
    if (args[j]?.k === K.OP && args[j]!.s === '+') {
      plus = true;
      j = skipWs(args, j + 1);
    }
    if (greedy) complaints.push('greedy parameter must be last');
    // Only a `+` on the last parameter makes the macro greedy.
    greedy = plus;
    names.push(name);
    flags.push(f);
    const sep = args[j];
    if (sep?.k === K.OP && sep.s === ',') {
      j++;
      continue;
    }
    if (sep?.k === K.OP && sep.s === ')') {
      j++;
      break;
    }
    if (sep && sep.k !== K.WS) {
      // nasm names the stray token and still defines the macro with what it understood.
      complaints.push(`garbage \`${sep.s}' in macro parameter list`);
      j = args.findIndex((t, k) => k > j && t.k === K.OP && t.s === ')');
      if (j < 0) j = args.length;
      else j++;
      break;
    }
    pp.error(`\`%define': parameter identifier expected`);
    return null;
  }
  for (let pass = 0; pass < 2; pass++) for (const c of complaints) pp.error(c);
  return { names, flags, greedy, end: j };
}

function undefDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const t = args[skipWs(args, 0)];
  if (!t || (t.k !== K.ID && t.k !== K.CTX)) {
    pp.error(`\`%${name}' expects a macro identifier`);
    return;
  }
  const key = t.k === K.CTX ? pp.ctxKey(t.s) : t.s;
  if (key === null) return;
  // %undef of an alias removes the macro it stands for; %undefalias removes the name itself.
  pp.macros.removeSmacros(name === 'undefalias' ? key : pp.macros.definitionTarget(key), null, true);
}

function defaliasDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const list = args.filter((t) => t.k !== K.WS);
  if (list.length < 2 || list[0]!.k !== K.ID) {
    pp.error(`\`%${name}' expects a macro identifier`);
    return;
  }
  const nm = list[0]!.s;
  pp.macros.removeSmacros(nm, null, name === 'defalias');
  pp.macros.addSmacro({
    name: nm,
    casesense: name === 'defalias',
    params: null,
    greedy: false,
    body: [],
    alias: list[1]!.s,
  });
}

function assignDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  const v = pp.evalExpr(expandSmacros(pp, target.rest), name);
  if (v === null) return;
  pp.macros.setSimple(target.key, name === 'assign', numberTokens(v));
}

function deftokDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  const str = stringArgument(pp, target.rest, name);
  if (str === null) return;
  pp.macros.setSimple(target.key, name === 'deftok', trimWs(tokenize(str)));
}

function clearDirective(pp: PreprocessorState): undefined {
  pp.macros.smacros.clear();
  pp.macros.ismacros.clear();
  pp.macros.mmacros.clear();
  pp.macros.immacros.clear();
}

function aliasesDirective(pp: PreprocessorState, { args }: DirectiveCall): undefined {
  // `%aliases off` stops %defalias names from expanding (they stay as written).
  const word = trimWs(args)[0]?.s.toLowerCase();
  if (word === 'off') pp.aliasesOn = false;
  else if (word === 'on') pp.aliasesOn = true;
  pp.macros.followAliases = pp.aliasesOn;
}

function defstrDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  const text = detokenize(trimWs(expandSmacros(pp, target.rest)));
  pp.macros.setSimple(target.key, name === 'defstr', [{ k: K.STR, s: quoteString(text) }]);
}

export const singleLineDirectives: DirectiveTable = {
  // (nasm 2.16.01 has no %iundef: measured, it is no directive.)
  undef: undefDirective,
  undefalias: undefDirective,
  defalias: defaliasDirective,
  idefalias: defaliasDirective,
  assign: assignDirective,
  iassign: assignDirective,
  defstr: defstrDirective,
  idefstr: defstrDirective,
  deftok: deftokDirective,
  ideftok: deftokDirective,
  clear: clearDirective,
  aliases: aliasesDirective,
  define: defineDirective,
  idefine: defineDirective,
  xdefine: defineDirective,
  ixdefine: defineDirective,
};
