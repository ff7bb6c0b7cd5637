/**
 * The random encoding corpus (fixtures/encoding/corpus-*.txt) and the
 * operand-shape sweep (shapes-*.txt, mostly nasm's error messages), all from
 * real nasm 2.16.01: every line is parsed by the small test parser and encoded;
 * the report lists lines checked / lines matching per class and mode, and the
 * test fails if any class falls below its recorded floor (a ratchet: raise the
 * floors as coverage grows).
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
import { fixtureFiles, readFixture } from './helpers/fixtures.js';
import { parseLine, TEST_SEGMENT } from './helpers/parse-line.js';

/** Minimum fraction of lines that must match nasm, per corpus file. */
const FLOORS: Record<string, number> = {
  'corpus-16-general.txt': 0.995,
  'corpus-32-general.txt': 0.995,
  'corpus-16-x87.txt': 1.0,
  'corpus-32-x87.txt': 1.0,
  'corpus-16-system.txt': 0.999,
  'corpus-32-system.txt': 0.999,
  'corpus-16-mmx.txt': 1.0,
  'corpus-32-mmx.txt': 1.0,
  'corpus-16-sse.txt': 0.999,
  'corpus-32-sse.txt': 0.999,
  'shapes-16.txt': 0.995,
  'shapes-32.txt': 0.995,
};

function encodeLine(bits: 16 | 32, source: string): string {
  let req;
  try {
    req = parseLine(source);
  } catch (e) {
    return `parse error: ${(e as Error).message}`;
  }
  const r = encodeInstruction(req, { bits, segment: TEST_SEGMENT, offset: 0n, optimize: 2, cpu: 'all', defaultRel: false });
  if (!r.ok) return `error: ${r.error}`;
  return r.finalPassError ? `error: ${r.finalPassError}` : Buffer.from(r.bytes).toString('hex').toUpperCase();
}

describe('encoder: random corpus vs nasm 2.16.01', () => {
  const files = [...fixtureFiles('corpus-'), ...fixtureFiles('shapes-')];
  it('corpus is present and large', () => {
    let total = 0;
    for (const f of fixtureFiles('corpus-')) total += readFixture(f).length;
    expect(total).toBeGreaterThanOrEqual(10000);
  });
  const report: string[] = [];
  const failures: string[] = [];
  for (const file of files) {
    it(file, () => {
      const cases = readFixture(file);
      let ok = 0;
      for (const c of cases) {
        const got = encodeLine(c.bits, c.source);
        if (got === (c.hex ?? `error: ${c.error}`)) ok++;
        else failures.push(`${c.bits} | ${c.source} | want ${c.hex ?? `error: ${c.error}`} | got ${got}`);
      }
      report.push(`${file.padEnd(26)} ${String(ok).padStart(6)} / ${String(cases.length).padStart(6)} (${((100 * ok) / cases.length).toFixed(1)}%)`);
      expect(ok / cases.length).toBeGreaterThanOrEqual(FLOORS[file] ?? 1);
    });
  }
  it('report', () => {
    console.log('encoding corpus, lines matching nasm / lines checked:\n' + report.join('\n'));
    if (process.env.ENCODER_FAILURES) writeFileSync(process.env.ENCODER_FAILURES, failures.join('\n') + '\n');
  });
});
