/**
 * The %if family: %if, %ifdef, %ifdefalias, %ifidn(i), %ifctx, %ifmacro,
 * %ifnum, %ifstr, %ifid, %iftoken, %ifempty, %ifenv, %ifusable(def), %ifusing, each
 * with its %ifn…, %elif… and %elifn… forms, and %else / %endif.
 *
 * Each source file keeps one stack of open conditionals, shared by the macro and
 * %rep frames that run in it (model.ts); a %if met while skipping is pushed as
 * `Never` so its %elif/%else cannot switch it on.
 */
import { expandSmacros, resolveIndirections } from '../expand.js';
import { type Cond, CondState } from '../model.js';
import type { ConditionFunction, PreprocessorState } from '../state.js';
import { USE_PACKAGES } from '../stdmac.js';
import { comparable, paramCount, splitCountDot } from '../toklist.js';
import { K, type Tok, isString, isTerminatedString, skipWs, trimWs, unquote } from '../tokenize.js';
import { countReport } from './args.js';
import type { DirectiveCall, Directive } from './types.js';

/**
 * Decides a condition of one type (`def`, `idn`, …) for the directive `directive` (for messages);
 * null when an expression could not be evaluated. `quiet`: report nothing (nasm's %elif).
 */
type ConditionTest = (pp: PreprocessorState, args: Tok[], directive: string, quiet: boolean) => boolean | null;

function ifExpression(pp: PreprocessorState, args: Tok[], directive: string, quiet: boolean): boolean | null {
  const v = pp.evalExpr(expandSmacros(pp, args), directive, !quiet);
  return v === null ? null : v !== 0n;
}

/**
 * A test on the %use package the line names: %ifusable (nasm has it) and %ifusing (it has been
 * %used). A line without a name takes neither branch; an unterminated string is no name
 * (measured: nasm quotes it back in its message).
 */
function packageTest(holds: (pp: PreprocessorState, name: string) => boolean): ConditionTest {
  return (pp, args, directive) => {
    const list = trimWs(args);
    const t = list[0];
    if (!t) {
      pp.error(`\`%${directive}' expects a package name, got end of line`);
      return null;
    }
    if (t.k !== K.ID && !isString(t)) {
      pp.error(`\`%${directive}' expects a package name, got \`${t.s}'`);
      return null;
    }
    if (list.length > 1) pp.warning(`trailing garbage after \`%${directive}' ignored`, 'pp-trailing');
    return holds(pp, (t.k === K.STR ? unquote(t.s) : t.s).toLowerCase());
  };
}

/** %ifdef (any of the names is a single-line macro); %ifdefalias wants an alias among the definitions. */
function ifDefined(aliasOnly: boolean): ConditionTest {
  return (pp, args, directive) => {
    let any = false;
    const list = trimWs(args);
    if (list.length === 0) return false;
    // nasm stops at the first name that is defined, reading nothing after it: `%ifdef f(1` (what
    // an unterminated macro call leaves) is true without a word when `f` is defined (measured).
    for (const t of list) {
      if (any) break;
      if (t.k === K.WS) continue;
      if (t.k !== K.ID && t.k !== K.CTX) {
        pp.error(`\`%${directive}' expects macro identifiers`);
        return null;
      }
      const key = t.k === K.CTX ? pp.ctxKey(t.s) : t.s;
      if (key === null) continue;
      // %ifdef follows an alias to the macro it names (an alias of nothing is not defined).
      const defs = pp.macros.findSmacros(aliasOnly ? key : pp.macros.definitionTarget(key));
      if (defs && (aliasOnly ? defs.some((d) => d.alias !== undefined) : defs.some((d) => d.alias === undefined)))
        any = true;
    }
    return any;
  };
}

/**
 * `%ifidn a, b`: nasm walks both sides token by token from the first comma, skipping white space on
 * either side, and stops when the first side reaches the comma or the second side ends. Whatever is
 * left over on either side makes them different, so white space before the comma counts when the
 * second side ends first (measured: `%ifidn a ,a` is false, `%ifidn a, a` true). A second comma
 * met by the walk fails the conditional; one after a difference is never reached (`%ifidn a,b,c`).
 */
function ifIdentical(fold: boolean): ConditionTest {
  return (pp, args, directive) => {
    const toks = expandSmacros(pp, args);
    const isComma = (t: Tok | undefined): boolean => t?.k === K.OP && t.s === ',';
    const comma = toks.findIndex(isComma);
    if (comma < 0) {
      pp.error(`\`%${directive}' expects two comma-separated arguments`);
      return null;
    }
    let left = 0;
    let right = comma + 1;
    while (left < comma && right < toks.length) {
      const a = toks[left]!;
      const b = toks[right]!;
      if (isComma(b)) {
        pp.error(`\`%${directive}': more than one comma on line`);
        return null;
      }
      if (a.k === K.WS) left++;
      else if (b.k === K.WS) right++;
      else if (comparable([a], fold) !== comparable([b], fold)) return false;
      else {
        left++;
        right++;
      }
    }
    return left === comma && right === toks.length;
  };
}

/**
 * `%ifctx name…`: the innermost context has one of the names (any case). Anything but a name
 * (`,`, a number, `%$x`) ends the conditional as a failed expression does, even after a name
 * that matched (measured).
 */
function ifContext(pp: PreprocessorState, args: Tok[], directive: string): boolean | null {
  const top = pp.contexts[pp.contexts.length - 1];
  let found = false;
  for (const t of args) {
    if (t.k === K.WS) continue;
    if (t.k !== K.ID) {
      pp.error(`\`%${directive}' expects context identifiers`);
      return null;
    }
    if (top && t.s.toLowerCase() === top.name.toLowerCase()) found = true;
  }
  return found;
}

/**
 * `%ifmacro name [min[-max|-*]][+]`: a multi-line macro of exactly that name (case-sensitive, as
 * nasm compares) whose range meets the given one; a `+` on either side removes that side's upper
 * bound. nasm reads the spec token by token, each part touching the one before (white space after
 * the count ends it: `%ifmacro m 0 +` is `0` and trailing garbage); no count is an error and the
 * range 0 to any, no number after `-` an error that leaves the maximum at the minimum (that token
 * is taken), a maximum below the minimum an error that raises it to the minimum (measured).
 * There is no `.nolist` here: `%ifmacro m 1.nolist` is `1` and trailing garbage.
 */
function ifMacro(pp: PreprocessorState, args: Tok[], directive: string): boolean | null {
  const list = trimWs(args);
  const nameTok = list[0];
  if (!nameTok || nameTok.k !== K.ID) {
    pp.error(`\`%${directive}' expects a macro name`);
    return null;
  }
  const expanded = expandSmacros(pp, list.slice(1)).flatMap(splitCountDot);
  const spec = expanded.slice(skipWs(expanded, 0));
  const report = countReport(pp);
  const isOp = (t: Tok | undefined, s: string): boolean => t?.k === K.OP && t.s === s;
  let min = 0;
  let max = Infinity;
  let plus = false;
  // `at`: the token nasm's reading stands on (the count, then what it read after `-` or `+`).
  let at = 0;
  if (spec.length > 0) {
    const count = paramCount(spec[0], report);
    if (count === null) pp.error(`\`%${directive}' expects a parameter count or nothing`);
    else min = max = count;
    if (isOp(spec[1], '-')) {
      at = 2;
      const upper = isOp(spec[at], '*') ? Infinity : paramCount(spec[at], report);
      if (upper === null) pp.error(`\`%${directive}' expects a parameter count after \`-'`);
      else if (min > upper) {
        pp.error('minimum parameter count exceeds maximum');
        max = min;
      } else max = upper;
    }
    if (at < spec.length && isOp(spec[at + 1], '+')) {
      at++;
      plus = true;
    }
    if (at + 1 < spec.length) pp.warning(`trailing garbage after \`%${directive}' ignored`, 'pp-trailing');
  }
  const name = nameTok.s;
  const macros = pp.macros;
  const cands = [...(macros.mmacros.get(name) ?? []), ...(macros.immacros.get(name.toLowerCase()) ?? [])];
  return cands.some((m) => m.name === name && (m.min <= max || plus) && (min <= m.max || m.greedy));
}

/** %ifnum, %ifstr, %ifid (nasm looks at the first token only: `%ifnum 1+2` is true), %iftoken, %ifempty. */
function ifTokenKind(type: 'num' | 'str' | 'id' | 'token' | 'empty'): ConditionTest {
  return (pp, args) => {
    const list = trimWs(expandSmacros(pp, args));
    if (type === 'empty') return list.length === 0;
    if (type === 'token') return list.length === 1;
    // %ifnum looks past signs and the spaces between them (measured: `- 7 * 16`, `-+-5`, `+5` are numbers).
    let first = 0;
    if (type === 'num') {
      while (
        first < list.length - 1 &&
        (list[first]!.k === K.WS || (list[first]!.k === K.OP && /^[+-]$/.test(list[first]!.s)))
      )
        first++;
    }
    if (first >= list.length) return false;
    const k = list[first]!.k;
    return type === 'num' ? k === K.NUM : type === 'str' ? isString(list[first]!) : k === K.ID;
  };
}

/**
 * `%ifenv NAME 'NAME' %!NAME %!'NAME' …`: true when any of them is set. Anything else (a number,
 * an unterminated string) ends the conditional as a failed expression does, reported by %if
 * and silent in %elif (nasm 2.16.01).
 */
function ifEnvironment(pp: PreprocessorState, args: Tok[], name: string, quiet: boolean): boolean | null {
  let found = false;
  const names = args.filter((t) => t.k !== K.WS);
  // (An unterminated string was warned about when the line was read.)
  const refuse = (): null => {
    if (!quiet) pp.error(`\`%${name}' expects environment variable names`);
    return null;
  };
  // No name at all is simply false (measured: `%ifenv` alone takes the %else, silently).
  if (names.length === 0) return false;
  for (const t of names) {
    if (t.k !== K.ID && t.k !== K.STR && t.k !== K.ENV) return refuse();
    if (t.k === K.STR && !isTerminatedString(t.s)) return refuse();
    const text = t.k === K.ENV ? t.s.slice(2) : t.s;
    const quoted = t.k === K.STR || /^['"`]/.test(text);
    if (pp.env[quoted ? unquote(text) : text] !== undefined) found = true;
  }
  return found;
}

/** Condition types by the suffix after `%if`. */
const CONDITION_TESTS = new Map<string, ConditionTest>([
  ['', ifExpression],
  ['def', ifDefined(false)],
  ['defalias', ifDefined(true)],
  ['usabledef', ifDefined(false)],
  ['idn', ifIdentical(false)],
  ['idni', ifIdentical(true)],
  ['ctx', ifContext],
  ['macro', ifMacro],
  ['num', ifTokenKind('num')],
  ['str', ifTokenKind('str')],
  ['id', ifTokenKind('id')],
  ['token', ifTokenKind('token')],
  ['empty', ifTokenKind('empty')],
  ['env', ifEnvironment],
  ['usable', packageTest((_pp, name) => USE_PACKAGES[name] !== undefined)],
  ['using', packageTest((pp, name) => pp.usedPackages.has(name))],
]);

/**
 * nasm 2.16's `%is…()` functions, one for each condition of the %if family and its negation
 * (`%isidn(a,b)`, `%isnum(x)`, `%isn(expr)`, `%is(expr)`; not %ifusabledef): the argument (one
 * greedy parameter, unexpanded: `%isdef(N)` asks about N) is read as the directive's would be, the
 * messages name the directive (`%ifnidn'), and a condition nasm cannot read gives 0 (measured).
 */
function buildConditionFunctions(): Map<string, ConditionFunction> {
  const table = new Map<string, ConditionFunction>();
  for (const [type, test] of CONDITION_TESTS) {
    if (type === 'usabledef') continue;
    for (const negate of [false, true]) {
      const n = negate ? 'n' : '';
      const directive = `if${n}${type}`;
      table.set(`is${n}${type}`, (pp, argument) => {
        const value = test(pp, resolveIndirections(pp, argument), directive, false);
        return [{ k: K.NUM, s: value !== null && value !== negate ? '1' : '0' }];
      });
    }
  }
  return table;
}

export const conditionFunctions: ReadonlyMap<string, ConditionFunction> = buildConditionFunctions();

/** `%if…` / `%ifn…`: opens a conditional. */
function openIf(test: ConditionTest, negate: boolean) {
  return (pp: PreprocessorState, { name, args, frame }: DirectiveCall): undefined => {
    if (frame.condCount !== undefined) frame.condCount++;
    if (!pp.isEmitting(frame)) {
      frame.conds.push({ state: CondState.Never });
      return;
    }
    const value = test(pp, resolveIndirections(pp, args), name, false);
    // An expression nasm cannot evaluate ends the whole conditional: no %elif or %else is taken.
    frame.conds.push({ state: value === null ? CondState.Done : value !== negate ? CondState.True : CondState.False });
  };
}

/** `%elif…` / `%elifn…`: tested only while no branch has been taken. */
function elseIf(test: ConditionTest, negate: boolean) {
  return (pp: PreprocessorState, { name, args, frame }: DirectiveCall): undefined => {
    const top = frame.conds[frame.conds.length - 1];
    if (!top) {
      pp.error(`\`%${name}': no matching \`%if'`);
      return;
    }
    if (top.state === CondState.ElseTrue || top.state === CondState.ElseFalse) {
      pp.warning(`\`%${name}' after \`%else', ignoring content`, 'pp-else-elif');
      top.state = CondState.Never;
      return;
    }
    if (top.state === CondState.True) top.state = CondState.Done;
    else if (top.state === CondState.False) {
      // nasm 2.16.01 evaluates an %elif without reporting anything, and one that fails ends the
      // conditional (measured: `%elif UNDEFINED`, `%elif 1/0` say nothing and skip the %else; nor
      // do an unterminated macro call in it, `%elif f(1`, or `%elifmacro m 1 junk` warn).
      const value = pp.quietly(() => test(pp, resolveIndirections(pp, args), name, true));
      if (value === null) top.state = CondState.Done;
      else if (value !== negate) top.state = CondState.True;
    }
  };
}

/**
 * nasm checks `%else`/`%endif`/`%elif` in the state of the branch before
 * them: their warnings are given unless the whole conditional sits in a
 * skipped region (or a second `%else` already closed it).
 */
function warnTrailing(pp: PreprocessorState, top: Cond | undefined, name: string, args: Tok[]): void {
  if (args.some((t) => t.k !== K.WS) && top?.state !== CondState.Never)
    pp.warning(`trailing garbage after \`%${name}' ignored`, 'pp-trailing');
}

function elseDirective(pp: PreprocessorState, { name, args, frame }: DirectiveCall): undefined {
  const top = frame.conds[frame.conds.length - 1];
  warnTrailing(pp, top, name, args);
  if (!top) {
    pp.error(`\`%${name}': no matching \`%if'`);
    return;
  }
  switch (top.state) {
    case CondState.True:
    case CondState.Done:
      top.state = CondState.ElseFalse;
      break;
    case CondState.False:
      top.state = CondState.ElseTrue;
      break;
    case CondState.ElseTrue:
    case CondState.ElseFalse:
      pp.warning(`\`%${name}' after \`%else', ignoring content`, 'pp-else-else');
      top.state = CondState.Never;
      break;
    default:
  }
}

function endifDirective(pp: PreprocessorState, { name, args, frame }: DirectiveCall): undefined {
  warnTrailing(pp, frame.conds[frame.conds.length - 1], name, args);
  if (frame.conds.length === 0) {
    pp.error(`\`%${name}': no matching \`%if'`);
    return;
  }
  frame.conds.pop();
  if (frame.condCount !== undefined) frame.condCount--;
}

function buildConditionalDirectives(): Map<string, Directive> {
  const table = new Map<string, Directive>();
  for (const [type, test] of CONDITION_TESTS) {
    table.set('if' + type, { run: openIf(test, false), whileSkipping: true });
    table.set('ifn' + type, { run: openIf(test, true), whileSkipping: true });
    table.set('elif' + type, { run: elseIf(test, false), whileSkipping: true });
    table.set('elifn' + type, { run: elseIf(test, true), whileSkipping: true });
  }
  table.set('else', { run: elseDirective, whileSkipping: true });
  table.set('endif', { run: endifDirective, whileSkipping: true });
  return table;
}

export const conditionalDirectives: ReadonlyMap<string, Directive> = buildConditionalDirectives();
