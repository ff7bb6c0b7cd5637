/**
 * The preprocessor's limits against nasm 2.16.01 (fixtures/pp-limits, made by
 * scripts/gen-pp-limits-fixtures.sh): include recursion through %require of
 * the main file, deep %if nesting. Same bytes, or the same messages and a
 * failure, as nasm.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { assemble } from '../../src/library/assemble.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures', 'pp-limits');

describe('preprocessor limits match nasm', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    test(name, () => {
      const result = assemble(new Uint8Array(readFileSync(join(dir, 'source.asm'))), {
        fileName: 'source.asm',
        format: 'bin',
        readFile: (path) => {
          const full = path.startsWith('/') ? path : join(dir, path);
          return existsSync(full) ? new Uint8Array(readFileSync(full)) : null;
        },
      });
      const order = result.reportOrder ?? [...result.diagnostics.keys()];
      const stderr = order.map((i) => formatDiagnostic(result.diagnostics[i]!)).join('\n');
      expect(stderr.trim()).toBe(readFileSync(join(dir, 'expected.bin.stderr'), 'utf8').trim());
      if (existsSync(join(dir, 'expected.bin'))) {
        expect(result.output).toEqual(new Uint8Array(readFileSync(join(dir, 'expected.bin'))));
      } else {
        expect(result.errorCount).toBeGreaterThan(0);
        expect(result.output).toBeNull();
      }
    });
  }
});
