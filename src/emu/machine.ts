/**
 * The library API: `createMachine(elfBytes, options)` loads a static
 * executable and gives a machine to `step()` instruction by instruction or
 * `run()` to the end, with its registers, memory and output in view.
 * Faults end the run as Linux would end the process: the signal, and the
 * shell's exit status 128 + signal number. No Node APIs: files and output
 * come and go through the callbacks in MachineOptions.
 */
import { Cpu, REGISTER_NAMES_32, REGISTER_NAMES_64, RSP } from './cpu.js';
import { decodeAt, InvalidOpcode, type Instr, type Mode } from './decode.js';
import { CpuFault, execute, type Signal } from './execute.js';
import { FileTable } from './files.js';
import { loadElf, LoadError } from './loader.js';
import { Memory, MemoryCapExceeded, MemoryFault, PAGE_SIZE } from './memory.js';
import { ProcessExit, systemCall, type Process } from './syscalls.js';

export interface MachineOptions {
  argv?: readonly string[];
  env?: readonly string[];
  stdin?: Uint8Array;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  /** Most bytes of memory the process may map (default 256 MiB); beyond it brk and mmap fail with ENOMEM. */
  memoryCap?: number;
  /** Receives one line per system call (strace). */
  strace?: (line: string) => void;
  /** Receives notices about the run itself (the memory cap reached). */
  notice?: (line: string) => void;
  /** Bytes of a file the program opens (read-only), or null if there is none. Without it, open fails with ENOENT. */
  readFile?: (path: string) => Uint8Array | null;
  /** Whether descriptor 0, 1 or 2 is a terminal (default: none is). */
  isatty?: (fd: number) => boolean;
  /** Clock for time/clock_gettime in milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

const SIGNAL_NUMBER: Record<Signal, number> = { SIGILL: 4, SIGTRAP: 5, SIGFPE: 8, SIGSEGV: 11 };
/** What a shell prints for a process killed by each signal. */
export const SIGNAL_TEXT: Record<Signal, string> = {
  SIGILL: 'Illegal instruction',
  SIGTRAP: 'Trace/breakpoint trap',
  SIGFPE: 'Floating point exception',
  SIGSEGV: 'Segmentation fault',
};

export type Outcome =
  | { kind: 'exit'; status: number }
  | { kind: 'signal'; signal: Signal; status: number; detail: string }
  | { kind: 'limit'; steps: number };

export interface Machine {
  readonly mode: Mode;
  readonly cpu: Cpu;
  readonly memory: Memory;
  /** Instructions executed so far. */
  readonly steps: number;
  /** Set once the process has ended. */
  readonly outcome: Outcome | null;
  /** The instruction at the current instruction pointer (decoded once per address). */
  current(): Instr;
  /** Executes one instruction; returns the outcome if the process ended. */
  step(): Outcome | null;
  /** Runs until the process ends or `maxSteps` instructions have run in all. */
  run(maxSteps?: number): Outcome;
  /** Register values by name (rax…r15 or eax…edi, rip/eip, eflags, fs_base/gs_base). */
  registers(): Record<string, bigint>;
  readMemory(address: number, length: number): Uint8Array;
}

const DEFAULT_RANDOM = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
const MMAP_BASE: Record<Mode, number> = { 32: 0xa0000000, 64: 0x7f0000000000 };

function newProcess(options: MachineOptions, brk: number, mode: Mode, memory: Memory): Process {
  const notice = options.notice;
  const capNotice = (): void => {
    notice?.(`memory cap of ${memory.capBytes} bytes reached: the program's request fails with ENOMEM`);
  };
  const process: Process = {
    stdout: options.stdout ?? (() => undefined),
    stderr: options.stderr ?? (() => undefined),
    stdin: options.stdin ?? new Uint8Array(0),
    stdinOffset: 0,
    brk,
    initialBrk: brk,
    brkLimit: brk + 0x40000000,
    mmapNext: MMAP_BASE[mode],
    files: new FileTable({ readFile: options.readFile ?? null, isatty: options.isatty ?? (() => false) }),
    now: options.now ?? (() => Date.now()),
    strace: options.strace ?? null,
    capNotice,
  };
  return process;
}

export function createMachine(elf: Uint8Array, options: MachineOptions = {}): Machine {
  const memory = new Memory(options.memoryCap ?? 256 * 1024 * 1024);
  const argv = options.argv ?? ['program'];
  let image;
  try {
    image = loadElf(elf, memory, { argv, env: options.env ?? [], random: DEFAULT_RANDOM });
  } catch (e) {
    if (e instanceof MemoryCapExceeded) throw new LoadError(`the program does not fit: ${e.message}`);
    throw e;
  }
  const mode = image.mode;
  const cpu = new Cpu(mode, memory);
  cpu.ip = image.entry;
  cpu.setRegNumber(RSP, image.stackPointer);
  const process = newProcess(options, image.brk, mode, memory);
  const kernel = {
    syscall: (c: Cpu): void => {
      systemCall(c, process);
    },
  };
  const cache = new Map<number, Instr>();
  memory.onCodeWrite = (page) => {
    for (const [address, ins] of cache)
      if (Math.floor(address / PAGE_SIZE) === page) {
        ins.stale = true;
        cache.delete(address);
      }
  };
  let steps = 0;
  let outcome: Outcome | null = null;
  cpu.ticks = () => steps;

  const decode = (): Instr => {
    const window = memory.readAvailable(cpu.ip, 15);
    if (window.length === 0) throw new MemoryFault(cpu.ip, false);
    const ins = decodeAt(window, cpu.ip, mode);
    memory.markCode(cpu.ip);
    memory.markCode(cpu.ip + ins.length - 1);
    cache.set(cpu.ip, ins);
    return ins;
  };
  const fetch = (): Instr => cache.get(cpu.ip) ?? decode();

  const signal = (sig: Signal, detail: string): Outcome => ({
    kind: 'signal',
    signal: sig,
    status: 128 + SIGNAL_NUMBER[sig],
    detail,
  });

  /** The outcome an exception from execution means, or rethrows one that is not the program's doing. */
  const ended = (e: unknown): Outcome => {
    if (e instanceof ProcessExit) return { kind: 'exit', status: e.status };
    if (e instanceof MemoryFault) return signal('SIGSEGV', e.message);
    if (e instanceof CpuFault) return signal(e.signal, e.message);
    if (e instanceof InvalidOpcode) return signal('SIGILL', e.message);
    throw e;
  };

  /**
   * Runs up to `limit` instructions in all. The hot path: no per-instruction
   * try, and each instruction remembers the one that ran after it (falling
   * through, and its last branch target), so a loop seldom looks in the cache.
   */
  const runTo = (limit: number): void => {
    try {
      let ins = fetch();
      while (steps < limit) {
        const after = ins.address + ins.length;
        cpu.ip = after;
        steps++;
        execute(cpu, ins, kernel);
        if (steps >= limit) break;
        const ip = cpu.ip;
        let next = ip === after ? ins.next : ins.jump;
        if (next === null || next.address !== ip || next.stale) {
          next = fetch();
          if (ip === after) ins.next = next;
          else ins.jump = next;
        }
        ins = next;
      }
    } catch (e) {
      outcome = ended(e);
    }
  };

  const names = mode === 64 ? REGISTER_NAMES_64 : REGISTER_NAMES_32;
  return {
    mode,
    cpu,
    memory,
    get steps() {
      return steps;
    },
    get outcome() {
      return outcome;
    },
    current: fetch,
    step() {
      if (!outcome) runTo(steps + 1);
      return outcome;
    },
    run(maxSteps = Infinity) {
      if (!outcome) runTo(maxSteps);
      return outcome ?? { kind: 'limit', steps };
    },
    registers() {
      const out: Record<string, bigint> = {};
      names.forEach((n, i) => (out[n] = (BigInt(cpu.hi[i] as number) << 32n) | BigInt(cpu.lo[i] as number)));
      out[mode === 64 ? 'rip' : 'eip'] = BigInt(cpu.ip);
      out['eflags'] = BigInt(cpu.flags);
      return out;
    },
    readMemory: (address, length) => memory.readBytes(address, length),
  };
}
