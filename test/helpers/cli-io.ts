/**
 * Runs a CLI's main() in-process, as bin/ would run it in `cwd`: files
 * through Node (relative to `cwd`), stdout and stderr captured, no terminal,
 * the process's environment unless another is given.
 * Much cheaper than spawning Node for each command line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from './spawn.js';
import type { CliIo } from '../../src/cli/io.js';
import { createNodeIo } from '../../src/cli/node-io.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runMain(
  main: (argv: string[], io: CliIo) => number,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = { ...process.env },
): CliResult {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    ...createNodeIo({ cwd }),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    isTTY: { stdout: false, stderr: false },
  };
  const status = main(args, io);
  return { status, stdout, stderr };
}

export const REPO = join(import.meta.dirname, '..', '..');

/** The commands package.json's "bin" installs (bin/<name>.js). */
export type BinName = 'tsnasm' | 'tsld' | 'tsimage' | 'tsndisasm' | 'tsrun';

/** Whether `npm run build` has compiled the CLIs that bin/*.js load (the smoke tests need them). */
export function builtCli(name: BinName): boolean {
  const built = existsSync(join(REPO, 'dist', 'src', 'cli', `${name}.js`));
  if (!built) console.warn(`dist/ has no ${name}: skipping the bin/${name}.js smoke tests (run npm run build)`);
  return built;
}

/** Runs bin/<name>.js in a new Node process (the real launcher). */
export function runBin(name: BinName, args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', `${name}.js`), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
