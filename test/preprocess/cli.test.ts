/**
 * The preprocessor's command-line options, run through the CLI's own entry
 * point (main(argv, io), exactly what bin/tsnasm.js calls, with captured
 * streams; in-process because spawning node for each line costs a second apiece):
 * -M, -MG, -MF, -MD, -MT, -MQ, -MP, -P/-p, -D/-U order, -I/-i, -a, -e. Each pp-* case with a `cli-modes` file has one
 * expected.cli.N per command line, recorded from nasm 2.16.01 by
 * scripts/gen-pp-fixtures.sh: stdout, stderr, exit status and every out.*
 * file written. We run the same line in a fresh copy of the folder and must
 * produce the same record.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/tsnasm.js';
import { runMain } from '../helpers/cli-io.js';
import { extractPreprocessorArgs } from '../../src/cli/preprocessor-args.js';
import { GOLDEN_ROOT, ppCaseNames } from './harness.js';

/** Runs the CLI in `cwd` as bin/tsnasm.js would, capturing what it writes. */
function runCli(args: string[], cwd: string): { stdout: string; stderr: string; status: number } {
  return runMain(main, args, cwd);
}

/** Splits a cli-modes line like the shell does for our simple lines (double quotes group). */
function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2]!);
  return out;
}

/** The record gen-pp-fixtures.sh writes for one command line. */
function record(argsLine: string, dir: string, stdout: string, stderr: string, status: number): string {
  let text = `### args: ${argsLine}\n### stdout\n${stdout}### stderr\n${stderr}### status ${status}\n`;
  const outs = readdirSync(dir)
    .filter((f) => f.startsWith('out.'))
    .sort();
  for (const f of outs) text += `### file ${f} ${readFileSync(join(dir, f)).toString('base64')}\n`;
  return text;
}

const cases = ppCaseNames().filter((n) => existsSync(join(GOLDEN_ROOT, n, 'cli-modes')));

describe('tsnasm preprocessor options match nasm', () => {
  it('has command-line cases, including the include trees', () => {
    expect(cases).toContain('pp-cli-options');
    expect(cases).toContain('pp-include-tree');
  });
  for (const name of cases) {
    const dir = join(GOLDEN_ROOT, name);
    const lines = readFileSync(join(dir, 'cli-modes'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    lines.forEach((line, k) => {
      it(`${name}: nasm ${line}`, () => {
        const expected = readFileSync(join(dir, `expected.cli.${k + 1}`), 'utf8');
        const work = mkdtempSync(join(tmpdir(), 'tsnasm-pp-cli-'));
        try {
          cpSync(dir, work, { recursive: true, filter: (src) => !/[\\/]expected\.[^\\/]*$/.test(src) });
          // Shell quoting in cli-modes is only for the shell; the script saw the unquoted words.
          const r = runCli(splitArgs(line), work);
          expect(record(line, work, r.stdout, r.stderr, r.status)).toBe(expected);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      });
    });
  }
});

describe('extractPreprocessorArgs', () => {
  it('keeps -D, -U and -P in command-line order and reads the last -MT/-MQ', () => {
    const r = extractPreprocessorArgs([
      '-DA=1',
      '-p',
      'x.inc',
      '-uB',
      '-MT',
      'one',
      '-MQ',
      'two words',
      '-f',
      'bin',
      'a.asm',
    ]);
    if ('error' in r) throw new Error(r.error);
    expect(r.ordered).toEqual([
      { name: 'A', value: '1' },
      { name: 'x.inc', include: true },
      { name: 'B', undefine: true },
    ]);
    expect(r.target).toBe('two\\ words');
    expect(r.rest).toEqual(['-f', 'bin', 'a.asm']);
  });
  it("takes -MD's file unless another option follows, and complains when it is last", () => {
    const a = extractPreprocessorArgs(['-MD', 'x.d', 'a.asm']);
    const b = extractPreprocessorArgs(['-MD', '-o', 'a.o', 'a.asm']);
    if ('error' in a || 'error' in b) throw new Error('unexpected error');
    expect(a.alongsideFile).toBe('x.d');
    expect(b.alongsideDerived).toBe(true);
    expect(b.rest).toEqual(['-o', 'a.o', 'a.asm']);
    expect(extractPreprocessorArgs(['a.asm', '-MD'])).toEqual({ error: "option `-MD' requires a parameter" });
  });
  it("reads -I/-i glued or separate (commander's variadic -I would swallow the file)", () => {
    const r = extractPreprocessorArgs(['-Iinc/', '-i', 'lib', 'a.asm']);
    if ('error' in r) throw new Error(r.error);
    expect(r.includePaths).toEqual(['inc/', 'lib']);
    expect(r.rest).toEqual(['a.asm']);
  });
});
