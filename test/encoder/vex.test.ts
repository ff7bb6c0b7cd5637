/**
 * The VEX / XOP encoding corpus (fixtures/encoding/vex, from real nasm 2.16.01
 * by scripts/gen-encoding-vex.mjs): every line, in BITS 16, 32 or 64, must
 * give nasm's bytes or nasm's error. forms-<ext> files instantiate each table
 * row of one extension; random-<bits> files come from random VEX/XOP bytes
 * through ndisasm; handwritten.txt from handwritten.src.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../src/encoder/index.js';
import type { OptimizeLevel } from '../../src/encoder/types.js';
import { fixtureFiles, readFixture } from './helpers/fixtures.js';
import { parseSourceLine, TEST_SEGMENT } from './helpers/parse-line.js';

/** Encodes one line at address 0 and gives the hex bytes, or `error: message` as the fixtures write it. */
export function encodeVexLine(source: string, bits: 16 | 32 | 64, cpu = 'all', optimize: OptimizeLevel = 2): string {
  // `{vex3}`-style prefixes lead the line; the test parser knows word prefixes only.
  const prefixes: string[] = [];
  let rest = source;
  for (let m = /^\s*(\{\w+\})\s*(.*)$/s.exec(rest); m; m = /^\s*(\{\w+\})\s*(.*)$/s.exec(rest)) {
    prefixes.push((m[1] as string).toLowerCase());
    rest = m[2] as string;
  }
  let req;
  try {
    req = parseSourceLine(rest, 0n);
  } catch (e) {
    return `parse error: ${(e as Error).message}`;
  }
  if (req === null) return 'error: no bytes';
  req.prefixes.unshift(...prefixes);
  const r = encodeInstruction(req, { bits, segment: TEST_SEGMENT, offset: 0n, optimize, cpu, defaultRel: false });
  if (!r.ok) return `error: ${r.error}`;
  if (r.finalPassError) return `error: ${r.finalPassError}`;
  const bytes = Uint8Array.from(r.bytes);
  for (const f of r.fixups) {
    const v = f.value;
    if (v.base !== null || v.unknown || v.wrt !== null) return `unresolved fixup at ${f.at}`;
    let n = BigInt.asUintN(f.size * 8, f.relative ? v.offset - BigInt(bytes.length) : v.offset);
    for (let k = 0; k < f.size; k++, n >>= 8n) bytes[f.at + k] = Number(n & 0xffn);
  }
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

describe('encoder: VEX/XOP corpus vs nasm 2.16.01', () => {
  const files = fixtureFiles('', 'vex');
  const report: string[] = [];
  const failures: string[] = [];
  for (const file of files) {
    it(file, () => {
      const cases = readFixture(file);
      let ok = 0;
      const mine: string[] = [];
      for (const c of cases) {
        const got = encodeVexLine(c.source, c.bits, c.cpu, c.optimize);
        const want = c.hex ?? `error: ${c.error}`;
        // Where nasm panics (`vpmaskmovd [0x1234],xmm1`: "invalid operand passed to regval()") any refusal will do.
        if (got === want || (c.error?.startsWith('panic: ') === true && got.startsWith('error: '))) ok++;
        else mine.push(`${c.bits} | ${c.source} | want ${want} | got ${got}`);
      }
      report.push(`${file.padEnd(32)} ${String(ok).padStart(6)} / ${String(cases.length).padStart(6)}`);
      failures.push(...mine);
      expect(mine.slice(0, 20)).toEqual([]);
    });
  }
  it('report', () => {
    console.log('VEX/XOP corpus, lines matching nasm / lines checked:\n' + report.join('\n'));
    if (process.env.ENCODER_FAILURES) writeFileSync(process.env.ENCODER_FAILURES, failures.join('\n') + '\n');
  });
});
