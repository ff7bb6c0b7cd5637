/**
 * Assembler symbols in preprocessor expressions: nasm runs its preprocessor inside every pass,
 * so tsnasm reads the source again in every pass when (and only when) the preprocessor asked
 * about a symbol or `$` (src/asm/reread.ts). Values here were measured with nasm 2.16.01; the
 * golden cases (if-pass-values, err-if-*) hold nasm's own output.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/library/assemble.js';
import { evaluate, UNKNOWN_ADDRESS } from '../../src/preprocess/expr.js';
import { tokenize } from '../../src/preprocess/tokenize.js';

const bytes = (source: string): number[] => {
  const result = assemble(source, { fileName: 't.asm', format: 'bin' });
  expect(result.diagnostics.map((d) => d.message)).toEqual([]);
  return [...(result.output ?? [])];
};

/** How many times each pass read `inc.asm`, and the output. */
function readsOfInclude(source: string): { reads: number; output: number[] } {
  let reads = 0;
  const result = assemble(source, {
    fileName: 't.asm',
    format: 'bin',
    readFile: (path) => {
      if (path !== 'inc.asm') return null;
      reads++;
      return new TextEncoder().encode('db 7\n');
    },
  });
  return { reads, output: [...(result.output ?? [])] };
}

describe('assembler symbols in preprocessor expressions', () => {
  it('gives $ - $$ and label differences as numbers', () => {
    expect(bytes('nop\nnop\n%assign a $-$$\ndb a\n')).toEqual([0x90, 0x90, 2]);
    expect(bytes('s: nop\ne:\n%assign d e - s\ndb d\n')).toEqual([0x90, 1]);
  });

  it('sees a later EQU as 0 in pass 1 and its value afterwards', () => {
    const source = 'c equ k\n%if c == 0 && __?PASS?__ == 1\n%fatal pass one\n%endif\nk equ 5\n';
    const result = assemble(source, { fileName: 't.asm', format: 'bin' });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['pass one']);
    expect(bytes('c equ k\n%if c\ndb 1\n%endif\nk equ 5\n')).toEqual([1]);
  });

  it('reads an ordinary source once, and one that asks about symbols in every pass', () => {
    const plain = readsOfInclude('%include "inc.asm"\n%if 1\nnop\n%endif\n');
    expect(plain).toEqual({ reads: 1, output: [7, 0x90] });
    const asking = readsOfInclude('%include "inc.asm"\n%if $ - $$ == 1\nnop\n%endif\n');
    expect(asking.output).toEqual([7, 0x90]);
    // The first reading finds the question; then pass 1, pass 2 and the final pass each read again.
    expect(asking.reads).toBeGreaterThanOrEqual(3);
  });

  it('reads a big file in every pass (more statements than a call takes arguments)', () => {
    const output = bytes('%rep 200000\nnop\n%endrep\n%if ($-$$) == 200000\ndb 1\n%endif\n');
    expect(output.length).toBe(200001);
    expect(output[200000]).toBe(1);
  });

  it('keeps the last pass statements for the listing', () => {
    const result = assemble('c equ k\n%if c\nnop\n%endif\nk equ 1\n', { fileName: 't.asm', format: 'bin' });
    const lines = result.stages?.sourceLines ?? [];
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
    expect(result.stages?.statements.map((s) => s.body.kind)).toEqual(['equ', 'instruction', 'equ']);
  });
});

describe('the evaluator with addresses', () => {
  const value = (text: string, symbols: Record<string, bigint | { base: number; offset: bigint }>): bigint =>
    evaluate(tokenize(text), {
      symbol: (name) => {
        const v = symbols[name];
        if (v === undefined) throw new Error(`no ${name}`);
        return v;
      },
      error: (message) => {
        throw new Error(message);
      },
    });

  it('cancels addresses of one base and refuses to order an address', () => {
    const a = { base: 1, offset: 10n };
    const b = { base: 1, offset: 25n };
    const other = { base: 2, offset: 25n };
    expect(value('b - a', { a, b })).toBe(15n);
    expect(value('a == 10', { a })).toBe(0n);
    expect(value('a != 10', { a })).toBe(1n);
    expect(() => value('other - a', { a, other })).toThrow();
    expect(() => value('a > 1', { a })).toThrow("`>': operands differ by a non-scalar");
  });

  it('lets the unknown of nasm -E cancel and stay unknown in comparisons', () => {
    expect(value('x - y', { x: UNKNOWN_ADDRESS, y: UNKNOWN_ADDRESS })).toBe(0n);
    expect(() => value('x == 1', { x: UNKNOWN_ADDRESS })).toThrow();
  });
});
