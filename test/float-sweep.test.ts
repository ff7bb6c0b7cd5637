/**
 * nasm 2.16.01's float conversion, constant by constant: fixtures/float/sweep.asm
 * (12,000 random constants in every float size, made by scripts/gen-float-sweep.mjs)
 * against the bytes and warnings nasm produced for it (sweep.bin, sweep.stderr).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/index.js';
import { formatDiagnostic } from '../src/core/diagnostics.js';

const folder = join(import.meta.dirname, '../fixtures/float');
const source = readFileSync(join(folder, 'sweep.asm'), 'latin1');
const expected = readFileSync(join(folder, 'sweep.bin'));
const expectedStderr = readFileSync(join(folder, 'sweep.stderr'), 'utf8');
const SIZE: Readonly<Record<string, number>> = { dw: 2, dd: 4, dq: 8, dt: 10, do: 16 };

describe('float conversion sweep (nasm 2.16.01)', () => {
  const result = assemble(source, { fileName: 'sweep.asm', format: 'bin' });

  it('gives nasm bytes for every constant', () => {
    expect(result.output).not.toBeNull();
    const ours = result.output!;
    const lines = source.split('\n');
    const wrong: string[] = [];
    let at = 0;
    lines.forEach((line, index) => {
      const size = SIZE[line.slice(0, 2)];
      if (size === undefined) return;
      const theirs = Buffer.from(expected.subarray(at, at + size)).toString('hex');
      const mine = Buffer.from(ours.subarray(at, at + size)).toString('hex');
      if (theirs !== mine) wrong.push(`line ${index + 1}: ${line}: nasm ${theirs}, tsnasm ${mine}`);
      at += size;
    });
    expect(at).toBe(expected.length);
    expect(wrong.slice(0, 20), `${wrong.length} constants differ`).toEqual([]);
  });

  it("gives nasm's warnings (float-overflow, float-toolong) on the same lines", () => {
    const ours = result.diagnostics.map((d) => formatDiagnostic(d)).join('\n');
    expect(ours.trim()).toBe(expectedStderr.trim());
  });
});
