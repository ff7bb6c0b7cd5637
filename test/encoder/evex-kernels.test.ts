/**
 * AVX-512 kernels (fixtures/evex-kernels/<case>/source.asm: a masked SAXPY
 * loop with broadcast and rounding, horizontal sums, gathers/scatters, block
 * copies) assembled by tsnasm to each format in the case's `formats` file
 * and compared with real nasm 2.16.01's objects and `-l` listings, committed
 * by scripts/gen-evex-kernels.sh (no nasm needed here).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assemble, formatDiagnostic, type OutputFormat } from '../../src/library/assemble.js';
import { explain, formatExplain, renderListing } from '../../src/listing/index.js';
import { describeByteMismatch, repoRoot } from '../helpers/golden.js';

const root = join(repoRoot, 'fixtures', 'evex-kernels');

describe('AVX-512 kernels: objects and listings identical to nasm', () => {
  const cases = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
  test('the kernels are there', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });
  for (const c of cases) {
    const dir = join(root, c.name);
    const text = readFileSync(join(dir, 'source.asm'), 'utf8');
    for (const format of readFileSync(join(dir, 'formats'), 'utf8').trim().split(/\s+/)) {
      test(`${c.name} -f ${format}`, () => {
        const result = assemble(text, { fileName: 'source.asm', format: format as OutputFormat });
        const messages = result.diagnostics.map((d) => formatDiagnostic(d)).join('\n');
        expect(messages).toBe(readFileSync(join(dir, `source.${format}.o.stderr`), 'utf8').trim());
        const object = readFileSync(join(dir, `source.${format}.o`));
        expect(result.output, messages).not.toBeNull();
        expect(describeByteMismatch(object, result.output!, 'elf32')).toBeNull();
        const listingFile = join(dir, `source.${format}.lst`);
        if (existsSync(listingFile))
          expect(renderListing(result, text, { fileName: 'source.asm' })).toBe(readFileSync(listingFile, 'latin1'));
      });
    }
  }
});

describe('--explain on EVEX instructions', () => {
  test('the 62 prefix fields, opmask, broadcast and the disp8*N scale', () => {
    const source = 'bits 64\nvaddps zmm1{k1}{z},zmm2,[rax+0x40]{1to16}\nvaddpd zmm17,zmm18,zmm19,{rz-sae}\n';
    const lines = explain(assemble(source, { fileName: 't.asm', format: 'bin' }), { sourceText: source });
    const text = formatExplain(lines, { colour: false });
    expect(text).toContain('EVEX escape (62)');
    expect(text).toContain("P0 11110001: R̅=1 X̅=1 B̅=1 R̅'=1");
    expect(text).toContain('z=1 (zeroing)');
    expect(text).toContain('b=1 (broadcast {1toN})');
    expect(text).toContain('aaa=001 (mask k1)');
    // 0x40 with a dword broadcast: disp8 = 0x10, N = 4.
    expect(text).toContain('compressed: disp8 × N, N = 4: 64');
    expect(text).toContain("L'L=11 (rounding rz-sae or {sae})");
    expect(text).toContain('reg register 17');
  });
});
