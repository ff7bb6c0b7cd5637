/**
 * Single-line macro expansion: splice and rescan with hide sets, parameter
 * modifiers (`=x`, `&x`, `!x`), %[…] indirection, %!env, `%+` pasting, and
 * nasm's expansion limits.
 */
import { FUNCTION_ARITY, FUNCTIONS } from './functions.js';
import { MACRO_TOKEN_LIMIT, SMACRO_EXPANSION_LIMIT, type ParamFlags, type SMacro } from './model.js';
import type { PreprocessorState } from './state.js';
import { collapseWs, greedyArgument, parseSmacroArgs, pasteTokens, spliceTokens } from './toklist.js';
import { K, type Tok, detokenize, numberTokens, quoteString, skipWs, tokenize, trimWs, unquote } from './tokenize.js';

/**
 * The hide set of a parameter's name in a %xdefine body being expanded: it names no macro
 * there (`%idefine d dword` leaves `%xdefine f(d) d+1` alone), as nasm marks its parameters
 * before expanding the body.
 */
export const PARAMETER_NAME: readonly object[] = Object.freeze([]);

/** Expands single-line macros in a line (splice and rescan), then applies `%+` pasting. */
export function expandSmacros(pp: PreprocessorState, input: Tok[]): Tok[] {
  if (!mightExpand(pp, input)) return input;
  // One expansion reports each unterminated call once; the next one (a macro body's line
  // holding the same argument tokens) reports it again, as nasm does.
  if (pp.smacroExpansionDepth++ === 0) pp.reportedUnterminatedCalls = null;
  try {
    return expandAndPaste(pp, input);
  } finally {
    pp.smacroExpansionDepth--;
  }
}

function expandAndPaste(pp: PreprocessorState, input: Tok[]): Tok[] {
  let toks = input.slice();
  let pasted = true;
  for (let round = 0; pasted && round < 100; round++) {
    const expansionsBefore = pp.expansionCount;
    toks = expandOnce(pp, toks);
    pasted = false;
    if (hasPaste(toks)) {
      toks = pasteTokens(toks);
      pasted = true;
    }
    // As nasm: names that expansion left side by side are joined and looked up again.
    if (round === 0 || pp.expansionCount !== expansionsBefore) {
      const joined = pasteAdjacentNames(toks);
      if (joined) {
        toks = joined;
        pasted = true;
      }
    }
  }
  return toks;
}

function hasPaste(toks: readonly Tok[]): boolean {
  for (const t of toks) if (t.k === K.PASTE) return true;
  return false;
}

/** Tokens that start a name implicit pasting may extend. */
function isNameHead(k: K): boolean {
  return k === K.ID || k === K.CTX || k === K.ENV || k === K.PPID;
}

/**
 * nasm's implicit pasting: a name (identifier, `%$x`, `%!x`, `%x`) directly
 * followed by more names or numbers becomes one token (`%$_ur%$_uses` with
 * `%$_uses` = 0 reads `%$_ur0`). Null when nothing was joined.
 */
function pasteAdjacentNames(toks: Tok[]): Tok[] | null {
  let out: Tok[] | null = null;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    let j = i + 1;
    if (isNameHead(t.k)) while (j < toks.length && (isNameHead(toks[j]!.k) || toks[j]!.k === K.NUM)) j++;
    if (j === i + 1) {
      out?.push(t);
      continue;
    }
    out ??= toks.slice(0, i);
    let text = '';
    for (let k = i; k < j; k++) text += toks[k]!.s;
    for (const x of tokenize(text)) out.push(x);
    i = j - 1;
  }
  return out;
}

/**
 * A directive line's `%[…]` pieces replaced by their expansions and glued to the names they touch,
 * as nasm does to every line before reading a directive's arguments (measured: `%ifdef
 * reg_id_of_%[X]` asks about reg_id_of_rax when X is rax; FFmpeg's x86inc does this).
 */
export function resolveIndirections(pp: PreprocessorState, toks: Tok[]): Tok[] {
  if (!toks.some((t) => t.k === K.INDIRECT)) return toks;
  const out: Tok[] = [];
  for (const t of toks) {
    if (t.k !== K.INDIRECT) {
      out.push(t);
      continue;
    }
    const inner = expandSmacros(pp, tokenize(t.s));
    for (const x of tokenize(detokenize(trimWs(inner)).replace(/\s+/g, ''))) out.push({ ...x, hide: t.hide });
  }
  return pasteAdjacentNames(out) ?? out;
}

/** Cheap pre-check: does any token name a macro or need special handling? */
export function mightExpand(pp: PreprocessorState, toks: Tok[]): boolean {
  for (const t of toks) {
    switch (t.k) {
      case K.ID:
        if (pp.macros.hasSmacro(t.s)) return true;
        break;
      case K.CTX:
      case K.INDIRECT:
      case K.ENV:
      case K.PPID:
      case K.PASTE:
        return true;
      default:
    }
  }
  return false;
}

export function expandOnce(pp: PreprocessorState, toks: Tok[]): Tok[] {
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.k === K.ID || t.k === K.CTX) {
      const replaced = tryExpandAt(pp, toks, i);
      if (replaced) continue;
      if (t.k === K.CTX) {
        const key = pp.ctxKey(t.s);
        toks[i] = { k: K.ID, s: key ?? t.s };
      }
      i++;
      continue;
    }
    if (t.k === K.INDIRECT) {
      const inner = expandSmacros(pp, tokenize(t.s));
      const name = detokenize(trimWs(inner)).replace(/\s+/g, '');
      spliceTokens(
        toks,
        i,
        1,
        tokenize(name).map((x) => ({ ...x, hide: t.hide })),
      );
      continue;
    }
    if (t.k === K.ENV) {
      const raw = t.s.slice(2);
      const nm = raw.startsWith('"') || raw.startsWith("'") ? unquote(raw) : raw;
      const val = pp.env[nm];
      if (val === undefined) pp.warning(`nonexistent environment variable \`${nm}'`, 'pp-environment');
      spliceTokens(toks, i, 1, tokenize(val ?? ''));
      i++;
      continue;
    }
    if (t.k === K.PPID && t.s.length > 1 && !pp.options.noDirectives) {
      const fn = tryFunction(pp, toks, i);
      if (fn) continue;
    }
    i++;
  }
  return toks;
}

/** Expands the macro named by toks[i] in place; false if it is not a macro use. */
export function tryExpandAt(pp: PreprocessorState, toks: Tok[], i: number): boolean {
  const t = toks[i]!;
  const candidates = macroCandidates(pp, toks, i);
  if (!candidates) return false;
  // `%?` is the name the macro was found under: an alias's target (`__float32__` is an alias of
  // `__?float32?__`, whose body `%?` gives `__?float32?__`, measured), else the name as written.
  const invokedAs = aliasTarget ?? t.s;
  const use = chooseDefinition(pp, toks, i, candidates);
  if (!use) return false;
  const def = use.def;
  // nasm's deadman: at most 10,000,000 single-line macro expansions per source line.
  const expansionLimit = pp.macroTokenLimit ?? SMACRO_EXPANSION_LIMIT;
  if (++pp.expansionCount > expansionLimit) {
    if (pp.expansionCount === expansionLimit + 1) pp.error('interminable macro recursion');
    return false;
  }
  const newHide = hideWith(t.hide, def);
  if (!def.dynamic && def.params && use.args) {
    const body = substituteArguments(pp, def, def.params, use.args, use.rawArgs, newHide, invokedAs);
    if (!countExpansion(pp, body)) return false;
    spliceTokens(toks, i, use.end - i, body);
    return true;
  }
  const body = def.dynamic ? def.dynamic() : def.body;
  // Count before copying: a runaway body must fail cheaply.
  if (!countExpansion(pp, body)) return false;
  spliceTokens(
    toks,
    i,
    use.end - i,
    def.dynamic ? markedBody(body, newHide, def, invokedAs) : bodyCopy(def, newHide, invokedAs),
  );
  return true;
}

/** The tokens of `body` as an expansion of `def` makes them: marked with the hide set, `%?`/`%??` named. */
function markedBody(body: readonly Tok[], hide: readonly object[], def: SMacro, invokedAs: string): Tok[] {
  const out: Tok[] = [];
  for (const b of body) {
    if (b.k === K.QQ) out.push({ k: K.ID, s: b.s === '%??' ? def.name : invokedAs, hide });
    else out.push({ k: b.k, s: b.s, hide });
  }
  return out;
}

/** `hide` plus `def`: the same array for the same two, as far as the memo remembers (see ExpansionMemo). */
function hideWith(hide: readonly object[] | undefined, def: SMacro): readonly object[] {
  let memo = def.memo;
  if (memo === undefined) memo = def.memo = { fromSource: [def] };
  if (hide === undefined) return memo.fromSource;
  if (memo.outer !== hide || memo.extended === undefined) {
    memo.outer = hide;
    memo.extended = [...hide, def];
  }
  return memo.extended;
}

/** The body of a parameterless, non-dynamic `def` marked with `hide` (= hideWith(…, def)). */
function bodyCopy(def: SMacro, hide: readonly object[], invokedAs: string): readonly Tok[] {
  // `%?` depends on the spelling used, so such bodies are made afresh.
  if (def.body.some((b) => b.k === K.QQ)) return markedBody(def.body, hide, def, invokedAs);
  const memo = def.memo!;
  if (memo.copyHide !== hide || memo.copy === undefined) {
    memo.copyHide = hide;
    memo.copy = markedBody(def.body, hide, def, invokedAs);
  }
  return memo.copy;
}

/** Set by macroCandidates: the name a %defalias chain ended at, or null when none was followed. */
let aliasTarget: string | null = null;

/**
 * The definitions the name at toks[i] may expand to: %defalias chains
 * followed, and macros in the token's hide set left out. Null when it is not
 * a macro (an alias of an undefined name is replaced by that name).
 */
function macroCandidates(pp: PreprocessorState, toks: Tok[], i: number): SMacro[] | null {
  const t = toks[i]!;
  aliasTarget = null;
  if (t.hide === PARAMETER_NAME) return null;
  let key = t.k === K.CTX ? pp.ctxKey(t.s) : t.s;
  if (key === null) return null;
  let defs = pp.macros.findSmacros(key);
  if (!defs) return null;
  if (!pp.aliasesOn && defs.some((d) => d.alias !== undefined)) return null;
  for (let hops = 0; defs.length === 1 && defs[0]!.alias !== undefined && hops < 32; hops++) {
    key = defs[0]!.alias!;
    defs = pp.macros.findSmacros(key);
    if (!defs) {
      toks[i] = { k: K.ID, s: key, hide: t.hide };
      return null;
    }
    aliasTarget = key;
  }
  const hide = t.hide;
  // Copied only when the hide set leaves some out (callers only read the list).
  if (defs.length === 0) return null;
  if (hide === undefined || !defs.some((d) => hide.includes(d))) return defs;
  const candidates = defs.filter((d) => !hide.includes(d));
  if (candidates.length > 0) return candidates;
  // nasm reads the argument list before it sees the macro is hidden (`%define f(x) f(x`).
  if (defs.some((d) => d.params) && isUnterminatedCall(toks, i)) reportUnterminatedCall(pp, toks, i);
  return null;
}

/** Whether the name at toks[i] is followed by a `(` that the line never closes. */
function isUnterminatedCall(toks: Tok[], i: number): boolean {
  const open = skipWs(toks, i + 1);
  return toks[open]?.k === K.OP && toks[open].s === '(' && parseSmacroArgs(toks, open, false) === null;
}

interface MacroUse {
  def: SMacro;
  /** The arguments in parentheses, or null for a use without them. */
  args: Tok[][] | null;
  /** The same arguments as written (for `!x` and greedy parameters). */
  rawArgs: Tok[][];
  /** Index just past the use (and its argument list). */
  end: number;
}

/** Picks the definition matching the use at toks[i] (by argument count), warning as nasm does when none does. */
function chooseDefinition(pp: PreprocessorState, toks: Tok[], i: number, candidates: SMacro[]): MacroUse | null {
  const j = skipWs(toks, i + 1);
  let args: Tok[][] | null = null;
  let rawArgs: Tok[][] = [];
  let end = i + 1;
  if (toks[j]?.k === K.OP && toks[j].s === '(' && candidates.some((d) => d.params)) {
    // The arguments as written serve only `!x` and greedy parameters.
    const parsed = parseSmacroArgs(
      toks,
      j,
      candidates.some((d) => d.greedy || d.flags !== undefined),
    );
    if (parsed) {
      args = parsed.args;
      rawArgs = parsed.raw;
      end = parsed.end;
    } else reportUnterminatedCall(pp, toks, i);
  }
  if (args) {
    const n = args.length;
    // A greedy last parameter may also be left out altogether (it is then empty).
    let def = candidates.find((d) => d.params && (d.params.length === n || (d.greedy && n >= d.params.length - 1)));
    if (!def && n === 1 && args[0]!.length === 0) def = candidates.find((d) => d.params && d.params.length === 0);
    if (def) return { def, args, rawArgs, end };
  }
  // A bare name with definitions of both kinds (after nasm's "defined both with and without
  // parameters" error) is left alone, as nasm leaves it.
  const mixed = !args && candidates.some((d) => d.params) && candidates.some((d) => !d.params);
  const def = mixed ? undefined : candidates.find((d) => !d.params);
  if (!def && args) {
    warnParameterCount(pp, toks[i]!.s, args.length);
  }
  return def ? { def, args: null, rawArgs, end: i + 1 } : null;
}

/** A single-line macro (or function) called with a number of arguments none of its definitions takes. */
function warnParameterCount(pp: PreprocessorState, name: string, n: number): void {
  pp.warning(
    `single-line macro \`${name}' exists, but not taking ${n} parameter${n === 1 ? '' : 's'}`,
    'pp-macro-params-single',
  );
}

/** The body of a macro with parameters, each parameter replaced by its (modified) argument. */
function substituteArguments(
  pp: PreprocessorState,
  def: SMacro,
  params: string[],
  given: Tok[][],
  rawArgs: Tok[][],
  hide: readonly object[],
  invokedAs: string,
): Tok[] {
  const flags = def.flags;
  let args = given.length < params.length ? [...given, ...params.slice(given.length).map((): Tok[] => [])] : given;
  if (flags) args = args.map((a, k) => (flags[Math.min(k, flags.length - 1)]!.raw ? (rawArgs[k] ?? a) : a));
  if (def.greedy && args.length > params.length) {
    // The greedy parameter takes the rest of the arguments as written, commas and spacing included.
    args = [...args.slice(0, params.length - 1), greedyArgument(args, rawArgs, params.length - 1)];
  }
  if (flags) args = args.map((a, k) => (flags[k] ? applyParamFlags(pp, a, flags[k], k, def.name) : a));
  // nasm 2.16 names the macro being expanded by `%?` (as invoked) and `%??` (as defined) in its
  // body and in its arguments alike: `label(%??, _1)` is `label %+ _1`.
  const named = (b: Tok): Tok => (b.k === K.QQ ? { k: K.ID, s: b.s === '%??' ? def.name : invokedAs, hide } : b);
  if (args.some((a) => a.some((b) => b.k === K.QQ)))
    args = args.map((a) => (a.some((b) => b.k === K.QQ) ? a.map(named) : a));
  const template = bodyTemplate(def, params, hide);
  if (template !== null) {
    const body: Tok[] = [];
    for (const part of template) {
      if (typeof part === 'number') for (const x of args[part]!) body.push(x);
      else body.push(part);
    }
    return body;
  }
  if (!def.body.some(isCondComma)) {
    const body: Tok[] = [];
    for (const b of def.body) {
      const pi = b.k === K.ID ? params.indexOf(b.s) : -1;
      if (pi >= 0) for (const x of args[pi]!) body.push(x);
      else body.push(named({ k: b.k, s: b.s, hide }));
    }
    return body;
  }
  // nasm builds the expansion back to front: `%,` becomes a comma when something other than
  // white space follows it, up to and including the next parameter's argument.
  const reversed: Tok[] = [];
  let comma = false;
  for (let k = def.body.length - 1; k >= 0; k--) {
    const b = def.body[k]!;
    const pi = b.k === K.ID ? params.indexOf(b.s) : -1;
    if (pi >= 0) {
      comma = false;
      const arg = args[pi]!;
      for (let m = arg.length - 1; m >= 0; m--) {
        reversed.push(arg[m]!);
        if (arg[m]!.k !== K.WS) comma = true;
      }
    } else if (isCondComma(b)) {
      if (comma) reversed.push({ k: K.OP, s: ',', hide });
    } else {
      reversed.push(named({ k: b.k, s: b.s, hide }));
      if (b.k !== K.WS) comma = true;
    }
  }
  return reversed.reverse();
}

/**
 * A body with parameters, ready to fill: each parameter as its index, every other token already
 * marked with `hide` (= hideWith(…, def)); null for bodies made afresh each time (`%?`, `%,`).
 */
function bodyTemplate(
  def: SMacro,
  params: readonly string[],
  hide: readonly object[],
): ReadonlyArray<number | Tok> | null {
  const memo = def.memo!;
  if (memo.templateHide !== hide || memo.template === undefined) {
    memo.templateHide = hide;
    memo.template = def.body.some((b) => b.k === K.QQ || isCondComma(b))
      ? null
      : def.body.map((b) => {
          const pi = b.k === K.ID ? params.indexOf(b.s) : -1;
          return pi >= 0 ? pi : { k: b.k, s: b.s, hide };
        });
  }
  return memo.template;
}

function isCondComma(t: Tok): boolean {
  return t.k === K.OP && t.s === '%,';
}

/**
 * nasm stops a line's single-line macro expansion once it has produced more
 * than 10,000,000 tokens ("interminable macro recursion"; white space not
 * counted, measured with a doubling %xdefine): the guard against runaway
 * growth that would otherwise exhaust memory. Our threshold is lower
 * (MACRO_TOKEN_LIMIT), the message the same. nasm's `%pragma limit macro-tokens N` counts every
 * token its expansion loop visits; ours caps expansions and the tokens they make at N, the same
 * outcome unless a line comes within a small factor of N.
 */
export function countExpansion(pp: PreprocessorState, body: readonly Tok[]): boolean {
  if (pp.lineExpansionTokens < 0) return false;
  for (const t of body) if (t.k !== K.WS) pp.lineExpansionTokens++;
  if (pp.lineExpansionTokens <= Math.min(pp.macroTokenLimit ?? MACRO_TOKEN_LIMIT, MACRO_TOKEN_LIMIT)) return true;
  pp.lineExpansionTokens = -1;
  pp.error('interminable macro recursion');
  return false;
}

export function applyParamFlags(
  pp: PreprocessorState,
  value: Tok[],
  f: ParamFlags,
  index: number,
  macro: string,
): Tok[] {
  let v = value;
  if (f.evaluate || f.stringify) v = expandSmacros(pp, v.slice());
  if (f.evaluate) {
    const value = pp.evaluateOrReport(v, `non-constant expression in parameter ${index} of macro \`${macro}'`);
    if (value === null) return [];
    const n = BigInt.asIntN(64, value);
    v = numberTokens(n);
  }
  if (f.stringify) {
    const bare = trimWs(v);
    if (f.keepString && bare.length === 1 && bare[0]!.k === K.STR) return bare;
    v = [{ k: K.STR, s: quoteString(detokenize(collapseWs(v))) }];
  }
  return v;
}

/** Expands the preprocessor function call at toks[i] (`%eval(…)` …) in place; false if it is none. */
function tryFunction(pp: PreprocessorState, toks: Tok[], i: number): boolean {
  const name = toks[i]!.s.slice(1).toLowerCase();
  const fn = FUNCTIONS.get(name);
  const condition = fn ? undefined : pp.conditionFunction(name);
  if (!fn && !condition) return false;
  // White space may come between the name and its `(` (measured: `%eval (1+1)` is 2).
  const openAt = skipWs(toks, i + 1);
  const open = toks[openAt];
  if (!open || open.k !== K.OP || open.s !== '(') return false;
  const parsed = parseSmacroArgs(toks, openAt, condition !== undefined);
  if (!parsed) {
    reportUnterminatedCall(pp, toks, i);
    return false;
  }
  if (!fn) {
    spliceTokens(toks, i, parsed.end - i, condition!(pp, greedyArgument(parsed.args, parsed.raw, 0)));
    return true;
  }
  const arity = FUNCTION_ARITY.get(name);
  const given = parsed.args.length;
  if (arity && (given < arity[0] || given > arity[1])) {
    warnParameterCount(pp, `%${name}`, given);
    return false;
  }
  const untrimmed = parsed.args.map((a) => expandSmacros(pp, a));
  const args = untrimmed.map((a) => trimWs(a));
  const num = (index: number): bigint | null => {
    const a = args[index];
    return a ? pp.evalFunctionParameter(a, name, index) : null;
  };
  const inner = toks.slice(openAt + 1, parsed.end - 1);
  const result = fn(pp, { args, untrimmed, num, inner, expand: (list) => expandSmacros(pp, list) });
  if (!result) return false;
  spliceTokens(toks, i, parsed.end - i, result);
  return true;
}

/**
 * The call at toks[i] never closes its `(`: nasm says so and leaves the call as written (the rest
 * of the line is still expanded), so the assembler then trips over the stray parenthesis. nasm
 * says it once per call, though the line is scanned again after pasting: the name is replaced by
 * a copy remembered as reported (a copy, because a macro body's tokens are shared by its uses).
 */
function reportUnterminatedCall(pp: PreprocessorState, toks: Tok[], i: number): void {
  const name = toks[i]!;
  const reported = (pp.reportedUnterminatedCalls ??= new Set());
  if (reported.has(name)) return;
  const copy = { ...name };
  reported.add(copy);
  toks[i] = copy;
  pp.error("macro call expects terminating `)'");
}
