import { WARNING_CLASSES, selectWarningClasses } from './warning-classes.js';

/** Where a diagnostic or a statement came from. `line` is 1-based as NASM prints it; 0 names the file only. */
export interface SourceLocation {
  file: string;
  line: number;
  /** The macro expansions this line came out of, innermost first (empty for plain source). */
  expansion?: readonly SourceLocation[];
  /** For a line made by macros: each macro (outermost first) and where it was defined. */
  macroTrail?: ReadonlyArray<{ macro: string; location: SourceLocation }>;
}

/** The line a location was written on: inside the innermost macro's body for a macro-made line (nasm's debug lines and "originally defined here" name it). */
export function innermostLocation(location: SourceLocation): SourceLocation {
  return location.macroTrail?.at(-1)?.location ?? location;
}

export type Severity = 'error' | 'warning' | 'fatal' | 'info';

export interface Diagnostic {
  severity: Severity;
  message: string;
  location: SourceLocation | null;
  /** NASM warning class, printed as ` [-w+name]` after warnings. */
  warningClass?: string | undefined;
  /**
   * Reported in nasm's final pass rather than where it was found (`%error`):
   * assembly goes on through every pass, and the message takes its place
   * among the final pass's messages.
   */
  deferred?: boolean;
  /** A warning turned into an error by `-w+error=class`: printed with ` [-w+error=class]`. */
  promotedWarning?: boolean;
  /**
   * Said by a later repetition of a TIMES line: a listing shows it after the line's last row
   * (the `<rep N>` one), where nasm's listing is when that copy is assembled.
   */
  laterRepetition?: boolean;
}

/** ` [-w+class]` after a warning, ` [-w+error=class]` after a promoted one, as nasm prints them. */
export function warningSuffix(d: Diagnostic): string {
  if (!d.warningClass) return '';
  if (d.severity === 'warning') return ` [-w+${d.warningClass}]`;
  return d.promotedWarning ? ` [-w+error=${d.warningClass}]` : '';
}

/** Formats a diagnostic the way NASM 2.16.01 prints it (`-X gnu`, the default, or `-X vc`). */
export function formatDiagnostic(d: Diagnostic, style: 'gnu' | 'vc' = 'gnu'): string {
  const where = d.location
    ? d.location.line === 0
      ? style === 'vc'
        ? `${d.location.file} : `
        : `${d.location.file}: `
      : style === 'vc'
        ? `${d.location.file}(${d.location.line}) : `
        : `${d.location.file}:${d.location.line}: `
    : 'nasm: ';
  const suffix = warningSuffix(d);
  // nasm follows an error inside a macro with the chain of macro definitions.
  const trail = (d.location?.macroTrail ?? []).map((t) =>
    style === 'vc'
      ? `\n${t.location.file}(${t.location.line}) : ... from macro \`${t.macro}' defined here`
      : `\n${t.location.file}:${t.location.line}: ... from macro \`${t.macro}' defined here`,
  );
  return `${where}${d.severity}: ${d.message}${suffix}${trail.join('')}`;
}

/** Thrown to abandon assembly at once (NASM's `fatal`); carries its diagnostic. */
export class FatalError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** How a warning class stands: silent, reported, or reported as an error (`-w+error=x`). */
export type WarningState = 'off' | 'on' | 'error';

const ENABLED = 1;
const AS_ERROR = 2;

function defaultStates(): Map<string, number> {
  const states = new Map<string, number>();
  for (const [cls, def] of Object.entries(WARNING_CLASSES))
    states.set(cls, def === 'off' ? 0 : def === 'error' ? ENABLED | AS_ERROR : ENABLED);
  return states;
}

/**
 * Which warning classes are on (and which are errors), changed by
 * `-w+x`/`-w-x`/`-Wno-x`/`-Werror=x` on the command line and `[warning ±x]`,
 * with nasm's rules: a name selects every class it is a dash-prefix of,
 * `*x` returns to the state after the command line, `all` and `error` /
 * `error=x` apply as in nasm's `set_warning_status`.
 */
export class WarningSwitches {
  private constructor(
    private readonly states: Map<string, number>,
    /** The state `*x` returns to: the command line's (nasm's state before the first pass). */
    private readonly initial: ReadonlyMap<string, number>,
  ) {}

  static defaults(): WarningSwitches {
    return new WarningSwitches(defaultStates(), defaultStates());
  }

  /**
   * Applies one switch (`+x`, `-x`, `*x`, `no-x`, `x`, `none`, `+error`,
   * `-error=x` …). Returns the name when it selected no class (nasm's
   * `unknown warning name`, for the caller to report), else null.
   */
  apply(word: string): string | null {
    let value = word.trimStart();
    let action: 'on' | 'off' | 'reset' = 'on';
    let all = false;
    if (value.startsWith('-')) [action, value] = ['off', value.slice(1)];
    else if (value.startsWith('+')) value = value.slice(1);
    else if (value.startsWith('*')) [action, value] = ['reset', value.slice(1)];
    else if (value.toLowerCase().startsWith('no-')) [action, value] = ['off', value.slice(3)];
    else if (value.toLowerCase() === 'none') [action, all] = ['off', true];
    let mask = ENABLED;
    if (!all && value.toLowerCase().startsWith('error')) {
      if (value[5] === '=') [mask, value] = [AS_ERROR, value.slice(6)];
      else if (value.length === 5) [mask, all] = [AS_ERROR, true];
    }
    const classes = all ? null : selectWarningClasses(value);
    const targets = classes ?? [...this.states.keys()];
    for (const cls of targets) {
      const state = this.states.get(cls) ?? 0;
      if (action === 'on') this.states.set(cls, state | mask);
      else if (action === 'off') this.states.set(cls, state & ~mask);
      else this.states.set(cls, (state & ~mask) | ((this.initial.get(cls) ?? 0) & mask));
    }
    return classes !== null && classes.length === 0 ? value : null;
  }

  state(warningClass: string): WarningState {
    const state = this.states.get(warningClass) ?? ENABLED;
    if (!(state & ENABLED)) return 'off';
    return state & AS_ERROR ? 'error' : 'on';
  }

  enabled(warningClass: string): boolean {
    return this.state(warningClass) !== 'off';
  }

  /** A copy (for `[warning push]`), with the same state for `*x` to return to. */
  copy(): WarningSwitches {
    return new WarningSwitches(new Map(this.states), this.initial);
  }

  /** A copy whose `*x` returns to this object's present state: the command line's, at the start of a pass. */
  snapshot(): WarningSwitches {
    return new WarningSwitches(new Map(this.states), new Map(this.states));
  }
}

/** What one `[warning …]` directive leaves: the switches in force after it and what to report. */
export interface WarningDirectiveOutcome {
  switches: WarningSwitches;
  /** The text as an unknown warning name (nasm's "unknown warning name: …"), or null. */
  unknown: string | null;
  /** `pop` found the stack empty (nasm's "warning stack empty"; the command line's state is back). */
  emptyPop: boolean;
}

/**
 * One `[warning …]` directive, read by the assembler for its own lines and by the preprocessor for
 * the class of its `%warning`s: `push` keeps a copy of `switches` on `stack`, `pop` takes it back
 * (an empty stack gives `commandLine`'s state), anything else is a switch. The whole text is one
 * name, words joined by one space: `[warning +user foo]` and `[warning ? pop]` change nothing and
 * are unknown names (measured: "unknown warning name: user foo" under -w+unknown-warning). As in
 * nasm, `push` and `pop` then go through the name lookup too, so they are unknown names as well.
 */
export function applyWarningDirective(
  words: readonly string[],
  switches: WarningSwitches,
  stack: WarningSwitches[],
  commandLine: WarningSwitches,
): WarningDirectiveOutcome {
  const text = words.filter((w) => w !== '').join(' ');
  if (text === '') return { switches, unknown: null, emptyPop: false };
  const lower = text.toLowerCase();
  let emptyPop = false;
  if (lower === 'push') stack.push(switches.copy());
  else if (lower === 'pop') {
    const top = stack.pop();
    emptyPop = top === undefined;
    switches = top ?? commandLine.snapshot();
  }
  return { switches, unknown: switches.apply(text), emptyPop };
}

/**
 * Messages nasm gives only in its final pass (`%error`, `%warning`, even when promoted to an
 * error): never printed when errors stop it earlier.
 */
export function isFinalPassOnly(d: Diagnostic): boolean {
  return d.deferred === true || d.warningClass === 'user';
}

/** Collects diagnostics for one run; stages report through it instead of printing. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  errorCount = 0;
  /** The command line's warning switches; warnings of a class switched off are dropped. */
  readonly warningSwitches = WarningSwitches.defaults();

  report(d: Diagnostic): void {
    if (d.severity === 'warning' && d.warningClass !== undefined) {
      const state = this.warningSwitches.state(d.warningClass);
      if (state === 'off') return;
      if (state === 'error') d = { ...d, severity: 'error', promotedWarning: true };
    }
    this.record(d);
  }

  /**
   * A warning whose class the caller has already checked against its own
   * switches (the assembler's `[warning]` state); `asError` when those
   * switches promote it (`[warning +error=x]`). Returns the record (a caller may withdraw it).
   */
  warningChecked(message: string, location: SourceLocation | null, warningClass: string, asError = false): Diagnostic {
    const d: Diagnostic = asError
      ? { severity: 'error', message, location, warningClass, promotedWarning: true }
      : { severity: 'warning', message, location, warningClass };
    this.record(d);
    return d;
  }

  /** Takes back messages recorded earlier (warnings only shown when their pass fails). */
  withdraw(records: readonly Diagnostic[]): void {
    const gone = new Set(records);
    const kept = this.list.filter((d) => !gone.has(d));
    this.list.splice(0, this.list.length, ...kept);
    this.recountErrors();
  }

  /** Counts the errors again after the caller edited `list` (a re-read pass keeps or drops its messages). */
  recountErrors(): void {
    this.errorCount = this.list.filter((d) => d.severity === 'error' || d.severity === 'fatal').length;
  }

  private record(d: Diagnostic): void {
    if (d.severity === 'error' || d.severity === 'fatal') this.errorCount++;
    this.list.push(d);
  }
  error(message: string, location: SourceLocation | null): void {
    this.report({ severity: 'error', message, location });
  }
  warning(message: string, location: SourceLocation | null, warningClass?: string): void {
    this.report({ severity: 'warning', message, location, warningClass });
  }
  fatal(message: string, location: SourceLocation | null): never {
    const d: Diagnostic = { severity: 'fatal', message, location };
    this.report(d);
    throw new FatalError(d);
  }
}
