/**
 * Tests of the golden-test machinery itself, so that a failing golden test
 * can be trusted to point at the right place.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  describeByteMismatch,
  elf32Sections,
  firstNasmError,
  listGoldenCases,
  parseCaseArgs,
  parseNasmStderr,
  readFileRelativeTo,
  repoRoot,
} from './golden.js';

describe('golden helpers', () => {
  test('parses nasm stderr, skipping warnings and info for the first error', () => {
    const stderr = [
      'source.asm:8: warning: byte data exceeds bounds [-w+number-overflow]',
      "source.asm:9: error: label `dup' inconsistently redefined",
      "source.asm:4: info: label `dup' originally defined here",
      "nasm: fatal: unable to open input file `x.asm'",
    ].join('\n');
    expect(parseNasmStderr(stderr).map((m) => [m.line, m.severity])).toEqual([
      [8, 'warning'],
      [9, 'error'],
      [4, 'info'],
      [null, 'fatal'],
    ]);
    expect(firstNasmError(stderr)).toMatchObject({ line: 9, message: "label `dup' inconsistently redefined" });
    expect(firstNasmError('')).toBeNull();
  });

  test('maps -O flags to optimize levels and rejects unknown flags', () => {
    expect(parseCaseArgs('').optimize).toBe(2);
    expect(parseCaseArgs('-O0').optimize).toBe(0);
    expect(parseCaseArgs(' -O1 ').optimize).toBe(1);
    expect(parseCaseArgs('-Ox').optimize).toBe(2);
    expect(() => parseCaseArgs('-E')).toThrow(/unsupported/);
    expect(parseCaseArgs('-w+all -Werror=ptr').warnings).toEqual(['+all', 'error=ptr']);
  });

  test('names the ELF section of the first differing byte', () => {
    const hello = new Uint8Array(readFileSync(join(repoRoot, 'fixtures', 'hello.o')));
    expect(describeByteMismatch(hello, hello.slice(), 'elf32')).toBeNull();
    const text = elf32Sections(hello)!.find((s) => s.name === '.text')!;
    const changed = hello.slice();
    changed[text.offset + 5] = (changed[text.offset + 5] ?? 0) ^ 0xff;
    const report = describeByteMismatch(hello, changed, 'elf32')!;
    expect(report).toContain(`first difference at offset ${text.offset + 5}`);
    expect(report).toContain('.text + 0x5');
    const truncated = describeByteMismatch(hello, hello.slice(0, 10), 'elf32')!;
    expect(truncated).toContain('tsnasm 10 bytes');
    expect(truncated).toContain('<ELF header>');
  });

  test('reads included files relative to the case folder', () => {
    const incbin = listGoldenCases().find((c) => c.name === 'incbin')!;
    const read = readFileRelativeTo(incbin.dir);
    expect(read('blob.bin')?.length).toBe(20);
    expect(read('no-such-file.bin')).toBeNull();
  });
});
