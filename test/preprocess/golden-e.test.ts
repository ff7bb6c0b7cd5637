/**
 * Every preprocessor golden case: our `-E` text must equal what nasm 2.16.01
 * printed (expected.E), and the diagnostics' first line must match nasm's
 * first -E diagnostic line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_ROOT, ppCaseNames, runCase } from './harness.js';

const names = ppCaseNames();

describe('preprocessToText matches nasm -E', () => {
  it('has at least 60 preprocessor cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(60);
  });
  for (const name of names) {
    const dir = join(GOLDEN_ROOT, name);
    it(name, () => {
      const expected = readFileSync(join(dir, 'expected.E'), 'utf8');
      const { text, stderr } = runCase(dir);
      expect(text).toBe(expected);
      const log = existsSync(join(dir, 'expected.E.log')) ? readFileSync(join(dir, 'expected.E.log'), 'utf8') : '';
      const firstExpected = log.split('\n')[0] ?? '';
      const firstOurs = stderr.split('\n')[0] ?? '';
      expect(firstOurs).toBe(firstExpected);
    });
  }
});
