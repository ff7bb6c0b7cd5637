#!/usr/bin/env node
/**
 * `npm run hello`: the project's main job end to end.
 * Assemble fixtures/hello.asm with tsnasm, link it with tsld, run it, print its size.
 *
 * The program is a 32-bit Linux executable. Where the machine cannot run it (an
 * x86-64 kernel without i386 support: "Exec format error", or another OS), it runs
 * under tsrun, the project's own emulator, so the quick start works everywhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelRunsI386 } from './i386.mjs';

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

let ran;
let how;
if (kernelRunsI386()) {
  ran = step(exe, []);
  how = 'natively (this kernel runs i386 programs)';
} else {
  console.error('hello: this machine cannot run i386 Linux programs; running it under tsrun (the emulator)');
  ran = step(process.execPath, ['bin/tsrun.js', 'build/hello']);
  how = 'under tsrun, the emulator (no i386 support here)';
}
if (!ran.ok) process.exit(ran.status ?? 1);
console.log(`build/hello: ${statSync(exe).size} bytes, ran ${how}`);
