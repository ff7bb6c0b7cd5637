/**
 * The `tsnasm` command: NASM's command-line conventions on top of assemble().
 * All file I/O lives here; the library core never touches the file system.
 */
import { Command, CommanderError } from 'commander';
import chalk from 'chalk';
import { readFileSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { assemble, formatDiagnostic, type Diagnostic, type OutputFormat } from '../index.js';
import { NASM_REFERENCE_VERSION as NASM_VERSION } from '../encoder/nasm-version.js';
import {
  dumpStage,
  explain,
  formatExplain,
  listingWritten,
  parseListingFlags,
  renderListing,
} from '../listing/index.js';
import {
  extractPreprocessorArgs,
  makeDependencyText,
  preprocessToText,
  quoteForMake,
  type PreprocessorArgs,
} from '../preprocess/index.js';
import { DiagnosticSink, FatalError } from '../core/diagnostics.js';

const FORMAT_ALIASES: Readonly<Record<string, OutputFormat>> = { bin: 'bin', elf32: 'elf32', elf: 'elf32' };

/** NASM's default output name: strip the extension, add `.o` (elf) or nothing (bin). */
export function defaultOutputName(input: string, format: OutputFormat): string {
  const base = basename(input).replace(/\.[^.]*$/, '');
  const stem = join(dirname(input) === '.' ? '' : '', base);
  const name = format === 'elf32' ? `${stem}.o` : stem;
  // nasm writes `nasm.out` when the name would equal the input.
  return name === basename(input) ? 'nasm.out' : name;
}

function useColour(): boolean {
  return Boolean(process.stderr.isTTY) && process.env['NO_COLOR'] === undefined;
}

function printDiagnostic(d: Diagnostic, style: 'gnu' | 'vc'): void {
  const text = formatDiagnostic(d, style);
  if (!useColour()) {
    process.stderr.write(text + '\n');
    return;
  }
  const colour = d.severity === 'warning' ? chalk.magenta : d.severity === 'info' ? chalk.cyan : chalk.red;
  process.stderr.write(text.replace(`${d.severity}:`, colour.bold(`${d.severity}:`)) + '\n');
}

interface CliOptions {
  f?: string;
  o?: string;
  O?: string;
  X?: string;
  I?: string[];
  D?: string[];
  U?: string[];
  w?: string[];
  v?: boolean;
  l?: string;
  L?: string[];
  E?: boolean;
  explain?: boolean;
  dump?: string;
  dumpFormat?: string;
}

export function main(argv: string[]): number {
  // NASM accepts `-O0`, `-Ox`, `-felf32`, `-ofile` glued; commander needs a value form.
  const program = new Command('tsnasm')
    .usage('[-f format] [-o outfile] [-O0|-O1|-Ox] [-w±name] [-X gnu|vc] [-I dir] [-D name[=value]] file.asm')
    .description('A NASM-compatible x86 assembler in TypeScript (output identical to nasm ' + NASM_VERSION + ')')
    .option('-f <format>', 'output format: bin (default), elf32 (alias elf)')
    .option('-o <outfile>', 'write output to outfile')
    .option('-O <level>', 'optimisation: 0, 1 or x (default x)')
    .option('-X <style>', 'diagnostic style: gnu (default) or vc')
    .option('-I <dir...>', 'add an include directory')
    .option('-D <macro...>', 'predefine a macro (name or name=value)')
    .option('-U <macro...>', 'undefine a macro')
    .option(
      '-w <warning>',
      'enable (+name) or disable (-name) a warning class',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '-W <warning>',
      'enable (name) or disable (no-name) a warning class',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('-v', 'print the version and exit')
    .option('-l <listfile>', 'write a listing file (as nasm -l)')
    .option(
      '-L <flags>',
      'listing options (as nasm -Lflags): d decimal counts, f ignore .nolist, p list every pass (even a failed one); b e m s w accepted, no effect',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('-E', 'preprocess only: write the preprocessed source (to -o file, else stdout)')
    .option('--explain', 'print each line with its encoding taken apart')
    .option('--dump <stage>', 'print a pipeline stage: tokens, statements, passes, symbols, sections, relocations')
    .option('--dump-format <format>', 'text (default) or json')
    .argument('[file]', 'the source file')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .helpOption('-h, --help', 'show this help');

  // -M…, -P/-p, -a and the ordered -D/-U are read here: commander knows only one-letter options.
  const ppArgs = extractPreprocessorArgs(argv);
  if ('error' in ppArgs) {
    process.stderr.write(`tsnasm: error: ${ppArgs.error}\n`);
    return 1;
  }
  let file: string | undefined;
  let opts: CliOptions;
  try {
    program.parse(ppArgs.rest, { from: 'user' });
    opts = program.opts<CliOptions>();
    file = program.args[0];
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  if (opts.v) {
    process.stdout.write(
      `tsnasm ${process.env['npm_package_version'] ?? ''} (compatible with NASM version ${NASM_VERSION})\n`.replace(
        '  ',
        ' ',
      ),
    );
    return 0;
  }
  if (!file) {
    process.stderr.write('tsnasm: fatal: no input file specified\n');
    return 1;
  }
  const format = FORMAT_ALIASES[(opts.f ?? 'bin').toLowerCase()];
  if (!format) {
    process.stderr.write(`tsnasm: fatal: unrecognised output format \`${opts.f}' - use -hf for a list\n`);
    return 1;
  }
  const level = opts.O ?? 'x';
  const optimize = level === '0' ? 0 : level === '1' ? 1 : 2;
  const style = opts.X === 'vc' ? 'vc' : 'gnu';

  let source: Buffer;
  try {
    source = readFileSync(file);
  } catch {
    process.stderr.write(`tsnasm: fatal: unable to open input file \`${file}' No such file or directory\n`);
    return 1;
  }
  const includeBase = dirname(file);
  const readFile = (path: string): Uint8Array | null => {
    for (const candidate of [path, join(includeBase, path)]) {
      try {
        if (existsSync(candidate)) return new Uint8Array(readFileSync(candidate));
      } catch {
        // unreadable: try the next candidate
      }
    }
    return null;
  };
  const predefines = ppArgs.ordered;
  const preprocessorRun: PreprocessorRun = {
    text: source.toString('latin1'),
    file,
    format,
    opts,
    ppArgs,
    readFile,
    style,
  };
  if (ppArgs.dependenciesOnly) return dependenciesOnly(preprocessorRun);
  if (opts.E) return preprocessOnly(preprocessorRun);
  const listingFlags = parseListingFlags((opts.L ?? []).join('')).flags;
  const result = assemble(new Uint8Array(source), {
    fileName: file,
    // The pass log feeds --dump=passes and the -Lp listing of a run that failed early.
    recordPasses: opts.dump === 'passes' || listingFlags.everyPass === true,
    teachingRecords: Boolean(opts.l || opts.explain || opts.dump),
    warnings: warningSwitches(argv),
    noPreprocess: ppArgs.noPreprocess,
    format,
    optimize,
    includePaths: ppArgs.includePaths,
    predefines,
    readFile,
  });
  for (const index of result.reportOrder ?? result.diagnostics.keys())
    printDiagnostic(result.diagnostics[index]!, style);
  const sourceText = source.toString('latin1');
  // nasm writes no listing when it fails before the final pass (unless -Lp).
  if (opts.l && listingWritten(result, listingFlags)) {
    try {
      writeFileSync(opts.l, renderListing(result, sourceText, { fileName: file, ...listingFlags }));
    } catch (e) {
      process.stderr.write(`tsnasm: fatal: unable to write listing file \`${opts.l}': ${(e as Error).message}\n`);
      return 1;
    }
  }
  // Colour when the explanation itself goes to a terminal (stdout), plain text into files and pipes.
  const explainColour = Boolean(process.stdout.isTTY) && process.env['NO_COLOR'] === undefined;
  if (opts.explain)
    process.stdout.write(formatExplain(explain(result, { sourceText, format }), { colour: explainColour }) + '\n');
  if (opts.dump) {
    const stages = ['tokens', 'statements', 'passes', 'symbols', 'sections', 'relocations'] as const;
    const stage = stages.find((s) => s === opts.dump);
    if (!stage) {
      process.stderr.write(`tsnasm: fatal: unknown stage \`${opts.dump}' for --dump (one of ${stages.join(', ')})\n`);
      return 1;
    }
    process.stdout.write(dumpStage(result, stage, opts.dumpFormat === 'json' ? 'json' : 'text', { sourceText }) + '\n');
  }
  const outName = opts.o ?? defaultOutputName(file, format);
  if (result.output === null || result.errorCount > 0) {
    // Never leave a partial or stale output behind on error (as nasm does).
    try {
      if (existsSync(outName)) unlinkSync(outName);
    } catch {
      // nothing to remove
    }
    return 1;
  }
  try {
    writeFileSync(outName, result.output);
  } catch (e) {
    process.stderr.write(`tsnasm: fatal: unable to open output file \`${outName}': ${(e as Error).message}\n`);
    return 1;
  }
  if (ppArgs.alongsideFile !== undefined || ppArgs.alongsideDerived) {
    const files = assemblyDependencies(sourceText, file, format, ppArgs, readFile);
    return writeDependencies(
      ppArgs.alongsideFile ?? `${outName}.d`,
      ppArgs.target ?? quoteForMake(outName),
      files,
      ppArgs.phony,
    );
  }
  return 0;
}

/**
 * What nasm 2.16.01's -MD lists after an assembly (measured): the main file
 * and the %depend names, but not the %include'd files (-E -MD and -M list those).
 */
function assemblyDependencies(
  text: string,
  file: string,
  format: OutputFormat,
  ppArgs: PreprocessorArgs,
  readFile: (path: string) => Uint8Array | null,
): string[] {
  const files: string[] = [];
  try {
    preprocessToText(text, {
      fileName: file,
      includePaths: ppArgs.includePaths,
      predefines: ppArgs.ordered,
      readFile,
      diagnostics: new DiagnosticSink(),
      outputFormat: format,
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

function writeDependencies(path: string | undefined, target: string, files: string[], phony: boolean): number {
  const text = makeDependencyText({ target, files, phony });
  if (path === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try {
    writeFileSync(path, text);
  } catch (e) {
    process.stderr.write(`tsnasm: fatal: unable to open dependency file \`${path}': ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}

/** What the preprocessor-only modes (-E, -M) work from. */
interface PreprocessorRun {
  text: string;
  file: string;
  format: OutputFormat;
  opts: CliOptions;
  ppArgs: PreprocessorArgs;
  readFile: (path: string) => Uint8Array | null;
  style: 'gnu' | 'vc';
}

/** `-M`/`-MG`: preprocess, then write the Makefile rule (stdout or -MF); nothing is assembled and messages are not shown, as with nasm. */
function dependenciesOnly(run: PreprocessorRun): number {
  const { text, file, format, opts, ppArgs, readFile, style } = run;
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
      dependencies: files,
      noDirectives: ppArgs.noPreprocess,
      mode: 'dependencies',
    });
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
  }
  // A missing %include is fine here (it may be generated: -MG); other errors stop the rule, as in nasm.
  const shown = diagnostics.list.filter((d) => !d.message.startsWith('unable to open include file'));
  for (const d of shown) printDiagnostic(d, style);
  if (shown.some((d) => d.severity === 'error' || d.severity === 'fatal')) return 1;
  const target = ppArgs.target ?? quoteForMake(opts.o ?? defaultOutputName(file, format));
  return writeDependencies(ppArgs.dependencyFile, target, files, ppArgs.phony);
}

/** `-E`: what `nasm -E` prints; diagnostics on stderr, exit 1 on errors. */
function preprocessOnly(run: PreprocessorRun): number {
  const { text, file, format, opts, ppArgs, readFile, style } = run;
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
      dependencies: files,
      noDirectives: ppArgs.noPreprocess,
    });
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
  }
  if (ppArgs.alongsideFile !== undefined || ppArgs.alongsideDerived) {
    // nasm names the rule after the -o file, and prints "(null)" when -E writes to stdout.
    const target = ppArgs.target ?? (opts.o !== undefined ? quoteForMake(opts.o) : '(null)');
    const status = writeDependencies(ppArgs.alongsideFile ?? `${opts.o ?? 'nasm.out'}.d`, target, files, ppArgs.phony);
    if (status !== 0) return status;
  }
  for (const d of diagnostics.list) printDiagnostic(d, style);
  // nasm streams -E output to stdout even when there are errors, but leaves no output file behind.
  if (!opts.o) {
    process.stdout.write(output);
    return diagnostics.errorCount > 0 ? 1 : 0;
  }
  if (diagnostics.errorCount > 0) {
    if (existsSync(opts.o)) unlinkSync(opts.o);
    return 1;
  }
  writeFileSync(opts.o, output);
  return 0;
}

/**
 * The warning switches in command-line order, as `+name` / `-name`:
 * `-w+name`, `-w-name`, `-Wname`, `-Wno-name` (glued or separate).
 */
export function warningSwitches(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^-([wW])(.*)$/.exec(a);
    if (!m || a.startsWith('--')) continue;
    const value = m[2] !== '' ? m[2]! : (argv[++i] ?? '');
    if (m[1] === 'w') out.push(value.startsWith('-') || value.startsWith('+') ? value : `+${value}`);
    else out.push(value.startsWith('no-') ? `-${value.slice(3)}` : `+${value}`);
  }
  return out;
}

/** NASM allows `-felf32`, `-ofile`, `-O0`, `-Ox`; split glued single-letter options for commander. */
export function normaliseArgs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const m = /^-([foOXIDUwWlL])(.+)$/.exec(a);
    if (m && !a.startsWith('--')) out.push(`-${m[1]}`, m[2]!);
    else out.push(a);
  }
  return out;
}
