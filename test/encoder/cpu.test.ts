/**
 * The `cpu` directive's state (src/encoder/cpu.ts): a level and NASM 2.16.01's
 * vex/evex/latevex switches, as measured (the golden cases cpu-latevex64 and
 * err-cpu-encoding-switches check the bytes and messages against nasm).
 */
import { describe, expect, it } from 'vitest';
import { applyCpuDirective, cpuState } from '../../src/encoder/cpu.js';
import { encodeInstruction } from '../../src/encoder/index.js';
import { ALL_REGISTERS } from '../../src/encoder/registers.js';
import type { EncodeContext, Operand } from '../../src/encoder/types.js';

const apply = (from: string, ...directives: string[]): string =>
  directives.reduce((cpu, d) => {
    const { cpu: next, error } = applyCpuDirective(cpu, d);
    expect(error).toBeNull();
    return next;
  }, from);

function reg(name: string): Operand {
  const r = ALL_REGISTERS.find((x) => x.name === name);
  if (!r) throw new Error(name);
  return { kind: 'reg', reg: r, size: null };
}

function encodeWith(cpu: string, mnemonic: string, names: string[], prefixes: string[] = []): string {
  const ctx: EncodeContext = { bits: 64, segment: 0, offset: 0n, optimize: 2, cpu, defaultRel: false };
  const r = encodeInstruction({ mnemonic, prefixes, operands: names.map(reg) }, ctx);
  return r.ok ? Buffer.from(r.bytes).toString('hex') : r.error;
}

describe('encoder: cpu directive switches', () => {
  it('keeps a level and the switches that differ from the defaults', () => {
    expect(apply('all', 'latevex')).toBe('all latevex');
    expect(apply('all', 'novex', 'latevex')).toBe('all latevex novex');
    expect(apply('all', 'evex,novex,latevex')).toBe('all latevex novex');
    expect(apply('all', 'novex noevex')).toBe('all noevex novex');
    expect(apply('all', 'latevex', '-latevex')).toBe('all');
    expect(apply('all', 'latevex', 'nolatevex')).toBe('all');
    expect(apply('all', '+latevex', '686')).toBe('686');
    expect(apply('all', 'novex', 'default')).toBe('default');
    expect(apply('default', 'any')).toBe('any latevex');
    expect(apply('all', '386', 'no386')).toBe('386');
    expect(apply('all', ' ,  LateVex ')).toBe('all latevex');
    expect(cpuState('686 latevex novex')).toEqual({ level: 6, vex: false, evex: true, latevex: true });
  });

  it('names an unknown word without its modifier and `no`, and keeps the state', () => {
    expect(applyCpuDirective('686', 'nofoo')).toEqual({ cpu: '686', error: "unknown CPU type or flag 'foo'" });
    expect(applyCpuDirective('686', '-Core2').error).toBe("unknown CPU type or flag 'Core2'");
    expect(applyCpuDirective('686', 'latevex,bar').cpu).toBe('686');
  });

  it('chooses the encoding the switches allow', () => {
    const ymm = ['ymm3', 'ymm1', 'ymm2'];
    expect(encodeWith('all', 'vpmadd52luq', ymm)).toBe('62f2f528b4da');
    expect(encodeWith('all latevex', 'vpmadd52luq', ymm)).toBe('c4e2f5b4da');
    expect(encodeWith('all latevex novex', 'vpmadd52luq', ymm)).toBe('62f2f528b4da');
    expect(encodeWith('all noevex', 'vpmadd52luq', ymm)).toBe('c4e2f5b4da');
    expect(encodeWith('all novex', 'vaddps', ymm)).toBe('62f1742858da');
    expect(encodeWith('all novex', 'vaddps', ymm, ['{vex}'])).toBe('c5f458da');
    expect(encodeWith('all noevex novex', 'vaddps', ymm)).toBe('instruction not encodable without explicit prefix');
    expect(encodeWith('386', 'vpmadd52luq', ymm)).toBe('instruction not encodable without explicit prefix');
    expect(encodeWith('386 latevex', 'vpmadd52luq', ymm)).toBe('no instruction for this cpu level');
  });
});
