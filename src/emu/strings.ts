/**
 * String instructions (MOVS, CMPS, STOS, LODS, SCAS) with REP/REPE/REPNE:
 * the count register and the pointers use the address size, DF picks the
 * direction. Each repetition runs in full here (no interruption points).
 */
import * as alu from './alu.js';
import { DF, ZF, maskOf } from './alu.js';
import { RAX, RCX, RDI, RSI, type Cpu } from './cpu.js';
import type { Instr } from './decode.js';

export function executeStringOp(cpu: Cpu, ins: Instr): void {
  const op = ins.op;
  const size = (op & 1) === 0 ? 1 : ins.osize;
  const amask = maskOf(ins.asize);
  const step = BigInt(cpu.flags & DF ? -size : size);
  const compares = op === 0xa6 || op === 0xa7 || op === 0xae || op === 0xaf;
  const pointer = (reg: number): number => {
    const base =
      reg === RSI && ins.segment === 0x64 ? cpu.fsBase : reg === RSI && ins.segment === 0x65 ? cpu.gsBase : 0n;
    return Number((base + (cpu.regs[reg]! & amask)) & cpu.addrMask);
  };
  const advance = (reg: number): void => {
    const v = (cpu.regs[reg]! + step) & amask;
    cpu.setReg(reg, ins.asize, v, 0);
  };
  const once = (): void => {
    switch (op) {
      case 0xa4:
      case 0xa5:
        cpu.memory.write(pointer(RDI), size, cpu.memory.read(pointer(RSI), size));
        advance(RSI);
        advance(RDI);
        return;
      case 0xa6:
      case 0xa7:
        cpu.apply(alu.sub(cpu.memory.read(pointer(RSI), size), cpu.memory.read(pointer(RDI), size), 0, size));
        advance(RSI);
        advance(RDI);
        return;
      case 0xaa:
      case 0xab:
        cpu.memory.write(pointer(RDI), size, cpu.getReg(RAX, size, 0));
        advance(RDI);
        return;
      case 0xac:
      case 0xad:
        cpu.setReg(RAX, size, cpu.memory.read(pointer(RSI), size), 0);
        advance(RSI);
        return;
      default:
        cpu.apply(alu.sub(cpu.getReg(RAX, size, 0), cpu.memory.read(pointer(RDI), size), 0, size));
        advance(RDI);
    }
  };
  if (!ins.rep) {
    once();
    return;
  }
  while ((cpu.regs[RCX]! & amask) !== 0n) {
    once();
    cpu.setReg(RCX, ins.asize, (cpu.regs[RCX]! - 1n) & amask, 0);
    if (compares) {
      const zf = (cpu.flags & ZF) !== 0;
      if (ins.rep === 0xf3 ? !zf : zf) break;
    }
  }
}
