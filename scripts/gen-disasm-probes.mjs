#!/usr/bin/env node
// Records ndisasm's output for the single instructions of fixtures/disasm/probes.src (lines
// `BITS HEX why`): one stream per mode with a sync point at each instruction, written as plain text
// (fixtures/disasm/probes16/32/64.txt) to read beside the source. Run by scripts/gen-disasm-fixtures.sh;
// test/disasm/probes.test.ts compares tsndisasm with it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '../fixtures/disasm');
const byBits = new Map();
for (const line of readFileSync(join(dir, 'probes.src'), 'utf8').split('\n')) {
  const m = /^(16|32|64) +([0-9A-Fa-f]+)\b/.exec(line);
  if (!m) continue;
  if (!byBits.has(m[1])) byBits.set(m[1], []);
  byBits.get(m[1]).push(Buffer.from(m[2], 'hex'));
}
const scratch = mkdtempSync(join(tmpdir(), 'probes-'));
try {
  for (const [bits, parts] of byBits) {
    const bin = join(scratch, `probes${bits}.bin`);
    writeFileSync(bin, Buffer.concat(parts));
    const args = ['-b', bits];
    let at = 0;
    for (const p of parts) {
      args.push('-s', String(at));
      at += p.length;
    }
    writeFileSync(join(dir, `probes${bits}.txt`), execFileSync('ndisasm', [...args, bin]));
  }
} finally {
  rmSync(scratch, { recursive: true });
}
