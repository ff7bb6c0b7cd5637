/** CliIo backed by Node: the process's streams, environment and file system. */
import { chmodSync, existsSync, lstatSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliIo } from './io.js';

export interface NodeIoOptions {
  /** Directory relative paths are taken from (default: the process's working directory). */
  cwd?: string;
}

/**
 * The Node io with raw-byte stderr and stdout (`stderrBytes`, `stdoutBytes`), for a CLI whose
 * messages and output quote source bytes. (Kept out of createNodeIo so that callers replacing
 * `stderr` or `stdout` to capture them see everything written.)
 */
export function createNodeIoWithByteStderr(options: NodeIoOptions = {}): CliIo {
  return {
    ...createNodeIo(options),
    stderrBytes: (bytes) => process.stderr.write(bytes),
    stdoutBytes: (bytes) => process.stdout.write(bytes),
  };
}

export function createNodeIo(options: NodeIoOptions = {}): CliIo {
  const at = (path: string): string => (options.cwd === undefined ? path : resolve(options.cwd, path));
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => new Uint8Array(readFileSync(at(path))),
    writeFile: (path, data, mode) => {
      writeFileSync(at(path), data, mode === undefined ? {} : { mode });
      // writeFileSync's mode applies only to a new file (and passes through the umask).
      if (mode !== undefined) chmodSync(at(path), mode);
    },
    exists: (path) => existsSync(at(path)),
    realDirectoryOf: (path) => realpathSync(dirname(at(path))),
    isFile: (path) => {
      try {
        return lstatSync(at(path)).isFile();
      } catch {
        return false;
      }
    },
    unlink: (path) => {
      unlinkSync(at(path));
    },
    env: process.env,
    // Asked when needed: the first touch of process.stdout / stderr builds the stream (loading
    // Node's stream modules, a few ms), which a run that prints nothing never needs.
    // isTTY is undefined, not false, on a pipe or file (the typings say boolean).
    isTTY: {
      get stdout() {
        return (process.stdout.isTTY as boolean | undefined) === true;
      },
      get stderr() {
        return (process.stderr.isTTY as boolean | undefined) === true;
      },
    },
  };
}
