/**
 * tsnasm as a library: assemble, link, disassemble and run x86 programs from
 * JavaScript, in Node, a browser or a worker. Nothing here touches a file
 * system or a Node global: sources and included files come in as strings or
 * bytes, results go out as `Uint8Array`s and plain objects.
 *
 *   assemble(source, options) → { bytes, listing, diagnostics }   (src/library/assemble.ts does the work)
 *   link(objects, options)    → { output, diagnostics }           (src/linker)
 *   disassemble(bytes, opts)  → instructions                      (src/disasm)
 *   run(executable, options)  → { stdout, exitStatus, … }         (src/emu)
 *
 * `buildImage` (container images) is in `tsnasm/image`: it still uses Node's
 * crypto and zlib, which the main entry must not pull into a browser bundle.
 */
import { latin1 } from './core/latin1.js';
import { nasmDiagnostics, type Diagnostic } from './library/diagnostics.js';
import { assemble as assembleSource, type AssembleOptions as CoreOptions } from './library/assemble.js';
import { listingWritten, renderListing, type ListingFlags } from './listing/index.js';
import { defaultBits, type OutputFormatName } from './asm/writer.js';
import { createMachine, LoadError, SIGNAL_TEXT, type Outcome } from './emu/index.js';
import { NASM_VERSION, TSNASM_VERSION } from './core/version.js';
import { concatBytes } from './elf/strings.js';

export { formatDiagnostic } from './core/diagnostics.js';
export type { Diagnostic } from './library/diagnostics.js';
export { link, formatLinkDiagnostic } from './linker/index.js';
export type { LinkDiagnostic, LinkOptions, LinkResult } from './linker/index.js';
export { disassemble } from './disasm/index.js';
export type { Instruction, DisassembleOptions } from './disasm/index.js';
export { createMachine, LoadError, type Machine, type MachineOptions, type Outcome } from './emu/index.js';
export type { ListingFlags } from './listing/index.js';

/** `tsnasm` and the nasm release it reproduces byte for byte. */
export const version = { tsnasm: TSNASM_VERSION, nasm: NASM_VERSION.string } as const;

export type OutputFormat = OutputFormatName;

/** Finds an `%include`d or `incbin`ed file by name: its text or bytes, or null when there is none. */
export type IncludeResolver = (name: string) => string | Uint8Array | null | undefined;

export interface AssembleOptions {
  /** The source's name in diagnostics, listings and the ELF FILE symbol (default `input.asm`). */
  fileName?: string;
  /** `-f`: bin (default), elf32 (also `elf`), elf64 or elfx32. */
  format?: OutputFormat | 'elf';
  /** The mode code starts in; default is the format's (bin 16, elf32 32, elf64 64). */
  bits?: 16 | 32 | 64;
  /** Files for `%include` and `incbin`: a map from name to contents, or a function that finds them. */
  includes?: Readonly<Record<string, string | Uint8Array>> | IncludeResolver;
  /** `-I`: directories (name prefixes) to search for included files after the name as written. */
  includePaths?: string[];
  /**
   * `-D`: `{ NAME: value }` defines NAME as value; `true` defines it empty (`-DNAME`),
   * `false` undefines it (`-UNAME`).
   */
  defines?: Readonly<Record<string, string | number | boolean>>;
  /** `-l`: also return nasm's listing (`true`, or `-L` flags). */
  listing?: boolean | ListingFlags;
  /** `-w`/`-W` switches in nasm's order: `+orphan-labels`, `-all`, `error=number-overflow` … */
  warnings?: string[];
  /** `-O0`, `-O1` or `-Ox` (2, the default). */
  optimize?: 0 | 1 | 2;
  /** `--output-limit`: largest output in bytes (default 1 GiB), so `times 0x7fffffff db 0` cannot fill memory. */
  outputLimit?: number;
}

export interface AssembleResult {
  /** The output file (an object file, or flat binary for `bin`); empty when there were errors. */
  bytes: Uint8Array;
  /** The same bytes, or null when there were errors (nasm writes no file then). */
  output: Uint8Array | null;
  /** nasm's `-l` listing, when asked for and nasm would write one. */
  listing: string | null;
  /** Every message in the order nasm prints them. */
  diagnostics: Diagnostic[];
  errorCount: number;
}

const encoder = new TextEncoder();
const asBytes = (text: string | Uint8Array): Uint8Array => (typeof text === 'string' ? encoder.encode(text) : text);

function fileReader(includes: AssembleOptions['includes']): (path: string) => Uint8Array | null {
  if (includes === undefined) return () => null;
  if (typeof includes === 'function') {
    return (path) => {
      const found = includes(path);
      return found === null || found === undefined ? null : asBytes(found);
    };
  }
  const table = new Map(Object.entries(includes));
  return (path) => {
    const found = table.get(path) ?? table.get(path.replace(/^\.\//, ''));
    return found === undefined ? null : asBytes(found);
  };
}

function predefinesOf(defines: AssembleOptions['defines']): NonNullable<CoreOptions['predefines']> {
  return Object.entries(defines ?? {}).map(([name, value]) =>
    value === false ? { name, undefine: true } : value === true ? { name } : { name, value: String(value) },
  );
}

/**
 * Assembles `source` (text, or bytes as they would be read from a file) the way
 * `nasm -f format` would, returning the output bytes, optionally the listing, and
 * nasm's messages. Never throws for bad assembly: errors are diagnostics.
 */
export function assemble(source: string | Uint8Array, options: AssembleOptions = {}): AssembleResult {
  const fileName = options.fileName ?? 'input.asm';
  const format: OutputFormat = options.format === 'elf' ? 'elf32' : (options.format ?? 'bin');
  const listingFlags: ListingFlags | null =
    options.listing === undefined || options.listing === false ? null : options.listing === true ? {} : options.listing;
  const bytes = asBytes(source);
  const result = assembleSource(bytes, {
    fileName,
    format,
    readFile: fileReader(options.includes),
    includePaths: options.includePaths ?? [],
    predefines: predefinesOf(options.defines),
    warnings: options.warnings ?? [],
    optimize: options.optimize ?? 2,
    teachingRecords: listingFlags !== null,
    recordPasses: listingFlags?.everyPass === true,
    ...(options.outputLimit !== undefined ? { outputLimit: options.outputLimit } : {}),
    ...(options.bits !== undefined && options.bits !== defaultBits(format) ? { bits: options.bits } : {}),
  });
  const listing =
    listingFlags !== null && listingWritten(result, listingFlags)
      ? renderListing(result, latin1(bytes), { fileName, ...listingFlags })
      : null;
  return {
    bytes: result.output ?? new Uint8Array(0),
    output: result.output,
    listing,
    diagnostics: nasmDiagnostics(result),
    errorCount: result.errorCount,
  };
}

export interface RunOptions {
  /** What the program reads from standard input. */
  stdin?: string | Uint8Array;
  /** Stop after this many instructions (default 10 million), so a loop cannot hang the page. */
  maxSteps?: number;
  /** argv, argv[0] first (default `['program']`). */
  argv?: readonly string[];
  /** `KEY=VALUE` environment strings. */
  env?: readonly string[];
}

export interface RunResult {
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** stdout decoded as UTF-8. */
  stdoutText: string;
  /** As a shell reports it: the exit code, 128 + signal after a fault, 124 when stopped by maxSteps, 126 when it cannot run. */
  exitStatus: number;
  /** How the run ended: exit, signal, limit, or `load-error` when the file is no executable the emulator runs. */
  outcome: Outcome | { kind: 'load-error'; message: string };
  /** Instructions executed. */
  steps: number;
  /** A one-line account of the ending, e.g. `exited with status 0` or `Segmentation fault`. */
  summary: string;
}

const DEFAULT_MAX_STEPS = 10_000_000;

function summaryOf(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'exit':
      return `exited with status ${outcome.status}`;
    case 'signal':
      return `${SIGNAL_TEXT[outcome.signal]} (${outcome.detail})`;
    case 'limit':
      return `stopped after ${outcome.steps} instructions`;
  }
}

/**
 * Runs a static Linux i386 or x86-64 executable (tsld's output, ld's) in the
 * emulator and collects what it wrote. For stepping one instruction at a time,
 * use `createMachine`.
 */
export function run(executable: Uint8Array, options: RunOptions = {}): RunResult {
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  const collected = (outcome: RunResult['outcome'], exitStatus: number, steps: number, summary: string) => {
    const out = concatBytes(stdout);
    return {
      stdout: out,
      stderr: concatBytes(stderr),
      stdoutText: new TextDecoder().decode(out),
      exitStatus,
      outcome,
      steps,
      summary,
    };
  };
  let machine;
  try {
    machine = createMachine(executable, {
      argv: options.argv ?? ['program'],
      env: options.env ?? [],
      stdin: asBytes(options.stdin ?? ''),
      stdout: (b) => stdout.push(b.slice()),
      stderr: (b) => stderr.push(b.slice()),
    });
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    return collected({ kind: 'load-error', message: e.message }, 126, 0, `cannot run: ${e.message}`);
  }
  const outcome = machine.run(options.maxSteps ?? DEFAULT_MAX_STEPS);
  const status = outcome.kind === 'limit' ? 124 : outcome.status;
  return collected(outcome, status, machine.steps, summaryOf(outcome));
}
