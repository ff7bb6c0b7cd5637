import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { chooseRow } from '../../src/encoder/encode.js';
import { readFixture } from './helpers/fixtures.js';
import { parseLine } from './helpers/parse-line.js';
const LEVELS = ['8086', '186', '286', '386', '486', '586', '686', 'katmai', 'willamette', 'prescott', 'x64', 'nehalem', 'westmere', 'sandybridge', 'all'];
it('cpu', () => {
  const cases = readFixture('cpu-levels.txt');
  const min = new Map<string, string>();
  for (const c of cases) if (c.hex && !min.has(c.source)) min.set(c.source, c.cpu);
  const out: string[] = [];
  for (const [src, lvl] of min) {
    const row = chooseRow(parseLine(src), { bits: 32, segment: 0, offset: 0n, optimize: 2, cpu: 'all', defaultRel: false });
    let ours = 'none';
    for (const l of LEVELS) {
      if (chooseRow(parseLine(src), { bits: 32, segment: 0, offset: 0n, optimize: 2, cpu: l, defaultRel: false })) { ours = l; break; }
    }
    if (ours !== lvl) out.push(`${lvl.padEnd(12)} ours ${ours.padEnd(12)} ${src.padEnd(40)} ${row?.source}`);
  }
  writeFileSync('/tmp/enc/cpu-diff.txt', out.sort().join('\n') + '\n');
});
