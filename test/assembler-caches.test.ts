/**
 * The assembler's shortcuts must not change what it produces: encodings
 * reused between passes (saved bytes, final-pass templates) and branch sizes
 * probed once per shape stay within one mode, and the layout model's replayed passes (align padding as a table of start % K,
 * passes that visit only what moved) give the bytes of full passes for
 * alignments other than the benchmark's 16.
 */
import { describe, expect, test } from 'vitest';
import { assemble } from '../src/library/assemble.js';
import { generateSource } from '../bench/generate.mjs';
import { AssemblyContext } from '../src/asm/context.js';
import { encodeContext } from '../src/asm/instructions.js';
import { MODE_KEYED, modeKey } from '../src/asm/layout.js';
import { DiagnosticSink } from '../src/core/diagnostics.js';

describe('encodings reused across lines and passes', () => {
  test('the same line in another mode encodes for that mode', () => {
    // nasm 2.16.01: B8 imm32 in BITS 32, with the 66 operand-size prefix in BITS 16.
    const source = 'bits 32\nmov eax, 1\nbits 16\nmov eax, 1\nbits 32\nmov eax, 1\n';
    const result = assemble(source, { fileName: 'm.asm', format: 'bin' });
    expect(result.errorCount).toBe(0);
    expect([...result.output!]).toEqual([0xb8, 1, 0, 0, 0, 0x66, 0xb8, 1, 0, 0, 0, 0xb8, 1, 0, 0, 0]);
  });

  test('a line encoded under one cpu level is still refused under a lower one', () => {
    const source = 'bits 16\ncpu 386\npush 1\ncpu 8086\npush 1\n';
    const result = assemble(source, { fileName: 'm.asm', format: 'bin' });
    expect(result.output).toBeNull();
    expect(result.diagnostics.map((d) => `${d.location?.line}: ${d.message}`)).toEqual([
      '5: no instruction for this cpu level',
    ]);
  });
});

describe('branch sizes probed once per shape', () => {
  test('a branch to a scaled address (always near) leaves the sizes of branches to labels alone', () => {
    // nasm 2.16.01: `jz x*2` is 0F 84 with an *ABS* relocation however near; `jz y` is 74 xx.
    const scaled = assemble('bits 32\nx: jz x*2\n', { fileName: 'm.asm', format: 'elf32' });
    expect(scaled.errorCount).toBe(0);
    const plain = assemble('bits 32\nx: jz y\ny: jz x\n', { fileName: 'm.asm', format: 'bin' });
    expect([...plain.output!]).toEqual([0x74, 0x00, 0x74, 0xfc]);
    const source = generateSource({ lines: 2000, seed: 7, align: false });
    const modelled = assemble(source, { fileName: 'p.asm', format: 'elf32' });
    expect(modelled.stages?.passes?.relaxation, 'jumps to labels are still settled on the model').toBeDefined();
  });
});

describe('layout model with other alignments', () => {
  const variants: Array<{ name: string; aligns: number[] }> = [
    { name: 'align 8 only', aligns: [8] },
    { name: 'align 32 only', aligns: [32] },
    { name: 'align 4, 8, 16 and 32 mixed', aligns: [4, 8, 16, 32] },
  ];
  for (const { name, aligns } of variants) {
    test(
      name,
      () => {
        let k = 0;
        const source = generateSource({ lines: 4000, seed: 211, align: true }).replace(
          /align 16/g,
          () => `align ${aligns[k++ % aligns.length]!}`,
        );
        const modelled = assemble(source, { fileName: 'p.asm', format: 'elf32' });
        const full = assemble(source, { fileName: 'p.asm', format: 'elf32', layoutModel: false });
        expect(modelled.errorCount).toBe(0);
        expect(modelled.stages?.passes?.relaxation, 'the model should have been used').toBeDefined();
        expect(Buffer.from(modelled.output!).equals(Buffer.from(full.output!))).toBe(true);
      },
      60_000,
    );
  }
});

describe('identical symbol-free lines share one encoding', () => {
  test('each line keeps the bytes of its own operands, in its own mode', () => {
    // nasm 2.16.01: 89 C8 / 83 C4 08 / 81 C4 00 01 00 00 / 8B 44 24 04, with 66 in BITS 16 for eax/esp.
    const line = ['mov eax, ecx', 'add esp, 8', 'add esp, 256', 'mov eax, [esp+4]'];
    const source = ['bits 32', ...line, ...line, 'bits 16', ...line.slice(0, 2), 'bits 32', ...line].join('\n') + '\n';
    const result = assemble(source, { fileName: 'm.asm', format: 'bin' });
    expect(result.errorCount).toBe(0);
    const once = [0x89, 0xc8, 0x83, 0xc4, 0x08, 0x81, 0xc4, 0x00, 0x01, 0x00, 0x00, 0x8b, 0x44, 0x24, 0x04];
    const bits16 = [0x66, 0x89, 0xc8, 0x66, 0x83, 0xc4, 0x08];
    expect([...result.output!]).toEqual([...once, ...once, ...bits16, ...once]);
  });

  test('the mode key of cached branch sizes covers every setting of the encoder context', () => {
    const ctx = new AssemblyContext(
      [],
      { format: 'bin', optimize: 2, sourceName: 'k.asm', readBinary: () => null },
      new DiagnosticSink(),
    );
    ctx.beginPass(1);
    const settings = encodeContext(ctx);
    expect(Object.keys(settings).filter((name) => !(name in MODE_KEYED))).toEqual([]);
    // Each setting changes the key.
    const base = modeKey(settings);
    expect(modeKey({ ...settings, bits: 64 })).not.toBe(base);
    expect(modeKey({ ...settings, cpu: '386' })).not.toBe(base);
    expect(modeKey({ ...settings, optimize: 0 })).not.toBe(base);
    expect(modeKey({ ...settings, defaultRel: !settings.defaultRel })).not.toBe(base);
    expect(modeKey({ ...settings, defaultBnd: !settings.defaultBnd })).not.toBe(base);
    expect(modeKey({ ...settings, segment: settings.segment + 1 })).not.toBe(base);
    expect(modeKey({ ...settings, offset: settings.offset + 1n })).toBe(base);
  });
});
