/**
 * tsnasm library API. Everything here runs without Node's file system: file
 * access (for %include and incbin) is injected through `readFile`, so the same
 * core runs in a browser.
 *
 * The pipeline, one stage per module:
 *   source → preprocess (src/preprocess) → statements (src/parse, grammar/)
 *   → passes and layout (src/asm/assembler.ts, calling src/encoder)
 *   → object model (src/asm/object.ts) → writer (src/output).
 */
import { DiagnosticSink, FatalError, type Diagnostic } from './core/diagnostics.js';
import { preprocess, type SourceLineEvent } from './preprocess/index.js';
import { StatementBuilder } from './parse/statement.js';
import type { Statement } from './parse/ast.js';
import { Assembler, type EmissionRecord, type PassReport } from './asm/assembler.js';
import type { ObjectFile } from './asm/object.js';
import { ElfWriteError, writeElf32 } from './output/elf32.js';
import { BinWriteError, writeBin } from './output/bin.js';

export type { Diagnostic } from './core/diagnostics.js';
export { formatDiagnostic } from './core/diagnostics.js';
export type { ObjectFile } from './asm/object.js';
export type { EmissionRecord, PassReport } from './asm/assembler.js';

export type OutputFormat = 'bin' | 'elf32';

export interface AssembleOptions {
  /** The input path as typed by the user: it appears in diagnostics and in the ELF FILE symbol. */
  fileName: string;
  format: OutputFormat;
  /** -O0, -O1 or -Ox (2, the default). */
  optimize?: 0 | 1 | 2;
  /** -I paths, searched after the current directory. */
  includePaths?: string[];
  /** -D / -U style predefinitions, in command-line order. */
  predefines?: Array<{ name: string; value?: string; undefine?: boolean }>;
  /** Reads a file for %include / incbin; returns null when it does not exist. */
  readFile?: (path: string) => Uint8Array | null;
}

export interface AssembleResult {
  /** The output file's bytes, or null when there were errors (NASM writes no file then). */
  output: Uint8Array | null;
  diagnostics: Diagnostic[];
  errorCount: number;
  /** The intermediate forms, for the teaching views and tests. */
  stages?: {
    statements: Statement[]; object: ObjectFile | null; passes: PassReport | null; emissions: EmissionRecord[];
    /** Every line the preprocessor read, in order, with the statements and diagnostics it led to (for `-l`). */
    sourceLines?: SourceLineRecord[];
  };
}

/** A line read by the preprocessor; statements [firstStatement, next line's) and diagnostics likewise came from it. */
export interface SourceLineRecord extends SourceLineEvent {
  firstStatement: number;
  firstDiagnostic: number;
}

const noFiles = (): Uint8Array | null => null;

/** Resolves a file the way NASM searches: as given, then under each -I path. */
function searchFile(name: string, options: AssembleOptions): Uint8Array | null {
  const read = options.readFile ?? noFiles;
  const direct = read(name);
  if (direct) return direct;
  for (const dir of options.includePaths ?? []) {
    const found = read(dir.endsWith('/') ? dir + name : `${dir}/${name}`);
    if (found) return found;
  }
  return null;
}

export function assemble(source: string | Uint8Array, options: AssembleOptions): AssembleResult {
  const diagnostics = new DiagnosticSink();
  const text = typeof source === 'string' ? source : new TextDecoder('latin1').decode(source);
  const statements: Statement[] = [];
  let object: ObjectFile | null = null;
  let passes: PassReport | null = null;
  let emissions: EmissionRecord[] = [];
  let output: Uint8Array | null = null;
  const sourceLines: SourceLineRecord[] = [];
  try {
    const builder = new StatementBuilder(diagnostics);
    let index = 0;
    for (const line of preprocess(text, {
      fileName: options.fileName,
      includePaths: options.includePaths ?? [],
      predefines: options.predefines ?? [],
      readFile: options.readFile ?? noFiles,
      diagnostics,
      outputFormat: options.format,
      onSourceLine: (event) => sourceLines.push({ ...event, firstStatement: statements.length, firstDiagnostic: diagnostics.list.length }),
    })) {
      statements.push(builder.build(line, index++));
    }
    if (diagnostics.errorCount === 0) {
      const assembler = new Assembler(statements, {
        format: options.format,
        optimize: options.optimize ?? 2,
        sourceName: options.fileName,
        readBinary: (path) => searchFile(path, options),
      }, diagnostics);
      const result = assembler.run();
      emissions = assembler.emissions;
      object = result.object;
      passes = result.report;
      if (object && diagnostics.errorCount === 0) {
        output = options.format === 'elf32' ? writeElf32(object) : writeBin(object);
      }
    }
  } catch (e) {
    if (e instanceof ElfWriteError || e instanceof BinWriteError) {
      diagnostics.error(e.message, null);
    } else if (!(e instanceof FatalError)) {
      throw e;
    }
  }
  if (diagnostics.errorCount > 0) output = null;
  return { output, diagnostics: diagnostics.list, errorCount: diagnostics.errorCount, stages: { statements, object, passes, emissions, sourceLines } };
}
