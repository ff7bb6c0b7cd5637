/** tsndisasm's command line: errors, usage and version as ndisasm 2.16.01 gives them (measured). */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main, parseNumber } from '../../src/cli/tsndisasm.js';
import { compareLines, randomBytes, runTsndisasm } from './helpers.js';

function run(args: string[], file: Uint8Array | null = new Uint8Array([0x90])) {
  let out = '';
  let err = '';
  const status = main(args, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readFile: () => (file ? { data: file } : { error: 'No such file or directory' }),
  });
  return { out, err, status };
}

describe('tsndisasm command line', () => {
  it('disassembles with ndisasm line layout, continuation lines included', () => {
    const bytes = new Uint8Array([0xc7, 0x05, 0x00, 0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]);
    expect(run(['-b', '32', 'f'], bytes).out).toBe(
      '00000000  C705001000000100  mov dword [dword 0x1000],0x1\n         -0000\n',
    );
  });
  it('reports errors as ndisasm does, with exit status 1', () => {
    expect(run(['missing'], null)).toEqual({
      out: '',
      err: "ndisasm: unable to open `missing': No such file or directory\n",
      status: 1,
    });
    expect(run(['-x', 'f']).err).toBe("ndisasm: unrecognised option `-x'\n");
    expect(run(['-b']).err).toBe("ndisasm: `-b' requires an argument\n");
    expect(run(['-k', '3', 'f']).err).toBe("ndisasm: `-k' requires two numbers separated by a comma\n");
    expect(run(['-o', 'zz', 'f']).err).toBe("ndisasm: `-o' requires a numeric argument\n");
    expect(run(['-p', 'foo', 'f']).err).toBe("ndisasm: unknown vendor `foo' specified with `-p'\n");
    expect(run(['a', 'b']).err).toBe('ndisasm: more than one filename specified\n');
  });
  it('prints usage (no file, -h) and version (-r, -v) on stderr with status 0', () => {
    expect(run([]).err).toMatch(/^usage: ndisasm \[-a\]/);
    expect(run(['-h']).status).toBe(0);
    expect(run(['-v'])).toEqual({ out: '', err: 'NDISASM version 2.16.01\n', status: 0 });
  });
  it('reads numbers as ndisasm does', () => {
    expect(parseNumber('0x7c00')).toBe(0x7c00);
    expect(parseNumber('100h')).toBe(0x100);
    expect(parseNumber('12')).toBe(12);
    expect(parseNumber('zz')).toBeNull();
  });
});

const hasNdisasm = spawnSync('ndisasm', ['-v']).status === 0;
describe.skipIf(!hasNdisasm)('live: tsndisasm against the installed ndisasm', () => {
  it('same output on fresh random bytes in BITS 16 and 32 (>= 99.9% of instructions)', () => {
    const bytes = randomBytes(Date.now() & 0xffff, 100000);
    const path = join(mkdtempSync(join(tmpdir(), 'tsndisasm-')), 'r.bin');
    writeFileSync(path, bytes);
    for (const bits of ['16', '32']) {
      const want = execFileSync('ndisasm', ['-b', bits, path], { maxBuffer: 1 << 26 }).toString('latin1');
      const { same, total } = compareLines(want, runTsndisasm(['-b', bits], bytes).out);
      expect(same / total, `BITS ${bits}: ${same}/${total}`).toBeGreaterThanOrEqual(0.999);
    }
  });
});
if (!hasNdisasm) console.log('live tsndisasm test skipped: ndisasm is not installed');
