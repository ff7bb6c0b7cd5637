/**
 * Huge outputs and counts (issue 11, K2). nasm 2.16.01 keeps TIMES counts
 * and reservation sizes in 32 bits (the golden case times-count-wrap holds
 * what it does with counts of 2^32 and more); where its 32-bit value turns
 * negative it stops on an internal assertion (exit 3), and below that it
 * happily writes multi-gigabyte files. tsnasm reports both with file and
 * line instead, and refuses any output over a limit (default 1 GiB,
 * AssembleOptions.outputLimit) before allocating it.
 */
import { describe, expect, test } from 'vitest';
import { assemble, type OutputFormat } from '../src/index.js';
import { formatDiagnostic } from '../src/core/diagnostics.js';

function run(source: string, format: OutputFormat, outputLimit?: number) {
  const result = assemble(new TextEncoder().encode(source), {
    fileName: 'big.asm',
    format,
    ...(outputLimit !== undefined ? { outputLimit } : {}),
  });
  return { output: result.output, messages: result.diagnostics.map((d) => formatDiagnostic(d)) };
}

describe.each(['bin', 'elf32'] as const)('-f %s', (format) => {
  test('a TIMES count whose low 32 bits read negative is an error on its line (nasm: assertion failure)', () => {
    for (const count of ['0xffffffff', '0x1ffffffff', '0x80000000']) {
      const r = run(`nop\ntimes ${count} db 0\n`, format);
      expect(r.output).toBeNull();
      expect(r.messages).toEqual([`big.asm:2: error: TIMES value ${BigInt(count)} is too large`]);
    }
  });

  test('a reservation of 2 GiB or more is an error on its line (nasm: assertion failure)', () => {
    const r = run(`section .bss\nresb 0xffffffff\n`, format);
    expect(r.output).toBeNull();
    expect(r.messages).toEqual(['big.asm:2: error: reservation of 4294967295 bytes is too large']);
  });

  test('bytes past the output limit are refused before they are made', () => {
    for (const line of ['times 0x7fffffff db 0', 'resb 0x7fffffff', 'times 0x50000000 nop', 'times 0x30000000 dw 0']) {
      const r = run(`db 1\n${line}\n`, format);
      expect(r.output, line).toBeNull();
      expect(r.messages, line).toEqual([
        "big.asm:2: error: section `.text' would exceed the output size limit of 1073741824 bytes (raise it with --output-limit)",
      ]);
    }
  });

  test('the limit is an option, and nobits space does not count', () => {
    expect(run('times 100 db 0\n', format, 99).messages).toEqual([
      "big.asm:1: error: section `.text' would exceed the output size limit of 99 bytes (raise it with --output-limit)",
    ]);
    expect(run('times 100 db 0\n', format, 100).output).not.toBeNull();
    const bss = run('section .bss\nresb 0x7fffffff\n', format);
    expect(bss.messages).toEqual([]);
    expect(bss.output).not.toBeNull();
  });
});

test('-f bin: a layout that places bytes past the limit is refused as a whole-file error', () => {
  const r = run('db 1\nsection .data start=0x50000000\ndb 2\n', 'bin');
  expect(r.output).toBeNull();
  expect(r.messages).toEqual([
    'big.asm: fatal: output file would be 1342177281 bytes, over the output size limit of 1073741824 bytes (raise it with --output-limit)',
  ]);
});

test('-f elf32: sections that together pass the limit are refused', () => {
  const r = run('times 600 db 0\nsection .data\ntimes 600 db 0\n', 'elf32', 1000);
  expect(r.output).toBeNull();
  expect(r.messages).toEqual([
    'big.asm: fatal: section contents total 1200 bytes, over the output size limit of 1000 bytes (raise it with --output-limit)',
  ]);
});
