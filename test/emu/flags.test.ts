/**
 * Flags of the arithmetic core (src/emu/alu.ts): edge cases written from the
 * Intel SDM's definitions, then the same operations cross-checked against
 * the real CPU (a small C program with inline assembly, built with gcc and
 * run natively; skipped with a message when gcc or x86-64 is absent).
 */
import { execFileSync, spawnSync } from '../helpers/spawn.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagsAlu as alu } from '../../src/emu/index.js';

const { CF, PF, AF, ZF, SF, OF } = alu;
const STATUS = alu.STATUS;

describe('flags from the SDM definitions', () => {
  it('add: carry, overflow, auxiliary carry, zero, parity', () => {
    expect(alu.add(0xffn, 1n, 0, 1)).toMatchObject({ value: 0n, flags: CF | ZF | AF | PF });
    expect(alu.add(0x7fn, 1n, 0, 1)).toMatchObject({ value: 0x80n, flags: OF | SF | AF });
    expect(alu.add(0x80n, 0x80n, 0, 1)).toMatchObject({ value: 0n, flags: CF | OF | ZF | PF });
    expect(alu.add(0xffffffffn, 0xffffffffn, 1, 4)).toMatchObject({ value: 0xffffffffn, flags: CF | SF | AF | PF });
    expect(alu.add(1n, 2n, 0, 8)).toMatchObject({ value: 3n, flags: PF });
  });

  it('sub / cmp: borrow is CF, signed overflow is OF', () => {
    expect(alu.sub(0n, 1n, 0, 4)).toMatchObject({ value: 0xffffffffn, flags: CF | SF | AF | PF });
    expect(alu.sub(0x80000000n, 1n, 0, 4)).toMatchObject({ value: 0x7fffffffn, flags: OF | AF | PF });
    expect(alu.sub(5n, 5n, 0, 2)).toMatchObject({ value: 0n, flags: ZF | PF });
    expect(alu.sub(0x10n, 0n, 1, 1)).toMatchObject({ value: 0x0fn, flags: AF | PF });
  });

  it('inc / dec leave CF untouched; neg sets CF unless zero', () => {
    expect(alu.incDec(0xffn, 1, 1).affected & CF).toBe(0);
    expect(alu.incDec(0x7fffffffn, 1, 4).flags & OF).toBe(OF);
    expect(alu.neg(0n, 4).flags & CF).toBe(0);
    expect(alu.neg(1n, 4)).toMatchObject({ value: 0xffffffffn });
    expect(alu.neg(1n, 4).flags & CF).toBe(CF);
  });

  it('shifts: last bit out is CF, count 0 changes nothing, counts are masked', () => {
    expect(alu.shift(4, 0x80n, 1, 1, 0)).toMatchObject({ value: 0n, flags: CF | OF | ZF | PF });
    expect(alu.shift(5, 0x81n, 1, 1, 0)).toMatchObject({ value: 0x40n, flags: CF | OF });
    expect(alu.shift(7, 0x81n, 1, 1, 0)).toMatchObject({ value: 0xc0n, flags: CF | SF | PF });
    expect(alu.shift(4, 1n, 32, 4, 0).affected).toBe(0); // masked to 0: no change
    expect(alu.shift(4, 1n, 33, 4, 0).value).toBe(2n);
    expect(alu.shift(4, 1n, 63, 8, 0).value).toBe(1n << 63n);
  });

  it('rotates touch only CF and OF', () => {
    const r = alu.shift(0, 0x80n, 1, 1, 0);
    expect(r).toMatchObject({ value: 1n, affected: CF | OF });
    expect(r.flags & CF).toBe(CF);
    expect(alu.shift(1, 1n, 1, 4, 0).value).toBe(0x80000000n);
    expect(alu.shift(2, 0x80n, 1, 1, 0).value).toBe(0n); // rcl: bit 7 into CF, old CF (0) into bit 0
    expect(alu.shift(3, 0n, 1, 1, 1).value).toBe(0x80n); // rcr: CF into bit 7
  });
});

/** Operations cross-checked natively: mnemonic, alu call, operand size. */
type Case = { asm: string; size: 1 | 4; a: bigint; b: bigint; run: () => alu.AluResult };
const VALUES_8 = [0n, 1n, 0x0fn, 0x10n, 0x7fn, 0x80n, 0x81n, 0xffn];
const VALUES_32 = [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x12345678n];

function cases(): Case[] {
  const out: Case[] = [];
  for (const [size, values] of [
    [1, VALUES_8],
    [4, VALUES_32],
  ] as const) {
    for (const a of values)
      for (const b of values) {
        out.push({ asm: 'add', size, a, b, run: () => alu.add(a, b, 0, size) });
        out.push({ asm: 'sub', size, a, b, run: () => alu.sub(a, b, 0, size) });
        out.push({ asm: 'and', size, a, b, run: () => alu.logic(a & b, size) });
      }
    for (const a of values)
      for (const count of [1n, 2n, 7n, 8n, 31n]) {
        out.push({ asm: 'shl', size, a, b: count, run: () => alu.shift(4, a, Number(count), size, 0) });
        out.push({ asm: 'shr', size, a, b: count, run: () => alu.shift(5, a, Number(count), size, 0) });
        out.push({ asm: 'sar', size, a, b: count, run: () => alu.shift(7, a, Number(count), size, 0) });
        out.push({ asm: 'rol', size, a, b: count, run: () => alu.shift(0, a, Number(count), size, 0) });
      }
  }
  return out;
}

function nativeProgram(all: Case[]): string {
  const lines = all.map((c) => {
    const shift = ['shl', 'shr', 'sar', 'rol'].includes(c.asm);
    const [t, a, b] =
      c.size === 1 ? ['unsigned char', '%b0', shift ? '%%cl' : '%b2'] : ['unsigned', '%k0', shift ? '%%cl' : '%k2'];
    const asm = `${c.asm}${c.size === 1 ? 'b' : 'l'} ${b}, ${a}`;
    return `{ ${t} x = ${c.a}u; unsigned long f; unsigned long y = ${c.b}u;
  __asm__ volatile ("pushfq; andq $~0x8d5, (%%rsp); popfq; ${asm}; pushfq; popq %1" : "+r"(x), "=r"(f) : "c"(y) : "cc");
  printf("%lu %lu\\n", (unsigned long)x, f & 0x8d5); }`;
  });
  return `#include <stdio.h>\nint main(void) {\n${lines.join('\n')}\nreturn 0; }\n`;
}

const gcc = spawnSync('gcc', ['--version']).status === 0 && process.arch === 'x64';

describe.skipIf(!gcc)('flags agree with the real CPU (gcc, native x86-64)', () => {
  it('add, sub, and, shl, shr, sar, rol on 8- and 32-bit operands', () => {
    const all = cases();
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-flags-'));
    writeFileSync(join(dir, 'f.c'), nativeProgram(all));
    execFileSync('gcc', ['-O0', '-o', join(dir, 'f'), join(dir, 'f.c')]);
    const lines = execFileSync(join(dir, 'f'), [], { encoding: 'utf8' }).trim().split('\n');
    expect(lines.length).toBe(all.length);
    all.forEach((c, i) => {
      const [value, flags] = (lines[i] as string).split(' ').map(Number) as [number, number];
      const r = c.run();
      // The CPU's flags where the operation changed them; OF is undefined for multi-bit shifts and rotates.
      let mask = r.affected & STATUS;
      if (['shl', 'shr', 'sar', 'rol'].includes(c.asm)) {
        if (c.b !== 1n) mask &= ~OF;
        mask &= ~AF; // undefined for shifts
      }
      const what = `${c.asm} size ${c.size} a=${c.a} b=${c.b}`;
      expect({ what, value: BigInt(value) }).toEqual({ what, value: r.value });
      expect({ what, flags: flags & mask }).toEqual({ what, flags: r.flags & mask });
    });
  });
});
if (!gcc) console.log('flags.test: gcc or x86-64 not available, native cross-check skipped');
