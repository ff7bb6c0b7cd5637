/**
 * --tiny for x86-64: one RWX PT_LOAD right after the 64-byte ELF header, no
 * section headers, code alignment dropped. Must run natively with the
 * ld-linked program's behaviour and pass eu-elflint --strict and readelf.
 */
import { spawnSync } from '../helpers/spawn.js';
import { describe, expect, it } from 'vitest';
import { link } from '../../src/linker/index.js';
import { hasTool, run, writeExecutable } from './helpers.js';
import { canRunX64, golden64, inspect64, problems64, programs64, readInput64 } from './x64-helpers.js';

const hasElflint = hasTool('eu-elflint');
const hasReadelf = hasTool('readelf');
if (!hasElflint) console.warn('tsld x86-64 tests: eu-elflint not found; --tiny validation SKIPPED');

describe('--tiny on x86-64', () => {
  it('hello64 is 168 bytes: 64 of ELF header, 56 of program header, 36 of code, 12 of data', () => {
    const out = link([readInput64('hello64.o')], { tiny: true }).output!;
    expect(out.length).toBe(168);
    const image = inspect64(out);
    expect(image.shnum).toBe(0);
    expect(image.phdrs).toEqual([
      { type: 1, flags: 7, offset: 0, vaddr: 0x400000, filesz: 168, memsz: 168, align: 0x1000 },
    ]);
    expect(image.entry).toBe(0x400000 + 120);
  });

  for (const p of programs64()) {
    describe(p.name, () => {
      const result = link(p.inputs.map(readInput64), { ...p.options, tiny: true });
      const golden = golden64(p.name);
      const path = writeExecutable(`x64-tiny-${p.name}`, result.output!);

      it('is smaller than the ld-identical output and loadable', () => {
        expect(result.output!.length).toBeLessThan(golden.bytes.length);
        expect(problems64(result.output!)).toEqual([]);
      });

      it.skipIf(!canRunX64)('runs natively with the same behaviour as the ld-linked program', () => {
        const r = run(path);
        expect(r.stdout).toBe(golden.stdout);
        expect(r.status).toBe(golden.status);
      });

      it.skipIf(!hasElflint)('eu-elflint --strict finds no errors', () => {
        const r = spawnSync('eu-elflint', ['--strict', path], { encoding: 'utf8' });
        expect(r.stdout.trim()).toBe('No errors');
        expect(r.status).toBe(0);
      });

      it.skipIf(!hasReadelf)('readelf -a prints no warnings or errors', () => {
        const r = spawnSync('readelf', ['-a', path], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).not.toMatch(/warning|error/i);
      });
    });
  }
});
