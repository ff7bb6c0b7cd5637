/**
 * Snapshots of the teaching views on whole programs (the post's hello, a
 * macro program, a program whose jump shrinks between passes), plus
 * assertions on the fields a learner reads, so a snapshot change is never
 * the only thing that catches a wrong decoding. Update the snapshots with
 * `npx vitest run test/listing -u` after checking the change is intended.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/library/assemble.js';
import { DUMP_STAGES, dumpStage, explain, explainElf, formatExplain, renderListing } from '../../src/listing/index.js';

const root = join(import.meta.dirname, '../..');
const snapshot = (name: string): string => join(import.meta.dirname, '__snapshots__', name);

const helloSource = readFileSync(join(root, 'fixtures/hello.asm'), 'latin1');
const hello = assemble(helloSource, { fileName: 'hello.asm', format: 'elf32', recordPasses: true });

const macroSource = [
  '%macro load 2',
  '    mov %1, %2',
  '%endmacro',
  '%macro frame 0',
  '    push ebp',
  '    mov ebp, esp',
  '    load eax, [ebp+8]',
  '%endmacro',
  'bits 32',
  'section .text',
  'f:  frame',
  '%rep 2',
  '    inc eax',
  '%endrep',
  '    ret',
  '',
].join('\n');
const macros = assemble(macroSource, { fileName: 'm.asm', format: 'elf32' });

describe('snapshots: hello.asm', () => {
  it('--explain', async () => {
    const text = formatExplain(explain(hello, { sourceText: helloSource, format: 'elf32' }), { colour: false });
    expect(text).toContain('B8 04 00 00 00');
    await expect(text).toMatchFileSnapshot(snapshot('hello.explain.txt'));
  });

  it('--dump for every stage', async () => {
    // `passes` is left out: its pass count follows the optimiser; test/listing/dump.test.ts checks it on a purpose-made program.
    for (const stage of DUMP_STAGES.filter((s) => s !== 'passes')) {
      await expect(dumpStage(hello, stage, 'text', { sourceText: helloSource })).toMatchFileSnapshot(
        snapshot(`hello.dump-${stage}.txt`),
      );
    }
  });

  it('-l is identical to the golden nasm listing of the same source', () => {
    const golden = readFileSync(join(root, 'fixtures/golden/hello/expected.lst'), 'latin1');
    const source = readFileSync(join(root, 'fixtures/golden/hello/source.asm'), 'latin1');
    expect(
      renderListing(assemble(source, { fileName: 'source.asm', format: 'elf32' }), source, { fileName: 'source.asm' }),
    ).toBe(golden);
  });

  it('tsld --explain of the linked executable', async () => {
    const text = explainElf(new Uint8Array(readFileSync(join(root, 'fixtures/linker/golden/hello'))));
    expect(text).toMatch(/^00000018 {2}a0 80 04 08 +e_entry +0x80480a0 /m);
    await expect(text).toMatchFileSnapshot(snapshot('hello.tsld-explain.txt'));
  });
});

describe('snapshots: lines made by macros and %rep', () => {
  const lines = explain(macros, { sourceText: macroSource, format: 'elf32' });

  it('takes the macro-made mov eax, [ebp+8] apart and names the chain of expansions', () => {
    const mov = lines.find((l) => l.hex === '8B 45 08')!;
    expect(mov.line).toBe(11);
    expect(mov.macroChain).toEqual([
      { macro: 'frame', file: 'm.asm', line: 7 },
      { macro: 'load', file: 'm.asm', line: 2 },
    ]);
    expect(mov.bodyText).toBe('mov %1, %2');
    expect(mov.decoded?.modrm).toMatchObject({ mod: 1, reg: 0, rm: 5, regMeaning: 'eax' });
    expect(mov.decoded?.displacement).toEqual({ at: 2, size: 1, value: 8n });
    const inc = lines.filter((l) => l.hex === '40');
    expect(inc.map((l) => [l.bodyText, l.macroChain.length])).toEqual([
      ['inc eax', 0],
      ['inc eax', 0],
    ]);
  });

  it('formats the chain and colours only on request', async () => {
    const plain = formatExplain(lines, { colour: false });
    expect(plain).toContain('from macro frame (m.asm:7) -> macro load (m.asm:2): mov %1, %2');
    expect(plain).not.toContain('\u001b[');
    expect(formatExplain(lines, { colour: true })).toContain('\u001b[');
    await expect(plain).toMatchFileSnapshot(snapshot('macros.explain.txt'));
  });

  it('lists macro levels as nasm does', async () => {
    const listing = renderListing(macros, macroSource, { fileName: 'm.asm' });
    // Checked against nasm 2.16.01's listing of the same source.
    expect(listing).toContain('     2 00000003 8B4508              <2>  mov %1, %2');
    expect(listing).toContain('    11                              <1> f: \n');
    await expect(listing).toMatchFileSnapshot(snapshot('macros.lst'));
    // nasm -Lm: the nested call is shown at its own level.
    expect(renderListing(macros, macroSource, { fileName: 'm.asm', macroCalls: true })).toContain(
      '     7                              <1>  load eax, [ebp+8]\n     7                              <1>  ;;; [macro] load {eax},{[ebp+8]}\n',
    );
  });
});
