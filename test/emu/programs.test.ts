/**
 * Every linked fixture program whose stdout and exit status were recorded
 * from the real CPU (fixtures/linker/golden, fixtures/linker/x64/golden) is
 * run under the emulator and must print the same and exit the same. Programs
 * that need instructions not emulated yet are listed in KNOWN_GAPS with the
 * reason and must keep failing for that reason (so the list stays true).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMachine } from '../../src/emu/index.js';

const DIRS = ['fixtures/linker/golden', 'fixtures/linker/x64/golden'];

/** Programs whose run needs what the first version lacks: name → text the fault message contains. */
const KNOWN_GAPS: Record<string, string> = {};

function recorded(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.status') && existsSync(join(dir, f.replace(/\.status$/, '.stdout'))))
    .map((f) => f.replace(/\.status$/, ''))
    .filter((name) => existsSync(join(dir, name)))
    .sort();
}

function runProgram(path: string): { stdout: string; status: number; detail: string } {
  const chunks: Uint8Array[] = [];
  const m = createMachine(new Uint8Array(readFileSync(path)), { argv: [path], stdout: (b) => chunks.push(b) });
  const outcome = m.run(5_000_000);
  const stdout = Buffer.concat(chunks).toString('latin1');
  if (outcome.kind === 'limit') return { stdout, status: -1, detail: 'step limit' };
  return { stdout, status: outcome.status, detail: outcome.kind === 'signal' ? outcome.detail : '' };
}

describe('fixture programs under tsrun', () => {
  for (const dir of DIRS) {
    for (const name of recorded(dir)) {
      const gap = KNOWN_GAPS[name];
      it(`${dir}/${name}${gap ? ' (known gap)' : ''}`, () => {
        const r = runProgram(join(dir, name));
        if (gap) {
          expect(r.detail).toContain(gap);
          return;
        }
        expect(r.detail).toBe('');
        expect(r.stdout).toBe(readFileSync(join(dir, `${name}.stdout`), 'latin1'));
        expect(r.status).toBe(Number(readFileSync(join(dir, `${name}.status`), 'utf8').trim()));
      });
    }
  }
});
