/**
 * Invalid AVX-512 forms (fixtures/encoding/evex-errors/*.asm): tsnasm must
 * print nasm 2.16.01's messages, on nasm's lines and in nasm's order, as
 * recorded by scripts/gen-evex-errors.sh — including where nasm gives two
 * messages for one line, and which errors stop nasm after its first pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/library/assemble.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { FIXTURE_DIR } from './helpers/fixtures.js';

const DIR = join(FIXTURE_DIR, 'evex-errors');

describe('encoder: invalid AVX-512 forms give nasm messages', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.asm'))) {
    it(file, () => {
      const r = assemble(readFileSync(join(DIR, file), 'utf8'), { fileName: file, format: 'bin' });
      const order = r.reportOrder ?? r.diagnostics.map((_, i) => i);
      const got = order.map((i) => formatDiagnostic(r.diagnostics[i]!));
      const want = readFileSync(join(DIR, file.replace(/\.asm$/, '.stderr')), 'utf8')
        .split('\n')
        .filter(Boolean);
      expect(got).toEqual(want);
      expect(r.output).toBeNull();
    });
  }
});
