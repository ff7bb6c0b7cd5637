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
import { assemble } from '../../src/library/assemble.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { explain, renderListing } from '../../src/listing/index.js';

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

describe('--explain takes a VEX/XOP instruction apart', () => {
  it('shows the prefix fields, opcode map, ModR/M, SIB and displacement', () => {
    const source = 'bits 64\nvaddps xmm1,xmm2,[rax+r9*4+8]\nvpcmov xmm1,xmm2,xmm3,xmm4\n';
    const result = assemble(source, {
      fileName: 't.asm',
      format: 'bin',
      optimize: 2,
      includePaths: [],
      predefines: [],
    });
    const lines = explain(result).filter((l) => l.fields.length > 0);
    const vaddps = lines[0]!.fields.map((f) => `${f.kind} ${f.hex}: ${f.description}`);
    expect(vaddps[0]).toBe('prefix C4: VEX, three-byte form (C4)');
    expect(vaddps[1]).toContain('R̅=1 X̅=0 B̅=1');
    expect(vaddps[1]).toContain('mmmmm=00001 (0F)');
    expect(vaddps[2]).toContain('W=0 vvvv̅=1101 (register 2), L=0 (128-bit), pp=00');
    expect(vaddps.slice(3).map((f) => f.split(':')[0])).toEqual(['opcode 58', 'modrm 4C', 'sib 88', 'displacement 08']);
    expect(vaddps[5]).toContain('index register 9');
    const vpcmov = lines[1]!.fields.map((f) => `${f.kind} ${f.hex}`);
    expect(vpcmov).toEqual(['prefix 8F', 'prefix E8', 'prefix 68', 'opcode A2', 'modrm CB', 'immediate 40']);
  });
});
