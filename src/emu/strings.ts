/**
 * String instructions (MOVS, CMPS, STOS, LODS, SCAS) with REP/REPE/REPNE:
 * the count register and the pointers use the address size, DF picks the
 * direction. Each repetition runs in full here (no interruption points).
 */
import * as arith from './arith.js';
import { DF, ZF } from './alu.js';
import { RAX, RCX, RDI, RSI, type Cpu } from './cpu.js';
import type { Instr } from './decode.js';

/** A pointer or count register at the address size, as a number. */
function pointerReg(cpu: Cpu, reg: number, asize: number): number {
  if (asize === 8) return cpu.regNumber(reg);
  return asize === 4 ? (cpu.lo[reg] as number) : (cpu.lo[reg] as number) & 0xffff;
}

function setPointerReg(cpu: Cpu, reg: number, asize: number, value: number): void {
  if (asize === 8) cpu.setRegNumber(reg, value);
  else cpu.setReg(reg, asize, value >>> 0, 0);
}

function readElement(cpu: Cpu, address: number, size: number): number {
  if (size === 8) {
    const v = cpu.memory.read32(address);
    cpu.hiOut = cpu.memory.read32(address + 4);
    return v;
  }
  return cpu.memory.read(address, size);
}

function writeElement(cpu: Cpu, address: number, size: number, value: number, high: number): void {
  if (size === 8) cpu.memory.write64(address, value, high);
  else cpu.memory.write(address, size, value);
}

function compare(cpu: Cpu, a: number, aHi: number, b: number, bHi: number, size: number): void {
  if (size === 8) arith.sub64(cpu, a, aHi, b, bHi, 0);
  else arith.sub(cpu, a, b, 0, size);
}

export function executeStringOp(cpu: Cpu, ins: Instr): void {
  const op = ins.op;
  const size = (op & 1) === 0 ? 1 : ins.osize;
  const asize = ins.asize;
  const step = cpu.flags & DF ? -size : size;
  const compares = op === 0xa6 || op === 0xa7 || op === 0xae || op === 0xaf;
  const sourceBase = ins.segment === 0x64 ? cpu.fsBase : ins.segment === 0x65 ? cpu.gsBase : 0;
  const once = (): void => {
    const si = pointerReg(cpu, RSI, asize);
    const di = pointerReg(cpu, RDI, asize);
    switch (op) {
      case 0xa4:
      case 0xa5: {
        const v = readElement(cpu, sourceBase + si, size);
        writeElement(cpu, di, size, v, cpu.hiOut);
        setPointerReg(cpu, RSI, asize, si + step);
        setPointerReg(cpu, RDI, asize, di + step);
        return;
      }
      case 0xa6:
      case 0xa7: {
        const a = readElement(cpu, sourceBase + si, size);
        const aHi = cpu.hiOut;
        const b = readElement(cpu, di, size);
        compare(cpu, a, aHi, b, cpu.hiOut, size);
        setPointerReg(cpu, RSI, asize, si + step);
        setPointerReg(cpu, RDI, asize, di + step);
        return;
      }
      case 0xaa:
      case 0xab: {
        const v = cpu.getReg(RAX, size, 0);
        writeElement(cpu, di, size, v, cpu.hiOut);
        setPointerReg(cpu, RDI, asize, di + step);
        return;
      }
      case 0xac:
      case 0xad: {
        const v = readElement(cpu, sourceBase + si, size);
        cpu.setReg(RAX, size, v, 0, cpu.hiOut);
        setPointerReg(cpu, RSI, asize, si + step);
        return;
      }
      default: {
        const a = cpu.getReg(RAX, size, 0);
        const aHi = cpu.hiOut;
        const b = readElement(cpu, di, size);
        compare(cpu, a, aHi, b, cpu.hiOut, size);
        setPointerReg(cpu, RDI, asize, di + step);
      }
    }
  };
  if (!ins.rep) {
    once();
    return;
  }
  let count = pointerReg(cpu, RCX, asize);
  while (count !== 0) {
    once();
    count--;
    setPointerReg(cpu, RCX, asize, count);
    if (compares) {
      const zf = (cpu.flags & ZF) !== 0;
      if (ins.rep === 0xf3 ? !zf : zf) break;
    }
  }
}
