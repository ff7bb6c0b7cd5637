/**
 * Reading the source again in every pass, as nasm does. nasm runs its preprocessor inside each
 * assembly pass, so `%if`, `%assign`, `%rep` … that name an assembler symbol (or `$`) see the
 * value that symbol has at that point of the pass: defined earlier in this pass, or the previous
 * pass's value for a later one; an EQU of a forward reference is 0 in pass 1. tsnasm reads the
 * source once ahead of the passes; the pipeline switches to this source only when that reading
 * asked about an assembler symbol, so an ordinary file pays nothing.
 *
 * Diagnostics follow nasm's rules (measured with nasm 2.16.01): what reading a pass says is
 * printed when that pass is the final one, or when the pass had errors (after which nasm stops);
 * `%error` and `%warning` only ever speak in the final pass.
 */
import type { Diagnostic, DiagnosticSink } from '../core/diagnostics.js';
import { FatalError, isFinalPassOnly } from '../core/diagnostics.js';
import type { FloatMode } from '../core/float.js';
import type { Statement } from '../parse/ast.js';
import { StatementBuilder } from '../parse/statement.js';
import { preprocess, type PreprocessOptions, type SourceLineEvent } from '../preprocess/index.js';
import type { PreprocessorSymbol } from '../preprocess/types.js';

/** What the preprocessor may ask the assembler in the middle of a pass. */
export interface LiveSymbols {
  symbolValue(name: string): PreprocessorSymbol;
  position(which: '$' | '$$'): PreprocessorSymbol;
  /** The BITS mode in force (for `__?BITS?__`). */
  bits(): number;
  /** The `[float]` mode in force (for the float functions): it carries over from one pass to the next. */
  floatMode(): FloatMode;
}

/** Statements read anew for each pass (AssemblerOptions.statementSource). */
export interface StatementSource {
  /** The statements of one pass, lazily: the assembler runs each one before asking for the next. */
  read(pass: number, finalPass: boolean, symbols: LiveSymbols): Iterable<Statement>;
  /** After a pass: true when reading it found errors (nasm stops after such a pass). */
  endPass(): boolean;
}

/** A line read in the last pass, with where its statements and diagnostics start (as the pipeline keeps them). */
export interface RereadLine extends SourceLineEvent {
  firstStatement: number;
  firstDiagnostic: number;
}

/**
 * A line read, with where its statements and diagnostics begin. Field by field, not `...event`:
 * one record per line read, and a spread into a literal with more fields takes V8's slow copying
 * path (measured in the test corpora: 12% of the through-assembler test).
 */
export function lineRecord(event: SourceLineEvent, firstStatement: number, firstDiagnostic: number): RereadLine {
  return {
    text: event.text,
    file: event.file,
    line: event.line,
    level: event.level,
    kind: event.kind,
    listed: event.listed,
    firstStatement,
    firstDiagnostic,
  };
}

export type RereadPreprocessOptions = Omit<
  PreprocessOptions,
  'diagnostics' | 'symbolValue' | 'position' | 'pass' | 'bits' | 'floatMode' | 'onSourceLine'
>;

const isError = (d: Diagnostic): boolean => (d.severity === 'error' || d.severity === 'fatal') && d.deferred !== true;

export class RereadingSource implements StatementSource {
  /** The statements, read lines and per-statement diagnostic counts of the last pass read. */
  statements: Statement[] = [];
  lines: RereadLine[] = [];
  /** Per statement, where its reading diagnostics begin (the parser's part) and end in the final list. */
  diagnosticsBeforeParse: number[] = [];
  diagnosticsAfterStatement: number[] = [];
  /** Diagnostics before any reading (the command line's): they stay first. */
  private readonly before: number;
  /** This pass's reading diagnostics, each with the statement being read when it came. */
  private pending: Array<{ d: Diagnostic; statement: number; fromParser: boolean }> = [];
  private finalPass = false;
  private errorsAtStart = 0;
  private settled = true;
  /** The last non-local label the previous reading ended on (nasm's `.local` base at a pass's start). */
  private lastLabelBase = '';

  constructor(
    private readonly text: string,
    private readonly options: RereadPreprocessOptions,
    private readonly diagnostics: DiagnosticSink,
    /** Statements ahead of the source (the `bits` option's). */
    private readonly leading: Statement[],
    private readonly recordLines: boolean,
  ) {
    this.before = diagnostics.list.length;
  }

  *read(pass: number, finalPass: boolean, symbols: LiveSymbols): Generator<Statement> {
    this.finalPass = finalPass;
    this.pending = [];
    this.settled = false;
    this.errorsAtStart = this.diagnostics.errorCount;
    const statements: Statement[] = (this.statements = []);
    const lines: RereadLine[] = (this.lines = []);
    const sink = this.diagnostics;
    const builder = new StatementBuilder(sink);
    // nasm keeps the last non-local label across passes: `.x` before any label hangs from it.
    builder.scope.base = this.lastLabelBase;
    const scope = new LocalBase();
    let lineIndex = 0;
    let mark = sink.list.length;
    /** Moves what reading said since `mark` to `pending`. */
    const collect = (fromParser = false): void => {
      for (let i = mark; i < sink.list.length; i++)
        this.pending.push({ d: sink.list[i]!, statement: statements.length, fromParser });
      mark = sink.list.length;
    };
    const reader = preprocess(this.text, {
      ...this.options,
      diagnostics: sink,
      bits: () => symbols.bits(),
      floatMode: () => symbols.floatMode(),
      pass: () => (finalPass ? 2 : 1),
      symbolValue: (name) => symbols.symbolValue(scope.qualify(name)),
      position: (which) => symbols.position(which),
      ...(this.recordLines
        ? {
            onSourceLine: (event: SourceLineEvent) => {
              collect();
              lines.push(lineRecord(event, statements.length, this.pending.length));
            },
          }
        : {}),
    });
    try {
      for (const statement of this.leading) {
        statements.push(statement);
        yield statement;
      }
      for (;;) {
        mark = sink.list.length;
        const next = reader.next();
        collect();
        if (next.done === true) break;
        const statement = builder.build(next.value, lineIndex++);
        collect(true);
        scope.note(statement);
        statements.push(statement);
        this.lastLabelBase = builder.scope.base;
        yield statement;
      }
    } catch (e) {
      if (e instanceof FatalError) {
        collect();
        this.settle(true);
      }
      throw e;
    }
  }

  endPass(): boolean {
    return this.settle(false);
  }

  /**
   * Puts the diagnostics of the pass's reading where nasm has them: ahead of the assembler's
   * (the list order the listing and nasm's message order rely on), or drops them when nasm
   * printed none. Returns whether reading found errors.
   */
  private settle(fatal: boolean): boolean {
    if (this.settled) return false;
    this.settled = true;
    const sink = this.diagnostics;
    const reading = new Set(this.pending.map((p) => p.d));
    const readErrors = fatal || this.pending.some((p) => isError(p.d));
    const passFailed = readErrors || sink.errorCount > this.errorsAtStart;
    const kept = this.finalPass ? this.pending : passFailed ? this.pending.filter((p) => !isFinalPassOnly(p.d)) : [];
    const assembled = sink.list.slice(this.before).filter((d) => !reading.has(d));
    // No spread: a big file can say more than a call takes arguments.
    sink.list.length = this.before;
    for (const p of kept) sink.list.push(p.d);
    for (const d of assembled) sink.list.push(d);
    sink.recountErrors();
    // Where each statement's reading diagnostics end, and where each line's begin, in the final list.
    const beforeParse: number[] = [];
    const after: number[] = [];
    let k = 0;
    for (let s = 0; s < this.statements.length; s++) {
      while (k < kept.length && (kept[k]!.statement < s || (kept[k]!.statement === s && !kept[k]!.fromParser))) k++;
      beforeParse.push(this.before + k);
      while (k < kept.length && kept[k]!.statement <= s) k++;
      after.push(this.before + k);
    }
    this.diagnosticsBeforeParse = beforeParse;
    this.diagnosticsAfterStatement = after;
    const keptBefore = countKeptBefore(this.pending, new Set(kept));
    for (const line of this.lines) line.firstDiagnostic = this.before + keptBefore[line.firstDiagnostic]!;
    return readErrors;
  }
}

/** For each count n of pending diagnostics, how many of the first n were kept. */
function countKeptBefore<T>(pending: readonly T[], kept: ReadonlySet<T>): number[] {
  const counts = [0];
  for (const p of pending) counts.push(counts[counts.length - 1]! + (kept.has(p) ? 1 : 0));
  return counts;
}

/** The base label a preprocessor's `.local` name hangs from (the statements' labels arrive qualified). */
class LocalBase {
  private base = '';

  note(statement: Statement): void {
    const label = statement.label;
    if (label !== null && !label.startsWith('..@') && !label.startsWith(`${this.base}.`)) this.base = label;
  }

  qualify(name: string): string {
    return name.startsWith('.') && !name.startsWith('..') ? this.base + name : name;
  }
}
