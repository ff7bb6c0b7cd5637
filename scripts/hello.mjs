#!/usr/bin/env node
/**
 * `npm run hello`: the project's main job end to end.
 * Assemble fixtures/hello.asm with tsnasm, link it with tsld, run it, print its size.
 *
 * The program is a 32-bit Linux executable. Some x86-64 kernels cannot run i386
 * programs ("Exec format error"); there it runs under qemu-i386 when installed,
 * and otherwise says so plainly instead of failing with a bare ENOEXEC.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exe = join(root, 'build', 'hello');

function step(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.error) return { ok: false, error: r.error };
  return { ok: r.status === 0, status: r.status };
}

function mustRun(command, args) {
  const r = step(command, args);
  if (!r.ok) {
    console.error(`hello: ${[command, ...args].join(' ')} failed`);
    process.exit(1);
  }
}

mkdirSync(join(root, 'build'), { recursive: true });
mustRun(process.execPath, ['bin/tsnasm.js', '-f', 'elf32', '-o', 'build/hello.o', 'fixtures/hello.asm']);
mustRun(process.execPath, ['bin/tsld.js', '-o', 'build/hello', 'build/hello.o']);

let ran = step(exe, []);
if (!ran.ok && ran.error && ran.error.code === 'ENOEXEC') {
  console.error('hello: this kernel cannot run 32-bit programs; running it under qemu-i386');
  ran = step('qemu-i386', [exe]);
  if (!ran.ok && ran.error) {
    console.error('hello: qemu-i386 is not installed (apt-get install qemu-user); build/hello was built but not run');
    process.exit(1);
  }
}
if (!ran.ok) process.exit(ran.status ?? 1);
console.log(`build/hello: ${statSync(exe).size} bytes`);
