/**
 * Focused tests of the preprocessor pieces: the expression evaluator, the
 * lines handed to the assembler (real Chevrotain tokens, locations, macro
 * trails), limits, and streaming speed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/core/diagnostics.js';
import { Identifier, NumberLiteral } from '../../grammar/tokens.js';
import { evaluate, parseNumber } from '../../src/preprocess/expr.js';
import { preprocess, preprocessToText } from '../../src/preprocess/index.js';
import { tokenize } from '../../src/preprocess/tokenize.js';
import type { PreprocessOptions } from '../../src/preprocess/types.js';
import { GOLDEN_ROOT } from './harness.js';

function options(
  files: Record<string, string> = {},
  extra: Partial<PreprocessOptions> = {},
): PreprocessOptions & { diagnostics: DiagnosticSink } {
  return {
    fileName: 't.asm',
    includePaths: [],
    predefines: [],
    outputFormat: 'bin',
    diagnostics: new DiagnosticSink(),
    readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : null),
    env: {},
    ...extra,
  };
}

const evalText = (text: string): bigint =>
  evaluate(tokenize(text), {
    symbol: () => {
      throw new Error('symbol');
    },
  });

describe('expression evaluator (values checked against nasm 2.16.01 %assign)', () => {
  it.each([
    ['-7 / 2', 9223372036854775804n],
    ['-7 // 2', -3n],
    ['-7 % 3', 0n],
    ['-7 %% 3', -1n],
    ['1 << 64', 1n],
    ['1 << 65', 2n],
    ['-1 >> 60', 15n],
    ['-16 >>> 2', -4n],
    ["'ab'", 25185n],
    ['5 ? 6 : 7', 6n],
    ['0x7fffffffffffffff + 1', -9223372036854775808n],
    ['3 > -1', 1n],
    ['!5 + ~0', -1n],
    ['1 ^^ 1', 0n],
    ['10_000 + 0b101 + 0q17 + 17o + 1fh + $1f + 0y11 + 11b + 0d99 + 99d + 0t5 + 5t', 10311n],
    ['`\\n`', 10n],
    ['2 || 0', 1n],
    ['1 + 2 * 3 - 4 / 2', 5n],
    ['(1 + 2) * 3', 9n],
    ['1 | 2 ^ 3 & 4', 3n],
  ])('%s = %s', (text, value) => {
    expect(evalText(text)).toBe(value);
  });
  it('reports division by zero and syntax errors', () => {
    expect(() => evalText('1/0')).toThrow('division by zero');
    expect(() => evalText('1 +')).toThrow('expression syntax error');
  });
  it('parses number forms', () => {
    expect(parseNumber('0bh')).toBe(11n);
    expect(parseNumber('1.5')).toBeNull();
  });
});

describe('lines for the assembler', () => {
  it('yields real Chevrotain tokens for expanded text', () => {
    const lines = [...preprocess('%define N 42\n  mov eax, N\n', options())];
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toBe(' mov eax, 42');
    expect(lines[0]!.tokens[0]!.tokenType).toBe(Identifier);
    expect(lines[0]!.tokens.at(-1)!.tokenType).toBe(NumberLiteral);
    expect(lines[0]!.location).toEqual({ file: 't.asm', line: 2 });
  });

  it("reports an error inside nested macros at the outermost use, with nasm's trail", () => {
    const dir = join(GOLDEN_ROOT, 'pp-err-in-macro');
    const src = readFileSync(join(dir, 'source.asm'), 'utf8');
    const line = [...preprocess(src, options({}, { fileName: 'source.asm' }))].find((l) => l.text.includes('1/0'))!;
    const printed = [
      `${line.report!.file}:${line.report!.line}: error: division by zero`,
      ...line.report!.macroTrail!.map(
        (t) => `${t.location.file}:${t.location.line}: ... from macro \`${t.macro}' defined here`,
      ),
    ].join('\n');
    const nasm = readFileSync(join(dir, 'expected.bin.stderr'), 'utf8').trim();
    expect(printed).toBe(nasm);
    expect(line.macroDepth).toBe(2);
  });

  it('marks .nolist macro lines as not listed and keeps the call line', () => {
    const lines = [...preprocess('%macro q 0.nolist\n nop\n%endmacro\n q\n', options())];
    expect(lines[0]!.listed).toBe(false);
    expect(lines[0]!.location.line).toBe(4);
  });

  it('reads %include files only through readFile, searching -I paths after the name itself', () => {
    const seen: string[] = [];
    const opts = options(
      {},
      {
        includePaths: ['inc/'],
        readFile: (p) => {
          seen.push(p);
          return p === 'inc/x.inc' ? new TextEncoder().encode('db 7\n') : null;
        },
      },
    );
    const text = [...preprocess('%include "x.inc"\n', opts)].map((l) => l.text);
    expect(text).toEqual(['db 7']);
    expect(seen).toEqual(['x.inc', 'inc/x.inc']);
  });

  it("stops runaway %rep with nasm's message instead of hanging", () => {
    const opts = options();
    const out = preprocessToText('%rep 2000000\nnop\n%endrep\n', opts);
    expect(out).toBe('');
    expect(opts.diagnostics.list[0]!.message).toBe("`%rep' count 2000000 exceeds limit (currently 1000000)");
  });

  it('terminates on mutually recursive single-line macros', () => {
    const out = preprocessToText('%define A B\n%define B A\nA\n', options());
    expect(out).toBe('%line 3+1 t.asm\nA\n');
  });

  it('honours SOURCE_DATE_EPOCH for __?UTC_DATE?__ and __?POSIX_TIME?__', () => {
    const out = preprocessToText(
      '__?UTC_DATE?__ __?UTC_TIME_NUM?__ __?POSIX_TIME?__\n',
      options({}, { env: { SOURCE_DATE_EPOCH: '1700000000' } }),
    );
    expect(out).toBe('%line 1+1 t.asm\n"2023-11-14" 221320 1700000000\n');
  });

  it('applies -D and -U predefinitions', () => {
    const out = preprocessToText(
      'A B\n',
      options({}, { predefines: [{ name: 'A', value: '5' }, { name: 'B' }, { name: 'B', undefine: true }] }),
    );
    expect(out).toBe('%line 1+1 t.asm\n5 B\n');
  });

  it('streams 100k macro-free lines', () => {
    const src = Array.from({ length: 100000 }, (_, i) => `l${i}: mov eax, [ebx+${i}] ; c`).join('\n') + '\n';
    const text = preprocessToText(src, options());
    expect(text.split('\n')).toHaveLength(100002);
  });
});

describe('work done once stays right at every use', () => {
  const run = (src: string): { text: string; messages: string[] } => {
    const opts = options();
    const text = [...preprocess(src, opts)].map((l) => l.text.trim()).join('\n');
    return { text, messages: opts.diagnostics.list.map((d) => `${d.location?.line}: ${d.message}`) };
  };

  it('substitutes each call of a macro with its own arguments (body lines are tokenized once)', () => {
    const src = '%macro m 2\n%rep 2\n mov %1, %2\n%endrep\n%%x: jmp %%x\n%endmacro\nm eax, 1\nm ebx, 2\n';
    expect(run(src).text).toBe(
      ['mov eax, 1', 'mov eax, 1', '..@0.x: jmp ..@0.x', 'mov ebx, 2', 'mov ebx, 2', '..@1.x: jmp ..@1.x'].join('\n'),
    );
  });

  it('reports an error in a number-only expression at every use (only values are remembered)', () => {
    const { messages } = run('%assign a 1/0\n%assign b 1/0\n%assign c 6*7\n%assign d 6*7\ndd c + d\n');
    expect(messages).toEqual(['1: division by zero', '2: division by zero']);
    expect(run('%assign c 6*7\n%assign d 6*7\ndd c, d\n').text).toBe('dd 42, 42');
  });

  it('leaves macro parameters of a branch not taken unread, as nasm 2.16.01 does (no condition-code error there)', () => {
    const src = '%macro m 1\n%if 0\n j%+1 foo\n%else\n j%+1 bar\n%endif\n%endmacro\nm z\nm xyz\n';
    const { text, messages } = run(src);
    expect(text).toBe('jz bar\nj bar');
    expect(messages).toEqual(["9: macro parameter `%+1' is not a condition code"]);
  });
});
