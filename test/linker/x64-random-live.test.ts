/**
 * Live differential test for x86-64: seeded random multi-object nasm
 * programs (sections of every kind and alignment, COMMON symbols, data
 * relocations of every width, PLT calls, GOT loads that ld relaxes and GOT
 * loads that need slots, GOT-relative offsets) linked by tsld and by
 * `ld -m elf_x86_64 … + strip` must be byte-identical.
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
if (!live) console.warn('tsld x86-64 tests: nasm/ld/strip missing; random live comparison with GNU ld SKIPPED');

const SECTIONS: Record<string, string> = {
  '.text': '',
  '.rodata': '',
  '.data': '',
  '.bss': '',
  '.text.hot': 'progbits alloc exec nowrite',
  '.rodata.x': 'progbits alloc noexec nowrite',
  '.my_d': 'progbits alloc noexec write',
};

function generator(seed: number) {
  let state = seed * 7919 + 23;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return { random, int, pick };
}

/**
 * A data or code line that references `sym` (a global defined somewhere in
 * the program). GOT and PLT forms only name other objects' symbols: nasm
 * 2.16.01 panics on such a reference that it could resolve itself.
 */
function references(g: ReturnType<typeof generator>, sym: string, code: boolean, sameFile: boolean): string {
  const got = sameFile
    ? []
    : [`mov rax, [rel ${sym} wrt ..got]`, `add rcx, [rel ${sym} wrt ..got]`, `mov r10, ${sym} wrt ..got`];
  if (code)
    return g.pick([
      ...got,
      sameFile ? `call ${sym}` : `call ${sym} wrt ..plt`,
      `lea rdx, [rel ${sym}]`,
      `mov r9, ${sym} wrt ..gotoff`,
      `mov rax, ${sym}`,
      `mov eax, ${sym}`,
      `push qword [${sym}]`,
    ]);
  return g.pick([`dq ${sym} + ${g.int(0, 9)}`, `dd ${sym}`, `dd ${sym} - $`, `dq ${sym} - $`]);
}

function generate(seed: number): string[] {
  const g = generator(seed);
  const globals: string[] = [];
  const files: string[][] = [];
  const objects = g.int(1, 3);
  for (let k = 0; k < objects; k++) {
    const lines = ['BITS 64', 'default rel'];
    if (k === 0) lines.push('global _start');
    for (const name of Object.keys(SECTIONS)) {
      if (!(g.random() < 0.5 || (k === 0 && name === '.text'))) continue;
      lines.push(`section ${name} ${SECTIONS[name]} align=${g.pick([1, 2, 4, 8, 16, 32])}`);
      if (k === 0 && name === '.text') lines.push('_start:');
      const label = `l${k}${name.replace(/\./g, '_')}`;
      lines.push(`global ${label}`, `${label}:`);
      globals.push(label);
      const n = g.int(0, 24);
      if (name === '.bss') {
        lines.push(`resb ${n}`);
        continue;
      }
      if (n) lines.push(`db ${Array.from({ length: n }, () => g.int(0, 255)).join(',')}`);
      const code = name.startsWith('.text');
      for (let r = g.int(0, 4); r > 0; r--) lines.push(`REF ${code ? 'code' : 'data'}`);
    }
    for (let c = g.int(0, 2); c > 0; c--)
      lines.push(`common cm${k}_${c} ${g.pick([1, 4, 8, 16])}:${g.pick([1, 4, 8])}`);
    files.push(lines);
  }
  return files.map((lines, k) => {
    const text = lines.map((l) => {
      if (!l.startsWith('REF ')) return l;
      const sym = g.pick(globals);
      return references(g, sym, l === 'REF code', sym.startsWith(`l${k}_`));
    });
    const defined = new Set(text.filter((l) => l.startsWith('global ')).map((l) => l.split(' ')[1]!));
    const used = new Set(globals.filter((s) => text.some((l) => !l.startsWith('global') && l.includes(s))));
    const externs = [...used].filter((u) => !defined.has(u));
    if (externs.length) text.splice(2, 0, `extern ${externs.join(',')}`);
    return `${text.join('\n')}\n`;
  });
}

describe.skipIf(!live)('random x86-64 programs: tsld ≡ ld -m elf_x86_64 + strip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsld-x64-random-'));
  let compared = 0;
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}`, () => {
      const sources = generate(seed);
      const objects = sources.map((source, i) => {
        const asm = join(dir, `s${seed}_${i}.asm`);
        const obj = join(dir, `s${seed}_${i}.o`);
        writeFileSync(asm, source);
        const r = spawnSync('nasm', ['-f', 'elf64', asm, '-o', obj], { encoding: 'utf8' });
        expect(r.stderr, source).toBe('');
        return obj;
      });
      const out = join(dir, `s${seed}.ld`);
      const ld = spawnSync('ld', [...ldReferenceArgs('elf_x86_64'), '-o', out, ...objects], { encoding: 'utf8' });
      const ours = link(objects.map((o) => ({ name: o.split('/').pop()!, data: new Uint8Array(readFileSync(o)) })));
      if (ld.status !== 0) {
        expect(ours.output, `ld failed: ${ld.stderr}`).toBeNull();
        return;
      }
      spawnSync('strip', ['-R', '.comment', '-s', out]);
      expect(ours.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const expected = readFileSync(out);
      expect(Buffer.from(ours.output!).equals(expected), sources.join('\n;----\n')).toBe(true);
      compared++;
    });
  }
  it('compared (not just co-failed) most programs', () => {
    expect(compared).toBeGreaterThan(30);
  });
});
