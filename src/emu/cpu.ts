/**
 * The processor state of one emulated thread and operand access: general
 * registers (eight in 32-bit code, sixteen in 64-bit), the instruction
 * pointer, EFLAGS, the fs/gs bases, and reads and writes of ModR/M operands
 * with the architecture's partial-register rules (a 32-bit write in 64-bit
 * code zero-extends; 8- and 16-bit writes merge; AH..BH without REX).
 */
import { maskOf, STATUS, type AluResult } from './alu.js';
import type { Instr, Mode } from './decode.js';
import type { Memory } from './memory.js';

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

export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RSI = 6;
export const RDI = 7;

export class Cpu {
  readonly regs: bigint[] = new Array<bigint>(16).fill(0n);
  ip = 0;
  /** EFLAGS; bit 1 always reads as one, IF set as Linux starts a process. */
  flags = 0x202;
  fsBase = 0n;
  gsBase = 0n;
  /** Bytes in a stack slot and a full address: 4 or 8. */
  readonly width: number;
  readonly addrMask: bigint;

  constructor(
    readonly mode: Mode,
    readonly memory: Memory,
  ) {
    this.width = mode / 8;
    this.addrMask = maskOf(this.width);
  }

  getReg(n: number, size: number, rex: number): bigint {
    if (size === 1 && !rex && n >= 4 && n < 8) return (this.regs[n - 4]! >> 8n) & 0xffn;
    return this.regs[n]! & maskOf(size);
  }

  setReg(n: number, size: number, value: bigint, rex: number): void {
    if (size === 1 && !rex && n >= 4 && n < 8) {
      const old = this.regs[n - 4]!;
      this.regs[n - 4] = (old & ~0xff00n) | ((value & 0xffn) << 8n);
    } else if (size >= 4) this.regs[n] = value & maskOf(size);
    else {
      const m = maskOf(size);
      this.regs[n] = (this.regs[n]! & ~m) | (value & m);
    }
  }

  /** The linear address of a memory operand. */
  address(ins: Instr): number {
    const m = ins.mem;
    if (!m) throw new Error('instruction has no memory operand');
    let a = m.disp;
    if (m.base === 'rip') a += BigInt(ins.address + ins.length);
    else if (m.base >= 0) a += this.regs[m.base]!;
    if (m.index >= 0) a += this.regs[m.index]! * BigInt(m.scale);
    a &= maskOf(ins.asize);
    if (ins.segment === 0x64) a += this.fsBase;
    else if (ins.segment === 0x65) a += this.gsBase;
    return Number(a & this.addrMask);
  }

  readRm(ins: Instr, size: number): bigint {
    if (ins.rmReg >= 0) return this.getReg(ins.rmReg, size, ins.rex);
    return this.memory.read(this.address(ins), size);
  }

  writeRm(ins: Instr, size: number, value: bigint): void {
    if (ins.rmReg >= 0) this.setReg(ins.rmReg, size, value, ins.rex);
    else this.memory.write(this.address(ins), size, value & maskOf(size));
  }

  apply(r: AluResult): bigint {
    this.flags = (this.flags & ~r.affected) | (r.flags & r.affected);
    return r.value;
  }

  setStatus(flags: number): void {
    this.flags = (this.flags & ~STATUS) | (flags & STATUS);
  }

  flag(f: number): number {
    return this.flags & f ? 1 : 0;
  }

  push(value: bigint, size = this.width): void {
    const sp = (this.regs[RSP]! - BigInt(size)) & this.addrMask;
    this.memory.write(Number(sp), size, value & maskOf(size));
    this.regs[RSP] = sp;
  }

  pop(size = this.width): bigint {
    const sp = this.regs[RSP]!;
    const v = this.memory.read(Number(sp), size);
    this.regs[RSP] = (sp + BigInt(size)) & this.addrMask;
    return v;
  }
}
