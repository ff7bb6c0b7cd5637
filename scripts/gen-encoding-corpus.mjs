#!/usr/bin/env node
/**
 * Regenerates the encoder fixtures from the real nasm (2.16.01).
 *
 *   node scripts/gen-encoding-corpus.mjs handwritten
 *       fixtures/encoding/handwritten.src → fixtures/encoding/handwritten.txt
 *   node scripts/gen-encoding-corpus.mjs random [seed]
 *       random opcode bytes → ndisasm -b 16/32 → nasm-syntax lines → the lines
 *       real nasm accepts, with nasm's bytes → fixtures/encoding/corpus-*.txt
 *
 * Fixture format, one instruction per line:
 *     <bits>[ O<level>] | <source line> | <HEX BYTES>        (assembled)
 *     <bits>[ O<level>] | <source line> | error: <message>    (nasm's first error)
 * Relative branch targets are written `$+n`, so every line assembles to the
 * same bytes wherever it is placed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIX = join(ROOT, 'fixtures', 'encoding');
const NASM_VERSION = '2.16.01';

function checkNasm() {
  const v = execFileSync('nasm', ['-v']).toString();
  if (!v.includes(NASM_VERSION)) throw new Error(`need nasm ${NASM_VERSION}, found: ${v}`);
}

/**
 * Assembles `lines` (one instruction each) in one nasm run per round; lines
 * nasm rejects are dropped (and their first error remembered) and the rest
 * re-assembled. Returns per line { hex } or { error }.
 */
export function assembleLines(bits, lines, optimize = 'x') {
  const dir = mkdtempSync(join(tmpdir(), 'encgen-'));
  const results = new Array(lines.length).fill(null);
  let live = lines.map((_, i) => i);
  try {
    for (let round = 0; round < 8 && live.length > 0; round++) {
      const src = `bits ${bits}\n` + live.map((i) => lines[i]).join('\n') + '\n';
      const asm = join(dir, 'a.asm');
      writeFileSync(asm, src);
      const r = spawnSync('nasm', [`-O${optimize}`, '-f', 'bin', '-l', join(dir, 'a.lst'), '-o', join(dir, 'a.bin'), asm], { encoding: 'utf8' });
      const bad = new Map();
      for (const m of r.stderr.matchAll(/a\.asm:(\d+): (error|fatal): (.*)/g)) {
        const idx = live[Number(m[1]) - 2];
        if (idx !== undefined && !bad.has(idx)) bad.set(idx, m[3]);
      }
      if (bad.size === 0 && r.status === 0) {
        const bin = readFileSync(join(dir, 'a.bin'));
        const lst = readFileSync(join(dir, 'a.lst'), 'utf8').split('\n');
        const addr = new Map();
        for (const l of lst) {
          const m = /^\s*(\d+) ([0-9A-F]{8}) [0-9A-F[(]/.exec(l);
          if (m && !addr.has(Number(m[1]))) addr.set(Number(m[1]), parseInt(m[2], 16));
        }
        const starts = live.map((_, k) => addr.get(k + 2));
        for (let k = 0; k < live.length; k++) {
          const a = starts[k];
          if (a === undefined) { results[live[k]] = { error: 'no bytes' }; continue; }
          let end = bin.length;
          for (let j = k + 1; j < live.length; j++) if (starts[j] !== undefined) { end = starts[j]; break; }
          results[live[k]] = { hex: bin.subarray(a, end).toString('hex').toUpperCase() };
        }
        break;
      }
      if (bad.size === 0) throw new Error(`nasm failed without a line error: ${r.stderr}`);
      for (const [idx, msg] of bad) results[idx] = { error: msg };
      live = live.filter((i) => !bad.has(i));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function fixtureLine(mode, line, res) {
  return `${mode} | ${line} | ${res.hex ?? 'error: ' + res.error}`;
}

function handwritten() {
  const src = readFileSync(join(FIX, 'handwritten.src'), 'utf8').split('\n');
  // Sections: "#mode 32" / "#mode 16 O0"; other lines starting with # are comments.
  const groups = [];
  let cur = null;
  for (const raw of src) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^#mode\s+(16|32)(?:\s+O([01x]))?$/.exec(line);
    if (m) { cur = { bits: m[1], opt: m[2] ?? 'x', lines: [] }; groups.push(cur); continue; }
    if (line.startsWith('#')) continue;
    cur.lines.push(line);
  }
  const out = [];
  for (const g of groups) {
    const res = assembleLines(g.bits, g.lines, g.opt);
    const mode = g.opt === 'x' ? g.bits : `${g.bits} O${g.opt}`;
    g.lines.forEach((l, i) => out.push(fixtureLine(mode, l, res[i])));
  }
  writeFileSync(join(FIX, 'handwritten.txt'), out.join('\n') + '\n');
  console.log(`handwritten: ${out.length} lines`);
}

const cmd = process.argv[2];
checkNasm();
if (cmd === 'handwritten') handwritten();
else if (cmd === 'random') {
  const { randomCorpus } = await import('./gen-encoding-random.mjs');
  randomCorpus(assembleLines, FIX, Number(process.argv[3] ?? 1));
} else {
  console.error('usage: gen-encoding-corpus.mjs handwritten|random [seed]');
  process.exit(2);
}
