/**
 * tsld command line: GNU ld conventions on top of the pure `link()` API.
 * All file I/O happens here.
 */
import { explainElf, ElfExplainError } from '../listing/elf-explain.js';
import { chmodSync, existsSync, lstatSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import { Command, CommanderError } from 'commander';
import { formatLinkDiagnostic, link, type LinkDiagnostic } from '../linker/index.js';

const useColour = Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
const paint = new Chalk({ level: useColour ? 1 : 0 });

function report(d: LinkDiagnostic): void {
  const text = formatLinkDiagnostic(d);
  const prefix = `tsld: ${d.severity}:`;
  const coloured = d.severity === 'error' ? paint.red.bold(prefix) : paint.magenta.bold(prefix);
  process.stderr.write(`${coloured}${text.slice(prefix.length)}\n`);
}

/** Set once the output path is known, so every failure can remove it (as ld does). */
let outputPath: string | null = null;

function removeOutput(): void {
  if (outputPath === null) return;
  try {
    if (existsSync(outputPath) && lstatSync(outputPath).isFile()) unlinkSync(outputPath);
  } catch {
    /* nothing to clean */
  }
}

function fail(message: string): never {
  report({ severity: 'error', message });
  removeOutput();
  process.exit(1);
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

function parseAddress(text: string): number {
  const t = text.trim();
  const value = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : NaN;
  if (!Number.isFinite(value) || value > 0xffffffff) fail(`invalid address \`${text}'`);
  return value;
}

export function main(argv: string[]): void {
  const program = new Command();
  program
    .name('tsld')
    .usage('[options] FILE.o... [lib.a...]')
    .description('Static ELF32 i386 linker: links nasm/tsnasm/gcc -m32 objects into a Linux executable')
    .argument('[files...]', 'ELF32 relocatable objects and ar archives, in link order')
    .option('-o, --output <file>', 'output file name', 'a.out')
    .option('-e, --entry <symbol>', 'entry point symbol or address', undefined)
    .option('--Ttext <address>', 'address of the .text section (hex), as ld: headers go in the page below')
    .option('--tiny', 'smallest runnable image: one RWX segment, overlapping headers, no section headers')
    .option('--map <file>', 'write a link map (`--map` alone or -M: to stdout)')
    .option('-s, --strip-all', 'strip symbols (always the case: tsld writes no symbol table)')
    .option('-m <emulation>', 'emulation (only elf_i386)')
    .option('-z <keyword>', 'accepted for ld compatibility and ignored (noexecstack, noseparate-code, …)')
    .option('--build-id [style]', 'accepted for ld compatibility; no build-id note is written')
    .option('--static', 'accepted for ld compatibility (links are always static)')
    .option('--explain', 'print the output executable as an annotated hex dump (every header field named)')
    .version('0.1.0', '-v, --version')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // commander says "error: …"; keep every message in the `tsld: error: …` form.
      outputError: (s, write) => {
        write(`tsld: ${s}`);
      },
    });

  try {
    program.parse(normaliseArgs(argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 1);
    throw e;
  }
  const opts = program.opts<{
    output: string;
    entry?: string;
    Ttext?: string;
    tiny?: boolean;
    map?: string;
    m?: string;
    explain?: boolean;
  }>();
  const files = program.args;
  outputPath = opts.output;
  if (opts.m !== undefined && opts.m !== 'elf_i386')
    fail(`unrecognised emulation mode: ${opts.m} (tsld supports elf_i386)`);
  if (files.length === 0) fail('no input files');

  const inputs = files.map((name) => {
    try {
      return { name, data: new Uint8Array(readFileSync(name)) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return fail(
        code === 'ENOENT'
          ? `cannot find ${name}: No such file or directory`
          : code === 'EISDIR'
            ? `${name}: is a directory`
            : `cannot read ${name}`,
      );
    }
  });

  const result = link(inputs, {
    entry: opts.entry,
    textAddress: opts.Ttext !== undefined ? parseAddress(opts.Ttext) : undefined,
    tiny: Boolean(opts.tiny),
    map: opts.map !== undefined,
  });
  for (const d of result.diagnostics) report(d);
  if (!result.output) {
    // Like ld, leave no stale executable behind after a failed link.
    removeOutput();
    process.exit(1);
  }
  try {
    writeFileSync(opts.output, result.output, { mode: 0o755 });
    chmodSync(opts.output, 0o755);
  } catch {
    outputPath = null; // not ours to delete
    fail(`cannot open output file ${opts.output}`);
  }
  if (opts.explain) {
    try {
      process.stdout.write(
        explainElf(result.output, { colour: Boolean(process.stdout.isTTY) && process.env['NO_COLOR'] === undefined }),
      );
    } catch (e) {
      if (e instanceof ElfExplainError) fail(e.message);
      throw e;
    }
  }
  if (opts.map !== undefined && result.map !== undefined) {
    if (opts.map === '-') process.stdout.write(result.map);
    else {
      try {
        writeFileSync(opts.map, result.map);
      } catch {
        fail(`cannot open map file ${opts.map}`);
      }
    }
  }
}

main(process.argv.slice(2));
