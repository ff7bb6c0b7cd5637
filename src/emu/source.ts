/**
 * The source operand of an SSE instruction: its 16 bytes (an xmm
 * register's, or up to 16 read from memory) copied to a scratch buffer with
 * typed views, so an instruction whose operands name the same register reads
 * the old value while it writes the new one.
 */
import type { Cpu } from './cpu.js';
import type { Instr } from './decode.js';

/** The source operand's 16 bytes (a register's, or up to 16 read from memory), with typed views. */
export const src = new Uint8Array(16);
export const src32 = new Uint32Array(src.buffer);
export const srcF64 = new Float64Array(src.buffer);
export const srcF32 = new Float32Array(src.buffer);

/** Loads the r/m operand (xmm register or `bytes` of memory) into `src`. */
export function loadSource(cpu: Cpu, ins: Instr, bytes: number): void {
  if (ins.rmReg >= 0) {
    src.set(cpu.sse.bytes.subarray(ins.rmReg * 16, ins.rmReg * 16 + 16));
    return;
  }
  src.fill(0);
  const a = cpu.address(ins);
  for (let i = 0; i < bytes; i += 4) src32[i / 4] = bytes - i >= 4 ? cpu.memory.read32(a + i) : 0;
  if (bytes < 4) src32[0] = cpu.memory.read(a, bytes);
}
