#!/usr/bin/env node
/**
 * Regenerates fixtures/emu: what the real CPU prints for tsrun's
 * differential tests, so `npm test` needs neither the tools nor a CPU that
 * runs the programs.
 *   mix/mix{32,64}-{seed}: instruction-mix programs from scripts/emu-mix.mjs,
 *     assembled with nasm, linked with ld; .asm, the executable, .stdout, .status.
 *   c/cwork{32,64}: fixtures/emu/c/cwork.c built with gcc -static (-m32 for i386), stripped.
 * Each program runs natively; an i386 one runs under qemu-i386 when this kernel
 * cannot run it. Needs nasm, ld, gcc (with -m32 multilib) and an x86-64 Linux.
 *   node scripts/gen-emu-fixtures.mjs
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mixProgram } from './emu-mix.mjs';
import { kernelRunsI386 } from './i386.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'fixtures/emu');
export const MIX_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
export const MIX_OPS = 300;

/**
 * Runs a program on the real CPU (qemu-i386 for i386 when the kernel refuses it): stdout and status.
 * `spawn` runs it (Node's spawnSync, or the tests' helper-process one).
 */
export function runReal(path, bits, args = [], spawn = spawnSync) {
  const r =
    bits === 32 && !kernelRunsI386(spawn)
      ? spawn('qemu-i386', [path, ...args], { env: {} })
      : spawn(path, args, { env: {} });
  if (r.error) throw r.error;
  if (r.signal) throw new Error(`${path}: killed by ${r.signal}`);
  return { stdout: r.stdout, status: r.status };
}

function record(path, bits) {
  const r = runReal(path, bits);
  writeFileSync(`${path}.stdout`, r.stdout);
  writeFileSync(`${path}.status`, `${r.status}\n`);
}

/** Builds mix `seed` with nasm and ld in `dir`; `exec` runs them (Node's execFileSync, or the tests' one). */
export function buildMix(dir, seed, bits, exec = execFileSync) {
  const name = `mix${bits}-${seed}`;
  const asm = join(dir, `${name}.asm`);
  writeFileSync(asm, mixProgram(seed, bits, MIX_OPS).source);
  const obj = join(dir, `${name}.o`);
  exec('nasm', ['-f', bits === 64 ? 'elf64' : 'elf32', '-o', obj, asm]);
  exec('ld', [...(bits === 32 ? ['-m', 'elf_i386'] : []), '-z', 'noseparate-code', '-o', join(dir, name), obj]);
  exec('rm', [obj]);
  return join(dir, name);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mixDir = join(out, 'mix');
  mkdirSync(mixDir, { recursive: true });
  for (const bits of [32, 64])
    for (const seed of MIX_SEEDS) {
      const exe = buildMix(mixDir, seed, bits);
      record(exe, bits);
      console.log(exe);
    }
  const cDir = join(out, 'c');
  for (const bits of [32, 64]) {
    const exe = join(cDir, `cwork${bits}`);
    const m = bits === 32 ? ['-m32'] : [];
    execFileSync('gcc', [...m, '-O2', '-static', '-s', '-o', exe, join(cDir, 'cwork.c'), '-lm']);
    record(exe, bits);
    console.log(exe);
  }
}
