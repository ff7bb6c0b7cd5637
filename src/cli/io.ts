/**
 * What a CLI needs from its surroundings. bin/*.js pass the Node process's
 * (createNodeIo); tests pass captured streams and a scratch directory, so a
 * CLI runs in-process without touching the real process.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Raw bytes to stderr, when the surroundings can take them: diagnostics quote source bytes
   * (read one character per byte) and must go out byte for byte, as nasm writes them.
   */
  stderrBytes?: (bytes: Uint8Array) => void;
  /** Raw bytes to stdout, the same way: `-E` and `-M` output quote source bytes too. */
  stdoutBytes?: (bytes: Uint8Array) => void;
  /** File contents; throws an error with a Node-style `code` (ENOENT, EISDIR, …) when unreadable. */
  readFile: (path: string) => Uint8Array;
  /** Writes (creating or truncating) a file; `mode` sets its permission bits (0o755 for executables). */
  writeFile: (path: string, data: Uint8Array | string, mode?: number) => void;
  exists: (path: string) => boolean;
  /** Whether `path` names a regular file (not a directory, device or symbolic link). */
  isFile: (path: string) => boolean;
  unlink: (path: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The real path (symbolic links resolved) of the folder holding `path`: `-g` names the source's
   * folder in DW_AT_comp_dir, as nasm does. Absent where there is no file system to ask.
   */
  realDirectoryOf?: (path: string) => string;
  /** Whether stdout / stderr are terminals (colour is used only then). */
  isTTY: { stdout: boolean; stderr: boolean };
}

/** The `code` of a file-system error (ENOENT, EISDIR, …), if it has one. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  return typeof e.code === 'string' ? e.code : undefined;
}

/** The message of an error thrown by the file system. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Creates or truncates `path`; false when that is not possible. */
export function createEmpty(io: CliIo, path: string): boolean {
  try {
    io.writeFile(path, new Uint8Array(0));
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes `path` if it is a regular file. nasm removes whatever the name is, so `-o /dev/null`
 * on a failed run as root deletes the device; a file that is not regular is left alone here.
 */
export function removeFile(io: CliIo, path: string): void {
  try {
    if (io.isFile(path)) io.unlink(path);
  } catch {
    // nothing to remove
  }
}
