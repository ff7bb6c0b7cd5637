/**
 * Default output must be byte-identical to `ld -m elf_i386 -z noseparate-code
 * --build-id=none -z noexecstack` + `strip -R .comment -s` (goldens committed
 * by scripts/gen-linker-fixtures.sh), must run, and must be well-formed.
 */
import { spawnSync } from '../helpers/spawn.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { link } from '../../src/linker/index.js';
import {
  GOLDEN,
  OBJ,
  optionsFromArgs,
  canRunI386,
  hasTool,
  ldReferenceArgs,
  programs,
  readInput,
  run,
  scratch,
  structuralProblems,
  writeExecutable,
} from './helpers.js';

const hasLd = hasTool('ld') && hasTool('strip');
const hasReadelf = hasTool('readelf');
/** How the linked programs run: natively, else under qemu-i386 (kernels without i386 support), else not at all. */
const runner: { via?: string } | null = canRunI386 ? {} : hasTool('qemu-i386') ? { via: 'qemu-i386' } : null;
if (runner === null)
  console.warn('tsld tests: this machine cannot run i386 executables and has no qemu-i386; run checks are SKIPPED');
if (!hasLd)
  console.warn('tsld tests: GNU ld/strip not found; live ld comparison SKIPPED (committed goldens still checked)');
if (!hasReadelf) console.warn('tsld tests: readelf not found; readelf warning checks SKIPPED');

function tsldLink(p: ReturnType<typeof programs>[number]) {
  return link(p.inputs.map(readInput), optionsFromArgs(p.args));
}

describe('golden programs (ld + strip)', () => {
  for (const p of programs()) {
    describe(p.name, () => {
      const result = tsldLink(p);
      const golden = new Uint8Array(readFileSync(join(GOLDEN, p.name)));

      it('links without errors', () => {
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(result.output).not.toBeNull();
      });

      it('is byte-identical to the committed ld+strip output', () => {
        expect(result.output!.length).toBe(golden.length);
        expect(Buffer.from(result.output!).equals(Buffer.from(golden))).toBe(true);
      });

      it('is structurally sound', () => {
        expect(structuralProblems(result.output!)).toEqual([]);
      });

      it.skipIf(runner === null)('runs: same stdout and exit status as the ld-linked program', () => {
        const path = writeExecutable(`golden-${p.name}`, result.output!);
        const r = run(path, runner?.via);
        expect(r.stdout).toBe(readFileSync(join(GOLDEN, `${p.name}.stdout`), 'utf8'));
        expect(r.status).toBe(Number(readFileSync(join(GOLDEN, `${p.name}.status`), 'utf8').trim()));
      });

      it.skipIf(!hasReadelf)('readelf -lSW reports no warnings', () => {
        const path = writeExecutable(`readelf-${p.name}`, result.output!);
        const r = spawnSync('readelf', ['-lSW', path], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).not.toMatch(/warning/i);
      });

      it.skipIf(!hasLd)('matches a live GNU ld + strip link of the same objects', () => {
        const out = join(scratch, `live-${p.name}`);
        const ld = spawnSync('ld', [...ldReferenceArgs('elf_i386'), ...p.args, '-o', out, ...p.inputs], {
          cwd: OBJ,
          encoding: 'utf8',
        });
        expect(ld.status).toBe(0);
        expect(spawnSync('strip', ['-R', '.comment', '-s', out]).status).toBe(0);
        const live = new Uint8Array(readFileSync(out));
        expect(Buffer.from(result.output!).equals(Buffer.from(live))).toBe(true);
      });
    });
  }

  it('hello is 392 bytes, as the blog post would want it', () => {
    const r = link([readInput('hello.o')]);
    expect(r.output!.length).toBe(392);
  });

  it('warns like ld when the entry symbol is missing, and falls back to .text', () => {
    const r = link([readInput('noentry.o')]);
    expect(r.diagnostics).toEqual([
      { severity: 'warning', message: 'cannot find entry symbol _start; defaulting to 08048080' },
    ]);
    const ldText = readFileSync(join(GOLDEN, 'noentry.ld-stderr'), 'utf8');
    expect(ldText).toContain('cannot find entry symbol _start; defaulting to 08048080');
  });
});
