/**
 * nasm's address-size agreement (src/encoder/address-size.ts) and what follows a clash, line by
 * line: each expectation is nasm 2.16.01's messages for the line alone (`nasm -f bin`, measured).
 * Golden cases err-address-size-clash-unmatched, err-address-size-clash-matched and
 * golden64/err-address-size-clash64 hold whole files.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/library/assemble.js';

const IMPOSSIBLE = 'error: impossible combination of address sizes';
const DISPLACEMENT_IGNORED = 'warning: displacement size ignored on absolute address';

/** The line's messages in nasm's order, `severity: message`. */
function messages(line: string, bits: 16 | 32 | 64): string[] {
  const result = assemble(`bits ${bits}\n${line}\n`, { fileName: 'p.asm', format: 'bin' });
  const order = result.reportOrder ?? [...result.diagnostics.keys()];
  return order.map((i) => {
    const d = result.diagnostics[i]!;
    return `${d.severity}: ${d.message}`;
  });
}

describe('an address whose sizes cannot agree', () => {
  it('is all nasm says when no row takes the line', () => {
    for (const line of ['mov rax,[qword 5]', 'a32 mov rax,[bx]', 'mov rax,[ebx+bx]', 'inc [qword 5]'])
      expect(messages(line, 32), line).toEqual([IMPOSSIBLE]);
    expect(messages('a16 {evex} hint_nop62 dword [dword 0x78563412]', 32)).toEqual([IMPOSSIBLE]);
    expect(messages('a16 {vex} vscatterdpd [edx+xmm6*1-0x10000]{k7},xmm6', 16)).toEqual([IMPOSSIBLE]);
    expect(messages('a64 add eax,[rbx],1', 16)).toEqual([IMPOSSIBLE]);
    expect(messages('a32 add eax,[word rbx],1', 64)).toEqual([IMPOSSIBLE]);
    // A prefix or an encoding the row refuses is a failure to match: nothing more either.
    expect(messages('a16 bnd add eax,[eax+bx]', 32)).toEqual([IMPOSSIBLE]);
    expect(messages('a16 {vex3} add eax,[ebx]', 32)).toEqual([IMPOSSIBLE]);
  });

  it('is followed by what the matched row finds at the mode address size', () => {
    expect(messages('o64 a32 maxsd xmm0,[bx+si]', 16)).toEqual([
      IMPOSSIBLE,
      'error: invalid operands in non-64-bit mode',
    ]);
    expect(messages('a16 add eax,[ebx]', 16)).toEqual([IMPOSSIBLE, 'error: invalid 16-bit effective address']);
    expect(messages('a32 add eax,[bx]', 32)).toEqual([IMPOSSIBLE]);
    expect(messages('a32 add eax,[si+di]', 32)).toEqual([IMPOSSIBLE, 'error: invalid 32-bit effective address']);
    expect(messages('a32 add eax,[word 5]', 32)).toEqual([IMPOSSIBLE, DISPLACEMENT_IGNORED]);
    expect(messages('mov r8d,[qword 5]', 32)).toEqual([
      IMPOSSIBLE,
      DISPLACEMENT_IGNORED,
      'error: invalid operands in non-64-bit mode',
    ]);
    expect(messages('{vex2} asp vfmsub123sd xmm3,xmm6,[rax]', 64)).toEqual([
      IMPOSSIBLE,
      'error: instruction not encodable with {vex2} prefix',
    ]);
    expect(messages('{vex2} a16 vfmsubss xmm6,xmm10,dword [rdx],xmm1', 64)).toEqual([
      IMPOSSIBLE,
      'error: instruction not encodable with {vex2} prefix',
      'error: 16-bit addressing is not supported in 64-bit mode',
    ]);
    expect(messages('a64 add eax,[byte 5]', 16)).toEqual([
      IMPOSSIBLE,
      DISPLACEMENT_IGNORED,
      'error: 64-bit addressing is only supported in 64-bit mode',
    ]);
    expect(messages('a32 add eax,[rel rbx]', 64)).toEqual([
      IMPOSSIBLE,
      'warning: indirect address displacements cannot be RIP-relative',
    ]);
    expect(messages('a16 jrcxz $', 64)).toEqual([IMPOSSIBLE]);
  });

  it('leaves a VSIB address with a base of the mode size alone', () => {
    expect(messages('a32 vpgatherdd xmm21,[rsi+xmm25*2-0x102]', 64)).toEqual([IMPOSSIBLE]);
    expect(messages('a16 vgatherdps xmm1,[edx+xmm2*2],xmm3', 32)).toEqual([IMPOSSIBLE]);
    expect(messages('a16 vgatherdps xmm1,[ebx+xmm2],xmm3', 64)).toEqual([
      IMPOSSIBLE,
      'error: invalid 64-bit effective address',
    ]);
    expect(messages('a16 vgatherdps xmm1,[ebx+xmm10*2],xmm3', 32)).toEqual([
      IMPOSSIBLE,
      'error: invalid operands in non-64-bit mode',
    ]);
  });

  it('is not reached by an address with three registers', () => {
    expect(messages('a16 add eax,[ebx+eax+esi],1', 32)).toEqual([
      'error: invalid effective address: too many registers',
    ]);
  });
});
