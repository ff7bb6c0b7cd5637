/**
 * Live differential test: assembles the hand-picked source lines and a fresh
 * random sample with the installed nasm and compares every line with the
 * encoder. Skips (visibly) when nasm is not installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
// @ts-expect-error plain JS helper shared with the fixture generator
import { assembleLines, hasNasm } from '../../scripts/encoding-nasm.mjs';
// @ts-expect-error plain JS helper shared with the fixture generator
import { randomGenerator, randomLines } from '../../scripts/gen-encoding-random.mjs';
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

/**
 * A fresh random sample (seeds the committed corpus does not use): random
 * opcode bytes → ndisasm → the lines nasm re-assembles → must give nasm's
 * bytes. Skips when nasm or ndisasm is missing.
 */
const ndisasmPresent = spawnSync('ndisasm', ['-v'], { encoding: 'utf8' }).status === 0;
if (!ndisasmPresent) console.warn('live-nasm.test: ndisasm not found, skipping the fresh random sample');
describe.skipIf(!nasmPresent || !ndisasmPresent)('encoder: fresh random sample against the installed nasm', () => {
  const seed = 1000 + (Number(process.env.ENCODER_SEED ?? '') || 7);
  for (const bits of [16, 32] as const) {
    it(`BITS ${bits}, seed ${seed}`, () => {
      const rand = (randomGenerator as (s: number) => () => number)(seed + bits);
      const { lines } = (randomLines as (b: number, r: () => number, n: number) => { lines: Array<{ line: string; hex: string }> })(bits, rand, 6000);
      const mismatches = lines.filter(({ line, hex }) => ours(bits, line) !== hex).map(({ line, hex }) => `${line}: nasm ${hex}, tsnasm ${ours(bits, line)}`);
      expect(lines.length).toBeGreaterThan(2000);
      expect(mismatches).toEqual([]);
    }, 60_000);
  }
});
