/**
 * Executes one decoded instruction: the general-purpose integer set
 * (data movement, arithmetic and logic with exact flags, shifts and rotates,
 * multiply and divide, control transfer, string instructions with REP, and
 * the system-call gates). Anything else raises a CpuFault that names the
 * instruction, reported as SIGILL.
 */
import * as alu from './alu.js';
import { CF, DF, OF, PF, SF, ZF, maskOf, signOf } from './alu.js';
import { Cpu, RAX, RCX, RDX, RDI, RSI, RSP } from './cpu.js';
import type { Instr } from './decode.js';
import { executeStringOp } from './strings.js';

export type Signal = 'SIGILL' | 'SIGTRAP' | 'SIGFPE' | 'SIGSEGV';

/** A processor exception, delivered to the process as a signal. */
export class CpuFault extends Error {
  constructor(
    readonly signal: Signal,
    message: string,
  ) {
    super(message);
  }
}

/** What execution asks of the operating system. */
export interface Kernel {
  /** `int 0x80` (gate 'int80') or `syscall`. */
  syscall(cpu: Cpu, gate: 'int80' | 'syscall'): void;
}

/** The 16 condition codes (Jcc, SETcc, CMOVcc low nibble). */
export function condition(cpu: Cpu, cc: number): boolean {
  const f = cpu.flags;
  const sfNeOf = ((f & SF) !== 0) !== ((f & OF) !== 0);
  let r: boolean;
  switch (cc >> 1) {
    case 0:
      r = (f & OF) !== 0;
      break;
    case 1:
      r = (f & CF) !== 0;
      break;
    case 2:
      r = (f & ZF) !== 0;
      break;
    case 3:
      r = (f & (CF | ZF)) !== 0;
      break;
    case 4:
      r = (f & SF) !== 0;
      break;
    case 5:
      r = (f & PF) !== 0;
      break;
    case 6:
      r = sfNeOf;
      break;
    default:
      r = sfNeOf || (f & ZF) !== 0;
  }
  return cc & 1 ? !r : r;
}

function unsupported(ins: Instr): never {
  throw new CpuFault('SIGILL', `unsupported instruction '${ins.text}' at 0x${ins.address.toString(16)}`);
}

/** Binary ALU operation number (ADD OR ADC SBB AND SUB XOR CMP) on a and b; CMP's result is not stored. */
function arith(cpu: Cpu, kind: number, a: bigint, b: bigint, size: number): bigint {
  switch (kind) {
    case 0:
      return cpu.apply(alu.add(a, b, 0, size));
    case 1:
      return cpu.apply(alu.logic(a | b, size));
    case 2:
      return cpu.apply(alu.add(a, b, cpu.flag(CF), size));
    case 3:
      return cpu.apply(alu.sub(a, b, cpu.flag(CF), size));
    case 4:
      return cpu.apply(alu.logic(a & b, size));
    case 5:
    case 7:
      return cpu.apply(alu.sub(a, b, 0, size));
    default:
      return cpu.apply(alu.logic(a ^ b, size));
  }
}

const sext = (v: bigint, size: number): bigint => BigInt.asIntN(size * 8, v);

/** Operand size of a stack operation: the mode's width, or 2 with 66h. */
const stackSize = (cpu: Cpu, ins: Instr): number => (ins.has66 ? 2 : cpu.mode === 64 ? 8 : ins.osize);

function jump(cpu: Cpu, target: bigint): void {
  cpu.ip = Number(target & cpu.addrMask);
}

function group1(cpu: Cpu, ins: Instr, size: number): void {
  const a = cpu.readRm(ins, size);
  const r = arith(cpu, ins.digit, a, ins.imm & maskOf(size), size);
  if (ins.digit !== 7) cpu.writeRm(ins, size, r);
}

function group3(cpu: Cpu, ins: Instr, size: number): void {
  const a = cpu.readRm(ins, size);
  const mask = maskOf(size);
  const bits = BigInt(size * 8);
  switch (ins.digit) {
    case 0:
    case 1:
      cpu.apply(alu.logic(a & ins.imm & mask, size));
      return;
    case 2:
      cpu.writeRm(ins, size, ~a & mask);
      return;
    case 3:
      cpu.writeRm(ins, size, cpu.apply(alu.neg(a, size)));
      return;
    case 4:
    case 5: {
      const signed = ins.digit === 5;
      const acc = cpu.getReg(RAX, size, 0);
      const product = signed ? sext(acc, size) * sext(a, size) : acc * a;
      const low = product & mask;
      const high = (product >> bits) & mask;
      const overflow = signed ? product !== sext(low, size) : high !== 0n;
      // SF, ZF, AF, PF are undefined; SF/ZF/PF follow the low half here.
      cpu.setStatus(alu.szp(low, size) | (overflow ? CF | OF : 0));
      if (size === 1) cpu.setReg(RAX, 2, (high << 8n) | low, 0);
      else {
        cpu.setReg(RAX, size, low, 0);
        cpu.setReg(RDX, size, high, 0);
      }
      return;
    }
    default: {
      const signed = ins.digit === 7;
      const dividend =
        size === 1 ? cpu.getReg(RAX, 2, 0) : (cpu.getReg(RDX, size, 0) << bits) | cpu.getReg(RAX, size, 0);
      if (a === 0n) throw new CpuFault('SIGFPE', `divide by zero in '${ins.text}'`);
      const n = signed ? BigInt.asIntN(size * 16, dividend) : dividend;
      const d = signed ? sext(a, size) : a;
      const q = n / d;
      const rem = n % d;
      const fits = signed ? q >= -signOf(size) && q < signOf(size) : q <= mask;
      if (!fits) throw new CpuFault('SIGFPE', `quotient too large in '${ins.text}'`);
      if (size === 1) cpu.setReg(RAX, 2, ((rem & 0xffn) << 8n) | (q & 0xffn), 0);
      else {
        cpu.setReg(RAX, size, q & mask, 0);
        cpu.setReg(RDX, size, rem & mask, 0);
      }
    }
  }
}

function group5(cpu: Cpu, ins: Instr, size: number): void {
  switch (ins.digit) {
    case 0:
    case 1:
      cpu.writeRm(ins, size, cpu.apply(alu.incDec(cpu.readRm(ins, size), ins.digit === 0 ? 1 : -1, size)));
      return;
    case 2: {
      const target = cpu.readRm(ins, cpu.width);
      cpu.push(BigInt(cpu.ip));
      jump(cpu, target);
      return;
    }
    case 4:
      jump(cpu, cpu.readRm(ins, cpu.width));
      return;
    case 6:
      cpu.push(cpu.readRm(ins, stackSize(cpu, ins)), stackSize(cpu, ins));
      return;
    default:
      unsupported(ins);
  }
}

function bitTest(cpu: Cpu, ins: Instr, size: number, kind: number, bitIndex: bigint): void {
  // Register operand or immediate index: bit within the operand; memory with a register index: anywhere.
  let offset = 0;
  let index = bitIndex;
  if (ins.mem && ins.op !== 0x1ba) {
    const signed = sext(bitIndex, size);
    offset = Number((signed >> BigInt(Math.log2(size * 8))) * BigInt(size));
    index = signed & BigInt(size * 8 - 1);
  } else index &= BigInt(size * 8 - 1);
  const read = (): bigint => (ins.mem ? cpu.memory.read(cpu.address(ins) + offset, size) : cpu.readRm(ins, size));
  const v = read();
  const bit = 1n << index;
  cpu.flags = (cpu.flags & ~CF) | (v & bit ? CF : 0);
  if (kind === 0) return;
  const r = kind === 1 ? v | bit : kind === 2 ? v & ~bit : v ^ bit;
  if (ins.mem) cpu.memory.write(cpu.address(ins) + offset, size, r);
  else cpu.writeRm(ins, size, r);
}

function twoByte(cpu: Cpu, ins: Instr, kernel: Kernel): void {
  const size = ins.osize;
  const op = ins.op & 0xff;
  if (op >= 0x80 && op <= 0x8f) {
    if (condition(cpu, op & 15)) jump(cpu, BigInt(cpu.ip) + ins.imm);
  } else if (op >= 0x90 && op <= 0x9f) cpu.writeRm(ins, 1, condition(cpu, op & 15) ? 1n : 0n);
  else if (op >= 0x40 && op <= 0x4f) {
    const v = cpu.readRm(ins, size);
    // A 32-bit CMOV writes (zero-extending) even when the condition fails.
    if (condition(cpu, op & 15)) cpu.setReg(ins.reg, size, v, ins.rex);
    else if (size === 4) cpu.setReg(ins.reg, 4, cpu.getReg(ins.reg, 4, ins.rex), ins.rex);
  } else if (op >= 0xc8 && op <= 0xcf) {
    const n = op - 0xc8 + (ins.rex & 1 ? 8 : 0);
    const v = cpu.getReg(n, size, ins.rex);
    let r = 0n;
    for (let i = 0; i < size; i++) r = (r << 8n) | ((v >> BigInt(i * 8)) & 0xffn);
    cpu.setReg(n, size, r, ins.rex);
  } else
    switch (op) {
      case 0x05:
        kernel.syscall(cpu, 'syscall');
        return;
      case 0x0b:
        throw new CpuFault('SIGILL', `ud2 at 0x${ins.address.toString(16)}`);
      case 0x1e:
      case 0x1f:
        return; // nop r/m and endbr32/endbr64 (F3 0F 1E FB/FA) do nothing here
      case 0xa2:
        cpu.regs[RAX] = 0n;
        cpu.regs[1] = 0n;
        cpu.regs[RDX] = 0n;
        cpu.regs[3] = 0n;
        return;
      case 0xa3:
      case 0xab:
      case 0xb3:
      case 0xbb:
        bitTest(cpu, ins, size, [0xa3, 0xab, 0xb3, 0xbb].indexOf(op), cpu.getReg(ins.reg, size, ins.rex));
        return;
      case 0xba:
        if (ins.digit < 4) unsupported(ins);
        bitTest(cpu, ins, size, ins.digit - 4, ins.immRaw);
        return;
      case 0xa4:
      case 0xa5:
      case 0xac:
      case 0xad: {
        const count = op & 1 ? Number(cpu.regs[RCX]! & 0xffn) : Number(ins.immRaw);
        const src = cpu.getReg(ins.reg, size, ins.rex);
        cpu.writeRm(ins, size, cpu.apply(alu.doubleShift(op < 0xa8, cpu.readRm(ins, size), src, count, size)));
        return;
      }
      case 0xaf: {
        const a = sext(cpu.getReg(ins.reg, size, ins.rex), size);
        const product = a * sext(cpu.readRm(ins, size), size);
        imulStore(cpu, ins, product, size);
        return;
      }
      case 0xb6:
      case 0xb7:
        cpu.setReg(ins.reg, size, cpu.readRm(ins, op === 0xb6 ? 1 : 2), ins.rex);
        return;
      case 0xbe:
      case 0xbf: {
        const from = op === 0xbe ? 1 : 2;
        cpu.setReg(ins.reg, size, BigInt.asUintN(size * 8, sext(cpu.readRm(ins, from), from)), ins.rex);
        return;
      }
      case 0xbc:
      case 0xbd: {
        const v = cpu.readRm(ins, size);
        // BSF/BSR: ZF says whether the source was zero; the destination is then left unchanged (as CPUs do).
        if (v === 0n) {
          cpu.flags |= ZF;
          return;
        }
        cpu.flags &= ~ZF;
        const s = v.toString(2);
        const index = op === 0xbd ? s.length - 1 : s.length - 1 - s.lastIndexOf('1');
        cpu.setReg(ins.reg, size, BigInt(index), ins.rex);
        return;
      }
      case 0xb0:
      case 0xb1: {
        const sz = op === 0xb0 ? 1 : size;
        const dest = cpu.readRm(ins, sz);
        const acc = cpu.getReg(RAX, sz, 0);
        cpu.apply(alu.sub(acc, dest, 0, sz));
        if (acc === dest) cpu.writeRm(ins, sz, cpu.getReg(ins.reg, sz, ins.rex));
        else cpu.setReg(RAX, sz, dest, 0);
        return;
      }
      case 0xc0:
      case 0xc1: {
        const sz = op === 0xc0 ? 1 : size;
        const dest = cpu.readRm(ins, sz);
        const src = cpu.getReg(ins.reg, sz, ins.rex);
        const sum = cpu.apply(alu.add(dest, src, 0, sz));
        cpu.setReg(ins.reg, sz, dest, ins.rex);
        cpu.writeRm(ins, sz, sum);
        return;
      }
      case 0x31:
        cpu.regs[RAX] = 0n;
        cpu.regs[RDX] = 0n;
        return;
      default:
        unsupported(ins);
    }
}

function imulStore(cpu: Cpu, ins: Instr, product: bigint, size: number): void {
  const low = BigInt.asUintN(size * 8, product);
  const overflow = product !== sext(low, size);
  cpu.setStatus(alu.szp(low, size) | (overflow ? CF | OF : 0));
  cpu.setReg(ins.reg, size, low, ins.rex);
}

/** Executes `ins`; cpu.ip already points past it. */
export function execute(cpu: Cpu, ins: Instr, kernel: Kernel): void {
  const op = ins.op;
  const size = ins.osize;
  const byteOrFull = (op & 1) === 0 ? 1 : size;
  if (op >= 0x100) {
    twoByte(cpu, ins, kernel);
    return;
  }
  if (op < 0x40 && (op & 7) < 6) {
    const kind = op >> 3;
    const sz = byteOrFull;
    if ((op & 7) < 2) {
      const r = arith(cpu, kind, cpu.readRm(ins, sz), cpu.getReg(ins.reg, sz, ins.rex), sz);
      if (kind !== 7) cpu.writeRm(ins, sz, r);
    } else if ((op & 7) < 4) {
      const r = arith(cpu, kind, cpu.getReg(ins.reg, sz, ins.rex), cpu.readRm(ins, sz), sz);
      if (kind !== 7) cpu.setReg(ins.reg, sz, r, ins.rex);
    } else {
      const r = arith(cpu, kind, cpu.getReg(RAX, sz, 0), ins.imm & maskOf(sz), sz);
      if (kind !== 7) cpu.setReg(RAX, sz, r, 0);
    }
    return;
  }
  const low3 = (op & 7) + (ins.rex & 1 ? 8 : 0);
  if (op >= 0x40 && op <= 0x4f) {
    // Only reached in 32-bit code (in 64-bit code these bytes are REX prefixes).
    const n = op & 7;
    cpu.setReg(n, size, cpu.apply(alu.incDec(cpu.getReg(n, size, 0), op < 0x48 ? 1 : -1, size)), 0);
    return;
  }
  if (op >= 0x50 && op <= 0x57) {
    cpu.push(cpu.getReg(low3, stackSize(cpu, ins), 0), stackSize(cpu, ins));
    return;
  }
  if (op >= 0x58 && op <= 0x5f) {
    cpu.setReg(low3, stackSize(cpu, ins), cpu.pop(stackSize(cpu, ins)), 0);
    return;
  }
  if (op >= 0x70 && op <= 0x7f) {
    if (condition(cpu, op & 15)) jump(cpu, BigInt(cpu.ip) + ins.imm);
    return;
  }
  if (op >= 0x91 && op <= 0x97) {
    const t = cpu.getReg(low3, size, 0);
    cpu.setReg(low3, size, cpu.getReg(RAX, size, 0), 0);
    cpu.setReg(RAX, size, t, 0);
    return;
  }
  if (op >= 0xb0 && op <= 0xb7) {
    cpu.setReg(low3, 1, ins.immRaw, ins.rex);
    return;
  }
  if (op >= 0xb8 && op <= 0xbf) {
    cpu.setReg(low3, size, ins.immRaw, 0);
    return;
  }
  if ((op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf)) {
    executeStringOp(cpu, ins);
    return;
  }
  switch (op) {
    case 0x63:
      if (cpu.mode !== 64) unsupported(ins);
      cpu.setReg(ins.reg, size, BigInt.asUintN(size * 8, sext(cpu.readRm(ins, 4), 4)), ins.rex);
      return;
    case 0x68:
    case 0x6a:
      cpu.push(ins.imm & maskOf(stackSize(cpu, ins)), stackSize(cpu, ins));
      return;
    case 0x69:
    case 0x6b:
      imulStore(cpu, ins, sext(cpu.readRm(ins, size), size) * ins.imm, size);
      return;
    case 0x80:
    case 0x82: {
      group1(cpu, ins, 1);
      return;
    }
    case 0x81:
    case 0x83: {
      group1(cpu, ins, size);
      return;
    }
    case 0x84:
    case 0x85:
      cpu.apply(alu.logic(cpu.readRm(ins, byteOrFull) & cpu.getReg(ins.reg, byteOrFull, ins.rex), byteOrFull));
      return;
    case 0x86:
    case 0x87: {
      const t = cpu.readRm(ins, byteOrFull);
      cpu.writeRm(ins, byteOrFull, cpu.getReg(ins.reg, byteOrFull, ins.rex));
      cpu.setReg(ins.reg, byteOrFull, t, ins.rex);
      return;
    }
    case 0x88:
    case 0x89:
      cpu.writeRm(ins, byteOrFull, cpu.getReg(ins.reg, byteOrFull, ins.rex));
      return;
    case 0x8a:
    case 0x8b:
      cpu.setReg(ins.reg, byteOrFull, cpu.readRm(ins, byteOrFull), ins.rex);
      return;
    case 0x8d:
      if (!ins.mem) unsupported(ins);
      cpu.setReg(ins.reg, size, BigInt(cpu.address(ins)), ins.rex);
      return;
    case 0x8f:
      cpu.writeRm(ins, stackSize(cpu, ins), cpu.pop(stackSize(cpu, ins)));
      return;
    case 0x90:
      if (ins.rex & 1) {
        const t = cpu.getReg(8, size, 0);
        cpu.setReg(8, size, cpu.getReg(RAX, size, 0), 0);
        cpu.setReg(RAX, size, t, 0);
      }
      return;
    case 0x98:
      cpu.setReg(RAX, size, BigInt.asUintN(size * 8, sext(cpu.getReg(RAX, size / 2, 0), size / 2)), 0);
      return;
    case 0x99:
      cpu.setReg(RDX, size, cpu.getReg(RAX, size, 0) & signOf(size) ? maskOf(size) : 0n, 0);
      return;
    case 0x9c:
      cpu.push(BigInt(cpu.flags), stackSize(cpu, ins));
      return;
    case 0x9d:
      cpu.flags = (Number(cpu.pop(stackSize(cpu, ins)) & 0xcd5n) | 0x202) >>> 0;
      return;
    case 0x9e:
      cpu.flags = (cpu.flags & ~0xd5) | Number((cpu.regs[RAX]! >> 8n) & 0xd5n);
      return;
    case 0x9f:
      cpu.setReg(4, 1, BigInt((cpu.flags & 0xd5) | 2), 0);
      return;
    case 0xa0:
    case 0xa1:
    case 0xa2:
    case 0xa3: {
      const address = Number(ins.immRaw & cpu.addrMask);
      if (op < 0xa2) cpu.setReg(RAX, byteOrFull, cpu.memory.read(address, byteOrFull), 0);
      else cpu.memory.write(address, byteOrFull, cpu.getReg(RAX, byteOrFull, 0));
      return;
    }
    case 0xa8:
    case 0xa9:
      cpu.apply(alu.logic(cpu.getReg(RAX, byteOrFull, 0) & ins.imm & maskOf(byteOrFull), byteOrFull));
      return;
    case 0xc0:
    case 0xc1:
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3: {
      const count = op < 0xd0 ? Number(ins.immRaw) : op < 0xd2 ? 1 : Number(cpu.regs[RCX]! & 0xffn);
      const r = alu.shift(ins.digit, cpu.readRm(ins, byteOrFull), count, byteOrFull, cpu.flag(CF));
      cpu.writeRm(ins, byteOrFull, cpu.apply(r));
      return;
    }
    case 0xc2:
    case 0xc3: {
      const target = cpu.pop();
      if (op === 0xc2) cpu.regs[RSP] = (cpu.regs[RSP]! + ins.immRaw) & cpu.addrMask;
      jump(cpu, target);
      return;
    }
    case 0xc6:
    case 0xc7:
      cpu.writeRm(ins, byteOrFull, ins.imm & maskOf(byteOrFull));
      return;
    case 0xc9:
      cpu.regs[RSP] = cpu.regs[5]! & cpu.addrMask;
      cpu.setReg(5, cpu.width, cpu.pop(), 0);
      return;
    case 0xcc:
      throw new CpuFault('SIGTRAP', `int3 at 0x${ins.address.toString(16)}`);
    case 0xcd:
      if (ins.immRaw !== 0x80n) throw new CpuFault('SIGSEGV', `int 0x${ins.immRaw.toString(16)} (no such gate)`);
      kernel.syscall(cpu, 'int80');
      return;
    case 0xe0:
    case 0xe1:
    case 0xe2:
    case 0xe3: {
      const counter = ins.asize;
      let go: boolean;
      if (op === 0xe3) go = cpu.getReg(RCX, counter, 0) === 0n;
      else {
        const c = (cpu.getReg(RCX, counter, 0) - 1n) & maskOf(counter);
        cpu.setReg(RCX, counter, c, 0);
        const zf = (cpu.flags & ZF) !== 0;
        go = c !== 0n && (op === 0xe2 || (op === 0xe1 ? zf : !zf));
      }
      if (go) jump(cpu, BigInt(cpu.ip) + ins.imm);
      return;
    }
    case 0xe8:
      cpu.push(BigInt(cpu.ip));
      jump(cpu, BigInt(cpu.ip) + ins.imm);
      return;
    case 0xe9:
    case 0xeb:
      jump(cpu, BigInt(cpu.ip) + ins.imm);
      return;
    case 0xf4:
      throw new CpuFault('SIGSEGV', `privileged instruction 'hlt' at 0x${ins.address.toString(16)}`);
    case 0xf5:
      cpu.flags ^= CF;
      return;
    case 0xf6:
    case 0xf7: {
      group3(cpu, ins, byteOrFull);
      return;
    }
    case 0xf8:
      cpu.flags &= ~CF;
      return;
    case 0xf9:
      cpu.flags |= CF;
      return;
    case 0xfc:
      cpu.flags &= ~DF;
      return;
    case 0xfd:
      cpu.flags |= DF;
      return;
    case 0xfe:
      if (ins.digit > 1) unsupported(ins);
      {
        group5(cpu, ins, 1);
        return;
      }
    case 0xff: {
      group5(cpu, ins, size);
      return;
    }
    default:
      unsupported(ins);
  }
}

export { RDI, RSI };
