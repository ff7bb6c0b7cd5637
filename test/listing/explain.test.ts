/** The --explain view: decoded fields of real assembler output. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/library/assemble.js';
import { explain, formatExplain } from '../../src/listing/index.js';

function explainOne(instruction: string, prelude = 'bits 32\nsection .text\n') {
  const source = `${prelude}${instruction}\n`;
  const lines = explain(assemble(source, { fileName: 't.asm', format: 'elf32' }), { sourceText: source });
  const line = lines.find((l) => l.source === instruction);
  if (!line) throw new Error(`no line for ${instruction}`);
  return line;
}

describe('explain: ModR/M, SIB, displacement, immediate', () => {
  it('mov eax, [ebp+8] is 8B 45 08: mod=01, reg=000 (eax), rm=101 (ebp), disp8=08', () => {
    const line = explainOne('mov eax, [ebp+8]');
    expect(line.hex).toBe('8B 45 08');
    expect(line.decoded?.opcode).toEqual([0x8b]);
    expect(line.decoded?.modrm).toMatchObject({ mod: 1, reg: 0, rm: 5, regMeaning: 'eax' });
    expect(line.decoded?.modrm?.rmMeaning).toContain('ebp');
    expect(line.decoded?.displacement).toEqual({ at: 2, size: 1, value: 8n });
    expect(line.fields.map((f) => f.kind)).toEqual(['opcode', 'modrm', 'displacement']);
  });

  it('add eax, 1 takes the sign-extended imm8 form and says why', () => {
    const line = explainOne('add ebx, 1');
    expect(line.hex).toBe('83 C3 01');
    expect(line.decoded?.modrm).toMatchObject({ mod: 3, reg: 0, rm: 3 });
    expect(line.decoded?.modrm?.regMeaning).toMatch(/^\/0/);
    expect(line.decoded?.immediate).toEqual({ at: 2, size: 1, value: 1n });
    expect(line.fields[2]!.description).toContain('fits in -128..127');
  });

  it('decodes a SIB byte: scale, index, base and disp32', () => {
    const line = explainOne('lea eax, [ebx+ecx*4+0x100]');
    expect(line.decoded?.sib).toMatchObject({ scale: 4, index: 1, base: 3, indexMeaning: 'ecx*4', baseMeaning: 'ebx' });
    expect(line.decoded?.displacement).toEqual({ at: 3, size: 4, value: 0x100n });
  });

  it('names prefixes, +r opcodes and segment registers in reg', () => {
    const mov = explainOne('mov ax, ds');
    expect(mov.decoded?.prefixes).toEqual([0x66]);
    expect(mov.decoded?.modrm?.regMeaning).toBe('ds');
    expect(explainOne('push ebx').fields[0]!.description).toContain('+r');
  });

  it('decodes 16-bit addressing under bits 16', () => {
    const line = explainOne('mov ax, [bx+si+4]', 'bits 16\nsection .text\n');
    expect(line.hex).toBe('8B 40 04');
    expect(line.decoded?.modrm?.rmMeaning).toContain('bx+si');
  });

  it('marks relocated fields', () => {
    const line = explainOne('call ext', 'bits 32\nextern ext\nsection .text\n');
    expect(line.fields[1]!.kind).toBe('relative');
    expect(line.fields[1]!.description).toContain('PC-relative');
    expect(line.fields[1]!.description).toContain('external');
  });

  it('formats text with and without colour', () => {
    const source = 'bits 32\nsection .text\nmov eax, [ebp+8]\n';
    const lines = explain(assemble(source, { fileName: 't.asm', format: 'elf32' }), { sourceText: source });
    const plain = formatExplain(lines, { colour: false });
    expect(plain).toContain('8B 45 08');
    expect(plain).toContain('mod=01, reg=000 (eax), rm=101');
    expect(plain).not.toContain('\u001b[');
    expect(formatExplain(lines, { colour: true })).toContain('\u001b[');
  });
});

describe('explain: REX in BITS 64', () => {
  function explain64(instruction: string) {
    const source = `bits 64\nsection .text\n${instruction}\n`;
    const lines = explain(assemble(source, { fileName: 't.asm', format: 'elf64' }), {
      sourceText: source,
      format: 'elf64',
    });
    const line = lines.find((l) => l.source === instruction);
    if (!line) throw new Error(`no line for ${instruction}`);
    return line;
  }

  it('mov r8, [r12+rax*8+8]: REX.W/R/B extend reg and SIB base; the fields name r8 and r12', () => {
    const line = explain64('mov r8, [r12+rax*8+8]');
    expect(line.hex).toBe('4D 8B 44 C4 08');
    expect(line.fields.map((f) => f.kind)).toEqual(['prefix', 'opcode', 'modrm', 'sib', 'displacement']);
    expect(line.fields[0]?.description).toBe(
      'REX W=1 (64-bit operand size), R=1 (ModR/M reg + 8), X=0, B=1 (ModR/M r/m, SIB base or opcode register + 8)',
    );
    expect(line.decoded?.modrm).toMatchObject({ mod: 1, reg: 0, rm: 4, regMeaning: 'r8' });
    expect(line.decoded?.sib).toMatchObject({ indexMeaning: 'rax*8', baseMeaning: 'r12' });
  });

  it('push r12 is 41 54: REX.B extends the register in the opcode', () => {
    const line = explain64('push r12');
    expect(line.hex).toBe('41 54');
    expect(line.fields[1]?.description).toContain('register r12');
  });
});
