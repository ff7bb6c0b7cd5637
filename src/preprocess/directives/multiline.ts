/**
 * Multi-line macro directives: %macro/%imacro/%rmacro/%irmacro … %endmacro
 * (the body is collected line by line, untouched, by collectDefinitionLine),
 * %unmacro, %rotate and %exitmacro.
 */

import { expandSmacros } from '../expand.js';
import type { Definition, MMacro, SrcLine } from '../model.js';
import type { PreprocessorState } from '../state.js';
import { findLastIndex, paramCount, parseParamSpec, splitCountDot, splitMacroArgs } from '../toklist.js';
import { K, type Tok, skipWs, trimWs } from '../tokenize.js';
import { countReport, readGluedName } from './args.js';
import { finishRep } from './rep.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

/** Adds a line to the innermost definition being collected; `name`: its directive (lower case, without `%`), or ''. */
export function collectDefinitionLine(pp: PreprocessorState, raw: SrcLine, name: string): void {
  const def = pp.defining[pp.defining.length - 1]!;
  if (def.kind === 'macro') {
    if (name === 'macro' || name === 'imacro' || name === 'rmacro' || name === 'irmacro') def.depth++;
    else if (name === 'endmacro' || name === 'endm') {
      if (def.depth === 0) {
        pp.defining.pop();
        finishMacro(pp, def);
        return;
      }
      def.depth--;
    }
  } else {
    if (name === 'rep') def.depth++;
    else if (name === 'endrep') {
      if (def.depth === 0) {
        pp.defining.pop();
        finishRep(pp, def);
        return;
      }
      def.depth--;
    }
  }
  def.lines.push(raw);
}

/** Stores a %macro whose body is complete. */
function finishMacro(pp: PreprocessorState, def: Definition): void {
  const mac = def.mac!;
  mac.body = def.lines;
  mac.usesLabel = def.lines.some((l) => l.text.includes('%00'));
  pp.macros.addMmacro(mac);
}

/** nasm's checks of a %macro's default list (the list is adjusted in place). */
function warnAboutDefaults(
  pp: PreprocessorState,
  macro: string,
  spec: { min: number; max: number; greedy: boolean },
  defaults: Tok[][],
): void {
  const last = defaults[defaults.length - 1];
  if (defaults.length > 1 && last && last.length === 0) {
    defaults.pop();
    pp.warning(
      `dropping trailing empty default parameter in definition of multi-line macro \`${macro}'`,
      'pp-macro-params-legacy',
    );
  }
  if (defaults.length > spec.max - spec.min && !spec.greedy)
    pp.warning(`too many default macro parameters in macro \`${macro}'`, 'pp-macro-defaults');
}

/**
 * The name a %macro defines: one identifier, or pieces glued without spaces
 * that expand to one (`%$prefix%2` in a macro body becomes `fmaddpd`, as in
 * x86inc.asm's FMA4_INSTR; measured on nasm 2.16.01). A lone `%$name` is
 * refused, as nasm does.
 */
function readMacroName(pp: PreprocessorState, args: Tok[]): { name: string; next: number } | null {
  const start = skipWs(args, 0);
  const glued = readGluedName(pp, args, start);
  if (glued === undefined) {
    const token = args[start];
    return token?.k === K.ID ? { name: token.s, next: start + 1 } : null;
  }
  return glued?.key ? { name: glued.key, next: glued.next } : null;
}

interface MacroSpec {
  min: number;
  max: number;
  greedy: boolean;
  nolist: boolean;
}

const isOp = (t: Tok | undefined, op: string): boolean => t?.k === K.OP && t.s === op;

/**
 * A %macro's parameter spec as nasm reads it, token by token, each part touching the one before:
 * the count, then `-` and a maximum (or `*`), `+`, `.nolist` (`1-2+.nolist`); whatever follows is
 * the list of defaults, so a `.nolist` after white space is a default (measured). A count that is
 * no number is an error, the token read in its place dropped and the spec read on with a count of
 * 0 (`%macro m -1` has the default `1`, `%macro m x-2` takes 0 to 2); no number after `-` is an
 * error too, that token dropped, and the maximum stays the minimum.
 */
function readMacroSpec(
  pp: PreprocessorState,
  name: string,
  args: Tok[],
  from: number,
): { spec: MacroSpec; defaultsFrom: Tok[] } {
  const start = skipWs(args, from);
  let end = start;
  while (end < args.length && args[end]!.k !== K.WS) end++;
  // Split `0.nolist` style tokens as nasm's tokenizer does; only the spec's run can hold them. A
  // float (`1.5`) is no count (measured: "expects a parameter count"); `1.x` and `1.n` are the
  // count 1 and the default `.x`.
  const toks: Tok[] = args.slice(start, end).flatMap(splitCountDot);
  toks.push(...args.slice(end));
  const report = countReport(pp);
  const spec: MacroSpec = { min: 0, max: 0, greedy: false, nolist: false };
  const count = paramCount(toks[0], report);
  // No count: reported, and the spec read on as if the count were 0 (`x-2` takes 0 to 2).
  if (count === null) pp.error(`\`%${name}' expects a parameter count`);
  spec.min = spec.max = count ?? 0;
  let i = 1;
  if (isOp(toks[i], '-')) {
    const t = toks[i + 1];
    const upper = isOp(t, '*') ? Infinity : paramCount(t, report);
    if (upper === null) pp.error(`\`%${name}' expects a parameter count after \`-'`);
    else spec.max = upper;
    i += 2;
  }
  if (isOp(toks[i], '+')) {
    spec.greedy = true;
    i++;
  }
  if (toks[i]?.k === K.ID && toks[i]!.s.toLowerCase() === '.nolist') {
    spec.nolist = true;
    i++;
  }
  return { spec, defaultsFrom: toks.slice(i) };
}

function macroDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const named = readMacroName(pp, args);
  if (!named) {
    pp.error(`\`%${name}' expects a macro name`);
    return;
  }
  const { spec, defaultsFrom } = readMacroSpec(pp, name, args, named.next);
  if (spec.max < spec.min) {
    // nasm defines the macro anyway, taking exactly the minimum.
    pp.error('minimum parameter count exceeds maximum');
    spec.max = spec.min;
  }
  // nasm expands single-line macros in the defaults when the macro is defined.
  const defaultToks = trimWs(expandSmacros(pp, defaultsFrom));
  const split = splitMacroArgs(defaultToks);
  for (const message of split.errors) pp.error(message);
  const defaults = split.values.map((d) => trimWs(d));
  warnAboutDefaults(pp, named.name, spec, defaults);
  const mac: MMacro = {
    name: named.name,
    casesense: name === 'macro' || name === 'rmacro',
    min: spec.min,
    max: spec.max,
    greedy: spec.greedy,
    nolist: spec.nolist,
    recursive: name === 'rmacro' || name === 'irmacro',
    defaults,
    body: [],
    usesLabel: false,
    inProgress: 0,
    where: pp.currentWhere,
  };
  if (overlapsDefinedMacro(pp, mac)) pp.warning(`redefining multi-line macro \`${mac.name}'`, 'pp-macro-redef-multi');
  pp.defining.push({ kind: 'macro', mac, lines: [], depth: 0, where: pp.currentWhere });
}

/** nasm warns when a macro of the same name (spelled alike) takes some of the same parameter counts. */
function overlapsDefinedMacro(pp: PreprocessorState, mac: MMacro): boolean {
  const candidates = [
    ...(pp.macros.mmacros.get(mac.name) ?? []),
    ...(pp.macros.immacros.get(mac.name.toLowerCase()) ?? []),
  ];
  return candidates.some(
    (m) => m.name === mac.name && (m.min <= mac.max || mac.greedy) && (mac.min <= m.max || m.greedy),
  );
}

function endmacroDirective(pp: PreprocessorState, { name }: DirectiveCall): undefined {
  pp.error(`\`%${name}': not defining a macro`);
}

function unmacroDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const list = args.filter((t) => t.k !== K.WS);
  const nm = list[0];
  if (!nm || nm.k !== K.ID) {
    pp.error(`\`%${name}' expects a macro name`);
    return;
  }
  const spec = parseParamSpec(list.slice(1), countReport(pp));
  const cs = name === 'unmacro';
  const map = cs ? pp.macros.mmacros : pp.macros.immacros;
  const key = cs ? nm.s : nm.s.toLowerCase();
  const matches = (m: MMacro): boolean =>
    spec !== null && m.min === spec.min && m.max === spec.max && m.greedy === spec.greedy;
  if ((map.get(key) ?? []).some((m) => matches(m) && m.inProgress > 0)) {
    pp.error("`%unmacro' can't undefine the macro being expanded");
    return;
  }
  const left = (map.get(key) ?? []).filter((m) => !matches(m));
  if (left.length) map.set(key, left);
  else map.delete(key);
}

function rotateDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const count = trimWs(expandSmacros(pp, args));
  // nasm's message names no directive here (measured), and comes before the one below.
  if (count.length === 0) {
    pp.error("`' missing rotate count");
    return;
  }
  const mf = pp.nearestMacroFrame();
  if (!mf) {
    pp.error("`%rotate' invoked outside a macro call");
    return;
  }
  const v = pp.evalExpr(count, name);
  if (v === null || mf.nparams === 0) return;
  const n = mf.nparams;
  mf.rotate = (((mf.rotate + Number(BigInt.asIntN(32, v))) % n) + n) % n;
}

function exitmacroDirective(pp: PreprocessorState): undefined {
  const idx = findLastIndex(pp.frames, (f) => f.kind === 'macro');
  if (idx < 0) {
    pp.error("`%exitmacro' not within `%macro' block");
    return;
  }
  // The conditionals this call opened (and left open) end with it; those of the file stay.
  const { conds, condCount = 0 } = pp.frames[idx]!;
  if (condCount > 0) conds.splice(Math.max(0, conds.length - condCount));
  pp.popFramesTo(idx);
}

export const multiLineDirectives: DirectiveTable = {
  endmacro: endmacroDirective,
  endm: endmacroDirective,
  unmacro: unmacroDirective,
  unimacro: unmacroDirective,
  rotate: rotateDirective,
  exitmacro: exitmacroDirective,
  macro: macroDirective,
  imacro: macroDirective,
  rmacro: macroDirective,
  // nasm 2.16.01 spells the case-insensitive one %irmacro (%rimacro is no directive: measured).
  irmacro: macroDirective,
};
