/**
 * The random encoding corpus (fixtures/encoding/corpus-*.txt) and the
 * operand-shape sweep (shapes-*.txt, mostly nasm's error messages), all from
 * real nasm 2.16.01: every line is parsed by the small test parser and encoded;
 * the report lists lines checked / lines matching per class and mode, and the
 * test fails if any class falls below its recorded floor (a ratchet: raise the
 * floors as coverage grows).
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
import type { OptimizeLevel } from '../../src/encoder/types.js';
import { fixtureFiles, readFixture } from './helpers/fixtures.js';
import { parseSourceLine, TEST_SEGMENT } from './helpers/parse-line.js';
import { CLASSES, classify } from './helpers/classify.js';

/** Minimum fraction of lines that must match nasm, per corpus file. */
const FLOORS: Record<string, number> = {
  'corpus-16-general.txt': 1.0,
  'corpus-32-general.txt': 1.0,
  'corpus-16-x87.txt': 1.0,
  'corpus-32-x87.txt': 1.0,
  'corpus-16-system.txt': 1.0,
  'corpus-32-system.txt': 1.0,
  'corpus-16-mmx.txt': 1.0,
  'corpus-32-mmx.txt': 1.0,
  'corpus-16-sse.txt': 1.0,
  'corpus-32-sse.txt': 1.0,
  'shapes-16.txt.gz': 1.0,
  'shapes-32.txt.gz': 1.0,
};

/**
 * Encodes one fixture line at address `here` (the shape sweeps are one nasm
 * file, so a branch to the absolute address 5 depends on where the line sits).
 * PC-relative fields aimed at a plain number are resolved as nasm's bin output
 * resolves them.
 */
function encodeLine(bits: 16 | 32, source: string, here = 0n, cpu = 'all', optimize: OptimizeLevel = 2): string {
  let req;
  try {
    req = parseSourceLine(source, here);
  } catch (e) {
    return `parse error: ${(e as Error).message}`;
  }
  if (req === null) return 'error: no bytes';
  const r = encodeInstruction(req, { bits, segment: TEST_SEGMENT, offset: here, optimize, cpu, defaultRel: false });
  if (!r.ok) return `error: ${r.error}`;
  if (r.finalPassError) return `error: ${r.finalPassError}`;
  const bytes = Uint8Array.from(r.bytes);
  for (const f of r.fixups) {
    const v = f.value;
    if (!f.relative || v.base !== null || v.unknown || v.wrt !== null) continue;
    let n = BigInt.asUintN(f.size * 8, v.offset - (here + BigInt(bytes.length)));
    for (let k = 0; k < f.size; k++, n >>= 8n) bytes[f.at + k] = Number(n & 0xffn);
  }
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

describe('encoder: random corpus vs nasm 2.16.01', () => {
  const files = [...fixtureFiles('corpus-'), ...fixtureFiles('forms-'), ...fixtureFiles('shapes-'), ...fixtureFiles('cpu-'), ...fixtureFiles('addressing-')];
  it('corpus is present and large', () => {
    let total = 0;
    for (const f of fixtureFiles('corpus-')) total += readFixture(f).length;
    expect(total).toBeGreaterThanOrEqual(10000);
  });
  const report: string[] = [];
  const failures: string[] = [];
  /** Per class and mode: [checked, matched] over the encoding corpora (random + sweep). */
  const byClass = new Map<string, [number, number]>();
  for (const file of files) {
    it(file, () => {
      const cases = readFixture(file);
      let ok = 0;
      // Shape sweeps were assembled as one file per mode: track each line's address.
      const sequential = file.startsWith('shapes-');
      let here = 0n;
      for (const c of cases) {
        const got = encodeLine(c.bits, c.source, sequential ? here : 0n, c.cpu, c.optimize);
        if (sequential && c.hex) here += BigInt(c.hex.length / 2);
        const match = got === (c.hex ?? `error: ${c.error}`);
        if (file.startsWith('corpus-') || file.startsWith('forms-')) {
          const key = `${classify(c.source)}|${c.bits}`;
          const entry = byClass.get(key) ?? [0, 0];
          entry[0]++;
          if (match) entry[1]++;
          byClass.set(key, entry);
        }
        if (match) ok++;
        else failures.push(`${c.bits} | ${c.source} | want ${c.hex ?? `error: ${c.error}`} | got ${got}`);
      }
      report.push(`${file.padEnd(26)} ${String(ok).padStart(6)} / ${String(cases.length).padStart(6)} (${((100 * ok) / cases.length).toFixed(1)}%)`);
      expect(ok / cases.length).toBeGreaterThanOrEqual(FLOORS[file] ?? 1);
    });
  }
  it('report', () => {
    console.log('encoding corpus, lines matching nasm / lines checked:\n' + report.join('\n'));
    const rows = ['class        BITS 16 matched/checked   BITS 32 matched/checked'];
    for (const cls of CLASSES) {
      const cell = (bits: number) => {
        const [checked, matched] = byClass.get(`${cls}|${bits}`) ?? [0, 0];
        return `${String(matched).padStart(8)} / ${String(checked).padEnd(8)}`;
      };
      rows.push(`${cls.padEnd(12)} ${cell(16)}          ${cell(32)}`);
    }
    console.log('per class and mode (corpus-* random + forms-* sweep):\n' + rows.join('\n'));
    if (process.env.ENCODER_FAILURES) writeFileSync(process.env.ENCODER_FAILURES, failures.join('\n') + '\n');
  });
});
