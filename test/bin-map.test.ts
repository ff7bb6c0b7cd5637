/**
 * bin's `[map …]` files against nasm 2.16.01 (fixtures/binmap, written by
 * scripts/gen-binmap-fixtures.sh): the map text line for line, where it goes
 * (stdout or the file the directive names) and the bytes of the image.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assemble } from '../src/library/assemble.js';
import { repoRoot } from './helpers/golden.js';

const root = join(repoRoot, 'fixtures', 'binmap');
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const GENERATED = new Set(['source.asm', 'expected.bin', 'expected.stdout', 'expected.stderr']);

describe('bin map files vs nasm 2.16.01 (fixtures/binmap)', () => {
  test('there are cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  test.each(cases)('%s', (name) => {
    const dir = join(root, name);
    const result = assemble(readFileSync(join(dir, 'source.asm')), {
      fileName: 'source.asm',
      format: 'bin',
      outputFileName: 'expected.bin',
    });
    expect(result.errorCount).toBe(0);
    expect(Buffer.from(result.output!).equals(readFileSync(join(dir, 'expected.bin')))).toBe(true);
    const stdout = readFileSync(join(dir, 'expected.stdout'), 'latin1');
    // A map nasm wrote into a file is the one file of the folder the script did not make.
    const mapFiles = readdirSync(dir).filter((f) => !GENERATED.has(f));
    expect(result.map).toBeDefined();
    if (mapFiles.length === 0) {
      expect(result.map!.file).toBeNull();
      expect(result.map!.text).toBe(stdout);
    } else {
      expect(stdout).toBe('');
      expect(result.map!.file).toBe(mapFiles[0]);
      expect(result.map!.text).toBe(readFileSync(join(dir, mapFiles[0]!), 'latin1'));
    }
  });
});
