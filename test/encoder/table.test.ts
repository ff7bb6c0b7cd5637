/**
 * The instruction table itself: every row parses, the table loads fast, and
 * every row is reachable (no row is shadowed by an earlier row of the same
 * mnemonic by accident — rows flagged `nd` are deliberate aliases).
 */
import { describe, expect, it } from 'vitest';
import { constantValue } from '../../src/core/value.js';
import { chooseRow } from '../../src/encoder/encode.js';
import { encodeInstruction } from '../../src/encoder/index.js';
import { ALL_REGISTERS, type RegisterClass } from '../../src/encoder/registers.js';
import { ALL_ROWS, parseRow, tableText, type Row, type TemplateOperand } from '../../src/encoder/table.js';
import type { EncodeContext, Operand, OperandSize } from '../../src/encoder/types.js';

function reg(cls: RegisterClass, num: number): Operand {
  const r = ALL_REGISTERS.find((x) => x.cls === cls && x.num === num);
  if (!r) throw new Error(`no register ${cls} ${num}`);
  return { kind: 'reg', reg: r, size: null };
}

function mem(size: number, opts: { far?: boolean; moffs?: boolean } = {}): Operand {
  const ebx = ALL_REGISTERS.find((x) => x.name === 'ebx');
  return {
    kind: 'mem',
    size: size === 0 ? null : (size as OperandSize),
    strict: false,
    segment: null,
    registers: opts.moffs || !ebx ? [] : [{ reg: ebx, scale: 1 }],
    displacement: constantValue(opts.moffs ? 0x10 : 0),
    hasDisplacement: !!opts.moffs,
    displacementSize: null,
    nosplit: false,
    relative: null,
    distance: opts.far ? 'far' : null,
  };
}

/** A VSIB address `[ebx+<vector>3*4]` for a gather's template. */
function vsibMem(cls: RegisterClass): Operand {
  const base = mem(0);
  const index = ALL_REGISTERS.find((x) => x.cls === cls && x.num === 3);
  if (base.kind !== 'mem' || !index) throw new Error(`no VSIB sample for ${cls}`);
  return { ...base, registers: [...base.registers, { reg: index, scale: 4 }] };
}

function imm(value: number, size: number | null, extra: Partial<Extract<Operand, { kind: 'imm' }>> = {}): Operand {
  return {
    kind: 'imm',
    value: constantValue(value),
    size: size as OperandSize | null,
    strict: false,
    distance: null,
    farSegment: null,
    to: false,
    ...extra,
  };
}

/** Candidate instruction operands that should select a row with template operand `t`. */
function samples(t: TemplateOperand): Operand[] {
  switch (t.kind) {
    case 'reg':
      return t.regClass ? [{ ...reg(t.regClass, t.fixedReg >= 0 ? t.fixedReg : 3), to: t.to } as Operand] : [];
    case 'rm': {
      // (No 64-bit registers exist outside 64-bit mode: rm64 rows are sampled with memory only.)
      const registers = t.regClass && ALL_REGISTERS.some((r) => r.cls === t.regClass) ? [reg(t.regClass, 3)] : [];
      // A register that takes a rounding mode is also sampled with one written after it (NASM's map5
      // VCVTUSI2SS is reached only so: `vcvtusi2ss xmm1,xmm2,rax,{rn-sae}`).
      const rounded = t.decorations.er
        ? registers.map((r) => ({ ...r, decorators: { mask: 0, zero: false, broadcast: -1, rounding: 'rn' as const } }))
        : [];
      return [...registers, ...rounded, mem(t.size)];
    }
    case 'mem':
      if (t.vsib) return [vsibMem(t.vsib)];
      return [mem(t.size, { far: t.far, moffs: t.moffs })];
    case 'imm':
      if (t.one) return [imm(1, null)];
      if (t.exact) return [imm(0x12, t.size)];
      if (t.sbyte) return [imm(5, null), imm(5, t.size)];
      return [imm(t.size === 1 || t.size === 0 ? 0x12 : 0x1234, null), imm(0x1234, t.size || null)];
    case 'rel': {
      const target = { ...constantValue(0x40), base: 0 };
      if (t.size === 0) return [imm(0, null, { value: target, distance: 'short' }), imm(0, null, { value: target })];
      const farAway = { ...constantValue(0x4000), base: 0 };
      return [
        imm(0, t.size, { value: target, distance: 'near' }),
        imm(0, null, { value: target, distance: 'near' }),
        imm(0, t.size, { value: target }),
        imm(0, null, { value: farAway }),
      ];
    }
    case 'far':
      return [
        imm(0x20, t.size, { farSegment: constantValue(0x10) }),
        imm(0x20, null, { farSegment: constantValue(0x10) }),
      ];
  }
}

function* combos(lists: Operand[][], k = 0, acc: Operand[] = []): Generator<Operand[]> {
  if (k === lists.length) {
    yield acc.slice();
    return;
  }
  for (const o of lists[k] as Operand[]) {
    acc.push(o);
    yield* combos(lists, k + 1, acc);
    acc.pop();
  }
}

function reachable(row: Row): boolean {
  const lists = row.operands.map(samples);
  // Every row used in BITS 64 counts as reachable there (long rows first of all).
  const ctx64: EncodeContext = { bits: 64, segment: 0, offset: 0n, optimize: 2, cpu: 'all', defaultRel: false };
  // (`pv` rows are NASM's VEX forms that need `{vex}` written.)
  const prefixes = row.explicitVex ? ['{vex}'] : [];
  for (const operands of combos(lists))
    if (chooseRow({ mnemonic: row.mnemonic, prefixes, operands }, ctx64) === row) return true;
  // EVEX rows whose registers VEX rows also take are reached with `{evex}` (or a decorator, a register above 15).
  if (row.evex)
    for (const operands of combos(lists))
      if (chooseRow({ mnemonic: row.mnemonic, prefixes: ['{evex}'], operands }, ctx64) === row) return true;
  if (row.long || row.rexW) {
    // 64-bit-only forms: reachable when they are what turns a line into nasm's mode error.
    const ctx: EncodeContext = { bits: 32, segment: 0, offset: 0n, optimize: 2, cpu: 'all', defaultRel: false };
    const expected = row.long ? 'instruction not supported in 32-bit mode' : 'invalid operands in non-64-bit mode';
    for (const operands of combos(lists)) {
      const r = encodeInstruction({ mnemonic: row.mnemonic, prefixes: [], operands }, ctx);
      if (!r.ok && r.error === expected) return true;
    }
    return false;
  }
  for (const bits of [32, 16] as const) {
    const ctx: EncodeContext = {
      bits,
      segment: 0,
      offset: 0n,
      optimize: 2,
      cpu: row.pre386 ? '8086' : 'all',
      defaultRel: false,
    };
    for (const operands of combos(lists)) {
      if (chooseRow({ mnemonic: row.mnemonic, prefixes: [], operands }, ctx) === row) return true;
    }
  }
  return false;
}

describe('encoder: instruction table', () => {
  it('every row parses', () => {
    let n = 0;
    // The rows that throw, collected (an expect() per row of the table was most of this file's time).
    const failing: string[] = [];
    for (const raw of tableText().split('\n')) {
      const line = raw.replace(/;.*$/, '').trim();
      if (line === '') continue;
      try {
        parseRow(line);
      } catch (error) {
        failing.push(`${line}: ${String(error)}`);
      }
      n++;
    }
    expect(failing).toEqual([]);
    // (A row with a `*` operand also gives its shorter form, which has no line of its own.)
    expect(n).toBe(ALL_ROWS.filter((r) => r.full === null).length);
  });

  it('rejects malformed rows', () => {
    expect(() => parseRow('ADD rm32,bogus | 01 /r | 386')).toThrow(/unknown operand/);
    expect(() => parseRow('ADD rm32,r32 | 01 /q | 386')).toThrow(/unknown code/);
    expect(() => parseRow('ADD rm32,r32 | 01 /r | 999')).toThrow(/unknown flag/);
  });

  it('parses every row of the table text', () => {
    let rows = 0;
    const nameless: string[] = [];
    for (const raw of tableText().split('\n')) {
      const line = raw.replace(/;.*$/, '').trim();
      if (line === '') continue;
      if (parseRow(line).mnemonic.length === 0) nameless.push(line);
      rows++;
    }
    expect(nameless).toEqual([]);
    expect(rows).toBeGreaterThan(2000);
  });

  it('no row is shadowed by an earlier row (except `nd` aliases and `ne` rows)', () => {
    const exempt = (r: Row): boolean => /\b(nd|ne)\b/.test(r.source.split('|')[2] ?? '');
    const unreachable = ALL_ROWS.filter((r) => !exempt(r) && !reachable(r)).map((r) => r.source);
    expect(unreachable).toEqual([]);
  });

  it('`ne` rows (kept for the disassembler) are the ones no source reaches', () => {
    const ne = ALL_ROWS.filter((r) => /\bne\b/.test(r.source.split('|')[2] ?? ''));
    // VMOVSS/VMOVSD's register forms at opcode 11 (VEX and EVEX) and VMOVSH's, each with its `*` short form,
    // VEX VPEXTRW's r64 form at 0F 3A 15 and EVEX VPEXTRW's register form at 0F C5.
    expect(ne.length).toBe(12);
    expect(ne.filter(reachable).map((r) => r.source)).toEqual([]);
  });
});
