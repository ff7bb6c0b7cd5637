/** decodeFields: the --explain split, from the table-driven decoder. */
import { describe, expect, it } from 'vitest';
import { decodeFields } from '../../src/disasm/fields.js';

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));

describe('decodeFields', () => {
  it('names the reg field by the row operand class (movaps xmm1,[ebx+4] is 0F 28 4B 04)', () => {
    const d = decodeFields(bytes('0F 28 4B 04'), 32);
    expect(d.opcode).toEqual([0x0f, 0x28]);
    expect(d.modrm).toMatchObject({
      mod: 1,
      reg: 1,
      rm: 3,
      regMeaning: 'xmm1',
      rmMeaning: 'memory at [ebx + displacement]',
    });
    expect(d.fields.map((f) => f.kind)).toEqual(['opcode', 'modrm', 'displacement']);
  });
  it('says /digit for opcode extensions and gives every immediate its own field (enter 8,1)', () => {
    expect(decodeFields(bytes('83 C3 01'), 32, 'add').modrm?.regMeaning).toBe('/0: opcode extension selecting add');
    const enter = decodeFields(bytes('C8 08 00 01'), 16);
    expect(enter.fields.map((f) => [f.kind, f.description])).toEqual([
      ['opcode', 'opcode C8 (enter)'],
      ['immediate', 'imm16 = 8'],
      ['immediate', 'imm8 = 1'],
    ]);
  });
  it('takes FWAIT and legacy prefixes as prefix fields (fstsw ax = 9B DF E0)', () => {
    const d = decodeFields(bytes('9B DF E0'), 32);
    expect(d.prefixes).toEqual([0x9b]);
    expect(d.fields[0]?.description).toContain('FWAIT');
  });
  it('reports bytes no row decodes as one field', () => {
    const d = decodeFields(bytes('0F 04'), 32);
    expect(d.fields).toHaveLength(1);
    expect(d.fields[0]?.description).toContain('no form in the instruction table');
  });
});
