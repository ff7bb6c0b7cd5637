/** --dump=STAGE over the post's hello program. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/library/assemble.js';
import { DUMP_STAGES, dumpStage, passTable } from '../../src/listing/index.js';

const source = readFileSync(join(import.meta.dirname, '../../fixtures/hello.asm'), 'latin1');
const result = assemble(source, { fileName: 'hello.asm', format: 'elf32' });

describe('dumpStage on hello.asm', () => {
  it('tokens: lexes each line', () => {
    const tokens = JSON.parse(dumpStage(result, 'tokens', 'json', { sourceText: source })) as Array<{
      line: number;
      tokens: Array<{ image: string }>;
    }>;
    expect(tokens.find((l) => l.line === 15)?.tokens.map((t) => t.image)).toEqual(['mov', 'edx', ',', 'len']);
  });

  it('symbols and passes carry the final label values', () => {
    const symbols = JSON.parse(dumpStage(result, 'symbols', 'json')) as Array<{
      name: string;
      value: string;
      section: string;
    }>;
    expect(symbols.find((s) => s.name === 'len')).toMatchObject({ value: '12', section: 'abs' });
    expect(symbols.find((s) => s.name === '_start')).toMatchObject({ value: '0', section: '.text' });
    expect(dumpStage(result, 'passes', 'text')).toMatch(/^passes: \d+\n/);
  });

  it('sections and relocations describe the object', () => {
    const sections = JSON.parse(dumpStage(result, 'sections', 'json')) as Array<{ name: string; size: number }>;
    expect(sections.find((s) => s.name === '.text')?.size).toBe(0x22);
    const relocations = JSON.parse(dumpStage(result, 'relocations', 'json')) as Array<{
      offset: number;
      type: string;
      target: string;
    }>;
    expect(relocations).toEqual([
      { section: '.text', offset: 6, type: 'R_386_32', target: '.data', addendInPlace: '0' },
    ]);
  });

  it('every stage has a text form', () => {
    for (const stage of DUMP_STAGES)
      expect(dumpStage(result, stage, 'text', { sourceText: source }).length).toBeGreaterThan(10);
  });
});

describe('--dump=passes: label values and sizes until they settle', () => {
  // `k` is defined after its use, so pass 1 gives `[ebx + k]` a 32-bit
  // displacement (6 bytes); the backward `jmp top` is then 130 bytes away and
  // takes the near form (5 bytes). Pass 2 knows k = 4 (disp8, 3 bytes): the
  // jump is 127 bytes away and shrinks to the short form, moving `after` back
  // by 6. nasm 2.16.01 lists 8B4304 at 0 and EB81 at 7D for it.
  const source =
    'bits 32\nsection .text\ntop:    mov eax, [ebx + k]\n        times 122 nop\n        jmp top\nafter:  ret\nk equ 4\n';
  const shrinking = assemble(source, { fileName: 's.asm', format: 'elf32', recordPasses: true });

  it("records every pass, ending with nasm's bytes", () => {
    expect(shrinking.errorCount).toBe(0);
    expect(shrinking.stages!.passLog!.length).toBe(shrinking.stages!.passes!.passes);
    const jump = shrinking.stages!.emissions.find((e) => e.location.line === 5)!;
    expect([jump.offset, ...jump.bytes]).toEqual([0x7d, 0xeb, 0x81]);
  });

  it('shows the jump shrinking from 5 to 2 bytes and the label after it moving from 0x85 to 0x7F', () => {
    const table = passTable(shrinking, source)!;
    const jump = table.rows.find((r) => r.line === 5)!;
    expect(jump.source).toBe('jmp top');
    expect(jump.passes.map((p) => p.size)).toEqual([5, ...jump.passes.slice(1).map(() => 2)]);
    expect(jump.passes[0]!.offset).toBe(0x80);
    expect(jump.moved).toBe(true);
    const after = table.labels.find((l) => l.name === 'after')!;
    expect(after.values[0]).toEqual({ space: '.text', value: 0x85 });
    expect(after.values[after.values.length - 1]).toEqual({ space: '.text', value: 0x7f });
    expect(table.labels.find((l) => l.name === 'top')!.moved).toBe(false);
    const nops = table.rows.find((r) => r.line === 4)!;
    expect(nops.passes.every((p) => p.size === 122)).toBe(true);
  });

  it('prints the passes as a table with changes starred, and as JSON', () => {
    const text = dumpStage(shrinking, 'passes', 'text', { sourceText: source });
    expect(text).toMatch(/^passes: \d+/);
    expect(text).toMatch(/^after +\.text:85 +\.text:7F\*/m);
    expect(text).toMatch(/^5 +jmp top +80\+5 +7D\+2\*/m);
    const json = JSON.parse(dumpStage(shrinking, 'passes', 'json', { sourceText: source })) as {
      rows: Array<{ line: number; passes: Array<{ size: number }> }>;
    };
    expect(
      json.rows
        .find((r) => r.line === 5)
        ?.passes.map((p) => p.size)
        .slice(0, 2),
    ).toEqual([5, 2]);
  });

  it('says how to get the log when it was not recorded', () => {
    expect(dumpStage(result, 'passes', 'text')).toContain('recordPasses');
  });
});
