/** --tiny: one RWX PT_LOAD, overlapping headers, no section headers; must run and pass the validators. */
import { spawnSync } from '../helpers/spawn.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { link } from '../../src/linker/index.js';
import {
  GOLDEN,
  canRunI386,
  optionsFromArgs,
  hasTool,
  inspect,
  programs,
  readInput,
  run,
  structuralProblems,
  writeExecutable,
} from './helpers.js';

const hasElflint = hasTool('eu-elflint');
const hasReadelf = hasTool('readelf');
const hasQemu = hasTool('qemu-i386');
if (!hasElflint) console.warn('tsld tests: eu-elflint not found; --tiny validation SKIPPED');
if (!hasQemu) console.warn('tsld tests: qemu-i386 not found; --tiny qemu runs SKIPPED');

describe('--tiny', () => {
  it('hello is 122 bytes: 76 bytes of headers, 34 of code, 12 of data', () => {
    const r = link([readInput('hello.o')], { tiny: true });
    expect(r.output!.length).toBe(122);
    const { phdrs, shdrs } = inspect(r.output!);
    expect(phdrs).toHaveLength(1);
    expect(shdrs).toHaveLength(0);
    expect(phdrs[0]).toMatchObject({ type: 1, offset: 0, vaddr: 0x08048000, flags: 7, filesz: 122, memsz: 122 });
  });

  for (const p of programs()) {
    describe(p.name, () => {
      const result = link(p.inputs.map(readInput), { ...optionsFromArgs(p.args), tiny: true });
      const expectedStdout = readFileSync(join(GOLDEN, `${p.name}.stdout`), 'utf8');
      const expectedStatus = Number(readFileSync(join(GOLDEN, `${p.name}.status`), 'utf8').trim());
      const path = writeExecutable(`tiny-${p.name}`, result.output!);

      it('is smaller than the default output and structurally sound', () => {
        const normal = link(p.inputs.map(readInput), optionsFromArgs(p.args));
        expect(result.output!.length).toBeLessThan(normal.output!.length);
        expect(structuralProblems(result.output!)).toEqual([]);
      });

      it.skipIf(!canRunI386)('runs natively with the same behaviour as the ld-linked program', () => {
        const r = run(path);
        expect(r.stdout).toBe(expectedStdout);
        expect(r.status).toBe(expectedStatus);
      });

      it.skipIf(!hasQemu)('runs under qemu-i386', () => {
        const r = run(path, 'qemu-i386');
        expect(r.stdout).toBe(expectedStdout);
        expect(r.status).toBe(expectedStatus);
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
