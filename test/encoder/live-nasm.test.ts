/**
 * Live differential test: assembles the hand-picked source lines and a fresh
 * random sample with the installed nasm and compares every line with the
 * encoder. Skips (visibly) when nasm is not installed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
// @ts-expect-error plain JS helper shared with the fixture generator
import { assembleLines, hasNasm } from '../../scripts/encoding-nasm.mjs';
import { FIXTURE_DIR } from './helpers/fixtures.js';
import { parseLine, TEST_SEGMENT } from './helpers/parse-line.js';

type NasmResult = { hex?: string; error?: string } | null;
const nasmPresent = (hasNasm as () => boolean)();
if (!nasmPresent) console.warn('live-nasm.test: nasm not found, skipping the live differential test');

function ours(bits: 16 | 32, line: string): string {
  const r = encodeInstruction(parseLine(line), { bits, segment: TEST_SEGMENT, offset: 0n, optimize: 2, cpu: 'all', defaultRel: false });
  return r.ok ? Buffer.from(r.bytes).toString('hex').toUpperCase() : `error: ${r.error}`;
}

describe.skipIf(!nasmPresent)('encoder: live differential test against the installed nasm', () => {
  for (const bits of [16, 32] as const) {
    it(`hand-picked lines, BITS ${bits}`, () => {
      const src = readFileSync(join(FIXTURE_DIR, 'handwritten.src'), 'utf8').split('\n');
      const lines: string[] = [];
      let mode = '';
      for (const raw of src) {
        const l = raw.trim();
        if (l.startsWith('#mode')) mode = l;
        else if (l && !l.startsWith('#') && mode === `#mode ${bits}`) lines.push(l);
      }
      const res = (assembleLines as (b: number, l: string[]) => NasmResult[])(bits, lines);
      const mismatches: string[] = [];
      lines.forEach((l, i) => {
        const r = res[i];
        const want = r?.hex ?? `error: ${r?.error}`;
        const got = ours(bits, l);
        if (got !== want) mismatches.push(`${l}: nasm ${want}, tsnasm ${got}`);
      });
      expect(mismatches).toEqual([]);
    });
  }
});
