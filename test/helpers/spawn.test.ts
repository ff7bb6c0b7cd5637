/** The tests' spawn helper gives what Node's spawnSync gives, command by command. */
import * as childProcess from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync, type SpawnOptions } from './spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'tsnasm-spawn-test-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The fields both give, the error as its code and message. */
function comparable(r: childProcess.SpawnSyncReturns<string | Buffer>) {
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout,
    stderr: r.stderr,
    output: r.output,
    error: r.error && { code: (r.error as NodeJS.ErrnoException).code, message: r.error.message },
  };
}

const CASES: Array<[string, string, string[], SpawnOptions & { encoding?: BufferEncoding }]> = [
  ['output and status', 'sh', ['-c', 'printf out; printf err >&2; exit 3'], { encoding: 'utf8' }],
  ['bytes (no encoding)', 'sh', ['-c', 'printf "\\377\\000A"'], {}],
  ['latin1', 'sh', ['-c', 'printf "\\351t\\351"'], { encoding: 'latin1' }],
  ['cwd', 'pwd', [], { cwd: dir, encoding: 'utf8' }],
  ['env', 'sh', ['-c', 'printf "%s" "$ONLY"'], { env: { ONLY: 'this', PATH: process.env['PATH'] }, encoding: 'utf8' }],
  ['input', 'cat', [], { input: 'fed\nto stdin', encoding: 'utf8' }],
  ['a command that does not exist', 'no-such-command-tsnasm', ['x'], { encoding: 'utf8' }],
  ['killed by a signal', 'sh', ['-c', 'kill -9 $$'], { encoding: 'utf8' }],
  ['timeout', 'sleep', ['5'], { timeout: 100, encoding: 'utf8' }],
];

describe('spawnSync through the helper process', () => {
  for (const [name, command, args, options] of CASES) {
    it(name, () => {
      expect(comparable(spawnSync(command, args, options))).toEqual(
        comparable(childProcess.spawnSync(command, args, options)),
      );
    });
  }

  it('stops a command past maxBuffer with ENOBUFS, as Node does', () => {
    // How much output was read, and whether the command had already ended, varies from run to run.
    const code = (r: childProcess.SpawnSyncReturns<string>) => (r.error as NodeJS.ErrnoException | undefined)?.code;
    const args = ['-c', 'head -c 100000 /dev/zero'];
    const options = { maxBuffer: 100, encoding: 'latin1' } as const;
    expect(code(childProcess.spawnSync('sh', args, options))).toBe('ENOBUFS');
    expect(code(spawnSync('sh', args, options))).toBe('ENOBUFS');
  });

  it("sees the caller's environment as it is now", () => {
    process.env['TSNASM_SPAWN_PROBE'] = 'set after start';
    try {
      expect(spawnSync('sh', ['-c', 'printf "%s" "$TSNASM_SPAWN_PROBE"'], { encoding: 'utf8' }).stdout).toBe(
        'set after start',
      );
    } finally {
      delete process.env['TSNASM_SPAWN_PROBE'];
    }
  });

  const helperPid = (): number => Number(spawnSync('sh', ['-c', 'printf "%s" "$PPID"'], { encoding: 'utf8' }).stdout);

  it('runs in a process other than the test worker', () => {
    expect(helperPid()).not.toBe(process.pid);
  });

  it('keeps giving right results when the helper process dies, and starts a new one', async () => {
    const first = helperPid();
    process.kill(first, 'SIGKILL');
    // Let the relay see the exit.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const r = spawnSync('sh', ['-c', 'printf ok; exit 4'], { encoding: 'utf8' });
    expect([r.stdout, r.status]).toEqual(['ok', 4]);
    const second = helperPid();
    expect(second).not.toBe(first);
    expect(second).not.toBe(process.pid);
  });
});

describe('execFileSync through the helper process', () => {
  it('returns stdout', () => {
    expect(execFileSync('sh', ['-c', 'printf hi'], { encoding: 'utf8' })).toBe('hi');
    expect(execFileSync('sh', ['-c', 'printf hi'])).toEqual(Buffer.from('hi'));
  });

  it('throws on failure, with the status', () => {
    expect(() => execFileSync('sh', ['-c', 'exit 2'])).toThrow(expect.objectContaining({ status: 2 }));
    expect(() => execFileSync('no-such-command-tsnasm')).toThrow(/ENOENT/);
  });
});
