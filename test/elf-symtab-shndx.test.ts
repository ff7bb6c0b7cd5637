/**
 * ELF extended section indices in symbols, as nasm 2.16.01 writes them (measured on its output of
 * 65276 and 65280 sections; the realworld case nasm-test-mostsecs, 131072 sections, matches byte
 * for byte): from user section 0xff00 (SHN_LORESERVE) on, a symbol's st_shndx is SHN_XINDEX and
 * its index is the symbol's word in .symtab_shndx (SHT_SYMTAB_SHNDX after .strtab, linked to
 * .symtab, entsize 0, alignment 1; zero for the other symbols). Below that count there is none.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { link } from '../src/linker/index.js';
import { hasTool, ldReferenceArgs } from './linker/helpers.js';
import type { ObjectFile, ObjectSection, ObjectSymbol } from '../src/asm/object.js';
import { elfDefaultAttributes } from '../src/asm/sections.js';
import { readElfHeader, readSections, readSymbols } from '../src/elf/read.js';
import { EI_NIDENT } from '../src/elf/constants.js';
import { ELF_HEADER, ELF_SIZES, SECTION_HEADER, readStruct, viewOf } from '../src/elf/structures.js';
import { writeElf32 } from '../src/output/elf32.js';
import { writeElf64 } from '../src/output/elf64.js';

function objectWith(sectionCount: number): ObjectFile {
  const section = (i: number): ObjectSection => ({
    name: `.t${i}`,
    attributes: { ...elfDefaultAttributes(`.t${i}`), exec: true },
    data: new Uint8Array([0x90]),
    size: 1,
    relocations: [],
  });
  const label = (name: string, sectionIndex: number, binding: ObjectSymbol['binding']): ObjectSymbol => ({
    name,
    binding,
    section: sectionIndex,
    value: 0n,
    size: 0,
    type: 'notype',
    visibility: 'default',
    commonAlign: 0,
    referenced: false,
  });
  return {
    sourceName: 'x.asm',
    sections: Array.from({ length: sectionCount }, (_, i) => section(i)),
    symbols: [label('first', 0, 'local'), label('last', sectionCount - 1, 'global')],
    origin: 0n,
  };
}

/**
 * The file `write` makes of objectWith(count), made once: each takes about a second (65,000
 * sections), and the writer tests and the reader tests below look at the same files (read only).
 */
const writtenFiles = new Map<string, Uint8Array>();
function writtenWith(cls: 32 | 64, sectionCount: number): Uint8Array {
  const key = `${cls}:${sectionCount}`;
  let out = writtenFiles.get(key);
  if (out === undefined) {
    out = (cls === 32 ? writeElf32 : writeElf64)(objectWith(sectionCount));
    writtenFiles.set(key, out);
  }
  return out;
}

interface Header {
  name: number;
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
}

/** The raw section headers and the name table's index, read with the project's struct layouts (not readSections, which is under test below). */
function readHeaders(out: Uint8Array, cls: 32 | 64): { headers: Header[]; shstrndx: number } {
  const view = viewOf(out);
  const elf = readStruct(view, EI_NIDENT, ELF_HEADER[cls]);
  const header = (i: number): Header => {
    const h = readStruct(view, elf.e_shoff + i * ELF_SIZES[cls].sectionHeader, SECTION_HEADER[cls]);
    return {
      name: h.sh_name,
      type: h.sh_type,
      offset: h.sh_offset,
      size: h.sh_size,
      link: h.sh_link,
      info: h.sh_info,
      align: h.sh_addralign,
      entsize: h.sh_entsize,
    };
  };
  const zero = header(0);
  const count = elf.e_shnum === 0 ? zero.size : elf.e_shnum;
  return {
    headers: Array.from({ length: count }, (_, i) => header(i)),
    shstrndx: elf.e_shstrndx === 0xffff ? zero.link : elf.e_shstrndx,
  };
}

describe.each([32, 64] as const)('ELF%i .symtab_shndx', (cls) => {
  test('65279 sections: every index fits st_shndx, no .symtab_shndx', { timeout: 60_000 }, () => {
    const { headers } = readHeaders(writtenWith(cls, 65279), cls);
    expect(headers.some((h) => h.type === 18)).toBe(false);
  });

  test('65280 sections: SHN_XINDEX symbols and their indices in .symtab_shndx', { timeout: 60_000 }, () => {
    const out = writtenWith(cls, 65280);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const { headers, shstrndx } = readHeaders(out, cls);
    expect(shstrndx).toBe(65281); // user sections, then .shstrtab
    const symtabIndex = headers.findIndex((h) => h.type === 2);
    const shndxIndex = headers.findIndex((h) => h.type === 18);
    expect(symtabIndex).toBe(65282);
    expect(shndxIndex).toBe(65284); // after .strtab
    const symtab = headers[symtabIndex]!;
    const shndx = headers[shndxIndex]!;
    expect({ link: shndx.link, info: shndx.info, align: shndx.align, entsize: shndx.entsize }).toEqual({
      link: symtabIndex,
      info: 0,
      align: 1,
      entsize: 0,
    });
    const symbolCount = symtab.size / symtab.entsize;
    expect(shndx.size).toBe(symbolCount * 4);
    // Symbols: null, FILE, 65280 section symbols, `first` (local), `last` (global).
    expect(symbolCount).toBe(2 + 65280 + 2);
    const stShndx = (k: number): number =>
      view.getUint16(symtab.offset + k * symtab.entsize + (cls === 32 ? 14 : 6), true);
    const extended = (k: number): number => view.getUint32(shndx.offset + k * 4, true);
    const indexOf = (k: number): number => (stShndx(k) === 0xffff ? extended(k) : stShndx(k));
    // Every symbol is checked and the wrong ones collected: an expect() per symbol (200,000 of them) took seconds.
    const wrong: string[] = [];
    for (let k = 0; k < symbolCount; k++)
      if (stShndx(k) !== 0xffff && extended(k) !== 0)
        wrong.push(`symbol ${k}: .symtab_shndx word ${extended(k)}, want 0`);
    // Section symbol k stands for section k - 1: SHN_XINDEX exactly from section 0xff00 on.
    for (let k = 2; k < 2 + 65280; k++) {
      if (indexOf(k) !== k - 1) wrong.push(`symbol ${k}: section ${indexOf(k)}, want ${k - 1}`);
      if ((stShndx(k) === 0xffff) !== k - 1 >= 0xff00) wrong.push(`symbol ${k}: st_shndx ${stShndx(k)}`);
    }
    expect(wrong.slice(0, 20), `${wrong.length} symbols wrong`).toEqual([]);
    expect(indexOf(2 + 65279)).toBe(65280); // the last section's symbol
    expect(indexOf(2 + 65280)).toBe(1); // `first`
    expect(indexOf(2 + 65281)).toBe(65280); // `last`
    expect(stShndx(2 + 65281)).toBe(0xffff);
    const names = out.subarray(headers[shstrndx]!.offset);
    const nameAt = (at: number): string => new TextDecoder().decode(names.subarray(at, names.indexOf(0, at)));
    expect(nameAt(shndx.name)).toBe('.symtab_shndx');
  });
});

describe('the ELF reader (tsld, tsnasm --explain) on extended numbering', () => {
  test('e_shnum 0: the count from section 0, every section and symbol read', { timeout: 60_000 }, () => {
    const out = writtenWith(32, 65279);
    const sections = readSections(out, 32, readElfHeader(out, 32));
    expect(sections.length).toBe(65279 + 4); // null, user sections, .shstrtab, .symtab, .strtab
    expect(sections[65280]!.name).toBe('.shstrtab');
    const symbols = readSymbols(out, 32, sections);
    expect(symbols.find((s) => s.name === 'last')!.shndx).toBe(65279);
  });

  test('SHN_XINDEX symbols take their section index from .symtab_shndx', { timeout: 60_000 }, () => {
    const out = writtenWith(32, 65280);
    const sections = readSections(out, 32, readElfHeader(out, 32));
    expect(sections[65281]!.name).toBe('.shstrtab'); // e_shstrndx SHN_XINDEX: the index from section 0
    const symbols = readSymbols(out, 32, sections);
    const last = symbols.find((s) => s.name === 'last')!;
    expect(last.shndx).toBe(65280); // user section 65279 is ELF section 65280, past SHN_LORESERVE
    expect(sections[last.shndx]!.name).toBe('.t65279');
    expect(last.extendedIndex).toBe(true);
    expect(symbols.find((s) => s.name === 'first')!.extendedIndex).toBeUndefined();
  });
});

describe('tsld on an object with extended section indices', () => {
  /**
   * 65,290 one-byte code sections and a .text that calls a label in the last-but-four of them
   * (a local symbol: the relocation names its section symbol, SHN_XINDEX) and loads the address of
   * the last one (a global symbol, SHN_XINDEX too).
   */
  function bigObject(): Uint8Array {
    const object = objectWith(65290);
    const text: ObjectSection = {
      name: '.text',
      attributes: { ...elfDefaultAttributes('.text'), exec: true },
      // call rel32; mov ebx, imm32
      data: new Uint8Array([0xe8, 0xfc, 0xff, 0xff, 0xff, 0xbb, 0, 0, 0, 0]),
      size: 10,
      relocations: [
        { offset: 1, size: 4, relative: true, target: { kind: 'section', sectionIndex: 65285 }, wrt: null },
        { offset: 6, size: 4, relative: false, target: { kind: 'symbol', symbolIndex: 1 }, wrt: null },
      ],
    };
    object.sections.push(text);
    object.symbols.push({ ...object.symbols[1]!, name: '_start', section: 65290 });
    return writeElf32(object);
  }

  test(
    'relocations against SHN_XINDEX symbols reach their sections; extended numbering in the output',
    { timeout: 120_000 },
    () => {
      const result = link([{ name: 'big.o', data: bigObject() }]);
      expect(result.diagnostics).toEqual([]);
      const out = result.output!;
      const { headers, shstrndx } = readHeaders(out, 32);
      expect(headers.length).toBe(65290 + 3); // null, the 65,290 sections, .text, .shstrtab
      const elf = readStruct(viewOf(out), EI_NIDENT, ELF_HEADER[32]);
      expect(elf.e_shnum).toBe(0);
      expect(elf.e_shstrndx).toBe(0xffff);
      expect(shstrndx).toBe(headers.length - 1);
      const sections = readSections(out, 32, readElfHeader(out, 32));
      const address = (name: string): number =>
        readStruct(
          viewOf(out),
          elf.e_shoff + sections.findIndex((s) => s.name === name) * ELF_SIZES[32].sectionHeader,
          SECTION_HEADER[32],
        ).sh_addr;
      const textAt = address('.text');
      const fileOffset = sections.find((s) => s.name === '.text')!.offset;
      const view = viewOf(out);
      expect(view.getInt32(fileOffset + 1, true)).toBe(address('.t65285') - (textAt + 5));
      expect(view.getUint32(fileOffset + 6, true)).toBe(address('.t65289'));
    },
  );

  test.skipIf(!hasTool('ld') || !hasTool('strip'))(
    'identical to ld -z noseparate-code + strip (skipped without binutils)',
    { timeout: 120_000 },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'xindex-'));
      writeFileSync(join(dir, 'big.o'), bigObject());
      const ld = spawnSync('ld', [...ldReferenceArgs('elf_i386'), '-o', join(dir, 'ld.out'), join(dir, 'big.o')], {
        encoding: 'utf8',
      });
      expect(ld.stderr).toBe('');
      expect(spawnSync('strip', ['-o', join(dir, 'ld.strip'), join(dir, 'ld.out')]).status).toBe(0);
      const result = link([{ name: 'big.o', data: bigObject() }]);
      expect(Buffer.from(result.output!).equals(readFileSync(join(dir, 'ld.strip')))).toBe(true);
    },
  );
});
