/**
 * -M dependency output: the files our preprocessor reads, formatted by
 * makeDependencyText, must equal nasm's `-M` output for every case (target
 * `source`: nasm's default output name for -f bin).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDependencyText, quoteForMake } from '../../src/preprocess/deps.js';
import { GOLDEN_ROOT, ppCaseNames, runCase } from './harness.js';

describe('-M output matches nasm', () => {
  const names = ppCaseNames().filter((n) => existsSync(join(GOLDEN_ROOT, n, 'expected.M')));
  const includeCases = names.filter((n) => n.includes('include') || n.includes('x264') || n.includes('depend'));
  it('covers the include-tree cases', () => {
    expect(includeCases.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of names) {
    it(name, () => {
      const dir = join(GOLDEN_ROOT, name);
      const expected = readFileSync(join(dir, 'expected.M'), 'utf8');
      if (expected === '') return; // nasm printed nothing (a fatal error stopped it)
      const { dependencies } = runCase(dir, 'bin', 'dependencies');
      expect(makeDependencyText({ target: 'source', files: dependencies })).toBe(expected);
    });
  }
});

describe('makeDependencyText', () => {
  it('wraps long lists after 62 columns the way nasm does', () => {
    const files = ['source.asm', 'lib/all.inc', 'lib/macros.inc', 'lib/sub/consts.inc', 'lib/sub/helper.inc'];
    expect(makeDependencyText({ target: 'source', files })).toBe(
      'source : source.asm lib/all.inc lib/macros.inc \\\n  lib/sub/consts.inc lib/sub/helper.inc\n\n',
    );
  });
  it('adds phony targets for -MP and drops duplicates', () => {
    expect(makeDependencyText({ target: 'a.o', files: ['a.asm', 'b.inc', 'b.inc'], phony: true })).toBe(
      'a.o : a.asm b.inc\n\na.asm :\n\nb.inc :\n\n',
    );
  });
  it('quotes make metacharacters like -MQ', () => {
    expect(quoteForMake('b$r')).toBe('b$$r');
    expect(quoteForMake('my file#1')).toBe('my\\ file\\#1');
    expect(quoteForMake('dir\\ x')).toBe('dir\\\\\\ x');
  });
});
