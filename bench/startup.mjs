#!/usr/bin/env node
/**
 * Start-up cost of `tsnasm -f elf32 fixtures/hello.asm`: CPU seconds (user + sys)
 * and peak RSS of tsnasm as installed (bin/tsnasm.js: the CommonJS bundle with its V8
 * code cache), of the bundled ES module and of the unbundled CLI (dist/src) for comparison,
 * and `node -e 0` as the floor, each --runs times (default 11), taking turns.
 *
 *   node bench/startup.mjs [--runs N]      (after npm run build)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 11;
const launcher = join(repoRoot, 'bench', 'launch-tsnasm.mjs');
// The object goes to a scratch file: a run that fails removes its output, and nasm's habit there
// has cost /dev/null before.
const scratch = mkdtempSync(join(tmpdir(), 'tsnasm-startup-'));
const hello = ['-f', 'elf32', '-o', join(scratch, 'hello.o'), join(repoRoot, 'fixtures', 'hello.asm')];

const variants = [
  ['`node -e 0`', ['-e', '0']],
  ['tsnasm as installed (bin/tsnasm.js)', [join(repoRoot, 'bin', 'tsnasm.js'), ...hello]],
  ['tsnasm unbundled (dist/src)', [launcher, ...hello], { BENCH_TSNASM_BUILD: 'dist' }],
  ['tsnasm bundled (dist/bundle)', [launcher, ...hello], { BENCH_TSNASM_BUILD: 'bundle' }],
];
const samples = variants.map(() => []);
for (let run = 0; run < runs; run++) {
  for (const [i, [, args, env]] of variants.entries()) {
    Object.assign(process.env, { BENCH_TSNASM_BUILD: '' }, env);
    const m = await measure(process.execPath, args, 60);
    if (m.status !== 'ok') throw new Error(`${variants[i][0]} ${m.status}: ${m.message}`);
    samples[i].push(m);
  }
}
const floor = median(samples[0].map((m) => m.cpu));
console.log(`| ${runs} runs each | median CPU s | min–max CPU s | × node -e 0 | median peak RSS MiB |`);
console.log('|---|---:|---:|---:|---:|');
for (const [i, [label]] of variants.entries()) {
  const cpu = samples[i].map((m) => m.cpu);
  const rss = median(samples[i].map((m) => m.rssKiB)) / 1024;
  const range = `${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)}`;
  console.log(
    `| ${label} | ${median(cpu).toFixed(2)} | ${range} | ${(median(cpu) / floor).toFixed(1)}× | ${rss.toFixed(0)} |`,
  );
}
rmSync(scratch, { recursive: true, force: true });
