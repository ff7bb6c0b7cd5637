/**
 * tsndisasm against ndisasm 2.16.01's recorded output (fixtures/disasm, made by
 * scripts/gen-disasm-fixtures.sh): random byte streams in each mode and with
 * each option, compared line by line.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { compareLines, runTsndisasm } from './helpers.js';

const DIR = join(import.meta.dirname, '../../fixtures/disasm');

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.args'))
  .map((f) => f.slice(0, -5))
  .sort();

describe('tsndisasm = ndisasm on recorded random bytes', () => {
  for (const name of cases) {
    const lines = readFileSync(join(DIR, `${name}.args`), 'utf8')
      .trim()
      .split('\n');
    const input = lines.pop() as string;
    const args = lines;
    it(`${name} (${args.join(' ')})`, () => {
      const want = gunzipSync(readFileSync(join(DIR, `${name}.txt.gz`))).toString('latin1');
      const { out, status } = runTsndisasm(args, readFileSync(join(DIR, `${input}.bin`)));
      expect(status).toBe(0);
      const { same, total } = compareLines(want, out);
      const percent = (100 * same) / total;
      console.log(`${name}: ${same}/${total} lines identical (${percent.toFixed(3)}%)`);
      // Issue 15's bar is 99.9% of lines identical; every case is at 99.95% or more (the evex16/32/64 streams'
      // rest is mostly AVX-512 extensions the table does not have yet: FP16, 4FMAPS/4VNNIW, VP2INTERSECT, BF16).
      expect(percent).toBeGreaterThanOrEqual(99.95);
    });
  }
});
