/**
 * The Linux system calls a static program (ours, or gcc's with glibc or
 * musl) needs, for both ABIs: i386 (`int 0x80`: number in eax, arguments in
 * ebx, ecx, edx, esi, edi, ebp) and x86-64 (`syscall`: rax; rdi, rsi, rdx,
 * r10, r8, r9; rcx and r11 clobbered). Calls a static program makes only to
 * set up signals or threads it never uses succeed without doing anything;
 * unknown calls return -ENOSYS (and --strace says so).
 */
import { RAX, TLS_ENTRY, type Cpu } from './cpu.js';
import type { Mode } from './decode.js';
import { EBADF, EINVAL, ENOENT, ENOTTY, FileTable, writeStat } from './files.js';
import { MemoryCapExceeded, MemoryFault, PAGE_SIZE } from './memory.js';

const ENOSYS = 38;
const EFAULT = 14;
const ENOMEM = 12;

type Name =
  | 'exit'
  | 'exit_group'
  | 'read'
  | 'write'
  | 'writev'
  | 'open'
  | 'openat'
  | 'close'
  | 'lseek'
  | '_llseek'
  | 'brk'
  | 'mmap'
  | 'mmap2'
  | 'munmap'
  | 'mprotect'
  | 'madvise'
  | 'fstat'
  | 'fstat64'
  | 'newfstatat'
  | 'fstatat64'
  | 'getpid'
  | 'gettid'
  | 'getuid'
  | 'uname'
  | 'ioctl'
  | 'time'
  | 'clock_gettime'
  | 'gettimeofday'
  | 'arch_prctl'
  | 'set_thread_area'
  | 'set_tid_address'
  | 'set_robust_list'
  | 'rt_sigaction'
  | 'rt_sigprocmask'
  | 'sigaltstack'
  | 'getrandom'
  | 'futex'
  | 'readlink'
  | 'access'
  | 'getcwd';

// prettier-ignore
const NUMBERS: Record<Mode, Partial<Record<number, Name>>> = {
  32: {
    1: 'exit', 3: 'read', 4: 'write', 5: 'open', 6: 'close', 13: 'time', 19: 'lseek', 20: 'getpid', 24: 'getuid',
    33: 'access', 45: 'brk', 47: 'getuid', 49: 'getuid', 50: 'getuid', 54: 'ioctl', 78: 'gettimeofday',
    85: 'readlink', 91: 'munmap', 122: 'uname', 125: 'mprotect', 140: '_llseek', 146: 'writev', 174: 'rt_sigaction',
    175: 'rt_sigprocmask', 183: 'getcwd', 186: 'sigaltstack', 192: 'mmap2', 197: 'fstat64', 199: 'getuid',
    200: 'getuid', 201: 'getuid', 202: 'getuid', 219: 'madvise', 224: 'gettid', 240: 'futex', 243: 'set_thread_area',
    252: 'exit_group', 258: 'set_tid_address', 265: 'clock_gettime', 295: 'openat', 300: 'fstatat64',
    311: 'set_robust_list', 355: 'getrandom', 403: 'clock_gettime',
  },
  64: {
    0: 'read', 1: 'write', 2: 'open', 3: 'close', 5: 'fstat', 8: 'lseek', 9: 'mmap', 10: 'mprotect', 11: 'munmap',
    12: 'brk', 13: 'rt_sigaction', 14: 'rt_sigprocmask', 16: 'ioctl', 20: 'writev', 21: 'access', 28: 'madvise',
    39: 'getpid', 60: 'exit', 63: 'uname', 79: 'getcwd', 89: 'readlink', 96: 'gettimeofday', 102: 'getuid',
    104: 'getuid', 107: 'getuid', 108: 'getuid', 131: 'sigaltstack', 158: 'arch_prctl', 186: 'gettid', 201: 'time',
    202: 'futex', 218: 'set_tid_address', 228: 'clock_gettime', 231: 'exit_group', 257: 'openat',
    262: 'newfstatat', 273: 'set_robust_list', 318: 'getrandom',
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
  /** Where the next anonymous mapping is tried. */
  mmapNext: number;
  readonly files: FileTable;
  /** Milliseconds since the epoch, for time and clock_gettime. */
  readonly now: () => number;
  /** Says that the memory cap stopped a request. */
  readonly capNotice: () => void;
  /** Called with each call's description and result when --strace is on. */
  strace: ((line: string) => void) | null;
}

const TWO_32 = 4294967296;

/** A full-width register as an unsigned number (64-bit: exact below 2^53, which holds every real argument). */
const argument = (cpu: Cpu, reg: number): number => (cpu.mode === 64 ? cpu.regNumber(reg) : (cpu.lo[reg] as number));

export function systemCall(cpu: Cpu, process: Process): void {
  const mode = cpu.mode;
  const number = cpu.lo[RAX] as number;
  const args = ARG_REGS[mode].map((r) => argument(cpu, r));
  const name = NUMBERS[mode][number];
  let result: number;
  if (process.strace && (name === 'exit' || name === 'exit_group')) process.strace(`${name}(${args[0] ?? 0}) = ?`);
  try {
    result = name ? dispatch(name, args, cpu, process) : -ENOSYS;
  } catch (e) {
    if (e instanceof MemoryFault) result = -EFAULT;
    else if (e instanceof MemoryCapExceeded) {
      process.capNotice();
      result = -ENOMEM;
    } else throw e;
  }
  if (process.strace) {
    const shown = args.slice(0, 3).map((a) => '0x' + a.toString(16));
    const label = name ?? `syscall_${number}`;
    process.strace(`${label}(${shown.join(', ')}) = ${result}${name ? '' : ' ENOSYS (not implemented)'}`);
  }
  if (mode === 64) {
    cpu.setRegNumber(1, cpu.ip); // rcx and r11 as the syscall instruction leaves them
    cpu.setReg(11, 8, cpu.flags, 0, 0);
  }
  cpu.setRegNumber(RAX, result);
}

function writeTo(process: Process, fd: number, data: Uint8Array): number {
  if (fd === 1) process.stdout(data);
  else if (fd === 2) process.stderr(data);
  else return -EBADF;
  return data.length;
}

function gather(cpu: Cpu, iov: number, count: number): Uint8Array {
  const word = cpu.width;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const base =
      cpu.memory.read32(iov + i * 2 * word) + (word === 8 ? cpu.memory.read32(iov + i * 16 + 4) * TWO_32 : 0);
    const len = cpu.memory.read32(iov + i * 2 * word + word);
    parts.push(cpu.memory.readBytes(base, len));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

function readCString(cpu: Cpu, address: number): string {
  const bytes: number[] = [];
  for (let b = cpu.memory.read8(address); b !== 0 && bytes.length < 4096; b = cpu.memory.read8(address + bytes.length))
    bytes.push(b);
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

function read(cpu: Cpu, process: Process, fd: number, buffer: number, max: number): number {
  let chunk: Uint8Array;
  if (fd === 0) {
    chunk = process.stdin.subarray(process.stdinOffset, process.stdinOffset + max);
    process.stdinOffset += chunk.length;
  } else {
    const r = process.files.read(fd, max);
    if (typeof r === 'number') return r;
    chunk = r;
  }
  cpu.memory.writeBytes(buffer, chunk);
  return chunk.length;
}

function brk(cpu: Cpu, process: Process, want: number): number {
  if (want < process.initialBrk || want > process.brkLimit) return process.brk;
  const pageUp = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
  if (want > process.brk) {
    try {
      cpu.memory.map(process.brk, want - process.brk, true);
    } catch (e) {
      if (!(e instanceof MemoryCapExceeded)) throw e;
      process.capNotice();
      return process.brk;
    }
  } else cpu.memory.unmap(pageUp(want), pageUp(process.brk) - pageUp(want));
  process.brk = want;
  return want;
}

const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;

/** mmap: anonymous or private file mappings, placed upward from the mapping base (or where MAP_FIXED says). */
function mmap(cpu: Cpu, process: Process, args: number[], pageOffsetUnit: number): number {
  const [hint = 0, length = 0, , flags = 0, fd = 0, offset = 0] = args;
  if (length === 0) return -EINVAL;
  const size = Math.ceil(length / PAGE_SIZE) * PAGE_SIZE;
  let at = hint;
  if (!(flags & MAP_FIXED)) {
    at = process.mmapNext;
    while (!cpu.memory.isFree(at, size)) at += PAGE_SIZE;
    process.mmapNext = at + size;
  } else cpu.memory.unmap(at, size);
  cpu.memory.map(at, size, true);
  cpu.memory.writeBytes(at, new Uint8Array(size));
  if (!(flags & MAP_ANONYMOUS)) {
    const f = process.files.get(cpu.mode === 32 ? fd | 0 : fd);
    if (!f) return -EBADF;
    const start = offset * pageOffsetUnit;
    cpu.memory.writeBytes(at, f.data.subarray(start, Math.min(f.data.length, start + length)));
  }
  return at;
}

function stat(cpu: Cpu, process: Process, fd: number, address: number): number {
  const info = process.files.describe(fd);
  if (typeof info === 'number') return info;
  writeStat(cpu.memory, cpu.mode, address, info, 100 + fd);
  return 0;
}

function timespec(cpu: Cpu, address: number, ms: number, micro: boolean): void {
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor((ms % 1000) * (micro ? 1000 : 1e6));
  const w = cpu.width;
  cpu.memory.write32(address, seconds >>> 0);
  if (w === 8) cpu.memory.write32(address + 4, 0);
  cpu.memory.write32(address + w, fraction);
  if (w === 8) cpu.memory.write32(address + 12, 0);
}

function dispatch(name: Name, args: number[], cpu: Cpu, process: Process): number {
  const arg = (i: number): number => args[i] ?? 0;
  const memory = cpu.memory;
  switch (name) {
    case 'exit':
    case 'exit_group':
      throw new ProcessExit(arg(0) & 0xff);
    case 'write':
      return writeTo(process, arg(0), memory.readBytes(arg(1), arg(2)));
    case 'writev':
      return writeTo(process, arg(0), gather(cpu, arg(1), arg(2)));
    case 'read':
      return read(cpu, process, arg(0), arg(1), arg(2));
    case 'open':
      return process.files.openPath(readCString(cpu, arg(0)), arg(1));
    case 'openat':
      return process.files.openPath(readCString(cpu, arg(1)), arg(2));
    case 'close':
      return process.files.close(arg(0));
    case 'lseek':
      return process.files.lseek(arg(0), cpu.mode === 32 ? arg(1) | 0 : arg(1), arg(2));
    case '_llseek': {
      const r = process.files.lseek(arg(0), arg(1) * TWO_32 + arg(2), arg(4));
      if (r >= 0) memory.write64(arg(3), r >>> 0, Math.floor(r / TWO_32));
      return r < 0 ? r : 0;
    }
    case 'brk':
      return brk(cpu, process, arg(0));
    case 'mmap':
      return mmap(cpu, process, args, 1);
    case 'mmap2':
      return mmap(cpu, process, args, PAGE_SIZE);
    case 'munmap':
      memory.unmap(arg(0), Math.ceil(arg(1) / PAGE_SIZE) * PAGE_SIZE);
      return 0;
    case 'fstat':
    case 'fstat64':
      return stat(cpu, process, arg(0), arg(1));
    case 'newfstatat':
    case 'fstatat64': {
      const AT_EMPTY_PATH = 0x1000;
      if (!(arg(3) & AT_EMPTY_PATH) || readCString(cpu, arg(1)) !== '') return -ENOENT;
      return stat(cpu, process, arg(0), arg(2));
    }
    case 'ioctl': {
      const TCGETS = 0x5401;
      const TIOCGWINSZ = 0x5413;
      if (arg(0) > 2 && !process.files.get(arg(0))) return -EBADF;
      if ((arg(1) === TCGETS || arg(1) === TIOCGWINSZ) && arg(0) <= 2 && process.files.host.isatty(arg(0))) {
        memory.writeBytes(arg(2), new Uint8Array(arg(1) === TCGETS ? 36 : 8));
        if (arg(1) === TIOCGWINSZ) memory.writeBytes(arg(2), Uint8Array.from([24, 0, 80, 0]));
        return 0;
      }
      return -ENOTTY;
    }
    case 'uname': {
      const fields = ['Linux', 'tsrun', '6.1.0-tsrun', '#1 SMP', cpu.mode === 64 ? 'x86_64' : 'i686', '(none)'];
      const encoder = new TextEncoder();
      fields.forEach((f, i) => {
        const b = new Uint8Array(65);
        b.set(encoder.encode(f));
        memory.writeBytes(arg(0) + i * 65, b);
      });
      return 0;
    }
    case 'time': {
      const seconds = Math.floor(process.now() / 1000);
      if (arg(0) !== 0) memory.write32(arg(0), seconds >>> 0);
      return seconds;
    }
    case 'clock_gettime':
      timespec(cpu, arg(1), process.now(), false);
      return 0;
    case 'gettimeofday':
      if (arg(0) !== 0) timespec(cpu, arg(0), process.now(), true);
      return 0;
    case 'arch_prctl': {
      const ARCH_SET_FS = 0x1002;
      const ARCH_GET_FS = 0x1003;
      if (arg(0) === ARCH_SET_FS) cpu.fsBase = arg(1);
      else if (arg(0) === ARCH_GET_FS) memory.write64(arg(1), cpu.fsBase >>> 0, Math.floor(cpu.fsBase / TWO_32));
      else return -EINVAL;
      return 0;
    }
    case 'set_thread_area':
      return setThreadArea(cpu, arg(0));
    case 'getrandom': {
      const bytes = Uint8Array.from({ length: arg(1) }, (_, i) => (i * 131 + 7) & 0xff);
      memory.writeBytes(arg(0), bytes);
      return arg(1);
    }
    case 'getcwd':
      memory.writeBytes(arg(0), Uint8Array.from([0x2f, 0]));
      return 2;
    case 'readlink':
    case 'access':
      return -ENOENT;
    case 'getpid':
    case 'gettid':
    case 'set_tid_address':
      return 1000;
    case 'getuid':
    case 'mprotect':
    case 'madvise':
    case 'set_robust_list':
    case 'rt_sigaction':
    case 'rt_sigprocmask':
    case 'sigaltstack':
    case 'futex':
      return 0;
  }
}

/** i386 set_thread_area(struct user_desc *): one TLS segment whose base becomes gs's base when gs is loaded. */
function setThreadArea(cpu: Cpu, desc: number): number {
  const entry = cpu.memory.read32(desc);
  if (entry !== 0xffffffff && entry !== TLS_ENTRY) return -EINVAL;
  cpu.memory.write32(desc, TLS_ENTRY);
  cpu.tlsBase = cpu.memory.read32(desc + 4);
  return 0;
}
