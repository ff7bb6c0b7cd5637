/**
 * The general-purpose 0F xx opcodes: Jcc near, SETcc, CMOVcc, BSWAP,
 * SYSCALL, UD2, the NOP forms, CPUID, RDTSC, the bit tests, SHLD/SHRD, IMUL,
 * MOVZX/MOVSX, BSF/BSR (and TZCNT/LZCNT), CMPXCHG, CMPXCHG8B/16B, XADD. The
 * rest of the 0F map (MMX/SSE, fences, MXCSR) goes to sse.ts.
 */
import * as alu from './alu.js';
import * as arith from './arith.js';
import { CF, OF, ZF } from './alu.js';
import { Cpu, RAX, RBX, RCX, RDX, TWO_32, maskOf } from './cpu.js';
import type { Instr } from './decode.js';
import { CpuFault, condition, unsupported, type Kernel } from './fault.js';
import { executeSse } from './sse.js';
import { applyWide, fromBig, toBig } from './wide.js';

/** Stores a signed product's low `size` bytes in the reg operand, with CF = OF = "did not fit". */
export function imulStore(cpu: Cpu, ins: Instr, a: number, aHi: number, b: number, bHi: number, size: number): void {
  let low: number;
  let high = 0;
  let overflow: boolean;
  if (size === 2) {
    const product = ((a << 16) >> 16) * ((b << 16) >> 16);
    low = product & 0xffff;
    overflow = product !== (low << 16) >> 16;
  } else if (size === 4) {
    low = Math.imul(a, b) >>> 0;
    overflow = arith.mulHighSigned(a, b) !== (low & 0x80000000 ? 0xffffffff : 0);
  } else {
    const product = BigInt.asIntN(64, toBig(a, aHi)) * BigInt.asIntN(64, toBig(b, bHi));
    const wrapped = BigInt.asUintN(64, product);
    overflow = product !== BigInt.asIntN(64, wrapped);
    low = fromBig(cpu, wrapped);
    high = cpu.hiOut;
  }
  const sz = size === 8 ? arith.szp64(low, high) : arith.szp(low, size);
  arith.setFlags(cpu, sz | (overflow ? CF | OF : 0), alu.STATUS);
  cpu.setReg(ins.reg, size, low, ins.rex, high);
}

/** BT/BTS/BTR/BTC (kind 0-3): a register or immediate index picks a bit in the operand; memory with a register index reaches any bit. */
function bitTest(cpu: Cpu, ins: Instr, size: number, kind: number, index: number): void {
  const bits = size * 8;
  let bit = index & (bits - 1);
  let address = 0;
  if (ins.mem) {
    address = cpu.address(ins);
    if (ins.op !== 0x1ba) {
      const signed = size === 2 ? (index << 16) >> 16 : index | 0;
      address += Math.floor(signed / bits) * size;
      bit = signed & (bits - 1);
    }
  }
  // Work on the 32-bit half holding the bit.
  const half = size === 8 && bit >= 32 ? 4 : 0;
  const part = size === 8 ? 4 : size;
  const read = (): number => {
    if (!ins.mem) {
      const v = cpu.getReg(ins.rmReg, size, ins.rex);
      return half ? cpu.hiOut : v;
    }
    return cpu.memory.read(address + half, part);
  };
  const v = read();
  const mask = 1 << (bit & 31);
  cpu.flags = (cpu.flags & ~CF) | (v & mask ? CF : 0);
  if (kind === 0) return;
  const r = (kind === 1 ? v | mask : kind === 2 ? v & ~mask : v ^ mask) >>> 0;
  if (ins.mem) cpu.memory.write(address + half, part, r);
  else if (size === 8) {
    const lo = cpu.lo[ins.rmReg] as number;
    const hi = cpu.hi[ins.rmReg] as number;
    cpu.setReg(ins.rmReg, 8, half ? lo : r, ins.rex, half ? r : hi);
  } else cpu.setReg(ins.rmReg, size, r, ins.rex);
}

/** BSF/BSR/TZCNT/LZCNT. */
function bitScan(cpu: Cpu, ins: Instr, size: number, reverse: boolean, count: boolean): void {
  const lo = cpu.readRm(ins, size);
  const hi = size === 8 ? cpu.hiOut : 0;
  const bits = size * 8;
  let index: number;
  if (lo === 0 && hi === 0) index = -1;
  else if (reverse) index = hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
  else index = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
  if (count) {
    // TZCNT/LZCNT: CF says the source was zero, ZF that the result is.
    const r = index < 0 ? bits : reverse ? bits - 1 - index : index;
    arith.setFlags(cpu, (index < 0 ? CF : 0) | (r === 0 ? ZF : 0), CF | ZF);
    cpu.setReg(ins.reg, size, r, ins.rex);
    return;
  }
  // BSF/BSR: ZF says whether the source was zero; the destination is then left unchanged (as CPUs do).
  if (index < 0) {
    cpu.flags |= ZF;
    return;
  }
  cpu.flags &= ~ZF;
  cpu.setReg(ins.reg, size, index, ins.rex);
}

function compareExchange(cpu: Cpu, ins: Instr, size: number): void {
  const dest = cpu.readRm(ins, size);
  const destHi = cpu.hiOut;
  const acc = cpu.getReg(RAX, size, 0);
  const accHi = cpu.hiOut;
  if (size === 8) arith.sub64(cpu, acc, accHi, dest, destHi, 0);
  else arith.sub(cpu, acc, dest, 0, size);
  if (cpu.flags & ZF) {
    const src = cpu.getReg(ins.reg, size, ins.rex);
    cpu.writeRm(ins, size, src, cpu.hiOut);
  } else {
    // A memory destination is written back unchanged (the locked cycle); a 32-bit register one is not
    // zero-extended then (measured on x86-64).
    if (ins.mem) cpu.writeRm(ins, size, dest, destHi);
    cpu.setReg(RAX, size, dest, 0, destHi);
  }
}

/** CMPXCHG8B (32-bit halves in edx:eax / ecx:ebx); CMPXCHG16B with REX.W is not emulated. */
function compareExchange8(cpu: Cpu, ins: Instr): void {
  if (ins.rex & 8 || !ins.mem) unsupported(ins);
  const a = cpu.address(ins);
  const lo = cpu.memory.read32(a);
  const hi = cpu.memory.read32(a + 4);
  if (lo === cpu.lo[RAX] && hi === cpu.lo[RDX]) {
    cpu.memory.write64(a, cpu.lo[RBX] as number, cpu.lo[RCX] as number);
    cpu.flags |= ZF;
  } else {
    cpu.memory.write64(a, lo, hi);
    cpu.setReg(RAX, 4, lo, 0);
    cpu.setReg(RDX, 4, hi, 0);
    cpu.flags &= ~ZF;
  }
}

function exchangeAdd(cpu: Cpu, ins: Instr, size: number): void {
  const dest = cpu.readRm(ins, size);
  const destHi = cpu.hiOut;
  const src = cpu.getReg(ins.reg, size, ins.rex);
  const sum = size === 8 ? arith.add64(cpu, dest, destHi, src, cpu.hiOut, 0) : arith.add(cpu, dest, src, 0, size);
  const sumHi = cpu.hiOut;
  cpu.setReg(ins.reg, size, dest, ins.rex, destHi);
  cpu.writeRm(ins, size, sum, sumHi);
}

/** CPUID: a plain processor; SSE/SSE2 reported only to 64-bit programs (where they are the baseline). */
function cpuid(cpu: Cpu): void {
  const leaf = cpu.lo[RAX] as number;
  let eax = 0;
  let ebx = 0;
  let ecx = 0;
  let edx = 0;
  if (leaf === 0) {
    eax = 1; // highest leaf; the vendor string "GenuineIntel" is spread over ebx, edx, ecx
    ebx = 0x756e6547;
    edx = 0x49656e69;
    ecx = 0x6c65746e;
  } else if (leaf === 1) {
    eax = 0x6a9; // family 6
    const base = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15); // FPU, TSC, CX8, CMOV
    const simd = (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26); // MMX, FXSR, SSE, SSE2
    edx = cpu.mode === 64 ? base | simd : base;
  }
  cpu.setReg(RAX, 4, eax, 0);
  cpu.setReg(RBX, 4, ebx, 0);
  cpu.setReg(RCX, 4, ecx, 0);
  cpu.setReg(RDX, 4, edx >>> 0, 0);
}

function shiftDouble(cpu: Cpu, ins: Instr, op: number, size: number): void {
  const count = (op & 1 ? (cpu.lo[RCX] as number) : ins.immRaw) & 0xff;
  const dest = cpu.readRm(ins, size);
  const destHi = cpu.hiOut;
  const src = cpu.getReg(ins.reg, size, ins.rex);
  const r = alu.doubleShift(op < 0xa8, toBig(dest, destHi), toBig(src, cpu.hiOut), count, size);
  const v = applyWide(cpu, { ...r, value: BigInt.asUintN(size * 8, r.value) });
  cpu.writeRm(ins, size, v, cpu.hiOut);
}

function moveExtend(cpu: Cpu, ins: Instr, op: number, size: number): void {
  const from = op === 0xb6 || op === 0xbe ? 1 : 2;
  const v = cpu.readRm(ins, from);
  if (op < 0xb8) {
    cpu.setReg(ins.reg, size, v, ins.rex);
    return;
  }
  const signed = from === 1 ? (v << 24) >> 24 : (v << 16) >> 16;
  cpu.setReg(ins.reg, size, (signed & maskOf(size)) >>> 0, ins.rex, signed < 0 ? 0xffffffff : 0);
}

export function twoByte(cpu: Cpu, ins: Instr, kernel: Kernel): void {
  const size = ins.osize;
  const op = ins.op - 0x100;
  if (op >= 0x80 && op <= 0x8f) {
    if (condition(cpu, op & 15)) cpu.ip = cpu.mode === 32 ? (cpu.ip + ins.imm) >>> 0 : cpu.ip + ins.imm;
    return;
  }
  if (op >= 0x90 && op <= 0x9f) {
    cpu.writeRm(ins, 1, condition(cpu, op & 15) ? 1 : 0);
    return;
  }
  if (op >= 0x40 && op <= 0x4f) {
    const v = cpu.readRm(ins, size);
    // A 32-bit CMOV writes (zero-extending) even when the condition fails.
    if (condition(cpu, op & 15)) cpu.setReg(ins.reg, size, v, ins.rex, cpu.hiOut);
    else if (size === 4) cpu.setReg(ins.reg, 4, cpu.getReg(ins.reg, 4, ins.rex), ins.rex);
    return;
  }
  if (op >= 0xc8 && op <= 0xcf) {
    const n = op - 0xc8 + (ins.rex & 1 ? 8 : 0);
    const swap = (v: number): number => ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) >>> 0;
    if (size === 8) cpu.setReg(n, 8, swap(cpu.hi[n] as number), 0, swap(cpu.lo[n] as number));
    else cpu.setReg(n, 4, swap(cpu.lo[n] as number), 0);
    return;
  }
  switch (op) {
    case 0x05: {
      kernel.syscall(cpu, 'syscall');
      return;
    }
    case 0x0b:
      throw new CpuFault('SIGILL', `ud2 at 0x${ins.address.toString(16)}`);
    case 0x0d:
    case 0x18:
    case 0x19:
    case 0x1a:
    case 0x1b:
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x1f:
      return; // prefetch hints, nop r/m, endbr32/endbr64: nothing to do here
    case 0xa2: {
      cpuid(cpu);
      return;
    }
    case 0x31: {
      const ticks = cpu.ticks();
      cpu.setReg(RAX, 4, ticks >>> 0, 0);
      cpu.setReg(RDX, 4, Math.floor(ticks / TWO_32) >>> 0, 0);
      return;
    }
    case 0xa3:
    case 0xab:
    case 0xb3:
    case 0xbb: {
      bitTest(cpu, ins, size, [0xa3, 0xab, 0xb3, 0xbb].indexOf(op), cpu.getReg(ins.reg, size, ins.rex));
      return;
    }
    case 0xba:
      if (ins.digit < 4) unsupported(ins);
      {
        bitTest(cpu, ins, size, ins.digit - 4, ins.immRaw);
        return;
      }
    case 0xa4:
    case 0xa5:
    case 0xac:
    case 0xad: {
      shiftDouble(cpu, ins, op, size);
      return;
    }
    case 0xaf: {
      const a = cpu.getReg(ins.reg, size, ins.rex);
      const aHi = cpu.hiOut;
      const b = cpu.readRm(ins, size);
      imulStore(cpu, ins, a, aHi, b, cpu.hiOut, size);
      return;
    }
    case 0xb6:
    case 0xb7:
    case 0xbe:
    case 0xbf: {
      moveExtend(cpu, ins, op, size);
      return;
    }
    case 0xbc:
    case 0xbd: {
      bitScan(cpu, ins, size, op === 0xbd, ins.prefix === 0xf3);
      return;
    }
    case 0xb0:
    case 0xb1: {
      compareExchange(cpu, ins, op === 0xb0 ? 1 : size);
      return;
    }
    case 0xc0:
    case 0xc1: {
      exchangeAdd(cpu, ins, op === 0xc0 ? 1 : size);
      return;
    }
    case 0xc7:
      if (ins.digit === 1) {
        compareExchange8(cpu, ins);
        return;
      }
      return unsupported(ins);
    default:
      executeSse(cpu, ins);
  }
}
