/** Where a diagnostic or a statement came from. `line` is 1-based as NASM prints it; 0 names the file only. */
export interface SourceLocation {
  file: string;
  line: number;
  /** The macro expansions this line came out of, innermost first (empty for plain source). */
  expansion?: readonly SourceLocation[];
  /** For a line made by macros: each macro (outermost first) and where it was defined. */
  macroTrail?: ReadonlyArray<{ macro: string; location: SourceLocation }>;
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
}

/** Formats a diagnostic the way NASM 2.16.01 prints it (`-X gnu`, the default, or `-X vc`). */
export function formatDiagnostic(d: Diagnostic, style: 'gnu' | 'vc' = 'gnu'): string {
  const where = d.location
    ? d.location.line === 0
      ? `${d.location.file}: `
      : style === 'vc'
        ? `${d.location.file}(${d.location.line}) : `
        : `${d.location.file}:${d.location.line}: `
    : 'nasm: ';
  const suffix = d.severity === 'warning' && d.warningClass ? ` [-w+${d.warningClass}]` : '';
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

/** Collects diagnostics for one run; stages report through it instead of printing. */
/**
 * Which warning classes are on: a setting for `all` plus per-class overrides,
 * changed by `-w+x`/`-w-x`/`-Wno-x` on the command line and `[warning ±x]`.
 */
export class WarningSwitches {
  constructor(
    private all = true,
    private readonly overrides = new Map<string, boolean>(),
  ) {}

  /** `+x` on, `-x` off, `*x` back to the default (on); `x` may be `all`. */
  apply(word: string): void {
    const name = word.slice(1).toLowerCase();
    const on = !word.startsWith('-');
    if (name === 'all') {
      this.all = on;
      this.overrides.clear();
    } else {
      this.overrides.set(name, on);
    }
  }

  enabled(warningClass: string): boolean {
    return this.overrides.get(warningClass) ?? this.all;
  }

  copy(): WarningSwitches {
    return new WarningSwitches(this.all, new Map(this.overrides));
  }
}

export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  errorCount = 0;
  /** The command line's warning switches; warnings of a class switched off are dropped. */
  readonly warningSwitches = new WarningSwitches();

  report(d: Diagnostic): void {
    if (d.severity === 'warning' && d.warningClass !== undefined && !this.warningSwitches.enabled(d.warningClass))
      return;
    this.record(d);
  }

  /** A warning whose class the caller has already checked against its own switches (the assembler's `[warning]` state). */
  warningChecked(message: string, location: SourceLocation | null, warningClass: string): void {
    this.record({ severity: 'warning', message, location, warningClass });
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
