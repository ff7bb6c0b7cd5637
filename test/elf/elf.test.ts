/**
 * src/elf: structure sizes from the gABI, writers and readers agreeing in
 * both classes, and the reader on real objects (nasm's, cross-checked with
 * readelf when it is installed).
 */
import { spawnSync } from '../helpers/spawn.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EI_CLASS,
  ELF_HEADER,
  ELF_SIZES,
  EI_NIDENT,
  PROGRAM_HEADER,
  R_X86_64_NAMES,
  RELA,
  SECTION_HEADER,
  SHN_ABS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_NOTYPE,
  STT_SECTION,
  SYMBOL,
  StringTableBuilder,
  elfClassOf,
  hasElfMagic,
  readElfHeader,
  readRelocationSection,
  readSections,
  readStruct,
  readSymbols,
  relocationInfo,
  relocationSymbol,
  relocationType,
  viewOf,
  writeIdent,
  writeStruct,
  type ElfClass,
  type FieldSpec,
} from '../../src/elf/index.js';

const OBJ = join(import.meta.dirname, '../../fixtures/linker/obj');

describe('ELF structure layouts', () => {
  it('have the sizes the gABI gives for each class', () => {
    expect(ELF_SIZES[32]).toEqual({
      elfHeader: 52,
      programHeader: 32,
      sectionHeader: 40,
      symbol: 16,
      rel: 8,
      rela: 12,
    });
    expect(ELF_SIZES[64]).toEqual({
      elfHeader: 64,
      programHeader: 56,
      sectionHeader: 64,
      symbol: 24,
      rel: 16,
      rela: 24,
    });
  });

  const layouts: Array<[string, Record<ElfClass, readonly FieldSpec[]>]> = [
    ['ELF header', ELF_HEADER],
    ['program header', PROGRAM_HEADER],
    ['section header', SECTION_HEADER],
    ['symbol', SYMBOL],
    ['rela', RELA],
  ];
  for (const [what, layout] of layouts) {
    for (const cls of [32, 64] as const) {
      it(`${what} (ELF${cls}): what is written is read back, field by field, at distinct bytes`, () => {
        const fields = layout[cls];
        const values: Record<string, number> = {};
        fields.forEach((field, i) => {
          // Distinct values that fill each field's width (and a negative addend).
          values[field.name] = field.signed ? -(i + 2) : field.size === 1 ? 0x80 + i : 0x0102 * (i + 1);
        });
        const size = fields.reduce((n, f) => n + f.size, 0);
        const bytes = new Uint8Array(size + 8);
        writeStruct(viewOf(bytes), 4, fields, values);
        expect(readStruct(viewOf(bytes), 4, fields)).toEqual(values);
        expect(bytes.subarray(0, 4)).toEqual(new Uint8Array(4));
        expect(bytes.subarray(size + 4)).toEqual(new Uint8Array(4));
      });
    }
  }

  it('packs r_info per class', () => {
    expect(relocationInfo(32, 0x123, 2)).toBe(0x12302);
    expect(relocationInfo(64, 5, 4)).toBe(5 * 2 ** 32 + 4);
    expect([relocationSymbol(64, 5 * 2 ** 32 + 4), relocationType(64, 5 * 2 ** 32 + 4)]).toEqual([5, 4]);
    expect([relocationSymbol(32, 0x12302), relocationType(32, 0x12302)]).toEqual([0x123, 2]);
  });

  it('builds string tables with and without sharing', () => {
    const t = new StringTableBuilder();
    expect([t.intern('.text'), t.intern('.data'), t.intern('.text'), t.add('.text')]).toEqual([1, 7, 1, 13]);
    expect(new TextDecoder().decode(t.bytes())).toBe('\0.text\0.data\0.text\0');
  });
});

describe('the reader on real objects', () => {
  it('reads nasm -f elf64 hello64.o as readelf -SsW lists it', () => {
    const bytes = new Uint8Array(readFileSync(join(OBJ, 'hello64.o')));
    expect(hasElfMagic(bytes)).toBe(true);
    const cls = elfClassOf(bytes[EI_CLASS]);
    expect(cls).toBe(64);
    const header = readElfHeader(bytes, 64);
    expect(header.e_shoff).toBe(0x40);
    const sections = readSections(bytes, 64, header);
    expect(sections.map((s) => [s.name, s.offset, s.size, s.addralign, s.entsize])).toEqual([
      ['', 0, 0, 1, 0],
      ['.text', 0x180, 1, 16, 0],
      ['.shstrtab', 0x190, 0x21, 1, 0],
      ['.symtab', 0x1c0, 0x60, 8, 0x18],
      ['.strtab', 0x220, 0x14, 1, 0],
    ]);
    const symbols = readSymbols(bytes, 64, sections);
    expect(symbols.map((s) => [s.name, s.bind, s.type, s.shndx])).toEqual([
      ['', STB_LOCAL, STT_NOTYPE, 0],
      ['hello64.asm', STB_LOCAL, STT_FILE, SHN_ABS],
      ['', STB_LOCAL, STT_SECTION, 1],
      ['_start', STB_GLOBAL, STT_NOTYPE, 1],
    ]);
  });

  it('writes an ELF64 ident and header that read back', () => {
    const bytes = new Uint8Array(ELF_SIZES[64].elfHeader);
    writeIdent(bytes, 64);
    writeStruct(viewOf(bytes), EI_NIDENT, ELF_HEADER[64], { e_type: 1, e_machine: 62, e_shoff: 2 ** 40 });
    expect(elfClassOf(bytes[EI_CLASS])).toBe(64);
    expect(readElfHeader(bytes, 64)).toMatchObject({ e_type: 1, e_machine: 62, e_shoff: 2 ** 40 });
  });

  const tools = ['nasm', 'readelf'].filter((t) => spawnSync(t, ['--version']).status !== 0);
  if (tools.length > 0) console.warn(`${tools.join(', ')} not found: skipping the live RELA cross-check`);
  it.skipIf(tools.length > 0)('reads nasm -f elf64 RELA relocations as readelf -rW prints them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-elf-'));
    writeFileSync(
      join(dir, 'r.asm'),
      'extern ext\nglobal _start\n_start: call ext\nmov rax, [rel ext + 8]\nsection .data\ndq ext - 3\ndd _start\n',
    );
    expect(spawnSync('nasm', ['-f', 'elf64', 'r.asm', '-o', 'r.o'], { cwd: dir }).status).toBe(0);
    const bytes = new Uint8Array(readFileSync(join(dir, 'r.o')));
    const sections = readSections(bytes, 64, readElfHeader(bytes, 64));
    const symbols = readSymbols(bytes, 64, sections);
    const ours: string[] = [];
    for (const section of sections.filter((s) => s.name.startsWith('.rela'))) {
      for (const r of readRelocationSection(bytes, 64, section, sections.length, symbols.length)) {
        const symbol = symbols[r.symbolIndex]!;
        const name = symbol.type === STT_SECTION ? sections[symbol.shndx]!.name : symbol.name;
        const addend = r.addend ?? 0;
        ours.push(
          `${r.offset} ${R_X86_64_NAMES[r.type] ?? r.type} ${name} ${addend < 0 ? '-' : '+'} ${Math.abs(addend)}`,
        );
      }
    }
    const readelf = spawnSync('readelf', ['-rW', 'r.o'], { cwd: dir, encoding: 'utf8' }).stdout;
    const theirs = [
      ...readelf.matchAll(/^([0-9a-f]{16})\s+[0-9a-f]+\s+(R_X86_64_\w+)\s+[0-9a-f]+\s+(\S+) ([+-]) ([0-9a-f]+)$/gm),
    ].map((m) => `${Number.parseInt(m[1]!, 16)} ${m[2]!} ${m[3]!} ${m[4]!} ${Number.parseInt(m[5]!, 16)}`);
    expect(theirs.length).toBe(4);
    expect(ours).toEqual(theirs);
  });
});
