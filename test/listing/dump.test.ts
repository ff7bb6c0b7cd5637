/** --dump=STAGE over the post's hello program. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/index.js';
import { DUMP_STAGES, dumpStage } from '../../src/listing/index.js';

const source = readFileSync(join(import.meta.dirname, '../../fixtures/hello.asm'), 'latin1');
const result = assemble(source, { fileName: 'hello.asm', format: 'elf32' });

describe('dumpStage on hello.asm', () => {
  it('tokens: lexes each line', () => {
    const tokens = JSON.parse(dumpStage(result, 'tokens', 'json', { sourceText: source })) as Array<{ line: number; tokens: Array<{ image: string }> }>;
    expect(tokens.find((l) => l.line === 15)?.tokens.map((t) => t.image)).toEqual(['mov', 'edx', ',', 'len']);
  });

  it('symbols and passes carry the final label values', () => {
    const symbols = JSON.parse(dumpStage(result, 'symbols', 'json')) as Array<{ name: string; value: string; section: string }>;
    expect(symbols.find((s) => s.name === 'len')).toMatchObject({ value: '12', section: 'abs' });
    expect(symbols.find((s) => s.name === '_start')).toMatchObject({ value: '0', section: '.text' });
    expect(dumpStage(result, 'passes', 'text')).toMatch(/^passes: \d+\n/);
  });

  it('sections and relocations describe the object', () => {
    const sections = JSON.parse(dumpStage(result, 'sections', 'json')) as Array<{ name: string; size: number }>;
    expect(sections.find((s) => s.name === '.text')?.size).toBe(0x22);
    const relocations = JSON.parse(dumpStage(result, 'relocations', 'json')) as Array<{ offset: number; type: string; target: string }>;
    expect(relocations).toEqual([{ section: '.text', offset: 6, type: 'R_386_32', target: '.data', addendInPlace: '0' }]);
  });

  it('every stage has a text form', () => {
    for (const stage of DUMP_STAGES) expect(dumpStage(result, stage, 'text', { sourceText: source }).length).toBeGreaterThan(10);
  });
});
