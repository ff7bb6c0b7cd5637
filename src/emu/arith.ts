/**
 * The fast integer core: the same flag rules as alu.ts (the bigint
 * reference, which tests hold to the SDM and the real CPU), on plain
 * numbers. Operands of 1, 2 and 4 bytes are unsigned numbers; 8-byte add,
 * subtract and logic work on two 32-bit halves (low half returned, high half
 * left in cpu.hiOut). Each function writes the status flags it defines into
 * cpu.flags and returns the result, so nothing is allocated per instruction.
 */
import { AF, CF, OF, PF, SF, STATUS, ZF } from './alu.js';
import { maskOf, type Cpu } from './cpu.js';

/** PF for each low byte: set when the number of one bits is even. */
const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let b = i ^ (i >> 4);
  b ^= b >> 2;
  b ^= b >> 1;
  PARITY[i] = b & 1 ? 0 : PF;
}

const SIGN = [0, 0x80, 0x8000, 0, 0x80000000];
export const signBit = (size: number): number => (size >= 4 ? 0x80000000 : (SIGN[size] as number));

/** SF, ZF and PF of a result of `size` bytes. */
export function szp(v: number, size: number): number {
  return (v === 0 ? ZF : 0) | (v & signBit(size) ? SF : 0) | (PARITY[v & 0xff] as number);
}

/** SF, ZF and PF of an 8-byte result given as halves. */
export function szp64(lo: number, hi: number): number {
  return (lo === 0 && hi === 0 ? ZF : 0) | (hi & 0x80000000 ? SF : 0) | (PARITY[lo & 0xff] as number);
}

export function setFlags(cpu: Cpu, flags: number, affected: number): void {
  cpu.flags = (cpu.flags & ~affected) | (flags & affected);
}

export function add(cpu: Cpu, a: number, b: number, carry: number, size: number): number {
  const full = a + b + carry;
  const mask = maskOf(size);
  const r = size === 4 ? full >>> 0 : full & mask;
  let f = szp(r, size) | ((a ^ b ^ r) & AF);
  if (full > mask) f |= CF;
  if ((a ^ r) & (b ^ r) & signBit(size)) f |= OF;
  cpu.flags = (cpu.flags & ~STATUS) | f;
  return r;
}

export function sub(cpu: Cpu, a: number, b: number, borrow: number, size: number): number {
  const full = a - b - borrow;
  const r = size === 4 ? full >>> 0 : full & maskOf(size);
  let f = szp(r, size) | ((a ^ b ^ r) & AF);
  if (full < 0) f |= CF;
  if ((a ^ b) & (a ^ r) & signBit(size)) f |= OF;
  cpu.flags = (cpu.flags & ~STATUS) | f;
  return r;
}

/** AND, OR, XOR, TEST: CF and OF cleared; AF cleared (undefined in the SDM; what the CPUs measured do). */
export function logic(cpu: Cpu, r: number, size: number): number {
  const v = size === 4 ? r >>> 0 : r & maskOf(size);
  cpu.flags = (cpu.flags & ~STATUS) | szp(v, size);
  return v;
}

export function add64(cpu: Cpu, aLo: number, aHi: number, bLo: number, bHi: number, carry: number): number {
  const low = aLo + bLo + carry;
  const rLo = low >>> 0;
  const high = aHi + bHi + (low > 0xffffffff ? 1 : 0);
  const rHi = high >>> 0;
  let f = szp64(rLo, rHi) | ((aLo ^ bLo ^ rLo) & AF);
  if (high > 0xffffffff) f |= CF;
  if ((aHi ^ rHi) & (bHi ^ rHi) & 0x80000000) f |= OF;
  cpu.flags = (cpu.flags & ~STATUS) | f;
  cpu.hiOut = rHi;
  return rLo;
}

export function sub64(cpu: Cpu, aLo: number, aHi: number, bLo: number, bHi: number, borrow: number): number {
  const low = aLo - bLo - borrow;
  const rLo = low >>> 0;
  const high = aHi - bHi - (low < 0 ? 1 : 0);
  const rHi = high >>> 0;
  let f = szp64(rLo, rHi) | ((aLo ^ bLo ^ rLo) & AF);
  if (high < 0) f |= CF;
  if ((aHi ^ bHi) & (aHi ^ rHi) & 0x80000000) f |= OF;
  cpu.flags = (cpu.flags & ~STATUS) | f;
  cpu.hiOut = rHi;
  return rLo;
}

export function logic64(cpu: Cpu, lo: number, hi: number): number {
  const rLo = lo >>> 0;
  cpu.hiOut = hi >>> 0;
  cpu.flags = (cpu.flags & ~STATUS) | szp64(rLo, cpu.hiOut);
  return rLo;
}

/**
 * Shifts and rotates of 1-, 2- and 4-byte operands (group 2: /0 ROL … /7
 * SAR; /6 is SAL's alias of SHL), the rules of alu.shift: count masked to 5
 * bits, a zero count changes nothing, OF by the 1-bit rule for any count.
 */
export function shift(cpu: Cpu, kind: number, a: number, rawCount: number, size: number): number {
  const count = rawCount & 31;
  if (count === 0) return a;
  const bits = size * 8;
  const mask = maskOf(size);
  const top = signBit(size);
  switch (kind) {
    case 0: {
      const c = count % bits;
      const r = c === 0 ? a : (((a << c) | (a >>> (bits - c))) & mask) >>> 0;
      const cf = r & 1;
      setFlags(cpu, cf | ((r & top ? 1 : 0) ^ cf ? OF : 0), CF | OF);
      return r;
    }
    case 1: {
      const c = count % bits;
      const r = c === 0 ? a : (((a >>> c) | (a << (bits - c))) & mask) >>> 0;
      const hi = r & top ? 1 : 0;
      setFlags(cpu, hi | (hi ^ (r & (top >>> 1) ? 1 : 0) ? OF : 0), CF | OF);
      return r;
    }
    case 2:
    case 3:
      return rotateThroughCarry(cpu, kind === 2, a, count % (bits + 1), size);
    case 4:
    case 6: {
      const r = ((a << count) & mask) >>> 0;
      const cf = count <= bits ? (a >>> (bits - count)) & 1 : 0;
      cpu.flags = (cpu.flags & ~STATUS) | szp(r, size) | cf | ((r & top ? 1 : 0) ^ cf ? OF : 0);
      return r;
    }
    case 5: {
      const r = a >>> count;
      const cf = (a >>> (count - 1)) & 1;
      cpu.flags = (cpu.flags & ~STATUS) | szp(r, size) | cf | (a & top ? OF : 0);
      return r;
    }
    default: {
      const signed = (a << (32 - bits)) >> (32 - bits);
      const r = ((signed >> count) & mask) >>> 0;
      const cf = (signed >> (count - 1)) & 1;
      cpu.flags = (cpu.flags & ~STATUS) | szp(r, size) | cf;
      return r;
    }
  }
}

/** RCL / RCR one bit at a time through CF (at most 32 steps). */
function rotateThroughCarry(cpu: Cpu, left: boolean, a: number, count: number, size: number): number {
  if (count === 0) return a;
  const bits = size * 8;
  const top = signBit(size);
  let r = a;
  let cf = cpu.flag(CF);
  for (let i = 0; i < count; i++) {
    if (left) {
      const out = r & top ? 1 : 0;
      r = ((r << 1) | cf) & maskOf(size);
      cf = out;
    } else {
      const out = r & 1;
      r = (r >>> 1) | (cf ? top : 0);
      cf = out;
    }
    r >>>= 0;
  }
  const msb = r & top ? 1 : 0;
  const of = left ? msb ^ cf : msb ^ ((r >>> (bits - 2)) & 1);
  setFlags(cpu, cf | (of ? OF : 0), CF | OF);
  return r;
}

/** High 32 bits of the unsigned product of two 32-bit numbers (the low half is Math.imul(a, b) >>> 0). */
export function mulHigh(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const m1 = aH * bL;
  const m2 = aL * bH;
  const mid = ((aL * bL) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (aH * bH + (m1 >>> 16) + (m2 >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** High 32 bits of the signed product (operands given as unsigned 32-bit numbers). */
export function mulHighSigned(a: number, b: number): number {
  let h = mulHigh(a, b);
  if (a & 0x80000000) h -= b;
  if (b & 0x80000000) h -= a;
  return h >>> 0;
}
