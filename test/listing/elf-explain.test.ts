/** tsld --explain: the annotated ELF header dump, on ld's own hello executable. */
import { execFileSync } from '../helpers/spawn.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeElf, ElfExplainError, explainElf } from '../../src/listing/index.js';

const executable = new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/linker/golden/hello')));
const text = explainElf(executable);

function hasReadelf(): boolean {
  try {
    execFileSync('readelf', ['--version']);
    return true;
  } catch {
    return false;
  }
}
const readelfPresent = hasReadelf();
if (!readelfPresent) console.warn('readelf not found: skipping the readelf cross-check of explainElf');

describe('explainElf', () => {
  it('names the ELF header fields with values read from the file', () => {
    const view = new DataView(executable.buffer, executable.byteOffset);
    const entry = view.getUint32(24, true);
    expect(text).toMatch(/^00000010 {2}02 00 +e_type +0x2 +ET_EXEC/m);
    expect(text).toMatch(/e_machine +0x3 +EM_386/);
    expect(text).toContain(`e_entry       0x${entry.toString(16)}`);
    expect(text.match(/^program header \d+/gm)?.length).toBe(view.getUint16(44, true));
    expect(text.match(/^section header \d+/gm)?.length).toBe(view.getUint16(48, true));
  });

  it('resolves section names and flags', () => {
    expect(text).toMatch(/section header \d+ "\.text"/);
    expect(text).toMatch(/sh_flags +0x6 +SHF_ALLOC \| SHF_EXECINSTR/);
    expect(text).toMatch(/p_flags +0x5 +PF_R \(read\) \| PF_X \(execute\)/);
  });

  it.skipIf(!readelfPresent)('agrees with readelf on the entry point and the LOAD segments', () => {
    const readelf = execFileSync(
      'readelf',
      ['-h', '-l', '-W', join(import.meta.dirname, '../../fixtures/linker/golden/hello')],
      { encoding: 'utf8' },
    );
    const entry = /Entry point address:\s+(0x[0-9a-f]+)/.exec(readelf)![1]!;
    expect(text).toContain(`e_entry       ${entry}`);
    const loads = [...readelf.matchAll(/LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)/g)].map((m) => Number.parseInt(m[2]!, 16));
    for (const vaddr of loads) expect(text).toContain(`p_vaddr       0x${vaddr.toString(16)} `);
  });

  it('rejects non-ELF, 64-bit and truncated input with a message, not a crash', () => {
    expect(() => explainElf(new Uint8Array([1, 2, 3]))).toThrow(ElfExplainError);
    const elf64 = executable.slice();
    elf64[4] = 2;
    expect(() => explainElf(elf64)).toThrow(/32-bit/);
    const truncated = executable.slice(0, 60);
    expect(explainElf(truncated)).toContain('truncated');
  });

  it('explains an object file too (ET_REL, REL section)', () => {
    const objectPath = join(import.meta.dirname, '../../fixtures/hello.o');
    if (!existsSync(objectPath)) return;
    const objectText = explainElf(new Uint8Array(readFileSync(objectPath)));
    expect(objectText).toContain('ET_REL');
    expect(objectText).toMatch(/"\.rel\.text"[\s\S]*SHT_REL /);
  });

  it('accounts for every byte of the file exactly once (headers, section contents, padding)', () => {
    const regions = describeElf(executable);
    const covered = new Uint8Array(executable.length);
    for (const region of regions)
      for (const row of region.rows) for (let i = row.offset; i < row.offset + row.size; i++) covered[i]!++;
    expect([...covered].every((n) => n === 1)).toBe(true);
  });

  it('shows the code at the entry point and the data', () => {
    const regions = describeElf(executable);
    const entry = new DataView(executable.buffer, executable.byteOffset).getUint32(24, true);
    const code = regions.find((r) => r.title.startsWith('contents') && r.title.includes('".text"'));
    expect(code?.rows[0]?.name).toBe('code');
    expect(code?.rows[0]?.meaning).toContain(`address 0x${entry.toString(16)}`);
    const data = regions.find((r) => r.title.startsWith('contents') && r.title.includes('".data"'));
    expect(data?.rows.map((row) => row.meaning).join('')).toContain('Hello');
    const names = regions.find((r) => r.title.startsWith('contents') && r.title.includes('".shstrtab"'));
    expect(names?.rows.map((row) => row.value)).toEqual(['""', '".shstrtab"', '".text"', '".data"']);
  });

  it('names the symbols and strings of an object file', () => {
    const regions = describeElf(new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/hello.o'))));
    const symtab = regions.find((r) => r.title.startsWith('contents') && r.title.includes('".symtab"'));
    const start = symtab?.rows.find((row) => row.value === '_start');
    expect(start?.meaning).toMatch(/^value 0x0, size 0, STB_GLOBAL STT_NOTYPE, section \d+ \.text$/);
    expect(symtab?.rows[0]?.value).toBe('""');
    const strtab = regions.find((r) => r.title.startsWith('contents') && r.title.includes('".strtab"'));
    expect(strtab?.rows.map((row) => row.value)).toContain('"_start"');
  });

  it('lists the relocations of an object file by type', () => {
    const objectPath = join(import.meta.dirname, '../../fixtures/hello.o');
    const rel = describeElf(new Uint8Array(readFileSync(objectPath))).find(
      (r) => r.title.includes('".rel.text"') && r.title.startsWith('contents'),
    );
    expect(rel?.rows[0]?.meaning).toMatch(/^R_386_32 against symbol \d+, at offset 0x6 /);
  });

  it('colours only on request', () => {
    expect(text).not.toContain('\u001b[');
    const coloured = explainElf(executable, { colour: true });
    expect(coloured).toContain('\u001b[');
    const ansiColour = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');
    expect(coloured.replace(ansiColour, '')).toBe(text);
  });
});
