#!/usr/bin/env node
/**
 * tsndisasm's speed: CPU seconds (user + sys, median of --runs, default 3) of `node
 * bin/tsndisasm.js` on 300 KB of random bytes in BITS 16, 32 and 64 (a reproducible stream,
 * mulberry32 as test/disasm/helpers.ts makes them) and on the EVEX streams the tests record
 * (fixtures/disasm/evex-a.bin, evex-b.bin with the modes of fixtures/disasm/evex*.args), and,
 * when ndisasm is installed, ndisasm's time and whether the outputs are identical.
 *
 *   node bench/disasm.mjs [--runs N]
 *
 * Build first (`npm run build`, or `npm run bundle`): bin/tsndisasm.js runs dist/bundle.
 */
import { mulberry32 } from '../scripts/random.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;

/** `n` reproducible random bytes (the shared mulberry32: the low byte of each 32-bit draw). */
function randomBytes(seed, n) {
  const next = mulberry32(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 4294967296) & 255;
  return out;
}

function hasNdisasm() {
  try {
    execFileSync('ndisasm', ['-r'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The output of a command, as bytes (up to 256 MB). */
const outputOf = (command, args) => execFileSync(command, args, { maxBuffer: 1 << 28 });

/** Lines of either output that the other does not have (lines start with their address, so this is `diff`'s count). */
function differingLines(ours, theirs) {
  const count = new Map();
  for (const line of ours.toString('latin1').split('\n')) count.set(line, (count.get(line) ?? 0) + 1);
  for (const line of theirs.toString('latin1').split('\n')) count.set(line, (count.get(line) ?? 0) - 1);
  let differ = 0;
  for (const n of count.values()) differ += Math.abs(n);
  return differ;
}

const scratch = mkdtempSync(join(tmpdir(), 'tsndisasm-bench-'));
try {
  const random = join(scratch, 'random.bin');
  writeFileSync(random, randomBytes(20240601, 300_000));
  const cases = [16, 32, 64].map((bits) => ({ name: `random 300 KB -b ${bits}`, args: ['-b', String(bits), random] }));
  for (const bits of [16, 32, 64]) {
    const args = readFileSync(join(root, 'fixtures', 'disasm', `evex${bits}.args`), 'utf8')
      .trim()
      .split('\n');
    const file = join(root, 'fixtures', 'disasm', `${args.at(-1)}.bin`);
    cases.push({ name: `${args.at(-1)}.bin -b ${bits}`, args: [...args.slice(0, -1), file] });
  }
  const ndisasm = hasNdisasm();
  const tsndisasm = join(root, 'bin', 'tsndisasm.js');
  // One run first: the launcher writes its code cache (dist/bundle/tsndisasm.cjs.cache) after a run without one.
  outputOf(process.execPath, [tsndisasm, '-b', '32', random]);
  console.log(`CPU seconds (user + sys), median of ${runs}${ndisasm ? ', against ndisasm' : ''}:`);
  for (const { name, args } of cases) {
    const times = [];
    for (let i = 0; i < runs; i++) times.push((await measure(process.execPath, [tsndisasm, ...args], 600)).cpu);
    let line = `${name.padEnd(24)} tsndisasm ${median(times).toFixed(2)}`;
    if (ndisasm) {
      const theirs = [];
      for (let i = 0; i < runs; i++) theirs.push((await measure('ndisasm', args, 600)).cpu);
      const differ = differingLines(outputOf(process.execPath, [tsndisasm, ...args]), outputOf('ndisasm', args));
      line += `  ndisasm ${median(theirs).toFixed(2)}  output ${differ === 0 ? 'identical' : `${differ} lines differ`}`;
    }
    console.log(line);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
