/**
 * Runs the real nasm on many one-instruction lines at once and returns each
 * line's bytes or nasm's first error for it. Used by the fixture generators
 * and by the live differential test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasNasm() {
  return spawnSync('nasm', ['-v'], { encoding: 'utf8' }).status === 0;
}

/**
 * Assembles `lines` (one instruction each) in one nasm run per round; lines
 * nasm rejects are dropped (and their first error remembered) and the rest
 * re-assembled. Returns per line { hex } or { error }. `spawn` runs nasm
 * (Node's spawnSync, or the tests' helper-process one).
 */
export function assembleLines(bits, lines, optimize = 'x', preamble = '', spawn = spawnSync) {
  const dir = mkdtempSync(join(tmpdir(), 'encgen-'));
  const results = new Array(lines.length).fill(null);
  let live = lines.map((_, i) => i);
  const first = preamble ? 3 : 2;
  try {
    for (let round = 0; round < 40 && live.length > 0; round++) {
      // An optional preamble line (e.g. `cpu 386`) goes after `bits`; `first` is the line number of lines[live[0]].
      const head = `bits ${bits}\n` + (preamble ? `${preamble}\n` : '');
      const src = head + live.map((i) => lines[i]).join('\n') + '\n';
      const asm = join(dir, 'a.asm');
      writeFileSync(asm, src);
      const r = spawn('nasm', [`-O${optimize}`, '-f', 'bin', '-l', join(dir, 'a.lst'), '-o', join(dir, 'a.bin'), asm], {
        encoding: 'utf8',
      });
      const bad = new Map();
      for (const m of r.stderr.matchAll(/a\.asm:(\d+): (error|fatal): (.*)/g)) {
        const idx = live[Number(m[1]) - first];
        if (idx !== undefined && !bad.has(idx)) bad.set(idx, m[3]);
      }
      // A nasm panic (`panic: …/a.asm:N: message`) is that line's error too.
      for (const m of r.stderr.matchAll(/^panic: .*a\.asm:(\d+): (.*)/gm)) {
        const idx = live[Number(m[1]) - first];
        if (idx !== undefined && !bad.has(idx)) bad.set(idx, `panic: ${m[2]}`);
      }
      if (bad.size === 0 && r.status === 0) {
        const bin = readFileSync(join(dir, 'a.bin'));
        const lst = readFileSync(join(dir, 'a.lst'), 'utf8').split('\n');
        const addr = new Map();
        for (const l of lst) {
          const m = /^\s*(\d+) ([0-9A-F]{8}) [0-9A-F[(]/.exec(l);
          if (m && !addr.has(Number(m[1]))) addr.set(Number(m[1]), parseInt(m[2], 16));
        }
        const starts = live.map((_, k) => addr.get(k + first));
        for (let k = 0; k < live.length; k++) {
          const a = starts[k];
          if (a === undefined) {
            results[live[k]] = { error: 'no bytes' };
            continue;
          }
          let end = bin.length;
          for (let j = k + 1; j < live.length; j++)
            if (starts[j] !== undefined) {
              end = starts[j];
              break;
            }
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
