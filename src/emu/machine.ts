/**
 * The library API: `createMachine(elfBytes, options)` loads a static
 * executable and gives a machine to `step()` instruction by instruction or
 * `run()` to the end, with its registers, memory and output in view.
 * Faults end the run as Linux would end the process: the signal, and the
 * shell's exit status 128 + signal number.
 */
import { Cpu, REGISTER_NAMES_32, REGISTER_NAMES_64 } from './cpu.js';
import { decodeAt, InvalidOpcode, type Instr, type Mode } from './decode.js';
import { CpuFault, execute, type Signal } from './execute.js';
import { loadElf } from './loader.js';
import { Memory, MemoryCapExceeded, MemoryFault } from './memory.js';
import { ProcessExit, systemCall, type Process } from './syscalls.js';

export interface MachineOptions {
  argv?: readonly string[];
  env?: readonly string[];
  stdin?: Uint8Array;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  /** Most bytes of memory the process may map (default 256 MiB). */
  memoryCap?: number;
  /** Receives one line per system call (strace). */
  strace?: (line: string) => void;
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
  /** Runs until the process ends or `maxSteps` instructions have run. */
  run(maxSteps?: number): Outcome;
  /** Register values by name (rax…r15 or eax…edi, rip/eip, eflags). */
  registers(): Record<string, bigint>;
  readMemory(address: number, length: number): Uint8Array;
}

const DEFAULT_RANDOM = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);

export function createMachine(elf: Uint8Array, options: MachineOptions = {}): Machine {
  const memory = new Memory(options.memoryCap ?? 256 * 1024 * 1024);
  const argv = options.argv ?? ['program'];
  const image = loadElf(elf, memory, { argv, env: options.env ?? [], random: DEFAULT_RANDOM });
  const cpu = new Cpu(image.mode, memory);
  cpu.ip = image.entry;
  cpu.regs[4] = BigInt(image.stackPointer);
  const process: Process = {
    stdout: options.stdout ?? (() => undefined),
    stderr: options.stderr ?? (() => undefined),
    stdin: options.stdin ?? new Uint8Array(0),
    stdinOffset: 0,
    brk: image.brk,
    initialBrk: image.brk,
    brkLimit: image.brk + 0x40000000,
    strace: options.strace ?? null,
  };
  const kernel = {
    syscall: (c: Cpu): void => {
      systemCall(c, process);
    },
  };
  const cache = new Map<number, Instr>();
  let steps = 0;
  let outcome: Outcome | null = null;

  const fetch = (): Instr => {
    let ins = cache.get(cpu.ip);
    if (!ins) {
      const window = memory.readAvailable(cpu.ip, 15);
      if (window.length === 0) throw new MemoryFault(cpu.ip, false);
      ins = decodeAt(window, cpu.ip, image.mode);
      cache.set(cpu.ip, ins);
    }
    return ins;
  };

  const signal = (sig: Signal, detail: string): Outcome => ({
    kind: 'signal',
    signal: sig,
    status: 128 + SIGNAL_NUMBER[sig],
    detail,
  });

  const step = (): Outcome | null => {
    if (outcome) return outcome;
    try {
      const ins = fetch();
      cpu.ip = ins.address + ins.length;
      execute(cpu, ins, kernel);
      steps++;
    } catch (e) {
      steps++;
      if (e instanceof ProcessExit) outcome = { kind: 'exit', status: e.status };
      else if (e instanceof MemoryFault) outcome = signal('SIGSEGV', e.message);
      else if (e instanceof CpuFault) outcome = signal(e.signal, e.message);
      else if (e instanceof InvalidOpcode) outcome = signal('SIGILL', e.message);
      else if (e instanceof MemoryCapExceeded) outcome = signal('SIGSEGV', e.message);
      else throw e;
    }
    return outcome;
  };

  const names = image.mode === 64 ? REGISTER_NAMES_64 : REGISTER_NAMES_32;
  return {
    mode: image.mode,
    cpu,
    memory,
    get steps() {
      return steps;
    },
    get outcome() {
      return outcome;
    },
    current: fetch,
    step,
    run(maxSteps = Infinity) {
      while (!outcome) {
        if (steps >= maxSteps) return { kind: 'limit', steps };
        step();
      }
      return outcome;
    },
    registers() {
      const out: Record<string, bigint> = {};
      names.forEach((n, i) => (out[n] = cpu.regs[i]!));
      out[image.mode === 64 ? 'rip' : 'eip'] = BigInt(cpu.ip);
      out['eflags'] = BigInt(cpu.flags);
      return out;
    },
    readMemory: (address, length) => memory.readBytes(address, length),
  };
}
