/**
 * Golden-file tests: every case folder under fixtures/golden is assembled by
 * tsnasm in both formats and compared with what real nasm 2.16.01 produced
 * (committed by scripts/gen-fixtures.sh, so no nasm is needed here).
 *
 * What is checked, per case and format:
 *  - nasm succeeded  -> tsnasm reports no error and its output bytes are
 *                       identical; on mismatch the failure names the first
 *                       differing offset and, for ELF, the section it is in.
 *  - nasm failed     -> tsnasm reports at least one error, writes no output,
 *                       and its stderr is nasm's: every message, in nasm's
 *                       order (STDERR_GAPS lists the cases still short of
 *                       that; their first error is still checked).
 * Clean cases must also print exactly nasm's warnings. While triaging,
 * TSNASM_GOLDEN_STRICT_MESSAGES=0 relaxes messages to "the first error is on
 * nasm's line".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assemble, type OutputFormat } from '../src/library/assemble.js';
import { formatDiagnostic, type Diagnostic } from '../src/core/diagnostics.js';
import {
  describeByteMismatch,
  firstNasmError,
  listGoldenCases,
  readFileRelativeTo,
  repoRoot,
  strictMessages,
  type GoldenFormat,
  type NasmOutcome,
} from './helpers/golden.js';

const formats: GoldenFormat[] = ['bin', 'elf32'];

function isError(d: Diagnostic): boolean {
  return d.severity === 'error' || d.severity === 'fatal';
}

function checkAgainstNasm(
  expected: NasmOutcome,
  source: Uint8Array,
  options: {
    fileName: string;
    format: OutputFormat;
    optimize: 0 | 1 | 2;
    baseDir: string;
    includePaths?: string[];
    predefines?: Array<{ name: string; value?: string; undefine?: boolean }>;
    warnings?: string[];
    /** Failing cases: the whole of stderr must be nasm's, every message in nasm's order. */
    wholeStderr?: boolean;
  },
): void {
  const result = assemble(source, {
    fileName: options.fileName,
    format: options.format,
    optimize: options.optimize,
    includePaths: options.includePaths ?? [],
    predefines: options.predefines ?? [],
    warnings: options.warnings ?? [],
    readFile: readFileRelativeTo(options.baseDir),
  });
  // What the CLI prints, in the order it prints it (nasm's order, see reportOrder in src/index.ts).
  const ordered = (result.reportOrder ?? [...result.diagnostics.keys()]).map((i) => result.diagnostics[i]!);
  const ourText = ordered.map((d) => formatDiagnostic(d)).join('\n');

  if (expected.kind === 'output') {
    const errors = ordered.filter(isError).map((d) => formatDiagnostic(d));
    expect(errors, `nasm assembled this cleanly, tsnasm reported errors:\n${ourText}`).toEqual([]);
    expect(result.output, 'tsnasm returned no output').not.toBeNull();
    const mismatch = describeByteMismatch(expected.bytes, result.output!, options.format);
    if (mismatch !== null) expect.fail(mismatch);
    if (strictMessages) {
      expect(ourText.trim(), 'diagnostics differ from nasm stderr').toBe(expected.stderr.trim());
    }
    return;
  }

  const nasmFirst = firstNasmError(expected.stderr);
  expect(
    result.errorCount,
    `nasm failed (exit ${expected.status}) with:\n${expected.stderr}\nbut tsnasm reported no error`,
  ).toBeGreaterThan(0);
  expect(result.output, 'tsnasm must not produce output when it reports errors').toBeNull();
  const ourFirst = ordered.find(isError);
  expect(ourFirst, 'errorCount > 0 but no error diagnostic in the list').toBeDefined();
  if (nasmFirst?.line != null) {
    expect(
      ourFirst!.location?.line,
      `first error line differs.\n  nasm:   ${expected.stderr.split('\n')[0]}\n  tsnasm: ${formatDiagnostic(ourFirst!)}`,
    ).toBe(nasmFirst.line);
  }
  if (strictMessages && nasmFirst) {
    // A warning promoted by -w+error=x carries its ` [-w+error=x]` suffix in nasm's message.
    const promoted = ourFirst!.promotedWarning ? ` [-w+error=${ourFirst!.warningClass}]` : '';
    expect(ourFirst!.message + promoted, 'first error message differs from nasm').toBe(nasmFirst.message);
  }
  if (strictMessages && options.wholeStderr) {
    expect(ourText.trim(), "stderr differs from nasm's").toBe(expected.stderr.trim());
  }
}

const cases = listGoldenCases();

/**
 * Cases where tsnasm does not yet match nasm, each with the reason. They run
 * as `test.fails`: the suite stays green while the gap exists and turns red
 * the moment a gap closes, so the entry must then be removed. Nothing here is
 * hidden: each line is a documented difference from nasm 2.16.01.
 */
const KNOWN_GAPS: Readonly<Record<string, string>> = {};

/** Failing cases whose first error is nasm's but whose later messages are not all there yet. */
const STDERR_GAPS: ReadonlySet<string> = new Set<string>([]);

describe('golden corpus', () => {
  test('has the cases the corpus promises', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const errorCases = cases.filter((c) => c.expected.bin.kind === 'failure' && c.expected.elf32.kind === 'failure');
    expect(errorCases.length).toBeGreaterThanOrEqual(12);
  });
});

for (const golden of cases) {
  describe(golden.name + (golden.argsLine ? ` (${golden.argsLine})` : ''), () => {
    for (const format of formats) {
      const expected = golden.expected[format];
      const what = expected.kind === 'output' ? 'bytes match nasm' : 'errors like nasm';
      const gap = KNOWN_GAPS[`${golden.name}/${format}`];
      const run = gap === undefined ? test : test.fails;
      run(`-f ${format}: ${what}${gap === undefined ? '' : ` (known gap: ${gap})`}`, () => {
        checkAgainstNasm(expected, golden.source, {
          fileName: 'source.asm',
          format,
          optimize: golden.optimize,
          includePaths: golden.includePaths,
          predefines: golden.predefines,
          warnings: golden.warnings,
          baseDir: golden.dir,
          wholeStderr: !STDERR_GAPS.has(`${golden.name}/${format}`),
        });
      });
    }
  });
}

describe("fixtures/hello.asm (the post's program, path as typed from the repo root)", () => {
  const source = new Uint8Array(readFileSync(join(repoRoot, 'fixtures', 'hello.asm')));
  for (const [format, file] of [
    ['elf32', 'hello.o'],
    ['bin', 'hello.bin'],
  ] as const) {
    test(`-f ${format} matches fixtures/${file}`, () => {
      const bytes = new Uint8Array(readFileSync(join(repoRoot, 'fixtures', file)));
      checkAgainstNasm({ kind: 'output', bytes, stderr: '' }, source, {
        fileName: 'fixtures/hello.asm',
        format,
        optimize: 2,
        baseDir: repoRoot,
      });
    });
  }
});
