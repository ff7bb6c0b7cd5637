/**
 * Live differential test: seeded random multi-object nasm programs (sections
 * of every kind and alignment, orphans, COMMON symbols, cross-object data
 * references) linked by tsld and by GNU ld + strip must be byte-identical.
 * Needs nasm, ld and strip; skipped visibly otherwise.
 */
import { spawnSync } from '../helpers/spawn.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { link } from '../../src/linker/index.js';
import { hasTool, ldReferenceArgs } from './helpers.js';

const live = hasTool('nasm') && hasTool('ld') && hasTool('strip');
if (!live) console.warn('tsld tests: nasm/ld/strip missing; random live comparison with GNU ld SKIPPED');

const SECTION_ATTRS: Record<string, string> = {
  '.text': '',
  '.rodata': '',
  '.data': '',
  '.bss': '',
  '.text.hot': 'progbits alloc exec nowrite',
  '.rodata.x': 'progbits alloc noexec nowrite',
  '.data.y': 'progbits alloc noexec write',
  '.my_x': 'progbits alloc exec nowrite',
  '.my_ro': 'progbits alloc noexec nowrite',
  '.my_d': 'progbits alloc noexec write',
  '.my_b': 'nobits alloc noexec write',
};

function generate(seed: number): string[] {
  let state = seed * 7919 + 17;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const globals: string[] = [];
  const files: string[][] = [];
  const objects = int(1, 4);
  for (let k = 0; k < objects; k++) {
    const lines = ['BITS 32'];
    if (k === 0) lines.push('global _start');
    const commons = new Set<string>();
    for (const name of Object.keys(SECTION_ATTRS)) {
      if (!(random() < 0.5 || (k === 0 && name === '.text'))) continue;
      lines.push(`section ${name} ${SECTION_ATTRS[name]} align=${pick([1, 2, 4, 8, 16, 32, 64])}`);
      if (k === 0 && name === '.text') lines.push('_start:');
      const label = `l${k}${name.replace(/\./g, '_')}`;
      if (random() < 0.6) {
        lines.push(`global ${label}`);
        globals.push(label);
      }
      lines.push(`${label}:`);
      const n = int(0, 40);
      if (name === '.bss' || name === '.my_b') lines.push(`resb ${n}`);
      else {
        if (n) lines.push(`db ${Array.from({ length: n }, () => int(0, 255)).join(',')}`);
        if (globals.length && random() < 0.7) lines.push(`dd ${pick(globals)}`);
      }
    }
    for (let c = int(0, 2); c > 0; c--) {
      const name = `cm${int(0, 5)}`;
      if (commons.has(name)) continue;
      commons.add(name);
      lines.push(`common ${name} ${pick([1, 4, 8, 16])}:${pick([1, 4, 8])}`);
    }
    files.push(lines);
  }
  return files.map((lines) => {
    const defined = new Set(lines.filter((l) => l.startsWith('global ')).map((l) => l.split(' ')[1]!));
    const used = new Set(lines.filter((l) => l.startsWith('dd ')).map((l) => l.split(' ')[1]!));
    const externs = [...used].filter((u) => !defined.has(u));
    if (externs.length) lines.splice(1, 0, `extern ${externs.join(',')}`);
    return `${lines.join('\n')}\n`;
  });
}

describe.skipIf(!live)('random programs: tsld ≡ ld + strip', () => {
  let compared = 0;
  for (let seed = 1; seed <= 24; seed++) {
    it(`seed ${seed}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsld-random-'));
      const names = generate(seed).map((text, k) => {
        writeFileSync(join(dir, `f${k}.asm`), text);
        const r = spawnSync('nasm', ['-f', 'elf32', `f${k}.asm`, '-o', `f${k}.o`], { cwd: dir, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        return `f${k}.o`;
      });
      const ld = spawnSync('ld', [...ldReferenceArgs('elf_i386'), '-o', 'ref', ...names], {
        cwd: dir,
        encoding: 'utf8',
      });
      const ours = link(names.map((n) => ({ name: n, data: new Uint8Array(readFileSync(join(dir, n))) })));
      if (ld.status !== 0) {
        // Then tsld must fail too.
        expect(ours.output).toBeNull();
        return;
      }
      expect(spawnSync('strip', ['-R', '.comment', '-s', 'ref'], { cwd: dir }).status).toBe(0);
      expect(ours.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(Buffer.from(ours.output!).equals(readFileSync(join(dir, 'ref')))).toBe(true);
      compared++;
    });
  }
  it('compared (not just co-failed) most programs', () => {
    expect(compared).toBeGreaterThanOrEqual(20);
  });
});
