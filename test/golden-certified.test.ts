/**
 * The golden corpus is what nasm 2.16.01 gives for today's sources, checked without nasm:
 * scripts/certify-goldens.mjs (run by `npm run fixtures`) ran nasm on every case and recorded a
 * digest of the case's inputs and committed outcomes in fixtures/golden/certified.txt. A source,
 * `args` or included file edited without regenerating, a new case never run through nasm, or an
 * expected file edited by hand changes the digest and fails here.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseDigest, goldenCaseNames, goldenRoot, readCertificate } from '../scripts/certify-goldens.mjs';

describe('golden cases are certified against nasm 2.16.01', () => {
  const certified = readCertificate();

  it('every case has its certified digest (else: npm run fixtures)', () => {
    const stale = goldenCaseNames().filter((name) => certified.get(name) !== caseDigest(join(goldenRoot, name)));
    expect(stale, 'changed since nasm checked them: run npm run fixtures').toEqual([]);
    expect(certified.size).toBe(goldenCaseNames().length);
  });

  it('the digest changes with a source byte, an included file and an expected file', () => {
    const name = 'absolute';
    const copy = mkdtempSync(join(tmpdir(), 'golden-certified-'));
    try {
      cpSync(join(goldenRoot, name), copy, { recursive: true });
      const original = caseDigest(copy);
      expect(original).toBe(certified.get(name));
      writeFileSync(join(copy, 'source.asm'), '; edited\n', { flag: 'a' });
      const edited = caseDigest(copy);
      expect(edited).not.toBe(original);
      writeFileSync(join(copy, 'more.inc'), 'db 1\n');
      expect(caseDigest(copy)).not.toBe(edited);
      cpSync(join(goldenRoot, name), copy, { recursive: true });
      rmSync(join(copy, 'more.inc'));
      expect(caseDigest(copy)).toBe(original);
      writeFileSync(join(copy, 'expected.o.stderr'), 'x');
      expect(caseDigest(copy)).not.toBe(original);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
