/**
 * The Linux system calls a static program needs to start, print and exit,
 * for both ABIs: i386 (`int 0x80`: number in eax, arguments in ebx, ecx,
 * edx, esi, edi, ebp) and x86-64 (`syscall`: rax; rdi, rsi, rdx, r10, r8,
 * r9; rcx and r11 clobbered). Unknown calls return -ENOSYS.
 */
import { RAX, type Cpu } from './cpu.js';
import type { Mode } from './decode.js';
import { MemoryFault, PAGE_SIZE } from './memory.js';

const ENOSYS = 38;
const EBADF = 9;
const EFAULT = 14;
const EINVAL = 22;

type Name = 'exit' | 'exit_group' | 'read' | 'write' | 'writev' | 'brk' | 'getpid' | 'uname' | 'arch_prctl';

const NUMBERS: Record<Mode, Partial<Record<number, Name>>> = {
  32: { 1: 'exit', 3: 'read', 4: 'write', 20: 'getpid', 45: 'brk', 122: 'uname', 146: 'writev', 252: 'exit_group' },
  64: {
    0: 'read',
    1: 'write',
    12: 'brk',
    20: 'writev',
    39: 'getpid',
    60: 'exit',
    63: 'uname',
    158: 'arch_prctl',
    231: 'exit_group',
  },
};

const ARG_REGS: Record<Mode, readonly number[]> = { 32: [3, 1, 2, 6, 7, 5], 64: [7, 6, 2, 10, 8, 9] };

/** The process asked to end. */
export class ProcessExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

export interface Process {
  stdout: (bytes: Uint8Array) => void;
  stderr: (bytes: Uint8Array) => void;
  stdin: Uint8Array;
  stdinOffset: number;
  brk: number;
  readonly initialBrk: number;
  /** How far brk may grow (the memory cap bounds it too). */
  readonly brkLimit: number;
  /** Called with each call's description and result when --strace is on. */
  strace: ((line: string) => void) | null;
}

export function systemCall(cpu: Cpu, process: Process): void {
  const mode = cpu.mode;
  const number = Number(cpu.regs[RAX]! & 0xffffffffn);
  const args = ARG_REGS[mode].map((r) => cpu.regs[r]! & cpu.addrMask);
  const name = NUMBERS[mode][number];
  let result: bigint;
  if (process.strace && (name === 'exit' || name === 'exit_group')) process.strace(`${name}(${args[0] ?? 0n}) = ?`);
  try {
    result = name ? dispatch(name, args, cpu, process) : BigInt(-ENOSYS);
  } catch (e) {
    if (e instanceof MemoryFault) result = BigInt(-EFAULT);
    else throw e;
  }
  if (process.strace) {
    const shown = args.slice(0, 3).map((a) => '0x' + a.toString(16));
    const label = name ?? `syscall_${number}`;
    process.strace(`${label}(${shown.join(', ')}) = ${result}${name ? '' : ' ENOSYS (not implemented)'}`);
  }
  if (mode === 64) {
    cpu.regs[1] = BigInt(cpu.ip); // rcx and r11 as the syscall instruction leaves them
    cpu.regs[11] = BigInt(cpu.flags);
  }
  cpu.regs[RAX] = result & cpu.addrMask;
}

function writeTo(process: Process, fd: number, data: Uint8Array): bigint {
  if (fd === 1) process.stdout(data);
  else if (fd === 2) process.stderr(data);
  else return BigInt(-EBADF);
  return BigInt(data.length);
}

function dispatch(name: Name, args: bigint[], cpu: Cpu, process: Process): bigint {
  const arg = (i: number): number => Number(args[i] ?? 0n);
  const memory = cpu.memory;
  switch (name) {
    case 'exit':
    case 'exit_group':
      throw new ProcessExit(arg(0) & 0xff);
    case 'write':
      return writeTo(process, arg(0), memory.readBytes(arg(1), arg(2)));
    case 'writev': {
      const word = cpu.width;
      const parts: Uint8Array[] = [];
      for (let i = 0; i < arg(2); i++) {
        const base = Number(memory.read(arg(1) + i * 2 * word, word));
        const len = Number(memory.read(arg(1) + i * 2 * word + word, word));
        parts.push(memory.readBytes(base, len));
      }
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      return writeTo(process, arg(0), all);
    }
    case 'read': {
      if (arg(0) !== 0) return BigInt(-EBADF);
      const chunk = process.stdin.subarray(process.stdinOffset, process.stdinOffset + arg(2));
      memory.writeBytes(arg(1), chunk);
      process.stdinOffset += chunk.length;
      return BigInt(chunk.length);
    }
    case 'brk': {
      const want = arg(0);
      if (want < process.initialBrk || want > process.brkLimit) return BigInt(process.brk);
      if (want > process.brk) {
        try {
          memory.map(process.brk, want - process.brk, true);
        } catch {
          return BigInt(process.brk);
        }
      } else {
        const pageUp = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
        memory.unmap(pageUp(want), pageUp(process.brk) - pageUp(want));
      }
      process.brk = want;
      return BigInt(want);
    }
    case 'getpid':
      return 1000n;
    case 'uname': {
      const fields = ['Linux', 'tsrun', '6.1.0-tsrun', '#1 SMP', cpu.mode === 64 ? 'x86_64' : 'i686', '(none)'];
      const encoder = new TextEncoder();
      fields.forEach((f, i) => {
        const b = new Uint8Array(65);
        b.set(encoder.encode(f));
        memory.writeBytes(arg(0) + i * 65, b);
      });
      return 0n;
    }
    case 'arch_prctl': {
      const ARCH_SET_FS = 0x1002;
      if (arg(0) !== ARCH_SET_FS) return BigInt(-EINVAL);
      cpu.fsBase = args[1] ?? 0n;
      return 0n;
    }
  }
}
