/**
 * Multi-line macro calls: picking the %macro definition for a line (with an
 * optional label before it), pushing its frame, and substituting %1, %{1:2},
 * %0, %00, %%local, %? in each body line.
 */
import type { MacroFrame, MMacro, OutputLine } from './model.js';
import type { PreprocessorState } from './state.js';
import { canPaste, macroArgValue, type MacroArgs, needsParamSubstitution, splitMacroArgs } from './toklist.js';
import { K, type Tok, WS_TOKEN, detokenize, parameterName, skipWs, tokenize, trimWs, unquote } from './tokenize.js';

const CONDITION_CODES = [
  'o',
  'no',
  'b',
  'c',
  'nae',
  'ae',
  'nb',
  'nc',
  'e',
  'z',
  'ne',
  'nz',
  'be',
  'na',
  'a',
  'nbe',
  's',
  'ns',
  'p',
  'pe',
  'np',
  'po',
  'l',
  'nge',
  'ge',
  'nl',
  'le',
  'ng',
  'g',
  'nle',
  'cxz',
  'ecxz',
  'rcxz',
];
const INVERSE_CC: Record<string, string> = {
  o: 'no',
  no: 'o',
  b: 'nb',
  c: 'nc',
  nae: 'ae',
  ae: 'nae',
  nb: 'b',
  nc: 'c',
  e: 'ne',
  z: 'nz',
  ne: 'e',
  nz: 'z',
  be: 'nbe',
  na: 'a',
  a: 'na',
  nbe: 'be',
  s: 'ns',
  ns: 's',
  p: 'np',
  pe: 'po',
  np: 'p',
  po: 'pe',
  l: 'nl',
  nge: 'ge',
  ge: 'nge',
  nl: 'l',
  le: 'nle',
  ng: 'g',
  g: 'ng',
  nle: 'le',
};

/**
 * If the line calls a multi-line macro (optionally after a label), starts
 * the call by pushing the macro's frame: returns the label line nasm splits
 * off when there is one, else true. Returns false for an ordinary line.
 */
export function startMultiLineMacro(pp: PreprocessorState, toks: Tok[]): OutputLine | boolean {
  const call = findCall(pp, toks);
  if (!call) return false;
  const rest = trimWs(toks.slice(call.at + 1));
  const args = splitMacroArgs(rest);
  // nasm reads the arguments before it looks for a definition taking that many.
  for (const message of args.errors) pp.error(message);
  const chosen = chooseMacro(pp, call, rest, args.values.length, toks.length > call.at + 1);
  if (!chosen) return false;
  const mac = chosen.mac;
  // Split once: only nasm's legacy trailing-empty rule changes the arguments.
  const params = callParameters(mac, chosen.rest, chosen.rest === rest ? args : null, chosen.nparams);
  if (macroFramesOnStack(pp) >= pp.macroLevelLimit) {
    // nasm reports it and then passes the line through unexpanded.
    pp.error('interminable multiline macro recursion');
    return false;
  }
  listCall(pp, mac, params.given, params.full);
  const label = call.label && !mac.usesLabel ? splitOffLabel(pp, mac, call.label) : null;
  pushMacroFrame(pp, mac, call, params.full, params.nparams);
  return label ?? true;
}

function macroFramesOnStack(pp: PreprocessorState): number {
  let n = 0;
  for (const f of pp.frames) if (f.kind === 'macro') n++;
  return n;
}

interface MacroCallSite {
  /** The macro name as written. */
  name: Tok;
  /** Index of the name in the line. */
  at: number;
  label: Tok[] | null;
  candidates: MMacro[];
}

/** `macro args`, `label: macro args`, `label : macro args` or `label macro args`. */
function findCall(pp: PreprocessorState, toks: Tok[]): MacroCallSite | null {
  const i = skipWs(toks, 0);
  const t = toks[i];
  if (!t || t.k !== K.ID) return null;
  const direct = pp.macros.findMmacros(t.s);
  if (direct) return { name: t, at: i, label: null, candidates: direct };
  // The colon may stand apart from the label (`pb_scan8field1 : SHUFFLE_MASK_W …`, x264).
  let j = i + 1;
  const colon = skipWs(toks, j);
  if (toks[colon]?.k === K.OP && toks[colon].s === ':') j = colon + 1;
  j = skipWs(toks, j);
  const u = toks[j];
  if (!u || u.k !== K.ID || j === i + 1) return null;
  const candidates = pp.macros.findMmacros(u.s);
  if (!candidates) return null;
  // White space before the label stays as one space on the line split off (measured: `    lab: M`
  // is ` lab: ` in -E and the listing).
  return { name: u, at: j, label: i > 0 ? [WS_TOKEN, ...toks.slice(i, j)] : toks.slice(i, j), candidates };
}

/** The definition taking `n` arguments (a macro already running is skipped unless %rmacro). */
function findByCount(call: MacroCallSite, n: number): MMacro | undefined {
  return call.candidates.find((m) => !(m.inProgress > 0 && !m.recursive) && n >= m.min && (n <= m.max || m.greedy));
}

/**
 * The definition the call means, and its arguments (`n` of them in `rest`). nasm's legacy rule for
 * a call ending in an empty argument (`m 1,,`): the empty last argument is
 * dropped (its parameter then takes its default), with a warning; a call
 * that matches only without it is made, with another.
 * `spaceAfterName`: the name is followed by blanks that held an argument which expanded to
 * nothing (`SETUP_STACK_POINTER %4`, x86inc): nasm then calls a one-parameter macro with an
 * empty argument, %0 = 0 and no defaults, with a warning.
 */
function chooseMacro(
  pp: PreprocessorState,
  call: MacroCallSite,
  rest: Tok[],
  n: number,
  spaceAfterName: boolean,
): { mac: MMacro; rest: Tok[]; nparams?: number } | null {
  const last = rest.length > 0 ? rest[rest.length - 1] : undefined;
  const trailingEmpty = n > 1 && last?.k === K.OP && last.s === ',';
  const withoutEmpty = trailingEmpty ? trimWs(rest.slice(0, -1)) : rest;
  let mac = findByCount(call, n);
  if (!mac && trailingEmpty) mac = findByCount(call, n - 1);
  if (mac && trailingEmpty) {
    pp.warning(
      n < mac.min || (n > mac.max && !mac.greedy)
        ? `improperly calling multi-line macro \`${mac.name}' with ${n} parameters`
        : `dropping trailing empty parameter in call to multi-line macro \`${mac.name}'`,
      'pp-macro-params-legacy',
    );
    // Matched with the empty argument: it takes its default, or (with none) is dropped from %0.
    const keepsCount = n > mac.min && (n <= mac.min + mac.defaults.length || (n > mac.max && mac.greedy));
    const matchedWithIt = n >= mac.min && (n <= mac.max || mac.greedy);
    return matchedWithIt && !keepsCount ? { mac, rest: withoutEmpty, nparams: n - 1 } : { mac, rest: withoutEmpty };
  }
  if (!mac && n === 0 && spaceAfterName) {
    const takingOne = findByCount(call, 1);
    if (takingOne) {
      pp.warning(
        `improperly calling multi-line macro \`${takingOne.name}' with 0 parameters`,
        'pp-macro-params-legacy',
      );
      return { mac: takingOne, rest, nparams: 0 };
    }
  }
  if (!mac && call.candidates.some((m) => !(m.inProgress > 0 && !m.recursive))) {
    pp.warning(
      `multi-line macro \`${call.name.s}' exists, but not taking ${n} parameter${n === 1 ? '' : 's'}`,
      'pp-macro-params-multi',
    );
  }
  return mac ? { mac, rest } : null;
}

/**
 * The arguments as given, the full list with defaults, and %0 as nasm counts it.
 * `split`: `rest` already split at its top-level commas, when it has been.
 */
function callParameters(
  mac: MMacro,
  rest: Tok[],
  split: MacroArgs | null,
  countOverride: number | undefined,
): { given: Tok[][]; full: Tok[][]; nparams: number } {
  const args = split ?? splitMacroArgs(rest);
  let given = args.values;
  if (mac.greedy && given.length > mac.max) {
    // The greedy last parameter takes the rest of the line, commas included (unless it is braced).
    given = given.slice(0, mac.max - 1);
    given.push(macroArgValue(rest, args.starts[mac.max - 1]!, true));
  }
  // %0 as nasm counts it: the parameters given, or up to the last default when fewer were
  // given (even past the maximum), capped at the maximum for a greedy macro.
  let nparams = given.length;
  if (mac.defaults.length > 0) nparams = Math.max(nparams, mac.min + mac.defaults.length);
  if (mac.greedy && nparams > mac.max) nparams = mac.max;
  if (countOverride !== undefined) nparams = countOverride;
  const full: Tok[][] = given.slice();
  for (let k = given.length; k < nparams; k++) {
    // A greedy last parameter filled from the defaults takes all the defaults left, commas included.
    if (mac.greedy && k === mac.max - 1) full.push(joinWithCommas(mac.defaults.slice(k - mac.min)));
    else full.push(mac.defaults[k - mac.min] ?? []);
  }
  return { given, full, nparams };
}

function joinWithCommas(lists: Tok[][]): Tok[] {
  const out: Tok[] = [];
  lists.forEach((list, k) => {
    if (k > 0) out.push({ k: K.OP, s: ',' });
    out.push(...list);
  });
  return out;
}

/** For `-Lm`: the call with its parameters as the macro receives them (defaults included). */
function listCall(pp: PreprocessorState, mac: MMacro, given: Tok[][], full: Tok[][]): void {
  if (!pp.options.onSourceLine || pp.setupDepth !== 0) return;
  // nasm counts the parameters given, or up to the last default when fewer were given.
  const count = Math.min(full.length, Math.max(given.length, mac.min + mac.defaults.length));
  const shown = full
    .slice(0, count)
    .map((param) => `{${detokenize(trimWs(param))}}`)
    .join(',');
  pp.options.onSourceLine({
    text: ` ;;; [macro] ${mac.name}${shown ? ' ' + shown : ''}`,
    file: pp.currentWhere.file,
    line: pp.currentWhere.line,
    level: pp.frames.length - 1,
    kind: 'macro-call',
    listed: pp.frames[pp.frames.length - 1]!.listed,
  });
}

/** The label before a call whose body does not use %00 becomes a line of its own (with a colon). */
function splitOffLabel(pp: PreprocessorState, mac: MMacro, label: Tok[]): OutputLine {
  const hasColon = label.some((x) => x.k === K.OP && x.s === ':');
  const labelText = detokenize(hasColon ? label : [...label, { k: K.OP, s: ':' }]);
  // nasm lists the label it splits off the call as a line of the expansion.
  pp.options.onSourceLine?.({
    text: labelText,
    file: pp.currentWhere.file,
    line: pp.currentWhere.line,
    level: pp.frames.length,
    kind: 'generated',
    listed: pp.frames[pp.frames.length - 1]!.listed && !mac.nolist,
  });
  return pp.makeOutput(labelText);
}

function pushMacroFrame(
  pp: PreprocessorState,
  mac: MMacro,
  call: MacroCallSite,
  params: Tok[][],
  nparams: number,
): void {
  const parent = pp.frames[pp.frames.length - 1]!;
  const invokeWhere = pp.currentWhere;
  mac.inProgress++;
  const frame: MacroFrame = {
    kind: 'macro',
    mac,
    call: { macro: mac.name, invokeWhere, named: !pp.isPackageMacro(mac) && !mac.nolist, parent: pp.innermostCall() },
    invokedAs: call.name.s,
    params,
    nparams,
    rotate: 0,
    unique: pp.unique++,
    label: call.label ? call.label.filter((x) => x.k === K.ID) : null,
    invokeWhere,
    index: 0,
    conds: parent.conds,
    condCount: 0,
    reportAt: parent.reportAt ?? invokeWhere,
    nolistWhere: parent.nolistWhere ?? (mac.nolist ? invokeWhere : undefined),
    macroDepth: parent.macroDepth + 1,
    listed: parent.listed && !mac.nolist,
  };
  pp.frames.push(frame);
}

/**
 * Replaces %1, %{1:2}, %0, %00, %%local, %? in a macro body line. A
 * substituted value glues onto a touching identifier or number (`%1_x`,
 * `j%+1`), as nasm pastes ID+ID, ID+NUM and NUM+NUM after substitution.
 */
export function substituteParams(
  pp: PreprocessorState,
  toks: readonly Tok[],
  mf: MacroFrame,
  readEnvironment = false,
): Tok[] {
  const out = new Substitution();
  for (const t of toks) {
    switch (t.k) {
      case K.PARAM: {
        out.putValue(parameterValue(pp, t, mf));
        break;
      }
      case K.LOCAL:
        out.putToken({ k: K.ID, s: `..@${mf.unique}.${t.s.slice(2)}` });
        break;
      case K.QQ:
        out.putToken({ k: K.ID, s: t.s === '%??' ? mf.mac.name : mf.invokedAs });
        break;
      case K.ENV:
        if (readEnvironment) out.putValue(environmentValue(pp, t));
        else out.push(t);
        break;
      case K.INDIRECT: {
        // `%[%%i]`, `%[%1]`: the parameters inside the brackets are substituted too.
        const inner = tokenize(t.s);
        out.push(
          needsParamSubstitution(inner)
            ? { k: K.INDIRECT, s: detokenize(substituteParams(pp, inner, mf)), hide: t.hide }
            : t,
        );
        break;
      }
      default:
        out.push(t);
    }
  }
  return out.toks;
}

/**
 * `%!NAME` in a macro or %rep body line: nasm reads the variable as it runs the line, with
 * the body's other parameters, so `%define x %!NAME` there warns when the variable is missing
 * (not in a branch not taken).
 */
export function environmentValue(pp: PreprocessorState, t: Tok): Tok[] {
  const raw = t.s.slice(2);
  const name = raw.startsWith('"') || raw.startsWith("'") ? unquote(raw) : raw;
  const value = pp.env[name];
  if (value === undefined) pp.warning(`nonexistent environment variable \`${name}'`, 'pp-environment');
  return tokenize(value ?? '');
}

/** A %rep body line outside any macro call: only its `%!NAME` are read (see environmentValue). */
export function substituteEnvironment(pp: PreprocessorState, toks: Tok[]): Tok[] {
  if (!toks.some((t) => t.k === K.ENV)) return toks;
  return toks.flatMap((t) => (t.k === K.ENV ? environmentValue(pp, t) : [t]));
}

/**
 * A body line being rebuilt with its parameters' values. Where a value starts
 * or ends (a seam), a touching identifier or number pastes onto it: the
 * joined text is read again as nasm does (`xyzzy` + `1e+10` is `xyzzy1e` `+` `10`).
 */
class Substitution {
  readonly toks: Tok[] = [];
  /** The next token lands on a seam. */
  private atSeam = false;

  push(t: Tok): void {
    const n = this.toks.length;
    const prev = n > 0 ? this.toks[n - 1] : undefined;
    if (this.atSeam && prev !== undefined && canPaste(prev, t)) {
      this.toks.pop();
      for (const x of tokenize(prev.s + t.s)) this.toks.push(x);
      // `1.2` + `e` + `+5`: a pasted number may read on into what follows (`1.2e+5`) once written out.
      if (prev.k === K.NUM) TOUCHING_TOKENS.add(this.toks);
    } else {
      // `%0x80`: `0` and `x80` stay two tokens, which the assembler reads as one from the text.
      if (this.atSeam && prev?.k === K.NUM && t.k === K.ID) TOUCHING_TOKENS.add(this.toks);
      this.toks.push(t);
    }
    this.atSeam = false;
  }

  /** A value of one token without a hide set (putValue without the list). */
  putToken(t: Tok): void {
    this.atSeam = true;
    this.push(t);
    this.atSeam = true;
  }

  /** A parameter's value: its tokens lose their hide sets (they are read afresh). */
  putValue(list: readonly Tok[]): void {
    this.atSeam = true;
    for (const t of list) this.push(t.hide ? { k: t.k, s: t.s } : t);
    this.atSeam = true;
  }
}

/** Substituted lines holding two tokens that read as one when written out (see Substitution.push). */
const TOUCHING_TOKENS = new WeakSet<readonly Tok[]>();

/** True when the line must be read again from its text for the assembler (a number touching a name). */
export function hasTouchingTokens(toks: readonly Tok[]): boolean {
  return TOUCHING_TOKENS.has(toks);
}

/** Parameter `k` (1-based) after %rotate, or nothing when out of range. */
function parameter(mf: MacroFrame, k: number): Tok[] {
  const n = mf.nparams;
  if (k < 1 || k > n) return [];
  return mf.params[(k - 1 + mf.rotate) % n] ?? [];
}

/** A `%`-parameter token's meaning, read once per spelling. */
type ParamSpec =
  | { kind: 'label' }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'count' }
  /** `%N`, or with `cc` `%+N` / `%-N` (the parameter as a condition code, or its inverse). */
  | { kind: 'param'; index: number; cc: '' | '+' | '-' }
  | { kind: 'none' };

const PARAM_SPECS = new Map<string, ParamSpec>();

function paramSpec(text: string): ParamSpec {
  let spec = PARAM_SPECS.get(text);
  if (spec === undefined) {
    spec = readParamSpec(text);
    // Bounded: a source full of distinct `%{…}` forms must not grow it without end.
    if (PARAM_SPECS.size < 4096) PARAM_SPECS.set(text, spec);
  }
  return spec;
}

function readParamSpec(text: string): ParamSpec {
  let spec = text.slice(1);
  if (spec.startsWith('{')) spec = spec.slice(1, -1);
  if (spec === '00') return { kind: 'label' };
  const range = /^(-?\d+):(-?\d+)$/.exec(spec);
  if (range) return { kind: 'range', from: Number(range[1]), to: Number(range[2]) };
  const m = /^([+-]?)(\d+)$/.exec(spec);
  if (!m) return { kind: 'none' };
  const index = Number(m[2]);
  const cc = m[1] === '+' ? '+' : m[1] === '-' ? '-' : '';
  if (index === 0 && cc === '') return { kind: 'count' };
  return { kind: 'param', index, cc };
}

/** What `%N`, `%+N`, `%-N`, `%0`, `%00` or `%{a:b}` stands for (nothing, reported, for a form none of these). */
function parameterValue(pp: PreprocessorState, t: Tok, mf: MacroFrame): readonly Tok[] {
  const spec = paramSpec(t.s);
  switch (spec.kind) {
    case 'label':
      return mf.label ?? [];
    case 'range':
      return parameterRange(mf, spec.from, spec.to);
    case 'count':
      return [{ k: K.NUM, s: String(mf.nparams) }];
    case 'none':
      // A parameter number with more in its braces (`%{1 }`, `%{2x}`): nasm reports it and drops it.
      pp.error(`invalid macro parameter: \`${parameterName(t.s)}'`);
      return [];
    case 'param':
      break;
  }
  const value = parameter(mf, spec.index);
  if (spec.cc === '') return value;
  const cc = detokenize(value).toLowerCase();
  if (!CONDITION_CODES.includes(cc)) {
    // nasm names the form as written and drops it (measured: `j%+1 bar` with xyz is `j bar`).
    pp.error(`macro parameter \`${parameterName(t.s)}' is not a condition code`);
    return [];
  }
  return [{ k: K.ID, s: spec.cc === '-' ? (INVERSE_CC[cc] ?? cc) : detokenize(value) }];
}

/** `%{a:b}`: parameters a to b (either way round; negative counts from the end), comma-separated. */
function parameterRange(mf: MacroFrame, from: number, to: number): Tok[] {
  const n = mf.nparams;
  const norm = (v: number): number => (v < 0 ? n + v + 1 : v);
  const a = norm(from);
  const b = norm(to);
  const list: Tok[] = [];
  const add = (k: number): void => {
    if (list.length) list.push({ k: K.OP, s: ',' });
    for (const x of parameter(mf, k)) list.push(x);
  };
  if (a <= b) for (let k = a; k <= b; k++) add(k);
  else for (let k = a; k >= b; k--) add(k);
  return list;
}
