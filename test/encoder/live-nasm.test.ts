/**
 * Live differential test: assembles the hand-picked source lines and a fresh
 * random sample with the installed nasm and compares every line with the
 * encoder. Skips (visibly) when nasm is not installed.
 */
import { spawnSync } from '../helpers/spawn.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
import { ALL_REGISTERS } from '../../src/encoder/registers.js';
import { ALL_ROWS, type TemplateOperand } from '../../src/encoder/table.js';
// @ts-expect-error plain JS helper shared with the fixture generator
import { assembleLines, hasNasm } from '../../scripts/encoding-nasm.mjs';
// @ts-expect-error plain JS helper shared with the fixture generator
import { randomGenerator, randomLines } from '../../scripts/gen-encoding-random.mjs';
import { FIXTURE_DIR } from './helpers/fixtures.js';
import { parseLine, TEST_SEGMENT } from './helpers/parse-line.js';

type NasmResult = { hex?: string; error?: string } | null;
/** scripts/encoding-nasm.mjs's assembleLines; the tests run nasm through their helper process (helpers/spawn.ts). */
type AssembleLines = (b: number, l: string[], o: string, preamble: string, spawn: typeof spawnSync) => NasmResult[];
const nasmPresent = (hasNasm as () => boolean)();
if (!nasmPresent) console.warn('live-nasm.test: nasm not found, skipping the live differential test');

function ours(bits: 16 | 32, line: string): string {
  const r = encodeInstruction(parseLine(line), {
    bits,
    segment: TEST_SEGMENT,
    offset: 0n,
    optimize: 2,
    cpu: 'all',
    defaultRel: false,
  });
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
      const res = (assembleLines as AssembleLines)(bits, lines, 'x', '', spawnSync);
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
      const { lines } = (
        randomLines as (
          b: number,
          r: () => number,
          n: number,
          spawn: typeof spawnSync,
        ) => { lines: Array<{ line: string; hex: string }> }
      )(bits, rand, 6000, spawnSync);
      const mismatches = lines
        .filter(({ line, hex }) => ours(bits, line) !== hex)
        .map(({ line, hex }) => `${line}: nasm ${hex}, tsnasm ${ours(bits, line)}`);
      expect(lines.length).toBeGreaterThan(2000);
      expect(mismatches).toEqual([]);
    }, 60_000);
  }
});

/**
 * Every row of the table rendered to source text (each operand as a register
 * of its class, `size [ebx]`, an immediate with and without its size keyword,
 * a `$+n` target…) must give nasm's bytes or nasm's error: a row nasm does not
 * have, or sizes it differently, shows up here.
 */
const SIZE_WORD: Record<number, string> = {
  1: 'byte',
  2: 'word',
  4: 'dword',
  6: 'fword',
  8: 'qword',
  10: 'tword',
  16: 'oword',
  32: 'yword',
  64: 'zword',
};
/** Source spellings of a template operand; BITS 64 also tries r11/xmm11 (REX) and addresses through rbx. */
function renderOperand(t: TemplateOperand, bits: 16 | 32 | 64 = 32): string[] {
  const mem = bits === 64 ? '[rbx]' : '[ebx]';
  const regName = (): string[] => {
    const num = t.fixedReg >= 0 ? t.fixedReg : 3;
    const names: string[] = [];
    const r = ALL_REGISTERS.find((x) => x.cls === t.regClass && x.num === num && !x.needsRex);
    if (r) names.push((t.to ? 'to ' : '') + r.name);
    const ext = bits === 64 && t.fixedReg < 0 ? ALL_REGISTERS.find((x) => x.cls === t.regClass && x.num === 11) : null;
    if (ext) names.push(ext.name);
    return names;
  };
  const sized = (size: number, text: string): string => (SIZE_WORD[size] ? `${SIZE_WORD[size]} ${text}` : text);
  switch (t.kind) {
    case 'reg':
      return regName();
    // Memory both with its size keyword and without (NASM's size inference or its "operation size not specified").
    case 'rm':
      return [...regName(), sized(t.size, mem), ...(t.size ? [mem] : [])];
    case 'mem':
      return t.moffs
        ? [sized(t.size, '[0x10]'), '[0x10]']
        : t.far
          ? [`far ${mem}`]
          : [sized(t.size, mem), ...(t.size ? [mem] : [])];
    case 'imm':
      if (t.one) return ['1'];
      if (t.exact) return [sized(t.size, '0x12')];
      if (t.sbyte) return ['5'];
      return t.size ? ['0x12', sized(t.size, '0x12')] : ['0x12'];
    case 'rel':
      return t.size === 0 ? ['$+0x10'] : ['$+0x400', 'near $+0x400'];
    case 'far':
      return ['0x10:0x20'];
  }
}
function* operandCombos(lists: string[][], k = 0, acc: string[] = []): Generator<string[]> {
  if (k === lists.length) {
    yield acc.slice();
    return;
  }
  for (const o of lists[k] as string[]) {
    acc.push(o);
    yield* operandCombos(lists, k + 1, acc);
    acc.pop();
  }
}
/** True while the table has no EVEX rows (the EVEX encoder is being added on its own branch). */
const ALL_ROWS_ARE_VEX_ONLY = !ALL_ROWS.some((r) => r.source.includes('evex.'));
describe.skipIf(!nasmPresent)('encoder: every table row, rendered, against the installed nasm', () => {
  /** Per mode: every rendered line, and the ones the optimisation level can matter for (immediates, branch targets). */
  const render = (bits: 16 | 32 | 64): { lines: Set<string>; optimisable: Set<string> } => {
    const lines = new Set<string>();
    const optimisable = new Set<string>();
    for (const row of ALL_ROWS) {
      for (const ops of operandCombos(row.operands.map((t) => renderOperand(t, bits)))) {
        const line = `${row.mnemonic} ${ops.join(', ')}`.trim();
        lines.add(line);
        if (row.operands.some((t) => t.kind === 'imm' || t.kind === 'rel')) optimisable.add(line);
      }
    }
    return { lines, optimisable };
  };
  const rendered = { 16: render(16), 32: render(32), 64: render(64) };
  for (const bits of [16, 32, 64] as const)
    for (const opt of ['x', '0', '1'] as const) {
      const { lines, optimisable } = rendered[bits];
      const list = [...(opt === 'x' ? lines : optimisable)];
      it(`BITS ${bits} -O${opt}: ${list.length} lines`, () => {
        const res = (assembleLines as AssembleLines)(bits, list, opt, '', spawnSync);
        const mismatches: string[] = [];
        list.forEach((l, i) => {
          // A VEX row's line that nasm encodes with EVEX (an r64 operand outside BITS 64) waits for the EVEX rows.
          if (ALL_ROWS_ARE_VEX_ONLY && /^(?:66|67|F2|F3)*62/.test(res[i]?.hex ?? '')) return;
          const want = res[i]?.hex ?? `error: ${res[i]?.error}`;
          const got = oursAt0(bits, l, opt === 'x' ? 2 : opt === '1' ? 1 : 0);
          if (got !== want) mismatches.push(`${l}: nasm ${want}, tsnasm ${got}`);
        });
        expect(mismatches).toEqual([]);
      }, 60_000);
    }
});

/** Like ours(), with `$+n` branch fields resolved for a line at address 0. */
function oursAt0(bits: 16 | 32 | 64, line: string, optimize: 0 | 1 | 2): string {
  const r = encodeInstruction(parseLine(line), {
    bits,
    segment: TEST_SEGMENT,
    offset: 0n,
    optimize,
    cpu: 'all',
    defaultRel: false,
  });
  if (!r.ok) return `error: ${r.error}`;
  if (r.finalPassError) return `error: ${r.finalPassError}`;
  const bytes = Uint8Array.from(r.bytes);
  for (const f of r.fixups) {
    if (!f.relative || f.value.base !== TEST_SEGMENT || f.value.unknown) continue;
    let n = BigInt.asUintN(f.size * 8, f.value.offset - BigInt(bytes.length));
    for (let k = 0; k < f.size; k++, n >>= 8n) bytes[f.at + k] = Number(n & 0xffn);
  }
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
