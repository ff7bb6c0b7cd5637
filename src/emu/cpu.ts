/**
 * The processor state of one emulated thread and operand access: general
 * registers (eight in 32-bit code, sixteen in 64-bit) each held as two
 * unsigned 32-bit halves, the instruction pointer, EFLAGS, the fs/gs bases,
 * the x87 and SSE state, and reads and writes of ModR/M operands with the
 * architecture's partial-register rules (a 32-bit write in 64-bit code
 * zero-extends; 8- and 16-bit writes merge; AH..BH without REX).
 *
 * Values are numbers, never bigints, on the hot path. An operand of 1, 2 or
 * 4 bytes is one number; an 8-byte operand is read as its low half (the
 * return value) with the high half left in `hiOut`, and written as two
 * halves — the idiom that lets one read serve both widths without allocating.
 */
import type { Instr, MemOperand, Mode } from './decode.js';
import { RIP_BASE } from './decode.js';
import type { Memory } from './memory.js';
import { FpuState, SseState } from './fpstate.js';

export const REGISTER_NAMES_64 = [
  'rax',
  'rcx',
  'rdx',
  'rbx',
  'rsp',
  'rbp',
  'rsi',
  'rdi',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
] as const;
export const REGISTER_NAMES_32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;

/** The GDT entry Linux gives the first i386 TLS segment (set_thread_area). */
export const TLS_ENTRY = 12;

export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RBP = 5;
export const RSI = 6;
export const RDI = 7;

const TWO_32 = 4294967296;
const MASKS = [0, 0xff, 0xffff, 0, 0xffffffff];

/** Mask of a 1-, 2- or 4-byte operand. */
export const maskOf = (size: number): number => (size >= 4 ? 0xffffffff : (MASKS[size] as number));

export class Cpu {
  /** Low and high 32 bits of each general register. */
  readonly lo = new Uint32Array(16);
  readonly hi = new Uint32Array(16);
  ip = 0;
  /** EFLAGS; bit 1 always reads as one, IF set as Linux starts a process. */
  flags = 0x202;
  fsBase = 0;
  gsBase = 0;
  /** Segment selectors (es, cs, ss, ds, fs, gs) as Linux sets them; only fs/gs loads change anything (TLS). */
  readonly segments = [0x2b, 0x23, 0x2b, 0x2b, 0, 0];
  /** Base of the i386 TLS segment set_thread_area made (entry TLS_ENTRY), given to gs when gs is loaded with it. */
  tlsBase = 0;
  /** High half of the last 8-byte operand read (see the module comment). */
  hiOut = 0;
  /** Bytes in a stack slot and a full address: 4 or 8. */
  readonly width: number;
  /** The time-stamp counter RDTSC reads (the machine makes it count instructions). */
  ticks: () => number = () => 0;
  readonly fpu = new FpuState();
  readonly sse = new SseState();

  constructor(
    readonly mode: Mode,
    readonly memory: Memory,
  ) {
    this.width = mode / 8;
    if (mode === 64) this.segments[1] = 0x33;
  }

  /** MOV Sreg, r/m16: fs and gs take the TLS base when loaded with its selector. */
  loadSegment(sreg: number, selector: number): void {
    this.segments[sreg] = selector;
    const base = selector >> 3 === TLS_ENTRY ? this.tlsBase : 0;
    if (sreg === 4) this.fsBase = base;
    else if (sreg === 5) this.gsBase = base;
  }

  /** A register's value: 1, 2 or 4 bytes as a number; 8 bytes: the low half, high half in hiOut. */
  getReg(n: number, size: number, rex: number): number {
    if (size === 1) {
      if (!rex && n >= 4 && n < 8) return ((this.lo[n - 4] as number) >>> 8) & 0xff;
      return (this.lo[n] as number) & 0xff;
    }
    if (size === 2) return (this.lo[n] as number) & 0xffff;
    if (size === 8) this.hiOut = this.hi[n] as number;
    return this.lo[n] as number;
  }

  /** Writes a register; `high` is the upper half of an 8-byte value. */
  setReg(n: number, size: number, value: number, rex: number, high = 0): void {
    if (size === 4) {
      this.lo[n] = value;
      this.hi[n] = 0;
    } else if (size === 8) {
      this.lo[n] = value;
      this.hi[n] = high;
    } else if (size === 1) {
      if (!rex && n >= 4 && n < 8) {
        const old = this.lo[n - 4] as number;
        this.lo[n - 4] = (old & ~0xff00) | ((value & 0xff) << 8);
      } else this.lo[n] = ((this.lo[n] as number) & ~0xff) | (value & 0xff);
    } else this.lo[n] = ((this.lo[n] as number) & ~0xffff) | (value & 0xffff);
  }

  /** A full register as one number (exact below 2^53: addresses, counts). */
  regNumber(n: number): number {
    return (this.hi[n] as number) * TWO_32 + (this.lo[n] as number);
  }

  /** Sets a full-width register (stack pointer, addresses) from a number. */
  setRegNumber(n: number, value: number): void {
    this.lo[n] = value >>> 0;
    this.hi[n] = this.mode === 64 ? Math.floor(value / TWO_32) >>> 0 : 0;
  }

  /** The linear address of a memory operand (LEA passes false: no segment base). */
  address(ins: Instr, segmented = true): number {
    const m = ins.mem;
    if (!m) throw new Error('instruction has no memory operand');
    if (this.mode === 32 || ins.asize === 4) {
      let a = m.disp;
      if (m.base >= 0) a += this.lo[m.base] as number;
      if (m.index >= 0) a += (this.lo[m.index] as number) * m.scale;
      a >>>= 0;
      if (!segmented) return a;
      if (ins.segment === 0x64) a = this.mode === 32 ? (a + this.fsBase) >>> 0 : a + this.fsBase;
      else if (ins.segment === 0x65) a = this.mode === 32 ? (a + this.gsBase) >>> 0 : a + this.gsBase;
      return a;
    }
    let a = m.disp;
    if (m.base === RIP_BASE) a += ins.address + ins.length;
    else if (m.base >= 0) a += this.regSigned(m.base);
    if (m.index >= 0) a += this.regSigned(m.index) * m.scale;
    if (ins.segment === 0x64) a += this.fsBase;
    else if (ins.segment === 0x65) a += this.gsBase;
    // A negative sum wraps to the top of the address space, where nothing is mapped: the access faults there.
    return a < 0 ? a + 2 ** 64 : a;
  }

  /**
   * A memory operand's 64-bit effective address exactly, as halves (LEA: the
   * sum wraps modulo 2^64 and may exceed 2^53): low half returned, high in hiOut.
   */
  effectiveAddress64(ins: Instr): number {
    const m = ins.mem as MemOperand;
    let low = m.disp >>> 0;
    let high = m.disp < 0 ? 0xffffffff : 0;
    if (m.base === RIP_BASE) {
      const next = ins.address + ins.length;
      low += next >>> 0;
      high += Math.floor(next / TWO_32);
    } else if (m.base >= 0) {
      low += this.lo[m.base] as number;
      high += this.hi[m.base] as number;
    }
    if (m.index >= 0) {
      low += (this.lo[m.index] as number) * m.scale;
      high += (this.hi[m.index] as number) * m.scale;
    }
    this.hiOut = (high + Math.floor(low / TWO_32)) >>> 0;
    return low >>> 0;
  }

  /** A 64-bit register as a signed number (exact for every canonical address and small negative offset). */
  private regSigned(n: number): number {
    return ((this.hi[n] as number) | 0) * TWO_32 + (this.lo[n] as number);
  }

  /** An r/m operand: 1, 2, 4 bytes as a number; 8 bytes: low half, high half in hiOut. */
  readRm(ins: Instr, size: number): number {
    if (ins.rmReg >= 0) return this.getReg(ins.rmReg, size, ins.rex);
    const a = this.address(ins);
    if (size === 8) {
      const low = this.memory.read32(a);
      this.hiOut = this.memory.read32(a + 4);
      return low;
    }
    return this.memory.read(a, size);
  }

  writeRm(ins: Instr, size: number, value: number, high = 0): void {
    if (ins.rmReg >= 0) this.setReg(ins.rmReg, size, value, ins.rex, high);
    else if (size === 8) this.memory.write64(this.address(ins), value, high);
    else this.memory.write(this.address(ins), size, value);
  }

  flag(f: number): number {
    return this.flags & f ? 1 : 0;
  }

  /** The stack pointer as an address. */
  sp(): number {
    return this.mode === 64 ? this.regNumber(RSP) : (this.lo[RSP] as number);
  }

  /** Pushes `size` bytes (8: value is the low half, `high` the upper). */
  push(value: number, size = this.width, high = 0): void {
    const sp = this.sp() - size;
    if (size === 8) this.memory.write64(sp, value, high);
    else this.memory.write(sp, size, value);
    this.setRegNumber(RSP, sp);
  }

  /** Pops `size` bytes; 8: returns the low half, high half in hiOut. */
  pop(size = this.width): number {
    const sp = this.sp();
    let v: number;
    if (size === 8) {
      v = this.memory.read32(sp);
      this.hiOut = this.memory.read32(sp + 4);
    } else v = this.memory.read(sp, size);
    this.setRegNumber(RSP, sp + size);
    return v;
  }

  /** Pushes a code address (a return address). */
  pushAddress(address: number): void {
    if (this.mode === 64) this.push(address >>> 0, 8, Math.floor(address / TWO_32));
    else this.push(address, 4);
  }

  /** Pops a code address. */
  popAddress(): number {
    if (this.mode === 32) return this.pop(4);
    const low = this.pop(8);
    return this.hiOut * TWO_32 + low;
  }
}

export { TWO_32 };
