/**
 * Whether this machine runs i386 Linux programs natively. The only reliable way to know is to
 * run one: on an x86-64 kernel built without i386 support, Node's spawn does not fail with
 * ENOEXEC as one might expect, because libuv starts programs with execvp, which hands a file the
 * kernel refuses to /bin/sh; the shell then exits with status 2 and a syntax error about the
 * ELF header. So a probe program (ld's stripped hello, committed under fixtures/) is run and
 * must print exactly what it prints on a real i386-capable kernel.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'linker', 'golden', 'hello');

let known;

/** True when this kernel runs i386 programs (asked once per process). `spawn` as Node's spawnSync. */
export function kernelRunsI386(spawn = spawnSync) {
  if (known === undefined) {
    const native = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'ia32');
    const r = native ? spawn(PROBE, [], { env: {} }) : null;
    known = r !== null && !r.error && r.status === 0 && String(r.stdout) === 'Hello World\n';
  }
  return known;
}
