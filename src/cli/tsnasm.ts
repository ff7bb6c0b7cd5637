/**
 * The `tsnasm` command: NASM's command-line conventions on top of assemble().
 * All file access goes through the CliIo the caller supplies (bin/tsnasm.js
 * passes Node's); the library core never touches the file system.
 */
import { Command, CommanderError } from 'commander';
import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.js';
import { DIRECTORY_CONTENTS, isDirectoryReadError } from '../core/files.js';
import { assemble, type AssembleResult, type OutputFormat } from '../library/assemble.js';
import type { NameAffix, NameAffixes } from '../asm/name-mangling.js';
import { NASM_VERSION, TSNASM_VERSION } from '../core/version.js';
import {
  dumpStage,
  explain,
  formatExplain,
  listingWritten,
  parseListingFlags,
  renderListing,
} from '../listing/index.js';
import { quoteForMake } from '../preprocess/index.js';
import { extractPreprocessorArgs } from './preprocessor-args.js';
import { extractDebugArgs, resolveDebugFormat } from './debug-args.js';
import { createEmpty, errorMessage, removeFile, type CliIo } from './io.js';
import {
  assemblyDependencies,
  dependenciesOnly,
  latin1,
  preprocessOnly,
  printDiagnostic,
  textBytes,
  writeDependencies,
  type CliOptions,
  type TsnasmRun,
} from './tsnasm-modes.js';
import { runCli } from './launch.js';
import { createNodeIoWithByteStderr } from './node-io.js';

export type { CliIo } from './io.js';

/** nasm's `-f` names (case-insensitive); `elf` is its legacy alias for elf32. */
const FORMAT_ALIASES: Readonly<Record<string, OutputFormat>> = {
  bin: 'bin',
  elf32: 'elf32',
  elf: 'elf32',
  elf64: 'elf64',
  elfx32: 'elfx32',
};

/** What `tsnasm -v` prints: nasm's `NASM version 2.16.01` line, naming tsnasm and the nasm it follows. */
export const VERSION_LINE = `tsnasm version ${TSNASM_VERSION} (compatible with NASM version ${NASM_VERSION.string})`;

/**
 * NASM's default output name: the input's name as written, folder included, without its
 * extension, plus `.o` (elf) or nothing (bin): `d/p.asm` gives `d/p.o` (measured). When that is
 * the input's own name (`-f bin d/q`), `nasm.out` in the working folder (see sameAsInputWarning).
 */
export function defaultOutputName(input: string, format: OutputFormat): string {
  const name = nameFromInput(input, format);
  return name === input ? 'nasm.out' : name;
}

const nameFromInput = (input: string, format: OutputFormat): string =>
  input.replace(/\.[^./]*$/, '') + (format === 'bin' ? '' : '.o');

/**
 * nasm's warning (class `other`) when the default output name would be the input's own, given
 * before the input is read; the message ends in a newline of its own, as nasm's does (its
 * `[-w+other]` then starts the next line). Null when there is none or it is switched off.
 */
function sameAsInputWarning(
  file: string,
  format: OutputFormat,
  opts: CliOptions,
  warningWords: string[],
): Diagnostic | null {
  if (opts.o !== undefined || opts.E || nameFromInput(file, format) !== file) return null;
  const sink = new DiagnosticSink();
  for (const word of warningWords) sink.warningSwitches.apply(word);
  sink.warning("default output file same as input, using `nasm.out' for output\n", { file, line: 0 }, 'other');
  return sink.list[0] ?? null;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function commandLine(io: CliIo): Command {
  return new Command('tsnasm')
    .usage('[-f format] [-o outfile] [-O0|-O1|-Ox] [-w±name] [-X gnu|vc] [-I dir] [-D name[=value]] file.asm')
    .description(`A NASM-compatible x86 assembler in TypeScript (output identical to nasm ${NASM_VERSION.string})`)
    .option('-f <format>', 'output format: bin (default), elf32 (alias elf), elf64, elfx32')
    .option('-o <outfile>', 'write output to outfile')
    .option('-O <level>', 'optimisation: 0, 1 or x (default x)')
    .option('-X <style>', 'diagnostic style: gnu (default) or vc')
    .option('-I <dir...>', 'add an include directory')
    .option('-D <macro...>', 'predefine a macro (name or name=value)')
    .option('-U <macro...>', 'undefine a macro')
    .option('-w <warning>', 'enable (+name) or disable (-name) a warning class', collect, [])
    .option('-W <warning>', 'enable (name) or disable (no-name) a warning class', collect, [])
    .option('-v, --version', 'print the version and exit')
    .option('-l <listfile>', 'write a listing file (as nasm -l)')
    .option(
      '-L <flags>',
      'listing options (as nasm -Lflags): d decimal counts, f ignore .nolist, p list every pass (even a failed one); b e m s w accepted, no effect',
      collect,
      [],
    )
    .option('-g', 'generate debugging information (elf: dwarf, the default debug format)')
    .option('-F <format>', 'select a debugging format (-gformat: the same as -g -F format)')
    .option('-E', 'preprocess only: write the preprocessed source (to -o file, else stdout)')
    .option('--explain', 'print each line with its encoding taken apart')
    .option('--dump <stage>', 'print a pipeline stage: tokens, statements, passes, symbols, sections, relocations')
    .option('--dump-format <format>', 'text (default) or json')
    .option('--output-limit <bytes>', 'largest output file to write (default 1 GiB)')
    .option('--gprefix <str>', 'prepend str to the names of extern, global and static symbols (also --prefix)')
    .option('--prefix <str>', 'the same as --gprefix')
    .option('--gpostfix <str>', 'append str to the names of extern, global and static symbols (also --postfix)')
    .option('--postfix <str>', 'the same as --gpostfix')
    .option('--lprefix <str>', 'prepend str to the names of local symbols')
    .option('--lpostfix <str>', 'append str to the names of local symbols')
    .argument('[file]', 'the source file')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        io.stdout(s);
      },
      writeErr: (s) => {
        io.stderr(s);
      },
    })
    .helpOption('-h, --help', 'show this help');
}

/** Runs tsnasm with the given arguments (as typed, without the program name); returns the exit status. */
export function main(argv: string[], io: CliIo): number {
  const args = normaliseArgs(argv);
  // -M…, -P/-p, -a and the ordered -D/-U are read here: commander knows only one-letter options.
  const ppArgs = extractPreprocessorArgs(args);
  if ('error' in ppArgs) {
    io.stderr(`tsnasm: error: ${ppArgs.error}\n`);
    return 1;
  }
  const debugArgs = extractDebugArgs(ppArgs.rest);
  if ('error' in debugArgs) {
    io.stderr(`tsnasm: error: ${debugArgs.error}\n`);
    return 1;
  }
  const program = commandLine(io);
  try {
    program.parse(debugArgs.rest, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  const opts = program.opts<CliOptions>();
  const file = program.args[0];
  if (opts.version) {
    io.stdout(`${VERSION_LINE}\n`);
    return 0;
  }
  const outputLimit = opts.outputLimit === undefined ? undefined : Number(opts.outputLimit);
  if (outputLimit !== undefined && !(Number.isSafeInteger(outputLimit) && outputLimit >= 0)) {
    io.stderr(`tsnasm: fatal: invalid --output-limit \`${opts.outputLimit ?? ''}': a number of bytes expected\n`);
    return 1;
  }
  const format = FORMAT_ALIASES[(opts.f ?? 'bin').toLowerCase()];
  if (!format) {
    io.stderr(`tsnasm: fatal: unrecognised output format \`${opts.f ?? ''}' - use -hf for a list\n`);
    return 1;
  }
  // Checked before the input, as nasm does (even before "no input file specified").
  const debug = resolveDebugFormat(debugArgs.debug, format);
  if ('fatal' in debug) {
    io.stderr(`tsnasm: fatal: ${debug.fatal}\nType tsnasm -h for help.\n`);
    return 1;
  }
  // DW_AT_comp_dir names the source's folder; an io that cannot tell it (a library caller's) cannot have -g.
  if (debug.debugFormat !== null && io.realDirectoryOf === undefined) {
    io.stderr("tsnasm: fatal: debug output names the source's folder, which is not known here\n");
    return 1;
  }
  if (!file) {
    io.stderr('tsnasm: fatal: no input file specified\n');
    return 1;
  }
  const sameAsInput = sameAsInputWarning(file, format, opts, warningSwitches(args));
  if (sameAsInput !== null) {
    printDiagnostic(io, sameAsInput, opts.X === 'vc' ? 'vc' : 'gnu', file);
    // Promoted by -w+error=other: nasm then writes nothing.
    if (sameAsInput.severity === 'error') return 1;
  }
  // The source as text, one character per byte; its bytes are not kept (a big input is tens of MB).
  let text: string;
  try {
    text = latin1(io.readFile(file));
  } catch {
    io.stderr(`tsnasm: fatal: unable to open input file \`${file}' No such file or directory\n`);
    return 1;
  }
  // Names are looked up as written (relative to the working directory), then under each -I path
  // by the preprocessor: not in the source file's own folder, which nasm 2.16.01 does not search
  // (measured: `nasm d/main.asm` with `%include "s.inc"` beside it is "unable to open include
  // file", and with `-I d/` the file is named `d/s.inc` in messages and dependencies).
  const readFile = (path: string): Uint8Array | null => {
    try {
      return io.exists(path) ? io.readFile(path) : null;
    } catch (e) {
      // A directory is opened and read as nothing by nasm; anything else unreadable is as if absent.
      return isDirectoryReadError(e) ? DIRECTORY_CONTENTS : null;
    }
  };
  const run: TsnasmRun = {
    debugFormat: debug.debugFormat,
    // The input was read above, so its folder exists.
    sourceDirectory: debug.debugFormat !== null && io.realDirectoryOf !== undefined ? io.realDirectoryOf(file) : '',
    io,
    text,
    file,
    format,
    opts,
    ppArgs,
    readFile,
    style: opts.X === 'vc' ? 'vc' : 'gnu',
    warnings: warningSwitches(args),
    outputLimit,
    args,
  };
  if (ppArgs.dependenciesOnly) return dependenciesOnly(run, opts.o ?? defaultOutputName(file, format));
  if (opts.E) return preprocessOnly(run);
  return assembleFile(run);
}

const DUMP_STAGES = ['tokens', 'statements', 'passes', 'symbols', 'sections', 'relocations'] as const;

/**
 * Assembles the file and writes what was asked for: output, listing, explanation, stage dump,
 * dependencies. Like nasm, creates (or truncates) the output file, then the listing file, before
 * reading the source, and removes them when they are not written: no partial or stale output or
 * listing is ever left behind.
 */
function assembleFile(run: TsnasmRun): number {
  const { io, file, format, opts } = run;
  if (opts.dump !== undefined && !DUMP_STAGES.some((s) => s === opts.dump)) {
    io.stderr(`tsnasm: fatal: unknown stage \`${opts.dump}' for --dump (one of ${DUMP_STAGES.join(', ')})\n`);
    return 1;
  }
  const outName = opts.o ?? defaultOutputName(file, format);
  if (!createEmpty(io, outName)) {
    // Fatal for nasm, and its only message, whatever the source holds.
    io.stderr(`${file}: fatal: unable to open output file \`${outName}'\n`);
    return 1;
  }
  // A listing that cannot be opened is an error nasm assembles on from (the output then goes).
  const listingOpened = opts.l === undefined || createEmpty(io, opts.l);
  if (!listingOpened) io.stderr(`${file}: error: unable to open listing file \`${opts.l}'\n`);
  const written = assembleInto(run, outName, listingOpened);
  if (opts.l !== undefined && listingOpened && !written.listing) removeFile(io, opts.l);
  if (!written.output || !listingOpened) removeFile(io, outName);
  return listingOpened ? written.status : 1;
}

/** What assembleInto did: its exit status and which of the files opened for it it wrote. */
interface Written {
  status: number;
  output: boolean;
  listing: boolean;
}

/** The assembly proper, into the files assembleFile has opened. */
function assembleInto(run: TsnasmRun, outName: string, listingOpened: boolean): Written {
  const { io, text, file, format, opts, ppArgs, readFile, style } = run;
  const level = opts.O ?? 'x';
  const listingFlags = parseListingFlags((opts.L ?? []).join('')).flags;
  const result = assemble(text, {
    fileName: file,
    // The pass log feeds --dump=passes and the -Lp listing of a run that failed early.
    recordPasses: opts.dump === 'passes' || listingFlags.everyPass === true,
    teachingRecords: Boolean(opts.l) || Boolean(opts.explain) || Boolean(opts.dump) || run.debugFormat !== null,
    warnings: run.warnings,
    noPreprocess: ppArgs.noPreprocess,
    format,
    optimize: level === '0' ? 0 : level === '1' ? 1 : 2,
    includePaths: ppArgs.includePaths,
    predefines: ppArgs.ordered,
    readFile,
    outputFileName: outName,
    ...(run.outputLimit !== undefined ? { outputLimit: run.outputLimit } : {}),
    nameAffixes: nameAffixArgs(run.args),
    // nasm's DW_AT_comp_dir: the real path of the source's folder with a `/` after it (measured:
    // `sub/deep/a.asm`, `./sub/../sub/deep/a.asm` and a symbolic link to the folder all give
    // `/…/sub/deep/`).
    ...(run.debugFormat === 'dwarf' ? { debugInfo: { format: 'dwarf', compDir: `${run.sourceDirectory}/` } } : {}),
  });
  for (const index of result.reportOrder ?? result.diagnostics.keys())
    printDiagnostic(io, result.diagnostics[index]!, style, file);
  // nasm writes no listing when it fails before the final pass (unless -Lp).
  const listing = opts.l !== undefined && listingOpened && listingWritten(result, listingFlags);
  if (listing) {
    try {
      // The listing quotes the source, one character per byte: written back byte for byte.
      io.writeFile(opts.l!, textBytes(renderListing(result, text, { fileName: file, ...listingFlags })));
    } catch (e) {
      io.stderr(`tsnasm: fatal: unable to write listing file \`${opts.l}': ${errorMessage(e)}\n`);
      return { status: 1, output: false, listing: false };
    }
  }
  // Colour when the explanation itself goes to a terminal (stdout), plain text into files and pipes.
  // (Asked only here: looking at process.stdout builds the stream, which a quiet run never needs.)
  if (opts.explain)
    io.stdout(
      formatExplain(explain(result, { sourceText: text, format }), {
        colour: io.isTTY.stdout && io.env['NO_COLOR'] === undefined,
      }) + '\n',
    );
  const stage = DUMP_STAGES.find((s) => s === opts.dump);
  if (stage) {
    io.stdout(dumpStage(result, stage, opts.dumpFormat === 'json' ? 'json' : 'text', { sourceText: text }) + '\n');
  }
  if (result.output === null || result.errorCount > 0) return { status: 1, output: false, listing };
  try {
    io.writeFile(outName, result.output);
  } catch (e) {
    io.stderr(`tsnasm: fatal: unable to write output file \`${outName}': ${errorMessage(e)}\n`);
    return { status: 1, output: false, listing };
  }
  return { status: writeCompanions(run, result, outName), output: true, listing };
}

/** bin's map file and the dependency file of a run whose output is written (they fail alone, as with nasm). */
function writeCompanions(run: TsnasmRun, result: AssembleResult, outName: string): number {
  const { io, ppArgs, file } = run;
  if (result.map) {
    // bin's `[map …]`: to standard output, or to the file the directive named (relative to the
    // working directory). nasm says nothing and succeeds when it cannot open that file.
    if (result.map.file === null) io.stdout(result.map.text);
    else {
      try {
        io.writeFile(result.map.file, result.map.text);
      } catch {
        // no map, as with nasm
      }
    }
  }
  if (ppArgs.alongsideFile !== undefined || ppArgs.alongsideDerived) {
    const files = assemblyDependencies(run);
    const target = ppArgs.target ?? quoteForMake(outName);
    return writeDependencies(io, file, ppArgs.alongsideFile ?? `${outName}.d`, target, files, ppArgs.phony);
  }
  return 0;
}

/**
 * The warning switches in command-line order, as written after `-w`/`-W`
 * (`+name`, `-name`, `name`, `no-name`, `error=name` …; glued or separate).
 */
export function warningSwitches(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^-([wW])(.*)$/.exec(a);
    if (!m || a.startsWith('--')) continue;
    const value = m[2] !== '' ? m[2]! : (argv[++i] ?? '');
    // nasm hands -w and -W values alike to one parser (`no-x`, `none`, `error=x` …).
    out.push(value);
  }
  return out;
}

const AFFIX_OPTIONS: Readonly<Record<string, NameAffix>> = {
  '--prefix': 'gprefix',
  '--gprefix': 'gprefix',
  '--postfix': 'gsuffix',
  '--gpostfix': 'gsuffix',
  '--lprefix': 'lprefix',
  '--lpostfix': 'lsuffix',
};

/** The symbol name affixes of `--gprefix str` / `--gprefix=str` …; as in nasm the first of each wins. */
export function nameAffixArgs(argv: string[]): NameAffixes {
  const affixes: NameAffixes = {};
  for (let i = 0; i < argv.length; i++) {
    const [option = '', glued] = argv[i]!.split(/=(.*)/s);
    const which = AFFIX_OPTIONS[option];
    if (which === undefined) continue;
    const value = glued ?? argv[++i] ?? '';
    affixes[which] ??= value;
  }
  return affixes;
}

/** NASM allows `-felf32`, `-ofile`, `-O0`, `-Ox`; split glued single-letter options for commander. */
export function normaliseArgs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const m = /^-([foOXIDUwWlL])(.+)$/.exec(a);
    if (m && !a.startsWith('--')) out.push(`-${m[1]!}`, m[2]!);
    else out.push(a);
  }
  return out;
}

/** bin/tsnasm.js: run with the Node process's arguments and I/O; returns the exit status. */
export function run(): Promise<number> {
  return runCli('tsnasm', (argv) => main(argv, createNodeIoWithByteStderr()));
}
