/**
 * Hand-picked phase-1 cases: every line's bytes (or error) come from real
 * nasm 2.16.01 via scripts/gen-encoding-corpus.mjs.
 */
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
import { parseLine, TEST_SEGMENT } from './helpers/parse-line.js';
import { readFixture } from './helpers/fixtures.js';

const cases = readFixture('handwritten.txt');

function run(c: (typeof cases)[number]): string {
  const r = encodeInstruction(parseLine(c.source), {
    bits: c.bits,
    segment: TEST_SEGMENT,
    offset: 0n,
    optimize: c.optimize,
    cpu: c.cpu,
    defaultRel: false,
  });
  return r.ok
    ? r.finalPassError
      ? `error: ${r.finalPassError}`
      : Buffer.from(r.bytes).toString('hex').toUpperCase()
    : `error: ${r.error}`;
}

describe('encoder: hand-picked cases vs nasm 2.16.01', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(400);
  });
  for (const c of cases) {
    const mode = `${c.bits}${c.optimize === 2 ? '' : ` O${c.optimize}`}${c.cpu === 'all' ? '' : ` cpu=${c.cpu}`}`;
    it(`[${mode}] ${c.source}`, () => {
      expect(run(c)).toBe(c.hex ?? `error: ${c.error}`);
    });
  }
});
