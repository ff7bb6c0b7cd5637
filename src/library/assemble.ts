/**
 * The assembler pipeline behind the library: one call from source text to
 * output bytes, with every intermediate form kept for the listings and the
 * teaching views (src/listing). The CLI and the tests use it directly; library
 * users get the simpler `assemble` of src/index.ts, built on this one.
 * Everything here runs without Node's file system: file access (for %include
 * and incbin) is injected through `readFile`, so the same core runs in a browser.
 *
 * The pipeline, one stage per module:
 *   source → preprocess (src/preprocess) → statements (src/parse, grammar/)
 *   → passes and layout (src/asm/assembler.ts, calling src/encoder)
 *   → object model (src/asm/object.ts) → writer (src/output).
 */
import { DEFAULT_FLOAT_MODE } from '../core/float.js';
import { latin1 } from '../core/latin1.js';
import {
  DiagnosticSink,
  FatalError,
  innermostLocation,
  isFinalPassOnly,
  type Diagnostic,
} from '../core/diagnostics.js';
import { preprocess, type SourceLineEvent } from '../preprocess/index.js';
import { StatementBuilder } from '../parse/statement.js';
import { requalifyLeadingLocals, type LeadingLine } from '../parse/leading-locals.js';
import type { Statement, StatementBody } from '../parse/ast.js';
import {
  Assembler,
  type AssemblerOptions,
  type EmissionRecord,
  type PassReport,
  type PassSnapshot,
} from '../asm/assembler.js';
import type { DebugInfo, DebugLineRecord, ObjectFile } from '../asm/object.js';
import type { NameAffixes } from '../asm/name-mangling.js';
import { PassOneSymbols } from '../asm/pass-one-symbols.js';
import { NON_CONSTANT_TIMES } from '../asm/context.js';
import { lineRecord, RereadingSource, type RereadPreprocessOptions } from '../asm/reread.js';
import { lookupRegister } from '../encoder/registers.js';
import { isInstructionPrefix } from '../encoder/index.js';
import { OutputWriteError, defaultBits, type OutputFormatName, type OutputWriter } from '../asm/writer.js';
import { elf32Writer } from '../output/elf32.js';
import { binWriter } from '../output/bin.js';
import { renderBinMap } from '../output/bin-map.js';
import { elf64Writer, elfx32Writer } from '../output/elf64.js';

export type { Diagnostic } from '../core/diagnostics.js';
export { formatDiagnostic } from '../core/diagnostics.js';
export type { ObjectFile } from '../asm/object.js';
export type { EmissionRecord, PassReport, PassSnapshot } from '../asm/assembler.js';

export type OutputFormat = OutputFormatName;

/** One writer per `-f` format. */
const WRITERS: Readonly<Record<OutputFormat, OutputWriter>> = {
  bin: binWriter,
  elf32: elf32Writer,
  elf64: elf64Writer,
  elfx32: elfx32Writer,
};

export interface AssembleOptions {
  /** The input path as typed by the user: it appears in diagnostics and in the ELF FILE symbol. */
  fileName: string;
  format: OutputFormat;
  /** -O0, -O1 or -Ox (2, the default). */
  optimize?: 0 | 1 | 2;
  /** -I paths, searched after the current directory. */
  includePaths?: string[];
  /** -D / -U style predefinitions, in command-line order. */
  predefines?: Array<{ name: string; value?: string | undefined; undefine?: boolean }>;
  /** Reads a file for %include / incbin; returns null when it does not exist. */
  readFile?: (path: string) => Uint8Array | null;
  /**
   * Keep where every statement and label was after each pass (stages.passLog),
   * for `--dump=passes` and `-Lp` listings. After preprocessor errors, pass 1
   * still runs (as in nasm) just to record it.
   */
  recordPasses?: boolean;
  /**
   * Settle jump sizes on the flat layout model once NASM's passes have begun
   * (src/asm/relax.ts): same bytes, far fewer full passes. On by default; off
   * when `recordPasses` is set, so the pass log shows every pass NASM runs.
   */
  layoutModel?: boolean;
  /**
   * Keep, per statement, what the final pass emitted and which source line it
   * came from (stages.emissions, stages.sourceLines), for `-l`, `--explain`
   * and `--dump`. On by default; the CLI turns it off when it shows none of
   * them, which saves about a third of the memory on big files.
   */
  teachingRecords?: boolean;
  /** Command-line warning switches in nasm's order: `+name` enables, `-name` disables (`all` for every class). */
  warnings?: string[];
  /** `-a`: no preprocessing (directive lines are dropped, macros not expanded; `%line` still counts). */
  noPreprocess?: boolean;
  /**
   * The mode code starts in (nasm: 16 for bin, 32 for elf32, 64 for elf64). A different value acts
   * as a `bits N` directive ahead of the first line, without adding a line to the source.
   */
  bits?: 16 | 32 | 64;
  /** Largest output in bytes (a section's contents, a `-f bin` file); default 1 GiB (OUTPUT_LIMIT in src/asm/context.ts). */
  outputLimit?: number;
  /** The output file's name as the user gave it (bin's `[map]` file prints it; default: the input name without extension). */
  outputFileName?: string;
  /**
   * `-g` (`-F dwarf`), ELF only: write nasm's DWARF sections (src/output/dwarf.ts). `compDir` is
   * DW_AT_comp_dir: nasm writes the real path of the source's folder, with a `/` after it.
   * Needs the final pass's emission records, which are then kept whatever `teachingRecords` says.
   */
  debugInfo?: { format: 'dwarf'; compDir: string };
  /** `--gprefix`/`--prefix`, `--gpostfix`/`--postfix`, `--lprefix`, `--lpostfix`: symbol name affixes. */
  nameAffixes?: NameAffixes;
}

export interface AssembleResult {
  /** The output file's bytes, or null when there were errors (NASM writes no file then). */
  output: Uint8Array | null;
  diagnostics: Diagnostic[];
  /**
   * `diagnostics` indices in the order nasm prints them. nasm preprocesses and
   * assembles pass 1 line by line, so a preprocessor warning about line 4
   * comes after a pass-1 error on line 1; tsnasm preprocesses first, so
   * `diagnostics` is in production order (which the listing relies on).
   * Messages nasm never prints (its final pass's, when errors stop it after
   * pass 1) are left out.
   */
  reportOrder?: number[];
  errorCount: number;
  /** bin's `[map …]`: the map text and where it goes (file as written in the directive; null: standard output). */
  map?: { file: string | null; text: string };
  /** The intermediate forms, for the teaching views and tests. */
  stages?: {
    statements: Statement[];
    object: ObjectFile | null;
    passes: PassReport | null;
    emissions: EmissionRecord[];
    /** Every line the preprocessor read, in order, with the statements and diagnostics it led to (for `-l`). */
    sourceLines?: SourceLineRecord[];
    /** With `recordPasses`: one snapshot per pass run. */
    passLog?: PassSnapshot[];
  };
}

/** A line read by the preprocessor; statements [firstStatement, next line's) and diagnostics likewise came from it. */
export interface SourceLineRecord extends SourceLineEvent {
  firstStatement: number;
  firstDiagnostic: number;
}

const noFiles = (): Uint8Array | null => null;

/** The `bits N` statement that the `bits` option stands for (no source line: listings skip it). */
function initialBits(bits: 16 | 32 | 64, file: string): Statement {
  return {
    label: null,
    body: { kind: 'directive', name: 'bits', args: String(bits), arguments: { kind: 'bits', bits } },
    location: { file, line: 0 },
    lineIndex: -1,
  };
}

/** An INCBIN file, read as named. */
function readBinaryFile(name: string, options: AssembleOptions): Uint8Array | null {
  // No include-path search here: nasm's standard `incbin` macro did it (%pathsearch), and a line
  // the macro does not see (`times 2 incbin "f"`) reads the name as written.
  return (options.readFile ?? noFiles)(name);
}

/** The BITS mode after a statement: `bits N` / `use16` / `use32` change it. */
function bitsAfter(statement: Statement, bits: number): number {
  const body = statement.body;
  if (body.kind !== 'directive' || body.arguments.kind !== 'bits') return bits;
  return body.arguments.bits ?? bits;
}

/** Where each statement's messages were produced while reading (see reportOrder). */
interface ReadMarks {
  /** How many diagnostics existed when the parser began statement k (the preprocessor's for it are before). */
  beforeParse: number[];
  /** How many once statement k was built. */
  afterStatement: number[];
  /**
   * How many once reading ended: the preprocessor's last messages (an unterminated `%rep` at the
   * end of the file, a `%fatal`) come after the last statement. Unset when every pass reads again.
   */
  readEnd?: number;
}

/**
 * Which part of a line a message belongs to, in nasm's order for one line: the preprocessor's,
 * the label's (nasm's parser defines the label as soon as it has read it, after warning about a
 * label alone on its line), the TIMES count's (evaluated as soon as it is read: `times fwd x`
 * says "non-constant argument" before "instruction expected"), the parser's (scanner warnings
 * and syntax errors), the instruction's.
 */
const FROM_PREPROCESSOR = 0;
const FROM_LABEL = 1;
const FROM_TIMES_COUNT = 2;
const FROM_PARSER = 3;
const FROM_ASSEMBLY = 4;

/** The assembler's messages about defining a line's label: nasm's parser gives them while reading the line. */
function labelDiagnostics(
  list: readonly Diagnostic[],
  statementOf: ReadonlyMap<Diagnostic, number>,
  labelWords: ReadonlySet<Diagnostic>,
): Set<Diagnostic> {
  const found = new Set<Diagnostic>();
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    if (labelWords.has(d) && statementOf.has(d)) found.add(d);
    if (d.severity !== 'error' || !statementOf.has(d) || !/^label `.*' inconsistently redefined$/.test(d.message))
      continue;
    found.add(d);
    const note = list[i + 1];
    if (note?.severity === 'info' && note.message.endsWith("' originally defined here")) found.add(note);
  }
  return found;
}

/**
 * Orders diagnostics as nasm prints them: by statement. nasm reads and
 * assembles line by line in every pass and prints its warnings (and deferred
 * errors such as `%error`) in the pass that turns out to be the last: the final
 * pass, or an earlier one when errors stop assembly there (pass 1's errors, or a
 * later pass's such as `inconsistently redefined`), and then the final pass's own
 * messages, `%error` and `%warning`, never come. Within a line, see
 * FROM_PREPROCESSOR…FROM_ASSEMBLY. Messages without a statement (the writers') come last.
 */
function reportOrder(
  list: readonly Diagnostic[],
  marks: ReadMarks,
  pass1StatementOf: ReadonlyMap<Diagnostic, number>,
  finalStatementOf: ReadonlyMap<Diagnostic, number>,
  stoppedBeforeFinalPass: boolean,
  labelWords: ReadonlySet<Diagnostic>,
): number[] {
  const { beforeParse, afterStatement } = marks;
  const readCount =
    marks.readEnd ?? (afterStatement.length > 0 ? afterStatement[afterStatement.length - 1]! : list.length);
  const stoppedEarly =
    stoppedBeforeFinalPass ||
    list.some(
      (d, index) =>
        (d.severity === 'error' || d.severity === 'fatal') &&
        !d.deferred &&
        (index < readCount || pass1StatementOf.has(d)),
    );
  const ofLabel = labelDiagnostics(list, pass1StatementOf, labelWords);
  let statement = 0;
  const keys: Array<{ index: number; statement: number; part: number }> = [];
  for (let index = 0; index < list.length; index++) {
    const d = list[index]!;
    if (stoppedEarly && isFinalPassOnly(d)) continue;
    if (index < readCount) {
      while (statement < afterStatement.length && afterStatement[statement]! <= index) statement++;
      const part = index < (beforeParse[statement] ?? readCount) ? FROM_PREPROCESSOR : FROM_PARSER;
      keys.push({ index, statement, part });
      continue;
    }
    const assembled = pass1StatementOf.get(d) ?? finalStatementOf.get(d);
    const part = ofLabel.has(d) ? FROM_LABEL : FROM_ASSEMBLY;
    keys.push({ index, statement: assembled ?? Number.POSITIVE_INFINITY, part });
  }
  moveTimesCountMessages(list, keys);
  keys.sort((a, b) => a.statement - b.statement || a.part - b.part || a.index - b.index);
  return keys.map((k) => k.index);
}

/**
 * The assembler's messages about a statement up to its "non-constant argument supplied to TIMES"
 * are the count's (`times ebx<<1 nop`: the shift's error, then that), which nasm gives as it reads
 * the count, before the parser's messages about the rest of the line.
 */
function moveTimesCountMessages(
  list: readonly Diagnostic[],
  keys: Array<{ index: number; statement: number; part: number }>,
): void {
  const lastCountMessage = new Map<number, number>();
  for (const key of keys)
    if (key.part === FROM_ASSEMBLY && list[key.index]!.message === NON_CONSTANT_TIMES)
      lastCountMessage.set(key.statement, key.index);
  if (lastCountMessage.size === 0) return;
  for (const key of keys) {
    const last = lastCountMessage.get(key.statement);
    if (key.part === FROM_ASSEMBLY && last !== undefined && key.index <= last) key.part = FROM_TIMES_COUNT;
  }
}

export function assemble(source: string | Uint8Array, options: AssembleOptions): AssembleResult {
  const diagnostics = new DiagnosticSink();
  for (const w of options.warnings ?? []) {
    const unknown = diagnostics.warningSwitches.apply(w);
    if (unknown !== null) diagnostics.warning(`unknown warning name: ${unknown}`, null, 'unknown-warning');
  }
  const text = typeof source === 'string' ? source : latin1(source);
  const statements: Statement[] = [];
  let object: ObjectFile | null = null;
  let passes: PassReport | null = null;
  let emissions: EmissionRecord[] = [];
  let output: Uint8Array | null = null;
  let map: AssembleResult['map'];
  const sourceLines: SourceLineRecord[] = [];
  const passLog: PassSnapshot[] = [];
  const onPass = options.recordPasses ? { onPass: (snapshot: PassSnapshot) => passLog.push(snapshot) } : {};
  // For nasm's message order (see reportOrder): how many diagnostics existed around each statement's reading.
  const readMarks: ReadMarks = { beforeParse: [], afterStatement: [] };
  let pass1StatementOf = new Map<Diagnostic, number>();
  /** Assembly ran and stopped before its final pass (so the final pass's own messages never come). */
  let stoppedBeforeFinalPass = false;
  let labelWords: ReadonlySet<Diagnostic> = new Set();
  let finalStatementOf = new Map<Diagnostic, number>();
  try {
    const passOneSymbols = new PassOneSymbols();
    const constantOf = (name: string): bigint | null => {
      const known = passOneSymbols.valueOf(name);
      return known.kind === 'constant' ? known.value : null;
    };
    const builder = new StatementBuilder(diagnostics, constantOf);
    let index = 0;
    const linesBeforeFirstLabel: LeadingLine[] = [];
    // __?BITS?__ is the assembler's current mode when the line is preprocessed (nasm interleaves the
    // two); the generator is lazy, so the mode set by the statements built so far is the one to give.
    let bits: number = options.bits ?? defaultBits(options.format);
    if (bits !== defaultBits(options.format)) {
      statements.push(initialBits(options.bits ?? 32, options.fileName));
      readMarks.beforeParse.push(0);
      readMarks.afterStatement.push(0);
    }
    const readingOptions: RereadPreprocessOptions = {
      fileName: options.fileName,
      includePaths: options.includePaths ?? [],
      predefines: options.predefines ?? [],
      readFile: options.readFile ?? noFiles,
      outputFormat: options.format,
      noDirectives: options.noPreprocess === true,
    };
    const diagnosticsBeforeReading = diagnostics.list.length;
    // Whether the preprocessor asked about an assembler symbol or `$`: nasm answers those inside
    // each pass, so the source is then read again in every pass (src/asm/reread.ts).
    const asked = { assembler: false, floatMode: false };
    let floatDirectives = false;
    try {
      for (const line of preprocess(text, {
        ...readingOptions,
        diagnostics,
        bits: () => bits,
        // The float functions follow `[float]`, whose mode carries over from one pass to the next.
        floatMode: () => {
          asked.floatMode = true;
          return DEFAULT_FLOAT_MODE;
        },
        symbolValue: (name) => {
          if (!lookupRegister(name.toLowerCase())) asked.assembler = true;
          return passOneSymbols.valueOf(name);
        },
        position: () => {
          asked.assembler = true;
          return null;
        },
        ...(options.teachingRecords === false
          ? {}
          : {
              onSourceLine: (event: SourceLineEvent) =>
                sourceLines.push(lineRecord(event, statements.length, diagnostics.list.length)),
            }),
      })) {
        readMarks.beforeParse.push(diagnostics.list.length);
        if (builder.scope.base === '') linesBeforeFirstLabel.push({ line, at: statements.length, index });
        const statement = builder.build(line, index++);
        statements.push(statement);
        passOneSymbols.add(statement);
        readMarks.afterStatement.push(diagnostics.list.length);
        bits = bitsAfter(statement, bits);
        if (statement.body.kind === 'directive' && statement.body.name === 'float') floatDirectives = true;
      }
    } finally {
      readMarks.readEnd = diagnostics.list.length;
    }
    // A float function read with a `[float]` in the file: the assembler's mode is the one to use.
    if (asked.floatMode && floatDirectives) asked.assembler = true;
    const passOneStatements = requalifyLeadingLocals(statements, linesBeforeFirstLabel, builder.scope, constantOf);
    // Errors found while reading stop assembly after pass 1, which nasm (reading and assembling
    // line by line) still completes, reporting its own pass-1 errors; `%error` stops nothing.
    const readErrors = diagnostics.list.some((d) => (d.severity === 'error' || d.severity === 'fatal') && !d.deferred);

    if (asked.assembler) {
      // Forget this reading (and what it said): every pass reads the source again.
      diagnostics.list.length = diagnosticsBeforeReading;
      delete readMarks.readEnd;
      diagnostics.recountErrors();
      const leading = statements.slice(0, statements.length > 0 && statements[0]!.lineIndex < 0 ? 1 : 0);
      const source = new RereadingSource(text, readingOptions, diagnostics, leading, options.teachingRecords !== false);
      const assembler = new Assembler(
        [],
        assemblerOptions(options, { layoutModel: false, statementSource: source }, onPass),
        diagnostics,
      );
      try {
        const result = assembler.run();
        object = result.object;
        passes = result.report;
      } finally {
        // The last pass's reading is the one kept (its statements, lines and messages).
        replaceContents(statements, source.statements);
        replaceContents(sourceLines, source.lines);
        replaceContents(readMarks.beforeParse, source.diagnosticsBeforeParse);
        replaceContents(readMarks.afterStatement, source.diagnosticsAfterStatement);
        pass1StatementOf = assembler.pass1StatementOfDiagnostic;
        finalStatementOf = assembler.finalStatementOfDiagnostic;
        emissions = assembler.emissions;
        stoppedBeforeFinalPass = !assembler.reachedFinalPass;
        labelWords = assembler.labelWordDiagnostics;
      }
    } else {
      const layoutModel = options.layoutModel ?? !options.recordPasses;
      const assembler = new Assembler(
        statements,
        assemblerOptions(options, { layoutModel, passOneOnly: readErrors, passOneStatements }, onPass),
        diagnostics,
      );
      const result = assembler.run();
      stoppedBeforeFinalPass = !assembler.reachedFinalPass;
      labelWords = assembler.labelWordDiagnostics;
      pass1StatementOf = assembler.pass1StatementOfDiagnostic;
      finalStatementOf = assembler.finalStatementOfDiagnostic;
      emissions = assembler.emissions;
      object = result.object;
      passes = result.report;
    }
    if (object && diagnostics.errorCount === 0) {
      if (options.debugInfo && options.format !== 'bin') {
        const typed = debugSymbolTypes(object, statements, emissions);
        object = { ...typed, debug: debugInfo(object, emissions, options.debugInfo.compDir) };
      }
      output = WRITERS[options.format].write(object);
      if (object.map && options.format === 'bin') {
        const outputName = options.outputFileName ?? options.fileName.replace(/\.[^./]*$/, '');
        map = { file: object.map.file, text: renderBinMap(object, object.map, outputName) };
      }
    }
  } catch (e) {
    if (e instanceof OutputWriteError && e.wholeFile) {
      for (const message of e.errorsBefore)
        diagnostics.report({ severity: 'error', message, location: { file: options.fileName, line: 0 } });
      diagnostics.report({ severity: 'fatal', message: e.message, location: { file: options.fileName, line: 0 } });
    } else if (e instanceof OutputWriteError) {
      diagnostics.error(e.message, null);
    } else if (!(e instanceof FatalError)) {
      throw e;
    }
  }
  if (diagnostics.errorCount > 0) output = null;
  // Preprocessor errors (even fatal ones) stop us before the assembler; nasm, which assembles
  // each line as it is preprocessed, had already run pass 1 over the lines before.
  if (options.recordPasses && passLog.length === 0) recordFirstPass(statements, options, passLog);
  const order = reportOrder(
    diagnostics.list,
    readMarks,
    pass1StatementOf,
    finalStatementOf,
    stoppedBeforeFinalPass,
    labelWords,
  );
  return {
    output,
    diagnostics: diagnostics.list,
    reportOrder: order,
    ...(map !== undefined && output !== null ? { map } : {}),
    errorCount: diagnostics.errorCount,
    stages: { statements, object, passes, emissions, sourceLines, ...(options.recordPasses ? { passLog } : {}) },
  };
}

/**
 * The debug line records of the final pass's emissions: each statement that put bytes or reserved
 * space into a section, at the line nasm names for it (a macro's innermost body line, as its
 * messages do).
 */
function debugInfo(object: ObjectFile, emissions: readonly EmissionRecord[], compDir: string): DebugInfo {
  const sectionIndex = new Map(object.sections.map((s, i) => [s.name, i]));
  const lines: DebugLineRecord[] = [];
  for (const e of emissions) {
    if (e.bytes.length === 0 && e.reserved === 0) continue;
    // Space reserved in `absolute` (a `struc`'s resq) names its file too (measured).
    const section = e.section === null ? null : (sectionIndex.get(e.section) ?? null);
    const where = innermostLocation(e.location);
    lines.push({ section, offset: e.offset, length: e.bytes.length, file: where.file, line: where.line });
  }
  return { format: 'dwarf', compDir, lines };
}

/**
 * The element size nasm's debug output gives a label from the first data line after it (measured,
 * nasm 2.16.01 -g): db 1, dw 2, dd 4, dq 8, dt 10, and `do` 32, `dy` 64 (sic), `dz` nothing;
 * resb … resz their own sizes.
 */
const DATA_SYMBOL_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 2, 4: 4, 8: 8, 10: 10, 16: 32, 32: 64 };

/**
 * Whether a smartalign fill types the label before it as nasm's does: its NOPs are `db` lines
 * there, but its jump over plain `nop`s (a pad above the threshold) and an empty pad type nothing.
 */
function smartalignTypes(body: StatementBody, bytes: Uint8Array): boolean {
  const JMP_SHORT = 0xeb;
  const JMP_NEAR = 0xe9;
  return body.kind === 'smartalign' && bytes.length > 0 && bytes[0] !== JMP_SHORT && bytes[0] !== JMP_NEAR;
}

/** A prefix on a line of its own (`rep`, `lock`, `o16`): nasm writes it as a byte of data, typed 1 (measured). */
function lonePrefix(body: StatementBody, bytes: Uint8Array): boolean {
  return (
    body.kind === 'instruction' && body.operands.length === 0 && bytes.length > 0 && isInstructionPrefix(body.mnemonic)
  );
}

/**
 * With -g nasm types local labels as it assembles (measured with nasm 2.16.01): the last label
 * defined (`equ` and `absolute` labels too, and a `common`; typed only when a local symbol of a
 * section) becomes an
 * STT_OBJECT of the element size of the first data or reserve line after it, whatever section
 * that line is in; instructions, incbin, align's `nop`s and `times 0` lines type nothing; global labels
 * keep their type, as do the symbols of TLS sections.
 */
function debugSymbolTypes(
  object: ObjectFile,
  statements: readonly Statement[],
  emissions: readonly EmissionRecord[],
): ObjectFile {
  const symbolAt = new Map<string, number>();
  const usedExterns = new Set<string>();
  object.symbols.forEach((s, i) => {
    // Symbols of TLS sections keep size 0 (measured).
    const tls = typeof s.section === 'number' && object.sections[s.section]?.attributes.tls === true;
    if (s.binding === 'local' && typeof s.section === 'number' && !tls) symbolAt.set(s.name, i);
    if (s.section === 'undef' && s.referenced) usedExterns.add(s.name);
  });
  const sectionIndex = new Map(object.sections.map((s, i) => [s.name, i]));
  // A label's symbol: by name, or (when --lprefix / %pragma affixes renamed it) the one local
  // symbol at the label's place whose name contains the label's.
  const symbolOfLabel = (label: string, section: string | null, offset: number): number | null => {
    const named = symbolAt.get(label);
    if (named !== undefined || section === null) return named ?? null;
    const at = sectionIndex.get(section);
    const candidates = [...symbolAt.values()].filter((i) => {
      const s = object.symbols[i]!;
      return s.section === at && s.value === BigInt(offset) && s.name.includes(label);
    });
    return candidates.length === 1 ? candidates[0]! : null;
  };
  const symbols = object.symbols.slice();
  let pending: number | null = null; // the symbol the next data line types, if any
  for (const e of emissions) {
    const statement = statements[e.statementIndex];
    if (statement === undefined) continue;
    let body = statement.body;
    // Any label, `equ` and `absolute` ones too, takes the place; it is typed only when it is a
    // local symbol of a section (`l equ y-x`, `absolute label+4` labels are; `c equ 5` is not).
    if (statement.label !== null) pending = symbolOfLabel(statement.label, e.section, e.offset);
    if (body.kind === 'directive' && body.name === 'common') pending = null;
    // An extern the file uses takes the label's place (`x:` `extern y` `dd 2` `dd y`: x stays
    // NOTYPE; without the `dd y`, x is typed 4).
    if (
      body.kind === 'directive' &&
      body.name === 'extern' &&
      body.arguments.kind === 'symbols' &&
      body.arguments.symbols.some((d) => usedExterns.has(d.name))
    )
      pending = null;
    if (body.kind === 'times') {
      // `times 0 …` types nothing, where `resb 0` (alignb on an aligned place) does (measured).
      if (e.repeat === 0) continue;
      body = body.body;
    }
    const size =
      body.kind === 'data'
        ? DATA_SYMBOL_SIZE[body.unitSize]
        : body.kind === 'reserve'
          ? body.unitSize
          : smartalignTypes(body, e.bytes) || lonePrefix(body, e.bytes)
            ? 1
            : undefined;
    if (size === undefined || pending === null) continue;
    symbols[pending] = { ...symbols[pending]!, type: 'object', size };
    pending = null;
  }
  return { ...object, symbols };
}

/** Makes `target` hold `items` (no spread: a big file has more items than a call takes arguments). */
function replaceContents<T>(target: T[], items: readonly T[]): void {
  target.length = 0;
  for (const item of items) target.push(item);
}

/** The assembler's options from the pipeline's, with the choices the caller made. */
function assemblerOptions(
  options: AssembleOptions,
  choices: Pick<AssemblerOptions, 'layoutModel' | 'passOneOnly' | 'statementSource' | 'passOneStatements'>,
  onPass: Pick<AssemblerOptions, 'onPass'>,
): AssemblerOptions {
  return {
    format: options.format,
    optimize: options.optimize ?? 2,
    sourceName: options.fileName,
    readBinary: (path) => readBinaryFile(path, options),
    recordEmissions: options.teachingRecords !== false || options.debugInfo !== undefined,
    ...choices,
    ...(options.outputLimit !== undefined ? { outputLimit: options.outputLimit } : {}),
    ...(options.nameAffixes !== undefined ? { nameAffixes: options.nameAffixes } : {}),
    ...onPass,
  };
}

/** Stops the assembler once pass 1 is recorded. */
class FirstPassRecorded extends Error {}

/** Runs pass 1 alone, its messages discarded, to record where things were (nasm's -Lp listing after preprocessor errors). */
function recordFirstPass(statements: Statement[], options: AssembleOptions, passLog: PassSnapshot[]): void {
  try {
    new Assembler(
      statements,
      {
        format: options.format,
        optimize: options.optimize ?? 2,
        sourceName: options.fileName,
        readBinary: (path) => readBinaryFile(path, options),
        onPass: (snapshot) => {
          passLog.push(snapshot);
          throw new FirstPassRecorded();
        },
      },
      new DiagnosticSink(),
    ).run();
  } catch (e) {
    if (!(e instanceof FirstPassRecorded) && !(e instanceof FatalError)) throw e;
  }
}
