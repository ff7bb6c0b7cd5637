/**
 * BITS 64 behaviour beyond the corpus: REX, nasm's choices for `mov r64,imm`,
 * RIP-relative addressing and its fixups, `default rel`, the refusals (forms
 * invalid in 64-bit mode, high-byte registers with REX, 16-bit addresses) and
 * the warnings. Every expected byte string and message was measured with
 * nasm 2.16.01 (`nasm -f bin`, `bits 64`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/index.js';
import { UNKNOWN_VALUE, type Value } from '../../src/core/value.js';
import { encodeInstruction } from '../../src/encoder/index.js';
import type { EncodeContext, EncodeResult, EncodeSuccess, InstructionRequest } from '../../src/encoder/types.js';
import { FIXTURE_DIR } from './helpers/fixtures.js';
import { parseLine } from './helpers/parse-line.js';

const SEG_TEXT = 1;
const SEG_DATA = 2;
const ctx = (over: Partial<EncodeContext> = {}): EncodeContext => ({
  bits: 64,
  segment: SEG_TEXT,
  offset: 0n,
  optimize: 2,
  cpu: 'all',
  defaultRel: false,
  ...over,
});
const label = (base: number, offset: bigint): Value => ({ offset, base, unknown: false, wrt: null, segmentOf: false });

function run(line: string | InstructionRequest, over: Partial<EncodeContext> = {}): EncodeResult {
  return encodeInstruction(typeof line === 'string' ? parseLine(line) : line, ctx(over));
}
function hex(line: string | InstructionRequest, over: Partial<EncodeContext> = {}): string {
  const r = run(line, over);
  return r.ok ? Buffer.from(r.bytes).toString('hex').toUpperCase() : `error: ${r.error}`;
}
function ok(r: EncodeResult): EncodeSuccess {
  if (!r.ok) throw new Error(r.error);
  return r;
}
/** `line` with its memory displacement replaced by `value` (a label or an unknown symbol). */
function withDisplacement(line: string, value: Value): InstructionRequest {
  const req = parseLine(line);
  for (const o of req.operands) if (o.kind === 'mem') o.displacement = value;
  return req;
}

describe('encoder: BITS 64', () => {
  it('emits REX where it was silently wrong before', () => {
    expect(hex('mov rax, rbx')).toBe('4889D8');
    expect(hex('push r12')).toBe('4154');
    expect(hex('pop r12')).toBe('415C');
    expect(hex('lock add [r8], r9')).toBe('F04D0108');
    expect(hex('mov spl, 1')).toBe('40B401');
    expect(hex('inc r8w')).toBe('6641FFC0');
    expect(hex('movq xmm8, rax')).toBe('664C0F6EC0');
    expect(hex('addps xmm9, [r10]')).toBe('450F580A');
    expect(hex('crc32 rax, byte [r8]')).toBe('F2490F38F000');
    expect(hex('mov rax, cr8')).toBe('440F20C0');
    expect(hex('rep movsq')).toBe('F348A5');
    expect(hex('o64 nop')).toBe('4890');
  });

  it('uses 64-bit default operand size for push, pop and near branches', () => {
    expect(hex('push rax')).toBe('50');
    expect(hex('push ax')).toBe('6650');
    expect(hex('push 5')).toBe('6A05');
    expect(hex('push word 5')).toBe('666A05');
    expect(hex('jmp rax')).toBe('FFE0');
    expect(hex('call [rax]')).toBe('FF10');
    expect(hex('jmp far [rax]')).toBe('48FF28');
    expect(hex('jmp 5')).toBe('E900000000');
  });

  it('chooses between B8+r imm32, C7 imm32 and B8+r imm64 as nasm does, at -Ox and below', () => {
    expect(hex('mov rax, 5')).toBe('B805000000');
    expect(hex('mov rax, 0x80000000')).toBe('B800000080');
    expect(hex('mov rax, -5')).toBe('48C7C0FBFFFFFF');
    expect(hex('mov r12, -1')).toBe('49C7C4FFFFFFFF');
    expect(hex('mov rax, 0x100000000')).toBe('48B80000000001000000');
    expect(hex('mov rax, strict 5')).toBe('48B80500000000000000');
    expect(hex('mov rax, 5', { optimize: 1 })).toBe('48B80500000000000000');
    expect(hex('mov rax, -5', { optimize: 0 })).toBe('48B8FBFFFFFFFFFFFFFF');
    // A label is relocatable: the full imm64 with an 8-byte fixup.
    const r = ok(
      run({
        ...parseLine('mov rax, 0'),
        operands: [
          parseLine('mov rax, 0').operands[0]!,
          {
            kind: 'imm',
            value: label(SEG_DATA, 4n),
            size: null,
            strict: false,
            distance: null,
            farSegment: null,
            to: false,
          },
        ],
      }),
    );
    expect(Buffer.from(r.bytes).toString('hex').toUpperCase()).toBe('48B80400000000000000');
    expect(r.fixups).toEqual([{ at: 2, size: 8, value: label(SEG_DATA, 4n), relative: false, signed: false }]);
  });

  it('sign-extends imm32 for 64-bit operations, with nasm’s warnings', () => {
    expect(hex('add rax, -1')).toBe('4883C0FF');
    expect(hex('add rax, 0xffffffff80000000')).toBe('480500000080');
    const r = ok(run('add rax, 0x80000000'));
    expect(Buffer.from(r.bytes).toString('hex').toUpperCase()).toBe('480500000080');
    expect(r.warnings.map((w) => w.message)).toEqual([
      'signed dword immediate exceeds bounds',
      'dword data exceeds bounds',
    ]);
  });

  it('encodes 64-bit and 32-bit addresses', () => {
    expect(hex('mov eax, [r13]')).toBe('418B4500');
    expect(hex('mov eax, [rbp]')).toBe('8B4500');
    expect(hex('mov eax, [r12]')).toBe('418B0424');
    expect(hex('mov eax, [r12+r13*8]')).toBe('438B04EC');
    expect(hex('mov eax, [r12+rsp]')).toBe('428B0424');
    expect(hex('mov eax, [esp]')).toBe('678B0424');
    expect(hex('mov eax, [r8d*2]')).toBe('67438B0400');
    expect(hex('mov eax, [5]')).toBe('8B042505000000');
    expect(hex('mov eax, [fs:5]')).toBe('648B042505000000');
    expect(hex('a32 mov eax, [5]')).toBe('67A105000000');
    expect(hex('mov rax, [qword 5]')).toBe('48A10500000000000000');
    expect(hex('mov rax, [dword 5]')).toBe('488B042505000000');
  });

  it('makes [rel x] RIP-relative: resolved in its own section, a PC-relative fixup elsewhere', () => {
    expect(hex(withDisplacement('lea rax, [rel 0]', label(SEG_TEXT, 0n)))).toBe('488D05F9FFFFFF');
    expect(hex(withDisplacement('lea rax, [rel 0]', label(SEG_TEXT, 100n)))).toBe('488D055D000000');
    const r = ok(run(withDisplacement('mov eax, [rel 0]', label(SEG_DATA, 8n))));
    expect(Buffer.from(r.bytes).toString('hex').toUpperCase()).toBe('8B0500000000');
    expect(r.fixups).toEqual([{ at: 2, size: 4, value: label(SEG_DATA, 8n), relative: true, signed: true }]);
    // A field after the displacement: the fixup still sits on the disp32 (the core measures from the end).
    const s = ok(run(withDisplacement('mov dword [rel 0], 7', label(SEG_DATA, 0n))));
    expect(Buffer.from(s.bytes).toString('hex').toUpperCase()).toBe('C7050000000007000000');
    expect(s.fixups[0]?.at).toBe(2);
    // A forward reference is sized absolute (disp32 + SIB, one byte longer) until it is known:
    // measured with nasm 2.16.01, see fixtures/golden64/rip-forward64 (this test said the RIP
    // form before; nasm's pass one disagrees).
    expect(hex(withDisplacement('mov eax, [rel 0]', { ...UNKNOWN_VALUE }))).toBe('8B042500000000');
  });

  it('follows default rel / abs, and keeps fs:/gs: absolute under default rel', () => {
    const x = label(SEG_TEXT, 8n);
    expect(hex(withDisplacement('mov eax, [0]', x), { defaultRel: true })).toBe('8B0502000000');
    expect(hex(withDisplacement('mov eax, [abs 0]', x), { defaultRel: true })).toBe('8B042508000000');
    expect(hex(withDisplacement('mov eax, [fs:0]', x), { defaultRel: true })).toBe('648B042508000000');
    expect(hex(withDisplacement('mov eax, [rel fs:0]', x))).toBe('648B0501000000');
    expect(hex(withDisplacement('mov eax, [qword 0]', { ...x, offset: 9n }), {})).toBe('A10900000000000000');
  });

  it('warns as nasm does on absolute RIP-relative, displacement sizes and ignored segments', () => {
    const w = (line: string, over: Partial<EncodeContext> = {}) => ok(run(line, over)).warnings.map((x) => x.message);
    expect(w('mov eax, [rel 5]')).toEqual(['absolute address can not be RIP-relative']);
    expect(hex('mov eax, [rel 5]')).toBe('8B042505000000');
    expect(w('mov eax, [5]', { defaultRel: true })).toEqual(['absolute address can not be RIP-relative']);
    expect(w('add eax, [qword 5]')).toEqual(['displacement size ignored on absolute address']);
    expect(w('mov eax, [ds:rax]')).toEqual(['ds segment base generated, but will be ignored in 64-bit mode']);
    expect(w('mov rax, [rax+0x80000000]')).toEqual(['dword data exceeds bounds']);
    expect(w('es movsb')).toEqual(['es segment base generated, but will be ignored in 64-bit mode']);
    expect(w('mov rax, [rel rax]')).toEqual(['indirect address displacements cannot be RIP-relative']);
    expect(hex('mov rax, [rel rax]')).toBe('488B00');
  });

  it('refuses what nasm refuses, with nasm’s message', () => {
    for (const line of ['push cs', 'aaa', 'into', 'push eax', 'jmp eax', 'jcxz $', 'retd', 'jmp 1:2', 'mov eax, cr8'])
      expect(hex(line), line).toBe('error: instruction not supported in 64-bit mode');
    for (const line of ['mov ah, r8b', 'mov ah, sil', 'add ah, [r8]'])
      expect(hex(line), line).toBe('error: cannot use high byte register in rex instruction');
    expect(hex('pinsrb xmm1, ah, 1')).toBe('error: instruction cannot use high registers');
    expect(hex('mov eax, [bx]')).toBe('error: impossible combination of address sizes');
    expect(hex('a16 nop')).toBe('error: impossible combination of address sizes');
    // nasm 2.16.01 panics on an a32 prefix against a row that is a64 ("assertion data.inslen >= 0
    // failed"): there are no bytes to match, so these are refused rather than encoded.
    for (const line of ['a32 jrcxz $', 'a32 loop $, rcx', 'o64 a32 jrcxz $'])
      expect(hex(line), line).toBe('error: impossible combination of address sizes');
    expect(hex('mov eax, [rsp*2]')).toBe('error: invalid 64-bit effective address');
    expect(hex('mov eax, [word rax+5]')).toBe('error: invalid 64-bit effective address');
    expect(hex('push [rax]')).toBe('error: operation size not specified');
    expect(hex('add [rbx], qword 0x12')).toBe('error: operation size not specified');
    expect(hex('movsxd eax, ebx')).toBe('error: invalid combination of opcode and operands');
  });

  it('refuses 64-bit registers and prefixes outside BITS 64', () => {
    expect(hex('mov r8d, 1', { bits: 32 })).toBe('error: invalid operands in non-64-bit mode');
    expect(hex('movq xmm8, xmm0', { bits: 32 })).toBe('error: invalid operands in non-64-bit mode');
    expect(hex('add rax, 1', { bits: 32 })).toBe('error: instruction not supported in 32-bit mode');
    expect(hex('mov eax, cr8', { bits: 32 })).toBe('F00F20C0');
    expect(hex('o64 nop', { bits: 32 })).toBe('error: invalid operands in non-64-bit mode');
    expect(hex('a64 nop', { bits: 32 })).toBe('error: impossible combination of address sizes');
    expect(hex('a64 nop')).toBe('90');
  });
});

describe('a BITS 64 program through the whole assembler', () => {
  it('is byte-identical to nasm -f bin (fixtures/encoding/x64/program64.*)', () => {
    const dir = join(FIXTURE_DIR, 'x64');
    const r = assemble(readFileSync(join(dir, 'program64.asm'), 'utf8'), {
      fileName: 'program64.asm',
      format: 'bin',
      optimize: 2,
    });
    expect(r.diagnostics).toEqual([]);
    expect(Buffer.from(r.output ?? []).toString('hex')).toBe(readFileSync(join(dir, 'program64.bin')).toString('hex'));
  });
});
