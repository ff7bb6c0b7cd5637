/**
 * What every instruction module shares: the processor exceptions (delivered
 * to the process as signals), the condition codes, and the kernel hook the
 * system-call gates call.
 */
import { CF, OF, PF, SF, ZF } from './alu.js';
import type { Cpu } from './cpu.js';
import type { Instr } from './decode.js';

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

export function unsupported(ins: Instr): never {
  throw new CpuFault('SIGILL', `unsupported instruction '${ins.text}' at 0x${ins.address.toString(16)}`);
}

/** The 16 condition codes (Jcc, SETcc, CMOVcc low nibble). */
export function condition(cpu: Cpu, cc: number): boolean {
  const f = cpu.flags;
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
      r = ((f & SF) !== 0) !== ((f & OF) !== 0);
      break;
    default:
      r = ((f & SF) !== 0) !== ((f & OF) !== 0) || (f & ZF) !== 0;
  }
  return cc & 1 ? !r : r;
}
