/**
 * What the written-prefix probe (fuzz/prefix-probe.mjs) found, pinned at the encoder: each
 * expectation is nasm 2.16.01's bytes or its first message for the line (`nasm -f bin`).
 * The golden cases hold whole files; here are the lines a golden cannot hold: those where
 * nasm panics, and refusals whose follow-up message tsnasm does not yet match.
 */
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
import type { EncodeContext } from '../../src/encoder/types.js';
import { parseLine } from './helpers/parse-line.js';
import { assemble } from '../../src/library/assemble.js';

function hex(line: string, bits: 16 | 32 | 64, optimize: 0 | 1 | 2 = 2): string {
  const ctx: EncodeContext = { bits, segment: 0, offset: 0n, optimize, cpu: 'all', defaultRel: false };
  const r = encodeInstruction(parseLine(line), ctx);
  return r.ok ? Buffer.from(r.bytes).toString('hex').toUpperCase() : `error: ${r.error}`;
}

describe('written prefixes against rows (prefix probe findings)', () => {
  it('o64 adds no REX.W on the rows that are 64-bit by default, and is accepted there outside BITS 64', () => {
    expect(hex('o64 paddb mm7,mm1', 64)).toBe('0FFCF9');
    expect(hex('o64 psubb mm0,[r8]', 64)).toBe('410FF800');
    expect(hex('o64 pfadd mm1,mm2', 64)).toBe('0F0FCA9E');
    expect(hex('o64 rdpid rcx', 64)).toBe('F30FC7F9');
    expect(hex('o64 invept rax,[rax]', 64)).toBe('660F388000');
    expect(hex('o64 call [rax]', 64)).toBe('48FF10');
    expect(hex('o64 psllw mm1,5', 64)).toBe('480F71F105');
    expect(hex('o64 paddb mm1,mm2', 32)).toBe('0FFCCA');
    expect(hex('o64 vaddps xmm1,xmm2,xmm3', 16)).toBe('C5E858CB');
    expect(hex('o64 paddq mm1,mm2', 32)).toBe('error: invalid operands in non-64-bit mode');
    expect(hex('o64 psllw mm1,5', 32)).toBe('error: invalid operands in non-64-bit mode');
  });

  it('asp in BITS 64 takes the moffs forms as a32 does', () => {
    expect(hex('asp mov al,[0x12]', 64)).toBe('67A012000000');
    expect(hex('asp mov [0x12],eax', 64)).toBe('67A312000000');
  });

  it('a written address size against a VSIB address', () => {
    expect(hex('a32 vgatherdps xmm1,[xmm2*2],xmm3', 64)).toBe('67C4E261920C5500000000');
    expect(hex('a32 vgatherdps xmm1,[xmm2*2],xmm3', 16)).toBe('67C4E261920C5500000000');
    // (What nasm says after these: test/encoder/address-size-clash.test.ts.)
    expect(hex('a16 vgatherdps xmm1,[edx+xmm2*2],xmm3', 32)).toBe('error: impossible combination of address sizes');
    expect(hex('a32 vgatherdps xmm1,[rdx+xmm2*2],xmm3', 64)).toBe('error: impossible combination of address sizes');
    expect(hex('a16 vgatherdps xmm1,[edx+xmm2*2],xmm3', 16)).toBe('error: impossible combination of address sizes');
  });

  it('repne/repnz and nobnd on the rows that take BND', () => {
    expect(hex('repne jz $', 32)).toBe('F274FD');
    expect(hex('repne jz short $', 32)).toBe('error: repne prefix is not allowed');
    expect(hex('repne jmp $', 32, 0)).toBe('error: repne prefix is not allowed');
    expect(hex('repne jz $', 32, 0)).toBe('F274FD');
    expect(hex('nobnd jmp $', 64)).toBe('EBFE');
    expect(hex('nobnd jmp short $', 64)).toBe('error: nobnd prefix is not allowed');
  });

  it('refuses the lines nasm 2.16.01 panics on', () => {
    // "panic: assertion data.inslen >= 0 failed at asm/assemble.c:904" (exit 3): the a32 prefix
    // against a row whose own address size is 64 leaves nasm no bytes to match.
    for (const line of ['a32 jrcxz $', 'a32 repne jrcxz $', 'xrelease a32 loop $,rcx'])
      expect(hex(line, 64), line).toBe('error: impossible combination of address sizes');
    // "assertion data.insoffs == data.inslen failed" (exit 3): `{rex}` on a line of prefixes only.
    // Outside BITS 64 nasm refuses it with this message (golden case rex-prefix-alone); so does tsnasm in it.
    for (const line of ['{rex} rep', 'rep {rex}', '{rex}', 'o16 {rex} a32']) {
      const result = assemble(`bits 64\n${line}\n`, { fileName: 'p.asm', format: 'bin' });
      expect(result.output, line).toBeNull();
      expect(
        result.diagnostics.map((d) => d.message),
        line,
      ).toEqual(['instruction not encodable with {rex} prefix']);
    }
  });
});
