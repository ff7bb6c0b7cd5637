/**
 * LOCK on the ALU operations: nasm 2.16.01 accepts it on ADD…XOR with a memory destination and
 * warns "instruction is not lockable" on CMP, which only reads its destination (measured:
 * `lock cmp [eax],ebx` → F0 39 18 with the warning; `lock add [eax],ebx` → F0 01 18, silent).
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/index.js';

function run(line: string) {
  const result = assemble(`bits 32\n${line}\n`, { fileName: 'l.asm', format: 'bin' });
  return {
    hex: Array.from(result.output ?? [], (b) => b.toString(16).padStart(2, '0')).join(' '),
    warnings: result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message),
  };
}

describe('LOCK on ALU operations', () => {
  it('lock cmp is encoded and warned about, as nasm does', () => {
    expect(run('lock cmp [eax],ebx')).toEqual({ hex: 'f0 39 18', warnings: ['instruction is not lockable'] });
    expect(run('lock cmp dword [eax],5').warnings).toEqual(['instruction is not lockable']);
  });

  it('lock add, sub, xor with a memory destination are silent', () => {
    expect(run('lock add [eax],ebx')).toEqual({ hex: 'f0 01 18', warnings: [] });
    expect(run('lock sub dword [eax],5').warnings).toEqual([]);
    expect(run('lock xor byte [eax],1').warnings).toEqual([]);
  });
});
