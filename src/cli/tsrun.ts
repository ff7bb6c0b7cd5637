/**
 * tsrun: runs a static Linux i386 or x86-64 executable under the emulator
 * (src/emu) on any machine that runs Node. `tsrun [options] EXE [args...]`;
 * the exit status is the program's, or 128 + signal when a fault ends it,
 * as a shell reports. --trace and --strace write to stderr so the program's
 * own output stays on stdout. `main` does no process-level I/O of its own.
 */
import { readFileSync } from 'node:fs';
import { createMachine, LoadError, SIGNAL_TEXT, type Machine, type Outcome } from '../emu/index.js';
import { errorCode, errorMessage } from './io.js';
import { runCli } from './launch.js';

export interface TsrunIo {
  stdout: (bytes: Uint8Array) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Uint8Array;
  stdin: () => Uint8Array;
  env: readonly string[];
  /** Whether descriptor 0, 1 or 2 is a terminal (for the program's ioctl/fstat); none when absent. */
  isatty?: (fd: number) => boolean;
}

const USAGE = `usage: tsrun [--trace] [--strace] [--max-steps N] [--max-memory MIB] EXE [args...]
  --trace           print each instruction (address, bytes, disassembly) and the registers it changed
  --strace          print each system call and its result
  --max-steps N     stop after N instructions (status 124)
  --max-memory MIB  most memory the program may map (default 256); beyond it brk/mmap fail with ENOMEM
`;

interface Options {
  trace: boolean;
  strace: boolean;
  maxSteps: number;
  maxMemoryMiB: number;
  file: string;
  args: string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const o: Options = { trace: false, strace: false, maxSteps: Infinity, maxMemoryMiB: 256, file: '', args: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--trace') o.trace = true;
    else if (a === '--strace') o.strace = true;
    else if (a === '--max-steps' || a.startsWith('--max-steps=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || !/^[0-9]+$/.test(v)) throw new UsageError(`--max-steps needs a number of instructions`);
      o.maxSteps = Number(v);
    } else if (a === '--max-memory' || a.startsWith('--max-memory=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || !/^[0-9]+$/.test(v) || Number(v) === 0)
        throw new UsageError(`--max-memory needs a size in MiB`);
      o.maxMemoryMiB = Number(v);
    } else throw new UsageError(`unknown option '${a}'`);
  }
  const file = argv[i];
  if (file === undefined) throw new UsageError('no executable given');
  o.file = file;
  o.args = argv.slice(i + 1);
  return o;
}

const hex = (v: bigint | number): string => '0x' + v.toString(16);

/** Runs with a line per instruction: address, bytes, text, then each register whose value changed. */
function traced(m: Machine, maxSteps: number, write: (text: string) => void): Outcome {
  let before = m.registers();
  while (!m.outcome) {
    if (m.steps >= maxSteps) return { kind: 'limit', steps: m.steps };
    let line: string;
    try {
      const ins = m.current();
      const bytes = Array.from(ins.bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      line = `${hex(ins.address).padStart(10)}  ${bytes.padEnd(20)} ${ins.text}`;
    } catch {
      line = `${hex(m.cpu.ip).padStart(10)}  (cannot fetch)`;
    }
    m.step();
    const after = m.registers();
    const changed = Object.keys(after)
      .filter((k) => !/^[re]ip$/.test(k) && after[k] !== before[k])
      .map((k) => `${k}=${hex(after[k] ?? 0n)}`);
    write(`${line}${changed.length > 0 ? '  ; ' + changed.join(' ') : ''}\n`);
    before = after;
  }
  return m.outcome;
}

export function main(argv: readonly string[], io: TsrunIo): number {
  let options: Options | 'help';
  try {
    options = parseArgs(argv);
  } catch (e) {
    io.stderr(`tsrun: error: ${errorMessage(e)}\n${USAGE}`);
    return 1;
  }
  if (options === 'help') {
    io.stderr(USAGE);
    return 0;
  }
  const { file } = options;
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    const reason = errorCode(e) === 'ENOENT' ? 'No such file or directory' : errorMessage(e);
    io.stderr(`tsrun: ${file}: ${reason}\n`);
    return 127;
  }
  const decoder = new TextDecoder();
  let machine: Machine;
  try {
    machine = createMachine(bytes, {
      argv: [file, ...options.args],
      env: io.env,
      stdin: io.stdin(),
      stdout: io.stdout,
      memoryCap: options.maxMemoryMiB * 1024 * 1024,
      readFile: (path: string) => {
        try {
          return io.readFile(path);
        } catch {
          return null;
        }
      },
      isatty: io.isatty ?? (() => false),
      notice: (line: string) => {
        io.stderr(`tsrun: ${line} (--max-memory ${options.maxMemoryMiB})\n`);
      },
      stderr: (b) => {
        io.stderr(decoder.decode(b));
      },
      ...(options.strace
        ? {
            strace: (line: string) => {
              io.stderr(`[strace] ${line}\n`);
            },
          }
        : {}),
    });
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    io.stderr(`tsrun: ${file}: cannot run: ${e.message}\n`);
    return 126;
  }
  const outcome = options.trace ? traced(machine, options.maxSteps, io.stderr) : machine.run(options.maxSteps);
  switch (outcome.kind) {
    case 'exit':
      return outcome.status;
    case 'limit':
      io.stderr(`tsrun: stopped after ${outcome.steps} instructions (--max-steps ${options.maxSteps})\n`);
      return 124;
    case 'signal':
      io.stderr(`${SIGNAL_TEXT[outcome.signal]}\ntsrun: ${outcome.signal}: ${outcome.detail}\n`);
      return outcome.status;
  }
}

/** bin/tsrun.js: run with the Node process's arguments and I/O; returns the exit status. */
export function run(): Promise<number> {
  return runCli('tsrun', (argv) =>
    main(argv, {
      stdout: (b) => process.stdout.write(b),
      stderr: (text) => process.stderr.write(text),
      readFile: (path) => new Uint8Array(readFileSync(path)),
      // stdin is read only when the program asks; a terminal gives nothing up front in this first version.
      stdin: () => (process.stdin.isTTY ? new Uint8Array(0) : new Uint8Array(readFileSync(0))),
      env: Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`),
      isatty: (fd) => [process.stdin, process.stdout, process.stderr][fd]?.isTTY === true,
    }),
  );
}
