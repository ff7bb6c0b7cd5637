/**
 * The encoding fixtures again, but through the real pipeline: preprocessor,
 * statement parser, operand building and passes (`assemble()`), instead of
 * the small test parser the unit tests use. Catches what the encoder tests
 * cannot: a line the real parser reads differently, an operand detail that
 * does not reach the encoder, an error raised in another pass.
 *
 * Lines are assembled in batches; each line whose bytes depend on its address
 * (branches to numeric targets, `$`, RIP-relative) goes in its own `-f bin`
 * section with `vstart=0`, so it sits at offset 0 as it did when nasm
 * produced the fixture. Bytes come
 * from the final pass's per-statement records; errors from the diagnostics
 * on the line. A batch that stops after pass 1 (nasm's pass-1 errors) is split
 * until the line that stops it assembles alone.
 */
import { describe, expect, test } from 'vitest';
import { assemble } from '../../src/library/assemble.js';
import type { OptimizeLevel } from '../../src/encoder/types.js';
import { fixtureFiles, readFixture, type FixtureCase } from './helpers/fixtures.js';

const BATCH = 400;

/**
 * Lines whose bytes depend on where they sit (a branch to a number, `$`, RIP-relative): each goes
 * first in a section of its own with `vstart=0`, at offset 0 as when nasm assembled it. The other
 * lines share .text (a section per line cost as much as the line). A line this misses would sit
 * elsewhere and give other bytes than nasm's, failing, not passing unseen.
 */
const POSITIONAL = /\$|\brel\b|\b(?:j[a-z]+|call|loop[a-z]*|xbegin)\b/i;

interface Outcome {
  hex: string | null;
  error: string | null;
}

function assembleBatch(cases: FixtureCase[], bits: 16 | 32 | 64, cpu: string, optimize: OptimizeLevel): Outcome[] {
  const lines = [`bits ${bits}`];
  if (cpu !== 'all') lines.push(`cpu ${cpu}`);
  const firstLine = new Map<number, number>();
  cases.forEach((c, i) => {
    const positional = POSITIONAL.test(c.source);
    if (positional) lines.push(`section .s${i} progbits vstart=0`);
    firstLine.set(lines.length + 1, i);
    lines.push(c.source);
    if (positional) lines.push('section .text');
  });
  const result = assemble(lines.join('\n') + '\n', { fileName: 'batch.asm', format: 'bin', optimize });
  const emissions = result.stages?.emissions ?? [];
  if (emissions.length === 0 && result.errorCount > 0 && cases.length > 1) {
    // Stopped after pass 1: no final pass to read bytes from. The lines the errors are on go alone
    // (as a split down to one line would leave them) and the rest together again; if no error
    // names a line of the batch, split it in two.
    const stopping = new Set<number>();
    for (const d of result.diagnostics) {
      const index = d.severity === 'error' && d.location ? firstLine.get(d.location.line) : undefined;
      if (index !== undefined) stopping.add(index);
    }
    const all = cases.map((_, i) => i);
    const half = Math.ceil(cases.length / 2);
    const parts =
      stopping.size > 0
        ? [...[...stopping].map((i) => [i]), all.filter((i) => !stopping.has(i))]
        : [all.slice(0, half), all.slice(half)];
    const outcomes: Outcome[] = new Array<Outcome>(cases.length);
    for (const part of parts) {
      if (part.length === 0) continue;
      const got = assembleBatch(
        part.map((i) => cases[i]!),
        bits,
        cpu,
        optimize,
      );
      part.forEach((i, k) => (outcomes[i] = got[k]!));
    }
    return outcomes;
  }
  const outcomes: Outcome[] = cases.map(() => ({ hex: '', error: null }));
  for (const e of emissions) {
    const index = firstLine.get(e.location.line);
    if (index === undefined) continue;
    const outcome = outcomes[index]!;
    outcome.hex = (outcome.hex ?? '') + Buffer.from(e.bytes).toString('hex').toUpperCase();
  }
  for (const d of result.diagnostics) {
    if (d.severity !== 'error' || !d.location) continue;
    const index = firstLine.get(d.location.line);
    if (index !== undefined && outcomes[index]!.error === null) outcomes[index]!.error = d.message;
  }
  return outcomes;
}

function runFile(file: string): { checked: number; failures: string[] } {
  const cases = readFixture(file);
  const groups = new Map<string, FixtureCase[]>();
  for (const c of cases) {
    const key = `${c.bits}/${c.cpu}/${c.optimize}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  const failures: string[] = [];
  for (const group of groups.values()) {
    const { bits, cpu, optimize } = group[0]!;
    for (let start = 0; start < group.length; start += BATCH) {
      const batch = group.slice(start, start + BATCH);
      const outcomes = assembleBatch(batch, bits, cpu, optimize);
      batch.forEach((c, i) => {
        const got = outcomes[i]!;
        const ok = c.error !== null ? got.error === c.error : got.error === null && got.hex === c.hex;
        if (!ok) {
          failures.push(
            `${c.bits} ${c.cpu} O${c.optimize} | ${c.source} | want ${c.hex ?? `error: ${c.error}`} | got ${got.error !== null ? `error: ${got.error}` : got.hex}`,
          );
        }
      });
    }
  }
  return { checked: cases.length, failures };
}

const files = [
  ...fixtureFiles('corpus-'),
  ...fixtureFiles('forms-').filter((f) => !f.endsWith('.gz')),
  ...fixtureFiles('addressing-'),
  'cpu-levels.txt',
  ...fixtureFiles('corpus-', 'x64'),
];

describe('encoding fixtures through the whole assembler (parser, operands, passes)', () => {
  for (const file of files) {
    test(
      file,
      () => {
        const { checked, failures } = runFile(file);
        expect(checked).toBeGreaterThan(0);
        expect(failures.slice(0, 20), `${failures.length} of ${checked} lines differ`).toEqual([]);
      },
      120_000,
    );
  }
});
