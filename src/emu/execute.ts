/**
 * Executes one decoded instruction. This module holds the one-byte opcode
 * map (data movement, arithmetic and logic with exact flags, shifts and
 * rotates, multiply and divide, control transfer, the system-call gates);
 * 0F xx opcodes are in twobyte.ts, string instructions in strings.ts, x87 in
 * x87.ts and SSE in sse.ts. Anything not emulated raises a CpuFault naming
 * the instruction, reported as SIGILL.
 */
import * as alu from './alu.js';
import * as arith from './arith.js';
import { CF, DF, ZF } from './alu.js';
import { Cpu, RAX, RCX, RDX, RSP, maskOf, TWO_32 } from './cpu.js';
import type { Instr } from './decode.js';
import { CpuFault, condition, unsupported, type Kernel } from './fault.js';
import { executeStringOp } from './strings.js';
import { twoByte, imulStore } from './twobyte.js';
import { executeX87 } from './x87.js';
import { applyWide, fromBig, operandBig, toBig } from './wide.js';

export { CpuFault, condition, type Kernel, type Signal } from './fault.js';

/** High half of a sign-extended immediate. */
const immHigh = (ins: Instr): number => (ins.imm < 0 ? 0xffffffff : 0);

/**
 * Binary ALU operation number `kind` (ADD OR ADC SBB AND SUB XOR CMP) on
 * a and b of `size` bytes (8: with high halves); returns the low half of the
 * result, high half in cpu.hiOut.
 */
export function binary(cpu: Cpu, kind: number, a: number, aHi: number, b: number, bHi: number, size: number): number {
  if (size === 8) {
    switch (kind) {
      case 0:
        return arith.add64(cpu, a, aHi, b, bHi, 0);
      case 1:
        return arith.logic64(cpu, a | b, aHi | bHi);
      case 2:
        return arith.add64(cpu, a, aHi, b, bHi, cpu.flags & CF);
      case 3:
        return arith.sub64(cpu, a, aHi, b, bHi, cpu.flags & CF);
      case 4:
        return arith.logic64(cpu, a & b, aHi & bHi);
      case 6:
        return arith.logic64(cpu, a ^ b, aHi ^ bHi);
      default:
        return arith.sub64(cpu, a, aHi, b, bHi, 0);
    }
  }
  switch (kind) {
    case 0:
      return arith.add(cpu, a, b, 0, size);
    case 1:
      return arith.logic(cpu, a | b, size);
    case 2:
      return arith.add(cpu, a, b, cpu.flags & CF, size);
    case 3:
      return arith.sub(cpu, a, b, cpu.flags & CF, size);
    case 4:
      return arith.logic(cpu, a & b, size);
    case 6:
      return arith.logic(cpu, a ^ b, size);
    default:
      return arith.sub(cpu, a, b, 0, size);
  }
}

/** Operand size of a stack operation: the mode's width, or 2 with 66h. */
export const stackSize = (cpu: Cpu, ins: Instr): number => (ins.has66 ? 2 : cpu.width);

/** A relative branch target. */
const relative = (cpu: Cpu, ins: Instr): number => {
  const t = cpu.ip + ins.imm;
  return cpu.mode === 32 ? t >>> 0 : t;
};

function aluForms(cpu: Cpu, ins: Instr, op: number): void {
  const kind = op >> 3;
  const size = (op & 1) === 0 ? 1 : ins.osize;
  const form = op & 7;
  if (form < 2) {
    const a = cpu.readRm(ins, size);
    const aHi = cpu.hiOut;
    const b = cpu.getReg(ins.reg, size, ins.rex);
    const r = binary(cpu, kind, a, aHi, b, cpu.hiOut, size);
    if (kind !== 7) cpu.writeRm(ins, size, r, cpu.hiOut);
  } else if (form < 4) {
    const a = cpu.getReg(ins.reg, size, ins.rex);
    const aHi = cpu.hiOut;
    const b = cpu.readRm(ins, size);
    const r = binary(cpu, kind, a, aHi, b, cpu.hiOut, size);
    if (kind !== 7) cpu.setReg(ins.reg, size, r, ins.rex, cpu.hiOut);
  } else {
    const a = cpu.getReg(RAX, size, 0);
    const r = binary(cpu, kind, a, cpu.hiOut, (ins.imm & maskOf(size)) >>> 0, immHigh(ins), size);
    if (kind !== 7) cpu.setReg(RAX, size, r, 0, cpu.hiOut);
  }
}

function group1(cpu: Cpu, ins: Instr, size: number): void {
  const a = cpu.readRm(ins, size);
  const r = binary(cpu, ins.digit, a, cpu.hiOut, (ins.imm & maskOf(size)) >>> 0, immHigh(ins), size);
  if (ins.digit !== 7) cpu.writeRm(ins, size, r, cpu.hiOut);
}

/** Group 2 (shifts and rotates) of r/m by `count`. */
function group2(cpu: Cpu, ins: Instr, size: number, count: number): void {
  const a = cpu.readRm(ins, size);
  if (size !== 8) {
    cpu.writeRm(ins, size, arith.shift(cpu, ins.digit, a, count, size));
    return;
  }
  const r = applyWide(cpu, alu.shift(ins.digit, toBig(a, cpu.hiOut), count, 8, cpu.flags & CF));
  cpu.writeRm(ins, 8, r, cpu.hiOut);
}

function incDec(cpu: Cpu, ins: Instr, size: number, up: boolean): void {
  const a = cpu.readRm(ins, size);
  const aHi = cpu.hiOut;
  const carry = cpu.flags & CF;
  let r: number;
  if (size === 8) r = up ? arith.add64(cpu, a, aHi, 1, 0, 0) : arith.sub64(cpu, a, aHi, 1, 0, 0);
  else r = up ? arith.add(cpu, a, 1, 0, size) : arith.sub(cpu, a, 1, 0, size);
  cpu.flags = (cpu.flags & ~CF) | carry;
  cpu.writeRm(ins, size, r, cpu.hiOut);
}

function multiply(cpu: Cpu, ins: Instr, size: number, signed: boolean): void {
  const b = cpu.readRm(ins, size);
  const bHi = cpu.hiOut;
  if (size <= 2) {
    const acc = cpu.getReg(RAX, size, 0);
    const bits = size * 8;
    const ext = (v: number): number => (signed ? (v << (32 - bits)) >> (32 - bits) : v);
    const product = ext(acc) * ext(b);
    const low = product & maskOf(size);
    const high = (product >> bits) & maskOf(size);
    const overflow = signed ? product !== (low << (32 - bits)) >> (32 - bits) : high !== 0;
    // SF, ZF, AF, PF are undefined; SF/ZF/PF follow the low half here.
    arith.setFlags(cpu, arith.szp(low, size) | (overflow ? CF | alu.OF : 0), alu.STATUS);
    if (size === 1) cpu.setReg(RAX, 2, (high << 8) | low, 0);
    else {
      cpu.setReg(RAX, 2, low, 0);
      cpu.setReg(RDX, 2, high, 0);
    }
    return;
  }
  if (size === 4) {
    const acc = cpu.lo[RAX] as number;
    const low = Math.imul(acc, b) >>> 0;
    const high = signed ? arith.mulHighSigned(acc, b) : arith.mulHigh(acc, b);
    const overflow = signed ? high !== (low & 0x80000000 ? 0xffffffff : 0) : high !== 0;
    arith.setFlags(cpu, arith.szp(low, 4) | (overflow ? CF | alu.OF : 0), alu.STATUS);
    cpu.setReg(RAX, 4, low, 0);
    cpu.setReg(RDX, 4, high, 0);
    return;
  }
  const acc = toBig(cpu.lo[RAX] as number, cpu.hi[RAX] as number);
  const bb = toBig(b, bHi);
  const product = signed ? BigInt.asIntN(64, acc) * BigInt.asIntN(64, bb) : acc * bb;
  const low = BigInt.asUintN(64, product);
  const overflow = signed ? product !== BigInt.asIntN(64, low) : product >> 64n !== 0n;
  arith.setFlags(cpu, alu.szp(low, 8) | (overflow ? CF | alu.OF : 0), alu.STATUS);
  cpu.setReg(RAX, 8, fromBig(cpu, low), 0, cpu.hiOut);
  cpu.setReg(RDX, 8, fromBig(cpu, BigInt.asUintN(64, product >> 64n)), 0, cpu.hiOut);
}

function divide(cpu: Cpu, ins: Instr, size: number, signed: boolean): void {
  const divisor = operandBig(cpu.readRm(ins, size), cpu.hiOut, size);
  if (divisor === 0n) throw new CpuFault('SIGFPE', `divide by zero in '${ins.text}'`);
  const bits = BigInt(size * 8);
  const mask = (1n << bits) - 1n;
  const low = operandBig(cpu.getReg(RAX, size === 1 ? 2 : size, 0), cpu.hiOut, size);
  const high = size === 1 ? 0n : operandBig(cpu.getReg(RDX, size, 0), cpu.hiOut, size);
  const dividend = size === 1 ? low : (high << bits) | low;
  const n = signed ? BigInt.asIntN(size * 16, dividend) : dividend;
  const d = signed ? BigInt.asIntN(size * 8, divisor) : divisor;
  const q = n / d;
  const rem = n % d;
  const limit = 1n << (bits - 1n);
  const fits = signed ? q >= -limit && q < limit : q <= mask;
  if (!fits) throw new CpuFault('SIGFPE', `quotient too large in '${ins.text}'`);
  if (size === 1) {
    cpu.setReg(RAX, 2, Number((((rem & 0xffn) << 8n) | (q & 0xffn)) & 0xffffn), 0);
    return;
  }
  cpu.setReg(RAX, size, fromBig(cpu, q & mask), 0, cpu.hiOut);
  cpu.setReg(RDX, size, fromBig(cpu, rem & mask), 0, cpu.hiOut);
}

function group3(cpu: Cpu, ins: Instr, size: number): void {
  switch (ins.digit) {
    case 0:
    case 1: {
      const a = cpu.readRm(ins, size);
      if (size === 8) arith.logic64(cpu, a & ins.imm, cpu.hiOut & immHigh(ins));
      else arith.logic(cpu, a & ins.imm, size);
      return;
    }
    case 2: {
      const a = cpu.readRm(ins, size);
      cpu.writeRm(ins, size, ~a & maskOf(size), ~cpu.hiOut);
      return;
    }
    case 3: {
      const a = cpu.readRm(ins, size);
      const r = size === 8 ? arith.sub64(cpu, 0, 0, a, cpu.hiOut, 0) : arith.sub(cpu, 0, a, 0, size);
      cpu.writeRm(ins, size, r, cpu.hiOut);
      return;
    }
    case 4:
    case 5:
      multiply(cpu, ins, size, ins.digit === 5);
      return;
    default:
      divide(cpu, ins, size, ins.digit === 7);
  }
}

function group5(cpu: Cpu, ins: Instr, size: number): void {
  switch (ins.digit) {
    case 0:
    case 1:
      incDec(cpu, ins, size, ins.digit === 0);
      return;
    case 2: {
      const target = readCodeAddress(cpu, ins);
      cpu.pushAddress(cpu.ip);
      cpu.ip = target;
      return;
    }
    case 4:
      cpu.ip = readCodeAddress(cpu, ins);
      return;
    case 6: {
      const s = stackSize(cpu, ins);
      const v = cpu.readRm(ins, s);
      cpu.push(v, s, cpu.hiOut);
      return;
    }
    default:
      unsupported(ins);
  }
}

/** The target of an indirect near call or jump (a full-width r/m). */
function readCodeAddress(cpu: Cpu, ins: Instr): number {
  const low = cpu.readRm(ins, cpu.width);
  return cpu.mode === 64 ? cpu.hiOut * TWO_32 + low : low;
}

function loop(cpu: Cpu, ins: Instr, op: number): void {
  const counter = ins.asize;
  const c = cpu.getReg(RCX, counter, 0);
  const zeroHigh = counter !== 8 || cpu.hiOut === 0;
  let go: boolean;
  if (op === 0xe3) go = c === 0 && zeroHigh;
  else {
    let lo = c - 1;
    let hi = counter === 8 ? cpu.hiOut : 0;
    if (lo < 0) {
      lo = maskOf(counter);
      hi = (hi - 1) >>> 0;
    }
    cpu.setReg(RCX, counter, lo, 0, hi);
    const zf = (cpu.flags & ZF) !== 0;
    go = (lo !== 0 || hi !== 0) && (op === 0xe2 || (op === 0xe1 ? zf : !zf));
  }
  if (go) cpu.ip = relative(cpu, ins);
}

/** CBW/CWDE/CDQE (98) and CWD/CDQ/CQO (99). */
function convert(cpu: Cpu, op: number, size: number): void {
  if (op === 0x98) {
    const half = size / 2;
    const v = cpu.getReg(RAX, half, 0);
    const negative = (v & arith.signBit(half)) !== 0;
    if (size === 8) cpu.setReg(RAX, 8, v, 0, negative ? 0xffffffff : 0);
    else cpu.setReg(RAX, size, negative ? (v | ~maskOf(half)) >>> 0 : v, 0);
    return;
  }
  const negative = size === 8 ? (cpu.hi[RAX] as number) & 0x80000000 : cpu.getReg(RAX, size, 0) & arith.signBit(size);
  const fill = negative ? maskOf(size) : 0;
  cpu.setReg(RDX, size, fill, 0, fill);
}

function moveImmediate(cpu: Cpu, ins: Instr, op: number): void {
  const n = (op & 7) + (ins.rex & 1 ? 8 : 0);
  if (op < 0xb8) cpu.setReg(n, 1, ins.immRaw, ins.rex);
  else cpu.setReg(n, ins.osize, ins.immRaw, 0, ins.immHi);
}

function exchangeWithAccumulator(cpu: Cpu, ins: Instr, n: number): void {
  const size = ins.osize;
  const t = cpu.getReg(n, size, 0);
  const tHi = cpu.hiOut;
  cpu.setReg(n, size, cpu.getReg(RAX, size, 0), 0, cpu.hiOut);
  cpu.setReg(RAX, size, t, 0, tHi);
}

function moffs(cpu: Cpu, ins: Instr, op: number): void {
  const size = (op & 1) === 0 ? 1 : ins.osize;
  let address = ins.immHi * TWO_32 + ins.immRaw;
  if (ins.segment === 0x64) address += cpu.fsBase;
  else if (ins.segment === 0x65) address += cpu.gsBase;
  if (op < 0xa2) {
    const v = size === 8 ? cpu.memory.read32(address) : cpu.memory.read(address, size);
    cpu.setReg(RAX, size, v, 0, size === 8 ? cpu.memory.read32(address + 4) : 0);
  } else {
    const v = cpu.getReg(RAX, size, 0);
    if (size === 8) cpu.memory.write64(address, v, cpu.hiOut);
    else cpu.memory.write(address, size, v);
  }
}

/** Executes `ins`; cpu.ip already points past it. */
export function execute(cpu: Cpu, ins: Instr, kernel: Kernel): void {
  const op = ins.op;
  if (op >= 0x100) {
    twoByte(cpu, ins, kernel);
    return;
  }
  if (op < 0x40 && (op & 7) < 6) {
    aluForms(cpu, ins, op);
    return;
  }
  const size = ins.osize;
  const byteOrFull = (op & 1) === 0 ? 1 : size;
  const low3 = (op & 7) + (ins.rex & 1 ? 8 : 0);
  if (op >= 0x70 && op <= 0x7f) {
    if (condition(cpu, op & 15)) cpu.ip = relative(cpu, ins);
    return;
  }
  if (op >= 0x40 && op <= 0x4f) {
    // Only reached in 32-bit code (in 64-bit code these bytes are REX prefixes).
    const n = op & 7;
    const carry = cpu.flags & CF;
    const v = cpu.getReg(n, size, 0);
    const r = op < 0x48 ? arith.add(cpu, v, 1, 0, size) : arith.sub(cpu, v, 1, 0, size);
    cpu.flags = (cpu.flags & ~CF) | carry;
    cpu.setReg(n, size, r, 0);
    return;
  }
  if (op >= 0x50 && op <= 0x57) {
    const s = stackSize(cpu, ins);
    const v = cpu.getReg(low3, s, 0);
    cpu.push(v, s, cpu.hiOut);
    return;
  }
  if (op >= 0x58 && op <= 0x5f) {
    const s = stackSize(cpu, ins);
    const v = cpu.pop(s);
    cpu.setReg(low3, s, v, 0, cpu.hiOut);
    return;
  }
  if (op >= 0x91 && op <= 0x97) {
    exchangeWithAccumulator(cpu, ins, low3);
    return;
  }
  if (op >= 0xb0 && op <= 0xbf) {
    moveImmediate(cpu, ins, op);
    return;
  }
  if ((op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf)) {
    executeStringOp(cpu, ins);
    return;
  }
  if (op >= 0xd8 && op <= 0xdf) {
    executeX87(cpu, ins);
    return;
  }
  switch (op) {
    case 0x63: {
      if (cpu.mode !== 64) unsupported(ins);
      const v = cpu.readRm(ins, 4);
      cpu.setReg(ins.reg, size, v, ins.rex, v & 0x80000000 ? 0xffffffff : 0);
      return;
    }
    case 0x68:
    case 0x6a: {
      const s = stackSize(cpu, ins);
      cpu.push((ins.imm & maskOf(s)) >>> 0, s, immHigh(ins));
      return;
    }
    case 0x69:
    case 0x6b: {
      const a = cpu.readRm(ins, size);
      imulStore(cpu, ins, a, cpu.hiOut, ins.imm >>> 0, immHigh(ins), size);
      return;
    }
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
    case 0x85: {
      const a = cpu.readRm(ins, byteOrFull);
      const aHi = cpu.hiOut;
      const b = cpu.getReg(ins.reg, byteOrFull, ins.rex);
      if (byteOrFull === 8) arith.logic64(cpu, a & b, aHi & cpu.hiOut);
      else arith.logic(cpu, a & b, byteOrFull);
      return;
    }
    case 0x86:
    case 0x87: {
      const t = cpu.readRm(ins, byteOrFull);
      const tHi = cpu.hiOut;
      cpu.writeRm(ins, byteOrFull, cpu.getReg(ins.reg, byteOrFull, ins.rex), cpu.hiOut);
      cpu.setReg(ins.reg, byteOrFull, t, ins.rex, tHi);
      return;
    }
    case 0x88:
    case 0x89:
      cpu.writeRm(ins, byteOrFull, cpu.getReg(ins.reg, byteOrFull, ins.rex), cpu.hiOut);
      return;
    case 0x8a:
    case 0x8b: {
      const v = cpu.readRm(ins, byteOrFull);
      cpu.setReg(ins.reg, byteOrFull, v, ins.rex, cpu.hiOut);
      return;
    }
    case 0x8c:
      cpu.writeRm(ins, ins.rmReg >= 0 ? size : 2, cpu.segments[ins.digit] ?? 0);
      return;
    case 0x8e:
      if (ins.digit === 1 || ins.digit > 5) unsupported(ins);
      cpu.loadSegment(ins.digit, cpu.readRm(ins, 2));
      return;
    case 0x8d: {
      if (!ins.mem) unsupported(ins);
      if (cpu.mode === 32 || ins.asize === 4) cpu.setReg(ins.reg, size, cpu.address(ins, false), ins.rex);
      else cpu.setReg(ins.reg, size, cpu.effectiveAddress64(ins), ins.rex, cpu.hiOut);
      return;
    }
    case 0x8f: {
      const s = stackSize(cpu, ins);
      const v = cpu.pop(s);
      cpu.writeRm(ins, s, v, cpu.hiOut);
      return;
    }
    case 0x90:
      if (ins.rex & 1) exchangeWithAccumulator(cpu, ins, 8);
      return;
    case 0x98:
    case 0x99: {
      convert(cpu, op, size);
      return;
    }
    case 0x9c:
      cpu.push(cpu.flags & 0xfcffff, stackSize(cpu, ins));
      return;
    case 0x9d:
      cpu.flags = ((cpu.pop(stackSize(cpu, ins)) & 0x240cd5) | 0x202) >>> 0;
      return;
    case 0x9e:
      cpu.flags = (cpu.flags & ~0xd5) | (((cpu.lo[RAX] as number) >>> 8) & 0xd5);
      return;
    case 0x9f:
      cpu.setReg(4, 1, (cpu.flags & 0xd5) | 2, 0);
      return;
    case 0xa0:
    case 0xa1:
    case 0xa2:
    case 0xa3: {
      moffs(cpu, ins, op);
      return;
    }
    case 0xa8:
    case 0xa9: {
      const a = cpu.getReg(RAX, byteOrFull, 0);
      if (byteOrFull === 8) arith.logic64(cpu, a & ins.imm, cpu.hiOut & immHigh(ins));
      else arith.logic(cpu, a & ins.imm, byteOrFull);
      return;
    }
    case 0xc0:
    case 0xc1: {
      group2(cpu, ins, byteOrFull, ins.immRaw & (byteOrFull === 8 ? 63 : 31));
      return;
    }
    case 0xd0:
    case 0xd1: {
      group2(cpu, ins, byteOrFull, 1);
      return;
    }
    case 0xd2:
    case 0xd3: {
      group2(cpu, ins, byteOrFull, (cpu.lo[RCX] as number) & (byteOrFull === 8 ? 63 : 31));
      return;
    }
    case 0xc2:
    case 0xc3: {
      const target = cpu.popAddress();
      if (op === 0xc2) cpu.setRegNumber(RSP, cpu.sp() + ins.immRaw);
      cpu.ip = target;
      return;
    }
    case 0xc6:
    case 0xc7:
      cpu.writeRm(ins, byteOrFull, (ins.imm & maskOf(byteOrFull)) >>> 0, immHigh(ins));
      return;
    case 0xc8: {
      enter(cpu, ins);
      return;
    }
    case 0xc9:
      cpu.setRegNumber(RSP, cpu.mode === 64 ? cpu.regNumber(5) : (cpu.lo[5] as number));
      cpu.setReg(5, cpu.width, cpu.pop(), 0, cpu.hiOut);
      return;
    case 0xcc:
      throw new CpuFault('SIGTRAP', `int3 at 0x${ins.address.toString(16)}`);
    case 0xcd:
      if (ins.immRaw !== 0x80) throw new CpuFault('SIGSEGV', `int 0x${ins.immRaw.toString(16)} (no such gate)`);
      kernel.syscall(cpu, 'int80');
      return;
    case 0xe0:
    case 0xe1:
    case 0xe2:
    case 0xe3: {
      loop(cpu, ins, op);
      return;
    }
    case 0xe8:
      cpu.pushAddress(cpu.ip);
      cpu.ip = relative(cpu, ins);
      return;
    case 0xe9:
    case 0xeb:
      cpu.ip = relative(cpu, ins);
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
      group5(cpu, ins, ins.digit === 2 || ins.digit === 4 ? cpu.width : size);
      return;
    }
    default:
      unsupported(ins);
  }
}

/** ENTER size, level: push rbp, copy `level - 1` outer frame pointers, then reserve `size` bytes. */
function enter(cpu: Cpu, ins: Instr): void {
  const w = cpu.width;
  const level = ins.imm2 & 31;
  cpu.push(cpu.lo[5] as number, w, cpu.hi[5]);
  const frame = cpu.sp();
  let bp = cpu.mode === 64 ? cpu.regNumber(5) : (cpu.lo[5] as number);
  for (let i = 1; i < level; i++) {
    bp -= w;
    const v = w === 8 ? cpu.memory.read32(bp) : cpu.memory.read(bp, w);
    cpu.push(v, w, w === 8 ? cpu.memory.read32(bp + 4) : 0);
  }
  if (level > 0) cpu.push(frame >>> 0, w, Math.floor(frame / TWO_32));
  cpu.setRegNumber(5, frame);
  cpu.setRegNumber(RSP, cpu.sp() - (ins.immRaw & 0xffff));
}
