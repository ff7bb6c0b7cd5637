/** The library API: no file system, ld's resolution rules, robustness against corrupt input. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLinkDiagnostic, link } from '../../src/linker/index.js';
import { GOLDEN, ROOT, readInput } from './helpers.js';

describe('link() API', () => {
  it('imports nothing from Node (browser-usable)', () => {
    const dir = join(ROOT, 'src/linker');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/from\s+['"](node:|fs|path|os|child_process)/);
      expect(text, file).not.toMatch(/\bprocess\./);
    }
  });

  it('caps undefined-reference reports per symbol like ld', () => {
    const r = link([readInput('undef_many.o')]);
    expect(r.output).toBeNull();
    const ours = r.diagnostics.map(formatLinkDiagnostic);
    const ld = readFileSync(join(GOLDEN, 'undef_many.ld-stderr'), 'utf8').trim().split('\n');
    // ld prints "in function" on a line of its own and then "ld: " + location for the rest.
    const ldLocations = ld.filter((l) => !l.endsWith("in function `_start':")).map((l) => l.replace(/^ld: /, ''));
    expect(ours).toHaveLength(ldLocations.length);
    ours.forEach((line, i) => {
      expect(line.endsWith(ldLocations[i]!)).toBe(true);
    });
    expect(ours[5]).toBe(
      "tsld: error: undef_many.o:undef_many.asm:(.text+0x1a): more undefined references to `gone' follow",
    );
  });

  it('pulls archive members in ld order and leaves unneeded ones out', () => {
    const r = link([readInput('archive_main.o'), readInput('libarith.a')], { map: true });
    expect(r.diagnostics).toEqual([]);
    const members = [...r.map!.matchAll(/libarith\.a\((\w+)\.o\)\(\.text\)/g)].map((m) => m[1]);
    // cube_mod needs square (an earlier member), found only on the second pass.
    expect(members).toEqual(['lib_add', 'lib_cube', 'lib_mul', 'lib_sq']);
    expect(r.map).not.toContain('lib_unused');
  });

  it('allocates COMMON symbols in .bss with the largest size', () => {
    const r = link([readInput('common_a.o'), readInput('common_b.o')], { map: true });
    const map = r.map!;
    // tally stays with common_a.o; shared_buf (32 bytes, the larger declaration) and never_used go with common_b.o.
    expect(map).toMatch(/0x00000004 common_a\.o\(COMMON: tally\)/);
    expect(map).toMatch(/0x00000028 common_b\.o\(COMMON: never_used shared_buf\)/);
    expect(map).toMatch(/0x[0-9a-f]{8} {2}shared_buf \(common_b\.o, COMMON\)/);
    expect(map).toMatch(/\.bss\s+0x[0-9a-f]+ 0x00000030/);
  });

  it('weak: strong definition wins, undefined weak resolves to 0 without error', () => {
    const r = link([readInput('weak_main.o'), readInput('weak_default.o'), readInput('weak_strong.o')], { map: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.map).toMatch(/handler \(weak_strong\.o\)/);
    expect(r.map).toMatch(/fallback \(weak_default\.o, weak\)/);
    expect(r.map).toMatch(/0x00000000 {2}optional_hook \(undefined weak\)/);
  });

  it('refuses an archive without a symbol index, as ld does', () => {
    const member = readInput('hello.o').data;
    const header = `${'hello.o/'.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'644'.padEnd(8)}${String(member.length).padEnd(10)}\x60\n`;
    const bytes = new Uint8Array([...new TextEncoder().encode(`!<arch>\n${header}`), ...member]);
    const r = link([readInput('archive_main.o'), { name: 'noindex.a', data: bytes }]);
    expect(r.output).toBeNull();
    expect(r.diagnostics).toContainEqual({
      severity: 'error',
      message: 'noindex.a: error adding symbols: archive has no index; run ranlib to add one',
    });
  });

  it('reports no input files', () => {
    expect(link([]).diagnostics).toEqual([{ severity: 'error', message: 'no input files' }]);
  });

  it('never throws on corrupted objects (seeded random byte damage)', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const originals = ['hello.o', 'multi_main.o', 'cmix_c.o', 'libarith.a'].map(readInput);
    let failures = 0;
    for (let round = 0; round < 400; round++) {
      const base = originals[round % originals.length]!;
      const data = base.data.slice();
      const hits = 1 + Math.floor(random() * 4);
      for (let h = 0; h < hits; h++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      const r = link([{ name: base.name, data }]);
      // Either a link or clean diagnostics; an error always means no output.
      if (r.diagnostics.some((d) => d.severity === 'error')) {
        expect(r.output).toBeNull();
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});
