/**
 * tsrun against the real CPU. The recorded half: programs under fixtures/emu
 * (instruction mixes from scripts/emu-mix.mjs built with nasm + ld, and a C
 * program built with gcc -static for i386 and x86-64) whose stdout and exit
 * status scripts/gen-emu-fixtures.mjs recorded from the real CPU; tsrun must
 * print and exit the same. The live half (skipped with a message when nasm,
 * ld or an x86-64 Linux are absent): fresh mixes built and run natively now
 * (i386 under qemu-i386 when the kernel cannot run it), and the same mix
 * assembled and linked by tsnasm + tsld.
 */
import { execFileSync, spawnSync } from '../helpers/spawn.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMachine } from '../../src/emu/index.js';
import { assemble, link } from '../../src/index.js';
// @ts-expect-error -- a plain ES module script without type declarations
import { mixProgram } from '../../scripts/emu-mix.mjs';
// @ts-expect-error -- a plain ES module script without type declarations
import { buildMix, MIX_OPS, runReal } from '../../scripts/gen-emu-fixtures.mjs';
// @ts-expect-error -- a plain ES module script without type declarations
import { kernelRunsI386 } from '../../scripts/i386.mjs';

type MixProgram = (seed: number, bits: number, count?: number) => { source: string; ops: number };
const mix = mixProgram as MixProgram;
// The live half runs nasm, ld and the programs through the tests' helper process (helpers/spawn.ts).
const build = (dir: string, seed: number, bits: number): string =>
  (buildMix as (dir: string, seed: number, bits: number, exec: typeof execFileSync) => string)(
    dir,
    seed,
    bits,
    execFileSync,
  );
const real = (path: string, bits: number): { stdout: Buffer; status: number } =>
  (
    runReal as (
      path: string,
      bits: number,
      args: string[],
      spawn: typeof spawnSync,
    ) => { stdout: Buffer; status: number }
  )(path, bits, [], spawnSync);

function tsrun(exe: Uint8Array, argv0: string): { stdout: string; status: number; detail: string } {
  const chunks: Uint8Array[] = [];
  const m = createMachine(exe, { argv: [argv0], stdout: (b) => chunks.push(b) });
  const outcome = m.run(50_000_000);
  const stdout = Buffer.concat(chunks).toString('latin1');
  if (outcome.kind === 'limit') return { stdout, status: -1, detail: 'step limit' };
  return { stdout, status: outcome.status, detail: outcome.kind === 'signal' ? outcome.detail : '' };
}

function recorded(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.status'))
    .map((f) => f.replace(/\.status$/, ''))
    .sort();
}

describe('recorded on the real CPU: fixtures/emu', () => {
  for (const sub of ['mix', 'c']) {
    const dir = join('fixtures/emu', sub);
    for (const name of recorded(dir)) {
      it(`${sub}/${name}`, () => {
        const r = tsrun(new Uint8Array(readFileSync(join(dir, name))), join(dir, name));
        expect(r.detail).toBe('');
        expect(r.stdout).toBe(readFileSync(join(dir, `${name}.stdout`), 'latin1'));
        expect(r.status).toBe(Number(readFileSync(join(dir, `${name}.status`), 'utf8').trim()));
      });
    }
  }

  it('the committed mix sources are what the committed generator writes', () => {
    const dir = 'fixtures/emu/mix';
    const names = recorded(dir);
    expect(names.length).toBeGreaterThanOrEqual(20);
    for (const name of names) {
      const [, bits, seed] = /^mix(32|64)-(\d+)$/.exec(name) ?? [];
      expect(readFileSync(join(dir, `${name}.asm`), 'utf8')).toBe(
        mix(Number(seed), Number(bits), MIX_OPS as number).source,
      );
    }
  });

  it('a mix assembled and linked by tsnasm + tsld prints what ld’s executable printed', () => {
    for (const bits of [64]) {
      const name = `mix${bits}-3`;
      const source = readFileSync(join('fixtures/emu/mix', `${name}.asm`), 'utf8');
      const obj = assemble(source, { fileName: `${name}.asm`, format: bits === 64 ? 'elf64' : 'elf32' });
      if (!obj.output) throw new Error(JSON.stringify(obj.diagnostics));
      const exe = link([{ name: `${name}.o`, data: obj.output }]);
      if (!exe.output) throw new Error(JSON.stringify(exe.diagnostics));
      expect(tsrun(exe.output, name).stdout).toBe(readFileSync(join('fixtures/emu/mix', `${name}.stdout`), 'latin1'));
    }
  });
});

const tools =
  process.platform === 'linux' &&
  process.arch === 'x64' &&
  ['nasm', 'ld'].every((t) => spawnSync(t, ['--version']).status === 0);
const i386 =
  tools && (existsSync('/usr/bin/qemu-i386') || (kernelRunsI386 as (spawn: typeof spawnSync) => boolean)(spawnSync));

describe.skipIf(!tools)('live: fresh mixes on the real CPU (nasm, ld, native x86-64)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-mix-'));
  for (const bits of [32, 64]) {
    it.skipIf(bits === 32 && !i386)(`${bits}-bit mixes, seeds 101-106`, () => {
      for (let seed = 101; seed <= 106; seed++) {
        const exe = build(dir, seed, bits);
        const want = real(exe, bits);
        const got = tsrun(new Uint8Array(readFileSync(exe)), exe);
        const what = `mix${bits}-${seed}`;
        expect({ what, stdout: got.stdout, status: got.status }).toEqual({
          what,
          stdout: want.stdout.toString('latin1'),
          status: want.status,
        });
      }
    });
  }
});
if (!tools) console.log('differential.test: nasm, ld or x86-64 Linux not available, live comparison skipped');
else if (!i386) console.log('differential.test: neither i386 exec nor qemu-i386 available, live 32-bit mixes skipped');
