/**
 * Symbol name affixes from the command line (`--gprefix`/`--prefix`, `--gpostfix`/`--postfix`,
 * `--lprefix`, `--lpostfix`): the first of each wins, and they win over `%pragma output gprefix`
 * (the pragma forms are golden cases pragma-name-affixes*). The names are read back from the
 * object; where nasm 2.16.01 is installed the bytes are compared with its output too.
 */
import { spawnSync } from './helpers/spawn.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/tsnasm.js';
import { readElfHeader, readSections, readSymbols } from '../src/elf/read.js';
import { runMain } from './helpers/cli-io.js';

const SOURCE = `%pragma output gprefix X_
%pragma output lsuffix _Y
	extern ext
	global glob
	common com 4
glob:	dd ext
loc:	dd com
`;

const probe = spawnSync('nasm', ['-v'], { encoding: 'utf8' });
const haveNasm = probe.status === 0 && probe.stdout.startsWith('NASM version 2.16.01');

function assembleWith(args: string[]): { names: string[]; bytes: Uint8Array; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tsnasm-affix-'));
  writeFileSync(join(dir, 'a.asm'), SOURCE);
  const r = runMain(main, [...args, '-f', 'elf32', 'a.asm', '-o', 'a.o'], dir);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const bytes = new Uint8Array(readFileSync(join(dir, 'a.o')));
  const sections = readSections(bytes, 32, readElfHeader(bytes, 32));
  const names = readSymbols(bytes, 32, sections)
    .filter((s) => s.type === 0 && s.name !== '')
    .map((s) => s.name);
  return { names, bytes, dir };
}

const CASES: Array<{ args: string[]; names: string[] }> = [
  { args: [], names: ['loc_Y', 'com_Y', 'X_glob', 'X_ext'] },
  { args: ['--gprefix', 'P_'], names: ['loc_Y', 'com_Y', 'P_glob', 'P_ext'] },
  { args: ['--prefix=P_', '--gprefix', 'Q_'], names: ['loc_Y', 'com_Y', 'P_glob', 'P_ext'] },
  { args: ['--postfix', '_S'], names: ['loc_Y', 'com_Y', 'X_glob_S', 'X_ext_S'] },
  { args: ['--gpostfix', '_S'], names: ['loc_Y', 'com_Y', 'X_glob_S', 'X_ext_S'] },
  { args: ['--lprefix', 'L.'], names: ['L.loc_Y', 'L.com_Y', 'X_glob', 'X_ext'] },
  { args: ['--lpostfix', '_Z'], names: ['loc_Z', 'com_Z', 'X_glob', 'X_ext'] },
];

describe('symbol name affixes on the command line', () => {
  for (const { args, names } of CASES) {
    test(`${args.join(' ') || '(pragmas only)'}: ${names.join(' ')}`, () => {
      const out = assembleWith(args);
      expect([...out.names].sort()).toEqual([...names].sort());
      if (!haveNasm) return;
      const nasm = spawnSync('nasm', [...args, '-f', 'elf32', 'a.asm', '-o', 'n.o'], { cwd: out.dir });
      expect(nasm.status).toBe(0);
      expect(Buffer.from(out.bytes).equals(readFileSync(join(out.dir, 'n.o')))).toBe(true);
    });
  }
  test.skipIf(haveNasm)('nasm 2.16.01 is not installed: the byte comparisons above were skipped', () => {});
});
