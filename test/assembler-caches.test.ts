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
