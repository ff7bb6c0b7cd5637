/**
 * Every preprocessor golden case: our `-E` text must equal what nasm 2.16.01
 * printed (expected.E), and our diagnostics must equal nasm's -E stderr
 * (expected.E.log), apart from the documented exceptions below.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_ROOT, ppCaseNames, runCase } from './harness.js';

const names = ppCaseNames();

/**
 * Cases whose full -E diagnostics differ (the first line still matches):
 * - pp-define-overload: nasm repeats "defined both with and without
 *   parameters" for a second parameterised definition; we report it once.
 */
const KNOWN_STDERR_DIFFERENCES = new Set(['pp-define-overload']);

describe('preprocessToText matches nasm -E', () => {
  it('has at least 60 preprocessor cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(60);
  });
  for (const name of names) {
    const dir = join(GOLDEN_ROOT, name);
    it(name, () => {
      const expected = readFileSync(join(dir, 'expected.E'), 'latin1');
      const { text, stderr } = runCase(dir);
      expect(text).toBe(expected);
      const log = existsSync(join(dir, 'expected.E.log')) ? readFileSync(join(dir, 'expected.E.log'), 'latin1') : '';
      if (KNOWN_STDERR_DIFFERENCES.has(name)) {
        expect(stderr.split('\n')[0]).toBe(log.split('\n')[0]);
      } else {
        expect(stderr).toBe(log);
      }
    });
  }
});
