/**
 * The parts of `tsnasm` around assembly: diagnostics on stderr, the
 * preprocessor-only modes (-E, -M) and the Makefile dependency rules.
 */
import { Chalk } from 'chalk';
import { formatDiagnostic, type Diagnostic, type OutputFormat } from '../library/assemble.js';
import { makeDependencyText, preprocessToText, quoteForMake } from '../preprocess/index.js';
import type { PreprocessorArgs } from './preprocessor-args.js';
import { DiagnosticSink, FatalError } from '../core/diagnostics.js';
import { errorMessage, type CliIo } from './io.js';

/** The options commander reads (the preprocessor's are in PreprocessorArgs). */
export interface CliOptions {
  f?: string;
  o?: string;
  O?: string;
  X?: string;
  I?: string[];
  D?: string[];
  U?: string[];
  w?: string[];
  version?: boolean;
  l?: string;
  L?: string[];
  E?: boolean;
  explain?: boolean;
  dump?: string;
  dumpFormat?: string;
  outputLimit?: string;
}

/** One tsnasm invocation: the source read, the options parsed. */
export interface TsnasmRun {
  /** --output-limit: the largest output file to write, in bytes. */
  outputLimit: number | undefined;
  /** The command line's words (after splitting glued one-letter options). */
  args: string[];
  io: CliIo;
  source: Uint8Array;
  /** The source as text, one character per byte (as nasm reads it). */
  text: string;
  file: string;
  format: OutputFormat;
  opts: CliOptions;
  ppArgs: PreprocessorArgs;
  readFile: (path: string) => Uint8Array | null;
  style: 'gnu' | 'vc';
  /** -w/-W switches in command-line order, as `+name` / `-name`. */
  warnings: string[];
}

/** Bytes as text, one character per byte (ISO 8859-1; TextDecoder's "latin1" is windows-1252). */
export function latin1(bytes: Uint8Array): string {
  // Node's Buffer decodes natively (milliseconds for megabytes); spreading bytes into fromCharCode took seconds.
  const nodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (nodeBuffer !== undefined)
    return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let text = '';
  const chunk = 0x1000;
  for (let i = 0; i < bytes.length; i += chunk) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  }
  return text;
}

export function printDiagnostic(io: CliIo, d: Diagnostic, style: 'gnu' | 'vc'): void {
  const text = formatDiagnostic(d, style);
  if (!io.isTTY.stderr || io.env['NO_COLOR'] !== undefined) {
    io.stderr(text + '\n');
    return;
  }
  const chalk = new Chalk({ level: 1 });
  const colour = d.severity === 'warning' ? chalk.magenta : d.severity === 'info' ? chalk.cyan : chalk.red;
  io.stderr(text.replace(`${d.severity}:`, colour.bold(`${d.severity}:`)) + '\n');
}

/**
 * What nasm 2.16.01's -MD lists after an assembly (measured): the main file
 * and the %depend names, but not the %include'd files (-E -MD and -M list those).
 */
export function assemblyDependencies(run: TsnasmRun): string[] {
  const { text, file, format, ppArgs, readFile } = run;
  const files: string[] = [];
  try {
    preprocessToText(text, {
      fileName: file,
      includePaths: ppArgs.includePaths,
      predefines: ppArgs.ordered,
      readFile,
      diagnostics: new DiagnosticSink(),
      outputFormat: format,
      env: { ...run.io.env },
      mode: 'assemble',
      onDependency: (path, kind) => {
        if (kind !== 'include') files.push(path);
      },
    });
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
  }
  return files;
}

/** Writes the Makefile rule to `path`, or to stdout when there is none. */
export function writeDependencies(
  io: CliIo,
  path: string | undefined,
  target: string,
  files: string[],
  phony: boolean,
): number {
  const text = makeDependencyText({ target, files, phony });
  if (path === undefined) {
    io.stdout(text);
    return 0;
  }
  try {
    io.writeFile(path, text);
  } catch (e) {
    io.stderr(`tsnasm: fatal: unable to open dependency file \`${path}': ${errorMessage(e)}\n`);
    return 1;
  }
  return 0;
}

/** `-M`/`-MG`: preprocess, then write the Makefile rule (stdout or -MF); nothing is assembled and messages are not shown, as with nasm. */
export function dependenciesOnly(run: TsnasmRun, defaultTarget: string): number {
  const { io, text, file, format, ppArgs, readFile, style } = run;
  const files: string[] = [];
  const diagnostics = new DiagnosticSink();
  try {
    preprocessToText(text, {
      fileName: file,
      includePaths: ppArgs.generatedDependencies ? [] : ppArgs.includePaths,
      predefines: ppArgs.ordered,
      readFile,
      diagnostics,
      outputFormat: format,
      env: { ...run.io.env },
      dependencies: files,
      noDirectives: ppArgs.noPreprocess,
      mode: 'dependencies',
    });
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
  }
  // A missing %include is fine here (it may be generated: -MG); other errors stop the rule, as in nasm.
  const shown = diagnostics.list.filter((d) => !d.message.startsWith('unable to open include file'));
  for (const d of shown) printDiagnostic(io, d, style);
  if (shown.some((d) => d.severity === 'error' || d.severity === 'fatal')) return 1;
  const target = ppArgs.target ?? quoteForMake(defaultTarget);
  return writeDependencies(io, ppArgs.dependencyFile, target, files, ppArgs.phony);
}

/** `-E`: what `nasm -E` prints; diagnostics on stderr, exit 1 on errors. */
export function preprocessOnly(run: TsnasmRun): number {
  const { io, text, file, format, opts, ppArgs, readFile, style } = run;
  const diagnostics = new DiagnosticSink();
  const files: string[] = [];
  let output = '';
  try {
    output = preprocessToText(text, {
      fileName: file,
      includePaths: ppArgs.includePaths,
      predefines: ppArgs.ordered,
      readFile,
      diagnostics,
      outputFormat: format,
      env: { ...run.io.env },
      dependencies: files,
      noDirectives: ppArgs.noPreprocess,
    });
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
  }
  if (ppArgs.alongsideFile !== undefined || ppArgs.alongsideDerived) {
    // nasm names the rule after the -o file, and prints "(null)" when -E writes to stdout.
    const target = ppArgs.target ?? (opts.o !== undefined ? quoteForMake(opts.o) : '(null)');
    const rule = ppArgs.alongsideFile ?? `${opts.o ?? 'nasm.out'}.d`;
    const status = writeDependencies(io, rule, target, files, ppArgs.phony);
    if (status !== 0) return status;
  }
  for (const d of diagnostics.list) printDiagnostic(io, d, style);
  // nasm streams -E output to stdout even when there are errors, but leaves no output file behind.
  if (!opts.o) {
    io.stdout(output);
    return diagnostics.errorCount > 0 ? 1 : 0;
  }
  if (diagnostics.errorCount > 0) {
    if (io.exists(opts.o)) io.unlink(opts.o);
    return 1;
  }
  io.writeFile(opts.o, output);
  return 0;
}
