/**
 * The parts of `tsnasm` around assembly: diagnostics on stderr, the
 * preprocessor-only modes (-E, -M) and the Makefile dependency rules.
 */
import { Chalk } from 'chalk';
import { formatDiagnostic, type Diagnostic, type OutputFormat } from '../library/assemble.js';
import { makeDependencyText, preprocessToText, quoteForMake } from '../preprocess/index.js';
import type { PreprocessorArgs } from './preprocessor-args.js';
import { DiagnosticSink, FatalError, type SourceLocation } from '../core/diagnostics.js';
import { utf8AsBytes } from '../elf/strings.js';
import { createEmpty, errorMessage, removeFile, type CliIo } from './io.js';

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
  /** The debug format to write (-g, -F): `dwarf`, or null for none. */
  debugFormat: string | null;
  /** With a debugFormat: the real path of the source's folder (DW_AT_comp_dir); else empty. */
  sourceDirectory: string;
  /** --output-limit: the largest output file to write, in bytes. */
  outputLimit: number | undefined;
  /** The command line's words (after splitting glued one-letter options). */
  args: string[];
  io: CliIo;
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

export { latin1 } from '../core/latin1.js';

function hasCharAbove(text: string, limit: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > limit) return true;
  return false;
}

/**
 * Text whose characters up to U+00FF stand for bytes (the source is read one character per
 * byte, so messages quoting it hold its bytes): those bytes; any other character in UTF-8.
 */
/** Text that quotes source bytes, to stdout byte for byte where the surroundings take bytes. */
function writeStdout(io: CliIo, text: string): void {
  if (io.stdoutBytes !== undefined) io.stdoutBytes(textBytes(text));
  else io.stdout(text);
}

export function textBytes(text: string): Uint8Array {
  const nodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (nodeBuffer !== undefined && !hasCharAbove(text, 0xff)) return new Uint8Array(nodeBuffer.from(text, 'latin1'));
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code <= 0xff) out.push(code);
    else out.push(...encoder.encode(ch));
  }
  return Uint8Array.from(out);
}

/**
 * The diagnostic with the command line's file name (real text, from the arguments) as the bytes
 * of its UTF-8, like the names and quotes that come from the source.
 */
function withFileNameBytes(d: Diagnostic, mainFile: string | undefined): Diagnostic {
  if (mainFile === undefined || d.location === null || !hasCharAbove(mainFile, 0x7f)) return d;
  const asBytes = utf8AsBytes(mainFile);
  const rename = (loc: SourceLocation): SourceLocation => (loc.file === mainFile ? { ...loc, file: asBytes } : loc);
  const location = rename(d.location);
  if (location.macroTrail !== undefined)
    location.macroTrail = location.macroTrail.map((t) => ({ macro: t.macro, location: rename(t.location) }));
  return { ...d, location };
}

/** Writes a diagnostic's line to stderr, byte for byte where the surroundings allow. */
export function printDiagnostic(io: CliIo, d: Diagnostic, style: 'gnu' | 'vc', mainFile?: string): void {
  const bytes = io.stderrBytes;
  let text = formatDiagnostic(bytes === undefined ? d : withFileNameBytes(d, mainFile), style);
  if (io.isTTY.stderr && io.env['NO_COLOR'] === undefined) {
    const chalk = new Chalk({ level: 1 });
    const colour = d.severity === 'warning' ? chalk.magenta : d.severity === 'info' ? chalk.cyan : chalk.red;
    text = text.replace(`${d.severity}:`, colour.bold(`${d.severity}:`));
  }
  if (bytes === undefined) io.stderr(text + '\n');
  else bytes(textBytes(text + '\n'));
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
  inputName: string,
  path: string | undefined,
  target: string,
  files: string[],
  phony: boolean,
): number {
  const text = makeDependencyText({ target, files, phony });
  if (path === undefined) {
    writeStdout(io, text);
    return 0;
  }
  try {
    io.writeFile(path, textBytes(text));
  } catch {
    // An error, not fatal, for nasm: what else was asked for is still written.
    io.stderr(`${inputName}: error: unable to write dependency file \`${path}'\n`);
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
  for (const d of shown) printDiagnostic(io, d, style, file);
  if (shown.some((d) => d.severity === 'error' || d.severity === 'fatal')) return 1;
  const target = ppArgs.target ?? quoteForMake(defaultTarget);
  return writeDependencies(io, run.file, ppArgs.dependencyFile, target, files, ppArgs.phony);
}

/** `-E`: what `nasm -E` prints; diagnostics on stderr, exit 1 on errors. */
export function preprocessOnly(run: TsnasmRun): number {
  const { io, text, file, format, opts, ppArgs, readFile, style } = run;
  if (opts.o !== undefined && !createEmpty(io, opts.o)) {
    // As when assembling: nasm opens the output first, and this is its only message.
    io.stderr(`${file}: fatal: unable to open output file \`${opts.o}'\n`);
    return 1;
  }
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
  let status = 0;
  if (ppArgs.alongsideFile !== undefined || ppArgs.alongsideDerived) {
    // nasm names the rule after the -o file, and prints "(null)" when -E writes to stdout.
    const target = ppArgs.target ?? (opts.o !== undefined ? quoteForMake(opts.o) : '(null)');
    const rule = ppArgs.alongsideFile ?? `${opts.o ?? 'nasm.out'}.d`;
    status = writeDependencies(io, file, rule, target, files, ppArgs.phony);
  }
  for (const d of diagnostics.list) printDiagnostic(io, d, style, file);
  if (diagnostics.errorCount > 0) status = 1;
  // nasm streams -E output to stdout even when there are errors, but leaves no output file behind.
  if (!opts.o) {
    writeStdout(io, output);
    return status;
  }
  if (diagnostics.errorCount > 0) {
    removeFile(io, opts.o);
    return 1;
  }
  try {
    io.writeFile(opts.o, textBytes(output));
  } catch (e) {
    io.stderr(`tsnasm: fatal: unable to write output file \`${opts.o}': ${errorMessage(e)}\n`);
    return 1;
  }
  return status;
}
