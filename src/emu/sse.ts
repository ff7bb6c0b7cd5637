/**
 * SSE and SSE2 on xmm registers, by the table row's mnemonic: moves
 * (movd/movq/movss/movsd/movaps/movups/movdqa/movdqu and the half moves),
 * bitwise logic, packed integer add/subtract/compare/min/max/shifts/
 * shuffles/unpacks, pmovmskb/movmskps/movmskpd, scalar and packed float
 * arithmetic, conversions, ucomis/comis, and MXCSR and the fences. MMX forms
 * (mm registers) are not emulated. Packed operations work on a copy of the
 * source so that an operand naming the destination reads its old value.
 */
import { CF, PF, ZF } from './alu.js';
import type { Cpu } from './cpu.js';
import type { Instr } from './decode.js';
import { unsupported } from './fault.js';
import { executePacked } from './packed.js';
import { loadSource, src32, srcF32, srcF64 } from './source.js';

/** Stores `bytes` of xmm `reg` to the r/m operand (an xmm register's low bytes, or memory). */
function storeXmm(cpu: Cpu, ins: Instr, reg: number, bytes: number, offset = 0): void {
  const lanes = cpu.sse.lanes;
  if (ins.rmReg >= 0) {
    for (let i = 0; i < bytes / 4; i++) lanes[ins.rmReg * 4 + i] = lanes[reg * 4 + offset / 4 + i] as number;
    return;
  }
  const a = cpu.address(ins);
  if (bytes === 16) {
    // Check both ends first so that a faulting store writes nothing.
    cpu.memory.write64(a + 8, lanes[reg * 4 + 2] as number, lanes[reg * 4 + 3] as number);
  }
  for (let i = 0; i < bytes / 4; i++) cpu.memory.write32(a + i * 4, lanes[reg * 4 + offset / 4 + i] as number);
}

function setLanes(cpu: Cpu, reg: number, values: ArrayLike<number>, count: number, zeroRest: boolean): void {
  const lanes = cpu.sse.lanes;
  for (let i = 0; i < 4; i++) {
    if (i < count) lanes[reg * 4 + i] = values[i] as number;
    else if (zeroRest) lanes[reg * 4 + i] = 0;
  }
}

/** Moves between xmm registers, memory and general registers. Returns false when `ins` is not one. */
function move(cpu: Cpu, ins: Instr): boolean {
  const reg = ins.reg;
  const op = ins.op & 0xff;
  switch (ins.mnemonic) {
    case 'movaps':
    case 'movups':
    case 'movapd':
    case 'movupd':
    case 'movdqa':
    case 'movdqu':
    case 'lddqu':
    case 'movntps':
    case 'movntpd':
    case 'movntdq':
      if (op === 0x11 || op === 0x29 || op === 0x7f || op === 0x2b || op === 0xe7) storeXmm(cpu, ins, reg, 16);
      else {
        loadSource(cpu, ins, 16);
        setLanes(cpu, reg, src32, 4, false);
      }
      return true;
    case 'movss':
    case 'movsd': {
      const n = ins.mnemonic === 'movss' ? 1 : 2;
      if (op === 0x11) storeXmm(cpu, ins, reg, n * 4);
      else {
        loadSource(cpu, ins, n * 4);
        setLanes(cpu, reg, src32, n, ins.rmReg < 0);
      }
      return true;
    }
    case 'movd':
    case 'movq':
      return moveDq(cpu, ins, op);
    case 'movlps':
    case 'movlpd':
    case 'movhps':
    case 'movhpd': {
      const high = ins.mnemonic.startsWith('movh') ? 2 : 0;
      if (op === 0x13 || op === 0x17) storeXmm(cpu, ins, reg, 8, high * 4);
      else {
        loadSource(cpu, ins, 8);
        cpu.sse.lanes[reg * 4 + high] = src32[0] as number;
        cpu.sse.lanes[reg * 4 + high + 1] = src32[1] as number;
      }
      return true;
    }
    case 'movhlps':
    case 'movlhps': {
      loadSource(cpu, ins, 16);
      const from = ins.mnemonic === 'movhlps' ? 2 : 0;
      const to = from === 2 ? 0 : 2;
      cpu.sse.lanes[reg * 4 + to] = src32[from] as number;
      cpu.sse.lanes[reg * 4 + to + 1] = src32[from + 1] as number;
      return true;
    }
    default:
      return false;
  }
}

/** MOVD/MOVQ: xmm ← r/m32/64 (6E), r/m32/64 ← xmm (7E with 66), xmm ← xmm/m64 (F3 7E), xmm/m64 ← xmm (D6). */
function moveDq(cpu: Cpu, ins: Instr, op: number): boolean {
  const lanes = cpu.sse.lanes;
  const reg = ins.reg;
  const wide = ins.mnemonic === 'movq';
  if (op === 0x6e) {
    const lo = cpu.readRm(ins, wide ? 8 : 4);
    setLanes(cpu, reg, [lo, wide ? cpu.hiOut : 0], 2, true);
  } else if (op === 0x7e && ins.prefix === 0x66) {
    cpu.writeRm(ins, wide ? 8 : 4, lanes[reg * 4] as number, lanes[reg * 4 + 1]);
  } else if (op === 0x7e) {
    loadSource(cpu, ins, 8);
    setLanes(cpu, reg, src32, 2, true);
  } else if (op === 0xd6) {
    if (ins.rmReg >= 0) setLanes(cpu, ins.rmReg, [lanes[reg * 4] as number, lanes[reg * 4 + 1] as number], 2, true);
    else storeXmm(cpu, ins, reg, 8);
  } else return false;
  return true;
}

/** UCOMISS/UCOMISD/COMISS/COMISD: ZF, PF, CF as FUCOMI sets them; OF, SF, AF cleared. */
function compareScalar(cpu: Cpu, ins: Instr): void {
  const double = ins.mnemonic.endsWith('d');
  loadSource(cpu, ins, double ? 8 : 4);
  const a = double ? (cpu.sse.f64[ins.reg * 2] as number) : (cpu.sse.f32[ins.reg * 4] as number);
  const b = double ? (srcF64[0] as number) : (srcF32[0] as number);
  let f = 0;
  if (Number.isNaN(a) || Number.isNaN(b)) f = ZF | PF | CF;
  else if (a < b) f = CF;
  else if (a === b) f = ZF;
  cpu.flags = (cpu.flags & ~0x8d5) | f;
}

/** MXCSR access, fences, prefetches and FXSAVE-family forms of 0F AE / 0F 18. */
function control(cpu: Cpu, ins: Instr): boolean {
  switch (ins.mnemonic) {
    case 'ldmxcsr':
      cpu.sse.mxcsr = cpu.memory.read32(cpu.address(ins));
      return true;
    case 'stmxcsr':
      cpu.memory.write32(cpu.address(ins), cpu.sse.mxcsr);
      return true;
    case 'lfence':
    case 'mfence':
    case 'sfence':
    case 'prefetchnta':
    case 'prefetcht0':
    case 'prefetcht1':
    case 'prefetcht2':
    case 'prefetchw':
    case 'clflush':
      return true;
    default:
      return false;
  }
}

export function executeSse(cpu: Cpu, ins: Instr): void {
  if (ins.mmx) unsupported(ins);
  if (move(cpu, ins) || control(cpu, ins)) return;
  switch (ins.mnemonic) {
    case 'ucomiss':
    case 'ucomisd':
    case 'comiss':
    case 'comisd': {
      compareScalar(cpu, ins);
      return;
    }
    default:
      if (!executePacked(cpu, ins)) unsupported(ins);
  }
}
