/**
 * Runs many short commands (nasm on each golden case) from one shell instead of
 * one spawnSync each. A spawn straight from the test worker forks a process of a
 * gigabyte or more, and that fork, not the command, was most of the cost: the
 * stale-fixture check's 760 nasm runs took seconds of system time. The shell is
 * small, so its forks are cheap (and the shell itself starts from the small
 * helper process of spawn.ts, one request for the whole batch). Each command's
 * exit status, stdout and stderr come back exactly as spawnSync would give them.
 */
import { spawnSync } from './spawn.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BatchCommand {
  /** Folder the command runs in. */
  cwd: string;
  command: string;
  args: readonly string[];
}

export interface BatchResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** One shell word: single-quoted, with embedded quotes closed and escaped. */
function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Runs `commands` one after another (in order, each in its `cwd`) and returns what each gave. */
export function runBatch(commands: readonly BatchCommand[], encoding: BufferEncoding = 'utf8'): BatchResult[] {
  if (commands.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'tsnasm-batch-'));
  try {
    const script = commands.map((c, i) => {
      const out = shellWord(join(dir, String(i)));
      const argv = [c.command, ...c.args].map(shellWord).join(' ');
      // A subshell keeps each command's `cd` to itself; the status file is written whatever happens.
      return `(cd ${shellWord(c.cwd)} && exec ${argv}) </dev/null >${out}.out 2>${out}.err; echo $? >${out}.status`;
    });
    writeFileSync(join(dir, 'run.sh'), script.join('\n') + '\n');
    const run = spawnSync('sh', [join(dir, 'run.sh')], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`batch shell failed (${run.status}): ${run.stderr}`);
    return commands.map((_, i) => {
      const base = join(dir, String(i));
      return {
        status: Number(readFileSync(`${base}.status`, 'utf8').trim()),
        stdout: readFileSync(`${base}.out`, encoding),
        stderr: readFileSync(`${base}.err`, encoding),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
