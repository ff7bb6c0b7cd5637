/**
 * What the reverse forms probe (fuzz/forms-probe.mjs) found, pinned at the encoder: each
 * expectation is nasm 2.16.01's bytes or its message for the line (`nasm -f bin`). Whole files
 * are in the goldens (golden64/short-forms64, golden/movdir64b-register-free-address); here are
 * the lines nasm panics on, which a golden cannot hold.
 */
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
import type { EncodeContext } from '../../src/encoder/types.js';
import { parseLine } from './helpers/parse-line.js';

function hex(line: string, bits: 16 | 32 | 64): string {
  const ctx: EncodeContext = { bits, segment: 0, offset: 0n, optimize: 2, cpu: 'all', defaultRel: false };
  const r = encodeInstruction(parseLine(line), ctx);
  return r.ok ? Buffer.from(r.bytes).toString('hex').toUpperCase() : `error: ${r.error}`;
}

describe('operand forms found by the reverse forms probe', () => {
  it("VPMASKMOV's store without its mask puts the address's first-named scale-1 register in vvvv", () => {
    expect(hex('vpmaskmovd [rbx],xmm1', 64)).toBe('C4E2618E0B');
    expect(hex('vpmaskmovd [rcx+rbx],xmm1', 64)).toBe('C4E2618E0C19');
    expect(hex('vpmaskmovd [r9+r10],xmm1', 64)).toBe('C482298E0C11');
    expect(hex('vpmaskmovd [bp+di],xmm1', 16)).toBe('C4E2518E0B');
    // nasm: "panic: invalid operand passed to regval()" (no such register).
    for (const line of ['vpmaskmovd [0x1234],xmm1', 'vpmaskmovq [rbx*2],ymm1'])
      expect(hex(line, 64), line).toBe('error: invalid operand passed to regval()');
  });

  it('MOVDIR64B/ENQCMD with a 64-bit register refuse a 32-bit address (nasm panics)', () => {
    // "panic: assertion data.inslen >= 0 failed at asm/assemble.c:904" (exit 3).
    for (const line of ['movdir64b rax,[eax]', 'enqcmd rax,[eax]', 'enqcmds rax,[eax]', 'a32 enqcmd rax,[0x1234]'])
      expect(hex(line, 64), line).toBe('error: impossible combination of address sizes');
    expect(hex('movdir64b eax,[rax]', 64)).toBe('67660F38F800');
    expect(hex('a32 enqcmd eax,[0x1234]', 64)).toBe('67F20F38F8042534120000');
  });

  it("MOVDIR64B's register-free address is encoded at the mode's address size", () => {
    expect(hex('movdir64b ebx,[0x1234]', 16)).toBe('67660F38F81E3412');
    expect(hex('movdir64b bx,[0x1234]', 32)).toBe('67660F38F81D34120000');
    expect(hex('movdir64b ebx,[dword 0x1234]', 16)).toBe('67660F38F81D34120000');
    expect(hex('movdir64b ebx,[word 0x1234]', 32)).toBe('67660F38F81E3412');
  });
});
