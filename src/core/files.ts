/**
 * What a file reader gives for a directory. nasm opens a directory as it opens a file (on Linux
 * that succeeds) and reads nothing from it: `%include "."` is an empty file, while `incbin "."`
 * fails as it reads. Readers return this very array, so that incbin can tell it from an empty file
 * and everything else takes it as one.
 */
export const DIRECTORY_CONTENTS: Uint8Array = new Uint8Array(0);

/** Whether a file system error is the one for reading a directory as a file (Node's EISDIR). */
export function isDirectoryReadError(e: unknown): boolean {
  return e instanceof Error && 'code' in e && e.code === 'EISDIR';
}
