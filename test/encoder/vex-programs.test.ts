/**
 * VEX/XOP programs through the whole assembler (fixtures/encoding/vex/programs,
 * recorded from nasm 2.16.01 by `scripts/gen-encoding-vex.mjs programs`): the
 * kernels' objects (`-f elf64` / `-f elf32`) and `-l` listings must be nasm's
 * byte for byte, and the error sources must give nasm's stderr exactly
 * (message and line, in nasm's order).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/index.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { renderListing } from '../../src/listing/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'encoding', 'vex', 'programs');
const sources = readdirSync(DIR).filter((f) => f.endsWith('.asm'));

function run(name: string, format: 'elf32' | 'elf64' | 'bin') {
  const source = readFileSync(join(DIR, name), 'utf8');
  const result = assemble(source, {
    fileName: name,
    format,
    optimize: 2,
    includePaths: [],
    predefines: [],
    readFile: (p: string) => readFileSync(join(DIR, p)),
  });
  return { source, result };
}

describe('VEX/XOP programs vs nasm 2.16.01', () => {
  it('has the kernels and the error sources', () => {
    expect(sources.filter((f) => f.startsWith('errors')).length).toBeGreaterThanOrEqual(2);
    expect(sources.filter((f) => !f.startsWith('errors')).length).toBeGreaterThanOrEqual(3);
  });
  for (const name of sources) {
    const base = name.slice(0, -4);
    if (base.startsWith('errors')) {
      it(`${name}: nasm's errors on nasm's lines`, () => {
        const { result } = run(name, 'bin');
        const ordered = (result.reportOrder ?? [...result.diagnostics.keys()]).map((i) => result.diagnostics[i]!);
        const ours = ordered.map((d) => formatDiagnostic(d)).join('\n');
        expect(ours.trim()).toBe(readFileSync(join(DIR, `${base}.stderr`), 'utf8').trim());
        expect(result.output).toBeNull();
      });
      continue;
    }
    it(`${name}: object and listing identical`, () => {
      const text = readFileSync(join(DIR, name), 'utf8');
      const format = text.includes('bits 64') ? 'elf64' : 'elf32';
      const { source, result } = run(name, format);
      expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
      const want = readFileSync(join(DIR, `${base}.o`));
      expect(Buffer.from(result.output!).equals(want), 'object bytes differ from nasm').toBe(true);
      const listing = renderListing(result, source, { fileName: name });
      expect(listing).toBe(readFileSync(join(DIR, `${base}.lst`), 'utf8'));
    });
  }
});
