/**
 * The preprocessor's state, shared by the line loop (engine.ts), the
 * expansion engine and every directive handler: the macro tables, the stack
 * of input frames, the context stack, the definitions being collected, and
 * the helpers every part needs (diagnostics at the current location, output
 * lines, constant expressions, context-local names).
 *
 * Handlers are plain functions taking this object as `pp`; engine.ts extends
 * it with the line loop, which is the one thing handlers reach back into
 * (through `runSetupText`, for %use packages).
 */
import type { SourceLocation, WarningSwitches } from '../core/diagnostics.js';
import {
  evaluate,
  ExprError,
  NonConstantError,
  NonScalarThenNonConstantError,
  UNKNOWN_ADDRESS,
  type Address,
} from './expr.js';
import {
  CondState,
  MACRO_LEVEL_LIMIT,
  REP_LIMIT,
  STACK_MODELS,
  type Context,
  type Definition,
  type Frame,
  type MacroCall,
  type MacroFrame,
  type MMacro,
  type OutputLine,
  type StackModel,
  type Where,
} from './model.js';
import { MacroTables } from './tables.js';
import { K, type Tok } from './tokenize.js';
import type { PreprocessOptions, PreprocessorSymbol } from './types.js';

/** A `%is…()` function (directives/conditionals.ts): its one argument in, `1` or `0` out. */
export type ConditionFunction = (pp: PreprocessorState, argument: Tok[]) => Tok[];

export abstract class PreprocessorState {
  readonly macros = new MacroTables();
  readonly frames: Frame[] = [];
  readonly contexts: Context[] = [];
  /** %macro / %rep bodies being collected (innermost last). */
  readonly defining: Definition[] = [];
  readonly usedPackages = new Set<string>();
  /**
   * `[warning ±class]` lines already passed on, as they apply to the preprocessor's own warnings
   * (nasm preprocesses and assembles line by line); null until the first one.
   */
  warningSwitches: WarningSwitches | null = null;
  readonly warningStack: WarningSwitches[] = [];
  /** Counter behind %%labels and context numbers. */
  unique = 0;
  /** Location of the line being processed (for diagnostics and __?LINE?__). */
  currentWhere: Where = { file: '', line: 0 };
  currentFrame: Frame | null = null;
  /** >0 while macro-package text runs (no onSourceLine events then). */
  setupDepth = 0;
  readonly dependencies: string[] = [];
  /**
   * Include-file lookups already done, by name as written. nasm records a
   * dependency only the first time a name is searched for by %include, and a
   * %pathsearch of the name counts as that first search.
   */
  readonly searched = new Map<string, string | null>();
  readonly env: Record<string, string | undefined>;
  readonly mode: 'assemble' | 'preprocess' | 'dependencies';
  /** Single-line macro expansions on the current source line (nasm: at most 10,000,000). */
  expansionCount = 0;
  /** %stacksize model and the running %arg / %local offsets (global, as in nasm). */
  stackModel: StackModel = STACK_MODELS['flat']!;
  argOffset = STACK_MODELS['flat']!.argStart;
  localOffset = 0;
  /** nasm's limits, changed by `%pragma limit`. */
  repLimit = REP_LIMIT;
  macroLevelLimit = MACRO_LEVEL_LIMIT;
  /** `%pragma limit macro-tokens N`: caps a line's single-line expansions and their tokens (null: the defaults). */
  macroTokenLimit: number | null = null;
  /** `%aliases on|off` */
  aliasesOn = true;
  /** Tokens made by single-line macros on the current line (-1 once over the limit). */
  lineExpansionTokens = 0;
  /** Macro calls the current expansion has reported as missing their `)` (expand.ts: reportUnterminatedCall). */
  reportedUnterminatedCalls: Set<Tok> | null = null;
  /** How deep expandSmacros calls are nested (the outermost one starts a new reportedUnterminatedCalls). */
  smacroExpansionDepth = 0;

  constructor(readonly options: PreprocessOptions) {
    this.mode = options.mode ?? 'assemble';
    const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
    this.env = options.env ?? proc?.env ?? {};
  }

  /** Runs macro-package text (standard macros, %use packages, -D) through the directive engine. */
  abstract runSetupText(text: string, name: string): void;

  /**
   * The `%is…()` function of that (lower-case) name, or undefined: the %if family's, reached through
   * the engine so that macro expansion does not import the directives that use it.
   */
  abstract conditionFunction(name: string): ConditionFunction | undefined;

  /** True when the frame's innermost %if branch is being assembled. */
  isEmitting(frame: Frame): boolean {
    const conds = frame.conds;
    // Checked before indexing: reading index -1 of an empty array is a slow property lookup.
    if (conds.length === 0) return true;
    const state = conds[conds.length - 1]!.state;
    return state === CondState.True || state === CondState.ElseTrue;
  }

  makeOutput(text: string): OutputLine {
    const frame = this.currentFrame;
    const out: OutputLine = {
      text,
      where: this.currentWhere,
      macroDepth: frame?.macroDepth ?? 0,
      listed: frame?.listed ?? true,
    };
    if (frame?.reportAt) {
      out.reportAt = frame.reportAt;
      out.call = this.innermostCall();
    }
    return out;
  }

  /** The call of the innermost macro frame on the whole stack (through included files), or null. */
  innermostCall(): MacroCall | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'macro') return f.call;
    }
    return null;
  }

  /** Outermost first: each macro and the line inside it that is being processed. */
  macroTrail(): Array<{ macro: string; location: Where }> {
    const trail: Array<{ macro: string; location: Where }> = [];
    // nasm names only macros from source files: standard-macro and %use package frames are left
    // out, and so are `.nolist` macros (their lines report where they were called).
    const macroFrames = this.frames.filter(
      (f): f is MacroFrame => f.kind === 'macro' && !this.isPackageMacro(f.mac) && !f.mac.nolist,
    );
    macroFrames.forEach((f, i) => {
      const next = macroFrames[i + 1];
      trail.push({ macro: f.mac.name, location: next ? next.invokeWhere : this.currentWhere });
    });
    return trail;
  }

  /** Defined by the standard macros, the output format's or a %use package (runSetupText), not by a source file. */
  isPackageMacro(mac: MMacro): boolean {
    const file = mac.where.file;
    return file === 'standard.mac' || file === 'format.mac' || this.usedPackages.has(file.toLowerCase());
  }

  expansionChain(): Where[] {
    const chain: Where[] = [];
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'macro') chain.push(f.invokeWhere);
    }
    return chain;
  }

  nearestMacroFrame(): MacroFrame | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'macro') return f;
      if (f.kind === 'file') return null;
    }
    return null;
  }

  /** Leaves the first `idx` frames (used by %exitrep and %exitmacro). */
  popFramesTo(idx: number): void {
    while (this.frames.length > idx) {
      const f = this.frames.pop()!;
      if (f.kind === 'macro') f.mac.inProgress--;
    }
  }

  addDependency(path: string, kind: 'main' | 'include' | 'depend' = 'include'): void {
    this.dependencies.push(path);
    this.options.dependencies?.push(path);
    this.options.onDependency?.(path, kind);
  }

  // -------------------------------------------------------------------------
  // Diagnostics
  // -------------------------------------------------------------------------

  loc(): SourceLocation {
    const frame = this.currentFrame;
    const at = frame?.reportAt ?? this.currentWhere;
    const loc: SourceLocation = { file: at.file, line: at.line };
    if (frame?.reportAt) {
      // nasm follows a message from inside a macro with the chain of definitions.
      const trail = this.macroTrail().map((t) => ({
        macro: t.macro,
        location: { file: t.location.file, line: t.location.line },
      }));
      return { ...loc, expansion: this.expansionChain(), macroTrail: trail };
    }
    return loc;
  }

  /** While positive, errors and warnings are dropped (nasm's `%elif` reports nothing: quietly()). */
  private muted = 0;

  /** Runs `fn` with every error and warning dropped. */
  quietly<R>(fn: () => R): R {
    this.muted++;
    try {
      return fn();
    } finally {
      this.muted--;
    }
  }

  error(msg: string): void {
    if (this.muted > 0) return;
    this.options.diagnostics.error(msg, this.loc());
  }

  warning(msg: string, cls: string): void {
    if (this.muted > 0) return;
    if (this.warningSwitches && !this.warningSwitches.enabled(cls)) return;
    this.options.diagnostics.warning(msg, this.loc(), cls);
  }

  fatal(msg: string): never {
    return this.options.diagnostics.fatal(msg, this.loc());
  }

  /** Evaluates an already expanded expression; null after reporting nasm's error. */
  evalExpr(toks: Tok[], directive: string, report = true): bigint | null {
    // A known value first: the message below is built only for an expression being evaluated.
    const known = this.numericValues.find(toks);
    if (known !== undefined) return known;
    const trailing = TRAILING_WARNED.has(directive);
    return this.evaluateAndRemember(toks, `non-constant value given to \`%${directive}'`, report, trailing);
  }

  /**
   * A preprocessor function's numeric parameter (`%num(x)`, `%substr(s, 2 3)`): nasm's messages
   * name the function and the parameter, counted from 0, and anything after the expression is an
   * error. Null after an error.
   */
  evalFunctionParameter(toks: Tok[], fn: string, index: number): bigint | null {
    const known = this.numericValues.find(toks);
    if (known !== undefined) return known;
    // (Set from the evaluator's callback: an object, so the check below is not narrowed away.)
    const stop = { trailing: false };
    const where = `in parameter ${index} of function \`%${fn}'`;
    const value = this.evaluateTokens(toks, `non-constant expression ${where}`, true, (after) => {
      stop.trailing = after.length > 0;
    });
    if (value === null) return null;
    if (stop.trailing) {
      this.error(`invalid expression ${where}`);
      return null;
    }
    return value;
  }

  /**
   * Evaluates the longest expression at the start of `toks` (nasm's `%substr` reads its start and
   * count this way): the token it stops at is consumed unread, whatever it is (`,` or not), and
   * what follows it is returned. Nothing is cached: the value belongs to a prefix of `toks`.
   */
  evalLeading(toks: Tok[], directive: string): { value: bigint; rest: Tok[] } | null {
    let rest: Tok[] = [];
    const value = this.evaluateTokens(toks, `non-constant value given to \`%${directive}'`, true, (after) => {
      rest = after.slice(1);
    });
    return value === null ? null : { value, rest };
  }

  /**
   * Evaluates a constant expression, or reports why it cannot and returns
   * null. Symbols are not constant (and are an error outside assembly).
   */
  evaluateOrReport(toks: Tok[], nonConstantMessage: string, report = true, trailing = false): bigint | null {
    const known = this.numericValues.find(toks);
    if (known !== undefined) return known;
    return this.evaluateAndRemember(toks, nonConstantMessage, report, trailing);
  }

  /** evaluateOrReport for an expression whose value is not known yet. */
  private evaluateAndRemember(
    toks: Tok[],
    nonConstantMessage: string,
    report: boolean,
    trailing: boolean,
  ): bigint | null {
    const warningsBefore = this.evaluationWarnings;
    const value = this.evaluateTokens(toks, nonConstantMessage, report, trailing);
    // A warning (an overflowing number) must be given at every use: such values are not kept.
    if (value !== null && this.evaluationWarnings === warningsBefore) this.numericValues.remember(toks, value);
    return value;
  }

  /**
   * Values of expressions made only of numbers and operators (see NumericValues): macro bodies
   * evaluate the same few (`%if 5 < 16`, `%assign i 2 + 1`, `%rep 3`) over and over.
   */
  private readonly numericValues = new NumericValues();
  /** Warnings given while evaluating, counted so a value that warned is not cached. */
  private evaluationWarnings = 0;

  /** `trailing`: true warns about tokens after the expression, a function is given them, false refuses them. */
  private evaluateTokens(
    toks: Tok[],
    nonConstantMessage: string,
    report: boolean,
    trailing: boolean | ((rest: readonly Tok[]) => void),
  ): bigint | null {
    // A non-constant symbol is a term the evaluator carries to the end (expr.ts): `label - label`
    // is a number, and a later undefined symbol is still reported (`%if label + undefined`).
    try {
      const bits = this.mode === 'assemble' ? (this.options.bits?.() ?? 16) : 16;
      const value = evaluate(toks, {
        charWidth: bits === 64 ? 8 : 4,
        ...(this.mode === 'assemble' && this.options.floatMode !== undefined
          ? { floatMode: this.options.floatMode }
          : {}),
        warn: (message, warningClass) => {
          this.evaluationWarnings++;
          this.warning(message, warningClass);
        },
        error: (message) => {
          if (report) this.error(message);
        },
        ...(typeof trailing === 'function'
          ? { trailing }
          : trailing
            ? {
                trailing: () => {
                  this.evaluationWarnings++;
                  if (report) this.warning('trailing garbage after expression ignored', 'pp-trailing');
                },
              }
            : {}),
        symbol: (name) => {
          if (this.mode !== 'assemble') return this.unsupported('symbol references', report);
          return assemblerValue(this.options.symbolValue?.(name), name);
        },
        position: (which) => {
          if (this.mode !== 'assemble') return this.unsupported(`\`${which}'`, report);
          const symbol = this.options.position?.(which);
          return symbol ? assemblerValue(symbol, which) : null;
        },
      });
      return value;
    } catch (e) {
      if (e instanceof ExprError) {
        if (report) this.error(e.message);
        if (report && e instanceof NonScalarThenNonConstantError) this.error(nonConstantMessage);
        return null;
      }
      if (e instanceof NonConstantError) {
        if (report) this.error(nonConstantMessage);
        return null;
      }
      throw e;
    }
  }

  /** nasm -E and -M know no symbols and no `$`: reported, then an unknown value (see UNKNOWN_ADDRESS). */
  private unsupported(what: string, report: boolean): Address {
    if (report) this.error(`${what} not supported in preprocess-only mode`);
    return UNKNOWN_ADDRESS;
  }

  /** Resolves `%$name` / `%$$name` to a key unique to its context, or null (with an error). */
  ctxKey(text: string): string | null {
    let depth = 0;
    let i = 1;
    while (text[i + 1] === '$') {
      depth++;
      i++;
    }
    const ctx = this.contexts[this.contexts.length - 1 - depth];
    if (!ctx) {
      const n = this.contexts.length;
      this.error(`\`${text}': context stack is ${n === 0 ? 'empty' : `only ${n} level${n === 1 ? '' : 's'} deep`}`);
      return null;
    }
    return `..@${ctx.number}.${text.slice(i + 1)}`;
  }
}

/** Directives whose expression nasm reads up to where it ends, warning about the rest. */
const TRAILING_WARNED: ReadonlySet<string> = new Set([
  'if',
  'ifn',
  'elif',
  'elifn',
  'assign',
  'iassign',
  'rep',
  'rotate',
]);

/** A number or an address for the evaluator, or the error nasm gives for the symbol. */
function assemblerValue(symbol: PreprocessorSymbol | undefined, name: string): bigint | Address {
  switch (symbol?.kind) {
    case 'constant':
      return symbol.value;
    case 'address':
      return { base: symbol.base, offset: symbol.offset };
    case 'undefined':
      throw new ExprError(`symbol \`${symbol.name}' not defined${symbol.later === true ? '' : ' before use'}`);
    default:
      throw new NonConstantError(name);
  }
}

/**
 * Values of expressions made only of numbers and operators, kept by their
 * tokens' spellings joined with spaces (white space left out, tokens kept
 * apart: `1` `2` is `1 2`, no `12`; neither kind of token holds a space): such
 * an expression means the same wherever it is (no symbols, no character
 * constants and their warnings). One map look-up of a short key: a tree with a
 * map per token cost a hash look-up per token, the hot spot of %assign and %if.
 */
class NumericValues {
  private readonly values = new Map<string, bigint>();

  /** The value kept for the expression, or undefined (none kept, or not made only of numbers and operators). */
  find(toks: readonly Tok[]): bigint | undefined {
    const key = numericKey(toks);
    return key === null ? undefined : this.values.get(key);
  }

  remember(toks: readonly Tok[], value: bigint): void {
    const key = numericKey(toks);
    if (key === null) return;
    // Bounded: a long file of distinct expressions must not keep them all.
    if (this.values.size >= 4096) this.values.clear();
    this.values.set(key, value);
  }
}

/** The expression's key in NumericValues, or null when it is not made only of numbers and operators. */
function numericKey(toks: readonly Tok[]): string | null {
  let key = '';
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k === K.WS) continue;
    if (!isNumericToken(t)) return null;
    key = key === '' ? t.s : key + ' ' + t.s;
  }
  return key;
}

/** `$` and `$$` are operator tokens but stand for positions, which move. */
function isNumericToken(t: Tok): boolean {
  return t.k === K.NUM || (t.k === K.OP && t.s[0] !== '$');
}
