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
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { assembleLines } from './encoding-nasm.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIX = join(ROOT, 'fixtures', 'encoding');
const NASM_VERSION = '2.16.01';

function checkNasm() {
  const v = execFileSync('nasm', ['-v']).toString();
  if (!v.includes(NASM_VERSION)) throw new Error(`need nasm ${NASM_VERSION}, found: ${v}`);
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
  randomCorpus(FIX, Number(process.argv[3] ?? 1));
} else {
  console.error('usage: gen-encoding-corpus.mjs handwritten|random [seed]');
  process.exit(2);
}
