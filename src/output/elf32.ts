/**
 * `-f elf32` writer: serialises the object model as an i386 relocatable ELF
 * file laid out exactly as nasm 2.16.01 lays it out:
 *
 *   ELF header (52 bytes, padded to 64) · section header table ·
 *   each section's contents at the next 16-byte boundary, in header order:
 *   user sections, .shstrtab, .symtab, .strtab, then .rel<name> per section
 *   with relocations · file padded to 16.
 *
 * Symbol table: null, FILE (the input name as typed), one SECTION symbol per
 * section, then locals, then globals, each group in definition order. Strings
 * in .strtab follow definition order across both groups. References to
 * symbols defined in this file relocate against their section's symbol.
 */
import type { ObjectFile, ObjectSection, ObjectSymbol } from '../asm/object.js';
import {
  EI_NIDENT,
  ELF_HEADER,
  ELF_SIZES,
  EM_386,
  ET_REL,
  EV_CURRENT,
  R_386_16,
  R_386_32,
  R_386_8,
  R_386_GOT32,
  R_386_GOTOFF,
  R_386_GOTPC,
  R_386_PC16,
  R_386_PC32,
  R_386_PC8,
  R_386_PLT32,
  REL,
  SECTION_HEADER,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_TLS,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_NOTE,
  SHT_PROGBITS,
  SHT_REL,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  SYMBOL,
  StringTableBuilder,
  concatBytes,
  relocationInfo,
  symbolInfo,
  viewOf,
  writeIdent,
  writeStruct,
} from '../elf/index.js';
import { OutputWriteError, type OutputWriter } from '../asm/writer.js';

const SIZES = ELF_SIZES[32];
/** nasm pads the 52-byte ELF header to 64 before the section header table. */
const SECTION_TABLE_OFFSET = 64;

export class ElfWriteError extends OutputWriteError {}

interface SectionHeader {
  name: number;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
  contents: Uint8Array | null;
}

/** The i386 relocation type for a field; `wrt ..x` selects the PIC types (psABI, "Relocation Types"). */
function relocationType(size: number, relative: boolean, wrt: string | null): number {
  if (wrt !== null && wrt !== 'sym') {
    if (size !== 4)
      throw new ElfWriteError(`elf32 output format cannot make a ${size * 8}-bit \`wrt ..${wrt}' relocation`);
    switch (wrt) {
      case 'gotpc':
        return R_386_GOTPC;
      case 'gotoff':
        return R_386_GOTOFF;
      case 'got':
        return R_386_GOT32;
      case 'plt':
        return R_386_PLT32;
    }
  }
  switch (size) {
    case 4:
      return relative ? R_386_PC32 : R_386_32;
    case 2:
      return relative ? R_386_PC16 : R_386_16;
    case 1:
      return relative ? R_386_PC8 : R_386_8;
    default:
      throw new ElfWriteError('elf32 output format does not support 64-bit relocations');
  }
}

export function writeElf32(obj: ObjectFile): Uint8Array {
  const contents = obj.sections.reduce((sum, s) => sum + s.data.length, 0);
  if (obj.outputLimit !== undefined && contents > obj.outputLimit) {
    throw new ElfWriteError(
      `section contents total ${contents} bytes, over the output size limit of ${obj.outputLimit} bytes` +
        ` (raise it with --output-limit)`,
      true,
    );
  }
  const shstrtab = new StringTableBuilder();
  const strtab = new StringTableBuilder();
  const headers: SectionHeader[] = [
    { name: 0, type: 0, flags: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0, contents: null },
  ];

  // User sections: header index = position + 1.
  for (const s of obj.sections) headers.push(userSectionHeader(s, shstrtab.add(s.name)));

  // Symbol table. Strings are added in definition order (locals and globals mixed).
  const fileNameOffset = strtab.add(obj.sourceName);
  const stringOffsets = obj.symbols.map((sym) => strtab.add(sym.name));
  const locals = obj.symbols.map((s, i) => ({ s, i })).filter(({ s }) => s.binding === 'local');
  const globals = obj.symbols.map((s, i) => ({ s, i })).filter(({ s }) => s.binding === 'global');
  const firstSymbolIndex = 2 + obj.sections.length; // null, FILE, section symbols
  const symbolTableIndex = new Map<number, number>();
  [...locals, ...globals].forEach(({ i }, k) => symbolTableIndex.set(i, firstSymbolIndex + k));

  const symEntries: Uint8Array[] = [symbolEntry(0, 0, 0, 0, 0)];
  symEntries.push(symbolEntry(fileNameOffset, 0, 0, symbolInfo(STB_LOCAL, STT_FILE), SHN_ABS));
  obj.sections.forEach((_, i) => symEntries.push(symbolEntry(0, 0, 0, symbolInfo(STB_LOCAL, STT_SECTION), i + 1)));
  for (const { s, i } of [...locals, ...globals]) symEntries.push(objectSymbolEntry(s, stringOffsets[i]!));

  const shstrtabIndex = headers.length;
  const shstrtabName = shstrtab.add('.shstrtab');
  const symtabName = shstrtab.add('.symtab');
  const strtabName = shstrtab.add('.strtab');
  const symtabIndex = shstrtabIndex + 1;
  const strtabIndex = shstrtabIndex + 2;

  // Relocation sections, one per section that has relocations, named `.rel` + name.
  const relHeaders: SectionHeader[] = [];
  obj.sections.forEach((s, i) => {
    if (s.relocations.length === 0) return;
    const entries = s.relocations.map((r) => {
      const symbol =
        r.target.kind === 'absolute'
          ? 0
          : r.target.kind === 'section'
            ? 2 + r.target.sectionIndex
            : symbolTableIndex.get(r.target.symbolIndex)!;
      const entry = new Uint8Array(SIZES.rel);
      writeStruct(viewOf(entry), 0, REL[32], {
        r_offset: r.offset,
        r_info: relocationInfo(32, symbol, relocationType(r.size, r.relative, r.wrt)),
      });
      return entry;
    });
    const contents = concatBytes(entries);
    relHeaders.push({
      name: shstrtab.add('.rel' + s.name),
      type: SHT_REL,
      flags: 0,
      offset: 0,
      size: contents.length,
      link: symtabIndex,
      info: i + 1,
      align: 4,
      entsize: SIZES.rel,
      contents,
    });
  });

  const strtabBytes = strtab.bytes();
  const symtabBytes = concatBytes(symEntries);
  const shstrtabBytes = shstrtab.bytes();
  headers.push({
    name: shstrtabName,
    type: SHT_STRTAB,
    flags: 0,
    offset: 0,
    size: shstrtabBytes.length,
    link: 0,
    info: 0,
    align: 1,
    entsize: 0,
    contents: shstrtabBytes,
  });
  headers.push({
    name: symtabName,
    type: SHT_SYMTAB,
    flags: 0,
    offset: 0,
    size: symtabBytes.length,
    link: strtabIndex,
    info: firstSymbolIndex + locals.length,
    align: 4,
    entsize: SIZES.symbol,
    contents: symtabBytes,
  });
  headers.push({
    name: strtabName,
    type: SHT_STRTAB,
    flags: 0,
    offset: 0,
    size: strtabBytes.length,
    link: 0,
    info: 0,
    align: 1,
    entsize: 0,
    contents: strtabBytes,
  });
  headers.push(...relHeaders);

  // Layout: header (padded to 64), section headers, then contents at 16-byte boundaries.
  let cursor = SECTION_TABLE_OFFSET + headers.length * SIZES.sectionHeader;
  for (let i = 1; i < headers.length; i++) {
    const h = headers[i]!;
    cursor = alignUp(cursor, 16);
    h.offset = cursor;
    if (h.type !== SHT_NOBITS) cursor += h.contents ? h.contents.length : 0;
  }
  const out = new Uint8Array(alignUp(cursor, 16));
  const view = viewOf(out);
  writeIdent(out, 32);
  writeStruct(view, EI_NIDENT, ELF_HEADER[32], {
    e_type: ET_REL,
    e_machine: EM_386,
    e_version: EV_CURRENT,
    e_shoff: SECTION_TABLE_OFFSET,
    e_ehsize: SIZES.elfHeader,
    e_shentsize: SIZES.sectionHeader,
    e_shnum: headers.length,
    e_shstrndx: shstrtabIndex,
  });
  headers.forEach((h, i) => {
    writeStruct(view, SECTION_TABLE_OFFSET + i * SIZES.sectionHeader, SECTION_HEADER[32], {
      sh_name: h.name,
      sh_type: h.type,
      sh_flags: h.flags,
      sh_offset: h.offset,
      sh_size: h.size,
      sh_link: h.link,
      sh_info: h.info,
      sh_addralign: h.align,
      sh_entsize: h.entsize,
    });
    if (h.contents && h.type !== SHT_NOBITS) out.set(h.contents, h.offset);
  });
  return out;
}

function userSectionHeader(s: ObjectSection, name: number): SectionHeader {
  const a = s.attributes;
  const flags =
    (a.alloc ? SHF_ALLOC : 0) | (a.write ? SHF_WRITE : 0) | (a.exec ? SHF_EXECINSTR : 0) | (a.tls ? SHF_TLS : 0);
  const type = a.kind === 'nobits' ? SHT_NOBITS : a.kind === 'note' ? SHT_NOTE : SHT_PROGBITS;
  return {
    name,
    type,
    flags,
    offset: 0,
    size: s.size,
    link: 0,
    info: 0,
    align: a.align,
    entsize: 0,
    contents: a.kind === 'nobits' ? null : s.data,
  };
}

function symbolEntry(name: number, value: number, size: number, info: number, shndx: number): Uint8Array {
  const entry = new Uint8Array(SIZES.symbol);
  writeStruct(viewOf(entry), 0, SYMBOL[32], {
    st_name: name,
    st_value: value,
    st_size: size,
    st_info: info,
    st_shndx: shndx,
  });
  return entry;
}

function objectSymbolEntry(s: ObjectSymbol, name: number): Uint8Array {
  const binding = s.binding === 'global' ? STB_GLOBAL : STB_LOCAL;
  let shndx: number;
  if (s.section === 'abs') shndx = SHN_ABS;
  else if (s.section === 'undef') shndx = SHN_UNDEF;
  else if (s.section === 'common') shndx = SHN_COMMON;
  else shndx = s.section + 1;
  const type = s.type === 'function' ? STT_FUNC : s.type === 'object' ? STT_OBJECT : STT_NOTYPE;
  return symbolEntry(name, Number(BigInt.asUintN(32, s.value)), s.size, symbolInfo(binding, type), shndx);
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** The `-f elf32` writer (src/asm/writer.ts). */
export const elf32Writer: OutputWriter = { format: 'elf32', write: writeElf32 };
