/**
 * tsld command line: GNU ld conventions on top of the pure `link()` API.
 * All file access goes through the CliIo the caller supplies (bin/tsld.js
 * passes Node's).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { Command, CommanderError } from 'commander';
import { TSNASM_VERSION } from '../core/version.js';
import { formatLinkDiagnostic, link, type LinkDiagnostic } from '../linker/index.js';
import { explainElf, ElfExplainError } from '../listing/elf-explain.js';
import { errorCode, type CliIo } from './io.js';
import { runCli } from './launch.js';
import { createNodeIo } from './node-io.js';

export type { CliIo } from './io.js';

/** Ends the run with status 1 after an error has been reported (caught in main). */
class LinkAbort extends Error {}

/** One tsld invocation: where messages go, and the output file to remove if the link fails. */
class Run {
  /** Set once the output path is known, so every failure can remove it (as ld does). */
  outputPath: string | null = null;
  private readonly paint: ChalkInstance;

  constructor(readonly io: CliIo) {
    const useColour = io.isTTY.stderr && !(io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '');
    this.paint = new Chalk({ level: useColour ? 1 : 0 });
  }

  report(d: LinkDiagnostic): void {
    const text = formatLinkDiagnostic(d);
    const prefix = `tsld: ${d.severity}:`;
    const coloured = d.severity === 'error' ? this.paint.red.bold(prefix) : this.paint.magenta.bold(prefix);
    this.io.stderr(`${coloured}${text.slice(prefix.length)}\n`);
  }

  removeOutput(): void {
    if (this.outputPath === null) return;
    try {
      if (this.io.exists(this.outputPath) && this.io.isFile(this.outputPath)) this.io.unlink(this.outputPath);
    } catch {
      /* nothing to clean */
    }
  }

  fail(message: string): never {
    this.report({ severity: 'error', message });
    throw new LinkAbort(message);
  }
}

/** ld spells some options in ways commander cannot (`-Ttext`, `--map` with optional `=file`). */
function normaliseArgs(args: string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === '-Ttext' || arg === '--Ttext') out.push('--Ttext');
    else if (arg.startsWith('-Ttext=')) out.push(`--Ttext=${arg.slice(7)}`);
    else if (arg === '--map' || arg === '-M' || arg === '--print-map') out.push('--map=-');
    else if (arg.startsWith('-Map=')) out.push(`--map=${arg.slice(5)}`);
    else out.push(arg);
  }
  return out;
}

function parseAddress(run: Run, text: string): number {
  const t = text.trim();
  const value = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : NaN;
  if (!Number.isFinite(value) || value > 0xffffffff) run.fail(`invalid address \`${text}'`);
  return value;
}

interface TsldOptions {
  output: string;
  entry?: string;
  Ttext?: string;
  tiny?: boolean;
  map?: string;
  m?: string;
  explain?: boolean;
}

function commandLine(io: CliIo): Command {
  return new Command()
    .name('tsld')
    .usage('[options] FILE.o... [lib.a...]')
    .description('Static ELF linker for i386 and x86-64: links nasm/tsnasm/gcc objects into a Linux executable')
    .argument('[files...]', 'ELF32 relocatable objects and ar archives, in link order')
    .option('-o, --output <file>', 'output file name', 'a.out')
    .option('-e, --entry <symbol>', 'entry point symbol or address', undefined)
    .option('--Ttext <address>', 'address of the .text section (hex), as ld: headers go in the page below')
    .option('--tiny', 'smallest runnable image: one RWX segment, overlapping headers, no section headers')
    .option('--map <file>', 'write a link map (`--map` alone or -M: to stdout)')
    .option('-s, --strip-all', 'strip symbols (always the case: tsld writes no symbol table)')
    .option('-m <emulation>', 'emulation (elf_i386 or elf_x86_64; by default taken from the objects)')
    .option('-z <keyword>', 'accepted for ld compatibility and ignored (noexecstack, noseparate-code, …)')
    .option('--build-id [style]', 'accepted for ld compatibility; no build-id note is written')
    .option('--static', 'accepted for ld compatibility (links are always static)')
    .option('--explain', 'print the output executable as an annotated hex dump (every header field named)')
    .version(TSNASM_VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        io.stdout(s);
      },
      writeErr: (s) => {
        io.stderr(s);
      },
      // commander says "error: …"; keep every message in the `tsld: error: …` form.
      outputError: (s, write) => {
        write(`tsld: ${s}`);
      },
    });
}

/** Runs tsld with the given arguments (without the program name); returns the exit status. */
export function main(argv: string[], io: CliIo): number {
  const program = commandLine(io);
  try {
    program.parse(normaliseArgs(argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  const run = new Run(io);
  try {
    linkFiles(run, program.opts<TsldOptions>(), program.args);
    return 0;
  } catch (e) {
    if (!(e instanceof LinkAbort)) throw e;
    run.removeOutput();
    return 1;
  }
}

function readInput(run: Run, name: string): { name: string; data: Uint8Array } {
  try {
    return { name, data: run.io.readFile(name) };
  } catch (e) {
    const code = errorCode(e);
    return run.fail(
      code === 'ENOENT'
        ? `cannot find ${name}: No such file or directory`
        : code === 'EISDIR'
          ? `${name}: is a directory`
          : `cannot read ${name}`,
    );
  }
}

function linkFiles(run: Run, opts: TsldOptions, files: string[]): void {
  const { io } = run;
  run.outputPath = opts.output;
  if (opts.m !== undefined && opts.m !== 'elf_i386' && opts.m !== 'elf_x86_64')
    run.fail(`unrecognised emulation mode: ${opts.m} (tsld supports elf_i386 and elf_x86_64)`);
  if (files.length === 0) run.fail('no input files');
  const inputs = files.map((name) => readInput(run, name));
  const result = link(inputs, {
    entry: opts.entry,
    textAddress: opts.Ttext !== undefined ? parseAddress(run, opts.Ttext) : undefined,
    tiny: Boolean(opts.tiny),
    map: opts.map !== undefined,
  });
  for (const d of result.diagnostics) run.report(d);
  // Like ld, leave no stale executable behind after a failed link.
  if (!result.output) throw new LinkAbort('link failed');
  try {
    io.writeFile(opts.output, result.output, 0o755);
  } catch {
    run.outputPath = null; // not ours to delete
    run.fail(`cannot open output file ${opts.output}`);
  }
  if (opts.explain) {
    try {
      io.stdout(explainElf(result.output, { colour: io.isTTY.stdout && io.env['NO_COLOR'] === undefined }));
    } catch (e) {
      if (e instanceof ElfExplainError) run.fail(e.message);
      throw e;
    }
  }
  if (opts.map !== undefined && result.map !== undefined) {
    if (opts.map === '-') io.stdout(result.map);
    else {
      try {
        io.writeFile(opts.map, result.map);
      } catch {
        run.fail(`cannot open map file ${opts.map}`);
      }
    }
  }
}

/** bin/tsld.js: run with the Node process's arguments and I/O; returns the exit status. */
export function run(): Promise<number> {
  return runCli('tsld', (argv) => main(argv, createNodeIo()));
}
