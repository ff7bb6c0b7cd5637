/**
 * `nosplit` on a lone register written `*1`: nasm 2.16.01 keeps it an index
 * (SIB, no base, disp32), but not a register whose low bits name esp (r12),
 * and not without `nosplit` (bytes measured with nasm; the disassembler's
 * `[nosplit edi*1-0x10]` spelling relies on it to give MPX addresses back).
 */
import { describe, expect, it } from 'vitest';
import { assembleLines } from './evex-helpers.js';

describe('nosplit keeps a reg*1 index', () => {
  it('BITS 32', () => {
    const lines = [
      'mov eax,[nosplit edi*1]',
      'mov eax,[edi*1]',
      'mov eax,[nosplit edi]',
      'mov eax,[nosplit edi*1+esi]',
      'bndldx bnd3,[nosplit edi*1-0x99ecbe]',
      'bndstx [nosplit edi*1-0x10],bnd0',
    ];
    expect(assembleLines(32, lines)).toEqual([
      '8B043D00000000',
      '8B07',
      '8B07',
      '8B043E',
      '0F1A1C3D421366FF',
      '0F1B043DF0FFFFFF',
    ]);
  });
  it('BITS 64', () => {
    const lines = ['mov eax,[nosplit rdi*1]', 'mov eax,[nosplit r12*1]', 'mov eax,[nosplit rsp*1]'];
    expect(assembleLines(64, lines)).toEqual(['8B043D00000000', '418B0424', '8B0424']);
  });
});
