/**
 * `tsld --explain`: an annotated hex dump of an ELF32 (i386) or ELF64
 * (x86-64) file naming
 * every ELF header, program header and section header field with its value
 * and meaning. Field layouts and constants are from the System V ABI (gABI)
 * and its i386 and x86-64 supplements. The two classes share field names;
 * ELF64 widens addresses, offsets and sizes to 8 bytes and moves p_flags.
 */

import { Chalk } from 'chalk';
import {
  EI_ABIVERSION,
  EI_CLASS,
  EI_DATA,
  EI_NIDENT,
  EI_OSABI,
  EI_VERSION,
  ELFOSABI_LINUX,
  ELFOSABI_SYSV,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELF_HEADER,
  ELF_SIZES,
  EM_386,
  EM_ARM,
  EM_X86_64,
  ET_CORE,
  ET_DYN,
  ET_EXEC,
  ET_NONE,
  ET_REL,
  EV_CURRENT,
  PF_R,
  PF_W,
  PF_X,
  PROGRAM_HEADER,
  PT_DYNAMIC,
  PT_GNU_EH_FRAME,
  PT_GNU_PROPERTY,
  PT_GNU_RELRO,
  PT_GNU_STACK,
  PT_INTERP,
  PT_LOAD,
  PT_NOTE,
  PT_NULL,
  PT_PHDR,
  PT_SHLIB,
  PT_TLS,
  REL,
  SECTION_HEADER,
  SYMBOL,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_GROUP,
  SHF_INFO_LINK,
  SHF_MERGE,
  SHF_STRINGS,
  SHF_TLS,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_DYNAMIC,
  SHT_DYNSYM,
  SHT_FINI_ARRAY,
  SHT_GNU_HASH,
  SHT_GNU_VERNEED,
  SHT_GNU_VERSYM,
  SHT_GROUP,
  SHT_HASH,
  SHT_INIT_ARRAY,
  SHT_NOBITS,
  SHT_NOTE,
  SHT_NULL,
  SHT_PROGBITS,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_COMMON,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  hasElfMagic,
  readField,
  readStruct,
  relocationNames,
  relocationSymbol,
  relocationType,
  symbolBind,
  symbolType,
  viewOf,
  type ElfClass,
  type ElfHeaderField,
  type FieldSpec,
  type ProgramHeaderField,
  type SectionHeaderField,
} from '../elf/index.js';

/** Thrown for input that is not a readable little-endian ELF32 or ELF64 file. */
export class ElfExplainError extends Error {}

interface Context {
  sectionNames: (nameOffset: number) => string;
  /** e_machine, for the machine-specific meanings. */
  machine: number;
}

/** What a field's value means, in words. */
type Meaning = (value: number, context: Context) => string;

const ET: Record<number, string> = {
  [ET_NONE]: 'ET_NONE',
  [ET_REL]: 'ET_REL (relocatable object)',
  [ET_EXEC]: 'ET_EXEC (executable)',
  [ET_DYN]: 'ET_DYN (shared object / PIE)',
  [ET_CORE]: 'ET_CORE',
};
const EM: Record<number, string> = {
  [EM_386]: 'EM_386 (Intel 80386)',
  [EM_X86_64]: 'EM_X86_64 (AMD x86-64)',
  [EM_ARM]: 'EM_ARM',
};
const PT: Record<number, string> = {
  [PT_NULL]: 'PT_NULL (unused)',
  [PT_LOAD]: 'PT_LOAD (map this part of the file into memory)',
  [PT_DYNAMIC]: 'PT_DYNAMIC',
  [PT_INTERP]: 'PT_INTERP (program interpreter path)',
  [PT_NOTE]: 'PT_NOTE',
  [PT_SHLIB]: 'PT_SHLIB',
  [PT_PHDR]: 'PT_PHDR (the program header table itself)',
  [PT_TLS]: 'PT_TLS',
  [PT_GNU_EH_FRAME]: 'PT_GNU_EH_FRAME',
  [PT_GNU_STACK]: 'PT_GNU_STACK (stack permissions)',
  [PT_GNU_RELRO]: 'PT_GNU_RELRO',
  [PT_GNU_PROPERTY]: 'PT_GNU_PROPERTY',
};
const SHT: Record<number, string> = {
  [SHT_NULL]: 'SHT_NULL (inactive)',
  [SHT_PROGBITS]: 'SHT_PROGBITS (contents from the file)',
  [SHT_SYMTAB]: 'SHT_SYMTAB (symbol table)',
  [SHT_STRTAB]: 'SHT_STRTAB (string table)',
  [SHT_RELA]: 'SHT_RELA',
  [SHT_HASH]: 'SHT_HASH',
  [SHT_DYNAMIC]: 'SHT_DYNAMIC',
  [SHT_NOTE]: 'SHT_NOTE',
  [SHT_NOBITS]: 'SHT_NOBITS (occupies memory, no file space: .bss)',
  [SHT_REL]: 'SHT_REL (relocations without addends)',
  [SHT_DYNSYM]: 'SHT_DYNSYM',
  [SHT_INIT_ARRAY]: 'SHT_INIT_ARRAY',
  [SHT_FINI_ARRAY]: 'SHT_FINI_ARRAY',
  [SHT_GROUP]: 'SHT_GROUP',
  [SHT_GNU_HASH]: 'SHT_GNU_HASH',
  [SHT_GNU_VERNEED]: 'SHT_GNU_verneed',
  [SHT_GNU_VERSYM]: 'SHT_GNU_versym',
};

function flagList(value: number, names: Array<[number, string]>): string {
  const set = names.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
  const known = names.reduce((acc, [bit]) => acc | bit, 0);
  if ((value & ~known) !== 0) set.push(`0x${(value & (~known >>> 0)).toString(16)}`);
  return set.length ? set.join(' | ') : 'none';
}

const hexValue = (v: number): string => `0x${v.toString(16)}`;

const ELF_HEADER_MEANINGS: Record<ElfHeaderField, Meaning> = {
  e_type: (v) => ET[v] ?? 'unknown type',
  e_machine: (v) => EM[v] ?? 'unknown machine',
  e_version: (v) => (v === EV_CURRENT ? 'EV_CURRENT' : 'unknown version'),
  e_entry: (v) => (v ? `entry point: execution starts at ${hexValue(v)}` : 'no entry point'),
  e_phoff: (v) => (v ? `program header table at file offset ${hexValue(v)}` : 'no program header table'),
  e_shoff: (v) => (v ? `section header table at file offset ${hexValue(v)}` : 'no section header table'),
  e_flags: (_, context) => `processor flags (none defined for ${context.machine === EM_X86_64 ? 'x86-64' : 'i386'})`,
  e_ehsize: (v) => `this header is ${v} bytes`,
  e_phentsize: (v) => `each program header is ${v} bytes`,
  e_phnum: (v) => `${v} program header(s)`,
  e_shentsize: (v) => `each section header is ${v} bytes`,
  e_shnum: (v) => `${v} section header(s)`,
  e_shstrndx: (v) => `section ${v} holds the section names`,
};

const PROGRAM_HEADER_MEANINGS: Record<ProgramHeaderField, Meaning> = {
  p_type: (v) => PT[v] ?? 'unknown segment type',
  p_offset: (v) => `segment starts at file offset ${hexValue(v)}`,
  p_vaddr: (v) => `mapped at virtual address ${hexValue(v)}`,
  p_paddr: () => 'physical address (unused on Linux)',
  p_filesz: (v) => `${v} byte(s) from the file`,
  p_memsz: (v) => `${v} byte(s) in memory (the excess over p_filesz is zeroed)`,
  p_flags: (v) =>
    flagList(v, [
      [PF_R, 'PF_R (read)'],
      [PF_W, 'PF_W (write)'],
      [PF_X, 'PF_X (execute)'],
    ]),
  p_align: (v) => `alignment ${hexValue(v)} (offset and address agree modulo this)`,
};

const SECTION_HEADER_MEANINGS: Record<SectionHeaderField, Meaning> = {
  sh_name: (v, c) => `name "${c.sectionNames(v)}" (offset ${v} in the section-name string table)`,
  sh_type: (v) => SHT[v] ?? 'unknown section type',
  sh_flags: (v) =>
    flagList(v, [
      [SHF_WRITE, 'SHF_WRITE'],
      [SHF_ALLOC, 'SHF_ALLOC'],
      [SHF_EXECINSTR, 'SHF_EXECINSTR'],
      [SHF_MERGE, 'SHF_MERGE'],
      [SHF_STRINGS, 'SHF_STRINGS'],
      [SHF_INFO_LINK, 'SHF_INFO_LINK'],
      [SHF_GROUP, 'SHF_GROUP'],
      [SHF_TLS, 'SHF_TLS'],
    ]),
  sh_addr: (v) => (v ? `loaded at address ${hexValue(v)}` : 'not loaded (address 0)'),
  sh_offset: (v) => `contents at file offset ${hexValue(v)}`,
  sh_size: (v) => `${v} byte(s)`,
  sh_link: (v) => (v ? `linked section ${v} (e.g. the string table of a symbol table)` : 'no link'),
  sh_info: (v) => (v ? `extra info ${v} (e.g. first global symbol, or section a REL applies to)` : 'no extra info'),
  sh_addralign: (v) => `alignment ${v}`,
  sh_entsize: (v) => (v ? `table of ${v}-byte entries` : 'not a table'),
};

function hexBytes(bytes: Uint8Array, at: number, size: number): string {
  return Array.from(bytes.slice(at, at + size), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** One field (or run of bytes) of the file: where it is, its name, its value and what it means. */
export interface ElfRow {
  offset: number;
  size: number;
  name: string;
  value: string;
  meaning: string;
}

/** A titled part of the file (a header, a section's contents, padding) with its rows. */
export interface ElfRegion {
  title: string;
  offset: number;
  size: number;
  rows: ElfRow[];
  /** Set for regions that could not be read (outside a truncated file). */
  truncated?: boolean;
}

const STB: Record<number, string> = { [STB_LOCAL]: 'STB_LOCAL', [STB_GLOBAL]: 'STB_GLOBAL', [STB_WEAK]: 'STB_WEAK' };
const STT: Record<number, string> = {
  [STT_NOTYPE]: 'STT_NOTYPE',
  [STT_OBJECT]: 'STT_OBJECT',
  [STT_FUNC]: 'STT_FUNC',
  [STT_SECTION]: 'STT_SECTION',
  [STT_FILE]: 'STT_FILE',
  [STT_COMMON]: 'STT_COMMON',
};

function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

/** The parts of the file the regions are built from. */
interface ElfFile {
  bytes: Uint8Array;
  cls: ElfClass;
  view: DataView;
  header: Record<ElfHeaderField, number>;
  sections: SectionInfo[];
  context: Context;
}

interface SectionInfo {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

/** The ELF class of a file explainElf can take apart, or an ElfExplainError saying why not. */
function explainableClass(bytes: Uint8Array): ElfClass {
  if (!hasElfMagic(bytes) || bytes.length < ELF_SIZES[32].elfHeader)
    throw new ElfExplainError('not an ELF file (no \\x7fELF magic or shorter than an ELF header)');
  const cls = bytes[EI_CLASS] === ELFCLASS32 ? 32 : bytes[EI_CLASS] === ELFCLASS64 ? 64 : undefined;
  if (cls === undefined)
    throw new ElfExplainError('not a 32-bit or 64-bit ELF file (EI_CLASS is neither ELFCLASS32 nor ELFCLASS64)');
  if (bytes[EI_DATA] !== ELFDATA2LSB)
    throw new ElfExplainError('not a little-endian ELF file (EI_DATA is not ELFDATA2LSB)');
  const size = ELF_SIZES[cls].elfHeader;
  if (bytes.length < size) throw new ElfExplainError(`truncated: shorter than a ${cls}-bit ELF header`);
  // e_ehsize sits right after e_flags: 36 + 4 in ELF32, 48 + 4 in ELF64.
  const ehsize = viewOf(bytes).getUint16(cls === 32 ? 40 : 52, true);
  if (ehsize !== size)
    throw new ElfExplainError(
      `EI_CLASS says ${cls}-bit but e_ehsize is ${ehsize} (ELF header sizes: 32-bit ${ELF_SIZES[32].elfHeader}, 64-bit ${ELF_SIZES[64].elfHeader})`,
    );
  return cls;
}

/** The string at `offset` of the table at file offset `tableAt`, or '?' when it lies outside. */
function tableString(bytes: Uint8Array, tableAt: number, tableSize: number, offset: number): string {
  if (tableAt < 0 || offset >= tableSize || tableAt + offset >= bytes.length) return '?';
  let end = tableAt + offset;
  while (end < bytes.length && end < tableAt + tableSize && bytes[end] !== 0) end++;
  return String.fromCharCode(...bytes.slice(tableAt + offset, end));
}

/** Whether section header `i` lies wholly inside the file. */
function sectionHeaderFits(file: Pick<ElfFile, 'bytes' | 'cls' | 'header'>, i: number): boolean {
  const { e_shoff: shoff, e_shentsize: shentsize } = file.header;
  return shoff + (i + 1) * shentsize <= file.bytes.length && shentsize >= ELF_SIZES[file.cls].sectionHeader;
}

function readFile(bytes: Uint8Array, cls: ElfClass): ElfFile {
  const view = viewOf(bytes);
  const header = readStruct(view, EI_NIDENT, ELF_HEADER[cls]);
  const { e_shoff: shoff, e_shentsize: shentsize, e_shnum: shnum, e_shstrndx: shstrndx } = header;
  const sectionHeader = (i: number) => readStruct(view, shoff + i * shentsize, SECTION_HEADER[cls]);
  let namesAt = -1;
  let namesSize = 0;
  if (shnum > 0 && shstrndx < shnum && sectionHeaderFits({ bytes, cls, header }, shstrndx)) {
    const names = sectionHeader(shstrndx);
    namesAt = names.sh_offset;
    namesSize = names.sh_size;
  }
  const context: Context = {
    sectionNames: (offset) => tableString(bytes, namesAt, namesSize, offset),
    machine: header.e_machine,
  };
  const sections: SectionInfo[] = [];
  for (let i = 0; i < shnum && sectionHeaderFits({ bytes, cls, header }, i); i++) {
    const h = sectionHeader(i);
    sections.push({
      index: i,
      name: context.sectionNames(h.sh_name),
      type: h.sh_type,
      flags: h.sh_flags,
      addr: h.sh_addr,
      offset: h.sh_offset,
      size: h.sh_size,
      link: h.sh_link,
      entsize: h.sh_entsize,
    });
  }
  return { bytes, cls, view, header, sections, context };
}

/** One row per field of the structure at `base`. */
function fieldRows<N extends string>(
  file: ElfFile,
  base: number,
  layout: readonly FieldSpec<N>[],
  meanings: Record<N, Meaning>,
): ElfRow[] {
  const rows: ElfRow[] = [];
  let at = base;
  for (const field of layout) {
    const value = readField(file.view, at, field);
    rows.push({
      offset: at,
      size: field.size,
      name: field.name,
      value: hexValue(value),
      meaning: meanings[field.name](value, file.context),
    });
    at += field.size;
  }
  return rows;
}

function elfHeaderRegion(file: ElfFile): ElfRegion {
  const { bytes, cls } = file;
  const size = ELF_SIZES[cls].elfHeader;
  const osabi = bytes[EI_OSABI];
  return {
    title: `ELF header (${size} bytes at offset 0)`,
    offset: 0,
    size,
    rows: [
      { offset: 0, size: 4, name: 'EI_MAG', value: '\\x7fELF', meaning: 'magic number: this is an ELF file' },
      {
        offset: EI_CLASS,
        size: 1,
        name: 'EI_CLASS',
        value: String(bytes[EI_CLASS]),
        meaning: cls === 32 ? 'ELFCLASS32: 32-bit objects' : 'ELFCLASS64: 64-bit objects',
      },
      { offset: EI_DATA, size: 1, name: 'EI_DATA', value: '1', meaning: 'ELFDATA2LSB: little-endian' },
      {
        offset: EI_VERSION,
        size: 1,
        name: 'EI_VERSION',
        value: String(bytes[EI_VERSION]),
        meaning: bytes[EI_VERSION] === EV_CURRENT ? 'EV_CURRENT' : 'unknown version',
      },
      {
        offset: EI_OSABI,
        size: 1,
        name: 'EI_OSABI',
        value: String(osabi),
        meaning:
          osabi === ELFOSABI_SYSV ? 'ELFOSABI_SYSV (none)' : osabi === ELFOSABI_LINUX ? 'ELFOSABI_LINUX' : 'other ABI',
      },
      {
        offset: EI_ABIVERSION,
        size: 1,
        name: 'EI_ABIVERSION',
        value: String(bytes[EI_ABIVERSION]),
        meaning: 'ABI version',
      },
      { offset: EI_ABIVERSION + 1, size: 7, name: 'EI_PAD', value: '', meaning: 'padding (zero)' },
      ...fieldRows(file, EI_NIDENT, ELF_HEADER[cls], ELF_HEADER_MEANINGS),
    ],
  };
}

function truncatedRegion(what: string, offset: number): ElfRegion {
  return { title: `${what}: outside the file (truncated)`, offset, size: 0, rows: [], truncated: true };
}

function programHeaderRegions(file: ElfFile): ElfRegion[] {
  const { e_phoff: phoff, e_phentsize: phentsize, e_phnum: phnum } = file.header;
  const entrySize = ELF_SIZES[file.cls].programHeader;
  const regions: ElfRegion[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (phentsize < entrySize || at + entrySize > file.bytes.length) {
      regions.push(truncatedRegion(`program header ${i}`, at));
      break;
    }
    regions.push({
      title: `program header ${i} (${phentsize} bytes at offset ${hexValue(at)})`,
      offset: at,
      size: phentsize,
      rows: fieldRows(file, at, PROGRAM_HEADER[file.cls], PROGRAM_HEADER_MEANINGS),
    });
  }
  return regions;
}

function sectionHeaderRegions(file: ElfFile): ElfRegion[] {
  const { e_shoff: shoff, e_shentsize: shentsize, e_shnum: shnum } = file.header;
  const regions: ElfRegion[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (!sectionHeaderFits(file, i)) {
      regions.push(truncatedRegion(`section header ${i}`, at));
      break;
    }
    const name = file.context.sectionNames(file.view.getUint32(at, true));
    regions.push({
      title: `section header ${i} "${name}" (${shentsize} bytes at offset ${hexValue(at)})`,
      offset: at,
      size: shentsize,
      rows: fieldRows(file, at, SECTION_HEADER[file.cls], SECTION_HEADER_MEANINGS),
    });
  }
  return regions;
}

function symbolRows(file: ElfFile, section: SectionInfo): ElfRow[] {
  const { bytes, cls, view, sections } = file;
  const strtab = sections[section.link];
  const rows: ElfRow[] = [];
  const end = section.offset + section.size;
  for (let at = section.offset, n = 0; at + ELF_SIZES[cls].symbol <= end; at += section.entsize, n++) {
    const symbol = readStruct(view, at, SYMBOL[cls]);
    const shndx = symbol.st_shndx;
    const name = strtab ? tableString(bytes, strtab.offset, strtab.size, symbol.st_name) : '?';
    const where =
      shndx === SHN_UNDEF
        ? 'undefined'
        : shndx === SHN_ABS
          ? 'absolute'
          : shndx === SHN_COMMON
            ? 'common'
            : `section ${shndx} ${sections[shndx]?.name ?? ''}`.trimEnd();
    const bind = symbolBind(symbol.st_info);
    const type = symbolType(symbol.st_info);
    rows.push({
      offset: at,
      size: section.entsize,
      name: `symbol ${n}`,
      value: name === '' ? '""' : name,
      meaning: `value ${hexValue(symbol.st_value)}, size ${symbol.st_size}, ${STB[bind] ?? `binding ${bind}`} ${STT[type] ?? `type ${type}`}, ${where}`,
    });
  }
  return rows;
}

function relocationRows(file: ElfFile, section: SectionInfo): ElfRow[] {
  const { cls, view } = file;
  const names = relocationNames(file.header.e_machine) ?? {};
  const rows: ElfRow[] = [];
  const end = section.offset + section.size;
  for (let at = section.offset; at + ELF_SIZES[cls].rel <= end; at += section.entsize) {
    const { r_offset: offset, r_info: info } = readStruct(view, at, REL[cls]);
    const type = relocationType(cls, info);
    rows.push({
      offset: at,
      size: section.entsize,
      name: 'r_offset/r_info',
      value: hexValue(offset),
      meaning: `${names[type] ?? `type ${type}`} against symbol ${relocationSymbol(cls, info)}, at offset ${hexValue(offset)} of the section it applies to`,
    });
  }
  return rows;
}

function stringRows(bytes: Uint8Array, section: SectionInfo): ElfRow[] {
  const { offset, size } = section;
  const rows: ElfRow[] = [];
  for (let at = offset; at < offset + size;) {
    let end = at;
    while (end < offset + size && bytes[end] !== 0) end++;
    const length = Math.min(end + 1, offset + size) - at;
    rows.push({
      offset: at,
      size: length,
      name: 'string',
      value: `"${String.fromCharCode(...bytes.slice(at, end))}"`,
      meaning: `at index ${at - offset}, NUL-terminated`,
    });
    at += length;
  }
  return rows;
}

function hexRows(bytes: Uint8Array, section: SectionInfo): ElfRow[] {
  const { offset, size } = section;
  const kind = section.flags & SHF_EXECINSTR ? 'code' : section.flags & SHF_ALLOC ? 'data' : 'contents';
  const rows: ElfRow[] = [];
  for (let at = offset; at < offset + size; at += 16) {
    const length = Math.min(16, offset + size - at);
    const address = section.addr ? `, address ${hexValue(section.addr + at - offset)}` : '';
    rows.push({
      offset: at,
      size: length,
      name: kind,
      value: '',
      meaning: `${section.name}+${hexValue(at - offset)}${address}  |${printable(bytes.slice(at, at + length))}|`,
    });
  }
  return rows;
}

/** Section contents (SHT_NOBITS and empty sections occupy no file bytes). */
function contentRegions(file: ElfFile): ElfRegion[] {
  const { bytes, cls } = file;
  const regions: ElfRegion[] = [];
  for (const section of file.sections) {
    const { type, offset, size, entsize } = section;
    if (type === SHT_NULL || type === SHT_NOBITS || size === 0 || offset + size > bytes.length) continue;
    const rows =
      type === SHT_SYMTAB && entsize >= ELF_SIZES[cls].symbol
        ? symbolRows(file, section)
        : (type === SHT_REL && entsize >= ELF_SIZES[cls].rel) || (type === SHT_RELA && entsize >= ELF_SIZES[cls].rela)
          ? relocationRows(file, section)
          : type === SHT_STRTAB
            ? stringRows(bytes, section)
            : hexRows(bytes, section);
    regions.push({
      title: `contents of section ${section.index} "${section.name}" (${size} bytes at offset ${hexValue(offset)})`,
      offset,
      size,
      rows,
    });
  }
  return regions;
}

/** Whatever no region claims: alignment padding between the parts, and trailing bytes. */
function gapRegions(regions: readonly ElfRegion[], fileSize: number): ElfRegion[] {
  const claimed = regions
    .filter((r) => !r.truncated)
    .map((r) => [r.offset, r.offset + r.size] as const)
    .sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  const gaps: ElfRegion[] = [];
  const gap = (title: string, size: number, name: string, meaning: string): void => {
    gaps.push({ title, offset: cursor, size, rows: [{ offset: cursor, size, name, value: '', meaning }] });
  };
  for (const [from, to] of claimed) {
    if (from > cursor)
      gap(
        `padding (${from - cursor} bytes at offset ${hexValue(cursor)})`,
        from - cursor,
        'padding',
        'alignment filler, not used',
      );
    cursor = Math.max(cursor, to);
  }
  if (cursor < fileSize)
    gap(
      `trailing bytes (${fileSize - cursor} at offset ${hexValue(cursor)})`,
      fileSize - cursor,
      'unclaimed',
      'not described by any header',
    );
  return gaps;
}

/**
 * Takes an ELF32 or ELF64 little-endian file apart: the ELF header, each program and
 * section header field by field, then every section's contents in file
 * order (symbol tables entry by entry, string tables string by string, code
 * and data as hex with their load address) and the padding between them, so
 * every byte of the file belongs to some row.
 */
export function describeElf(bytes: Uint8Array): ElfRegion[] {
  const file = readFile(bytes, explainableClass(bytes));
  const regions = [elfHeaderRegion(file), ...programHeaderRegions(file), ...sectionHeaderRegions(file)];
  regions.push(...contentRegions(file));
  return [...regions, ...gapRegions(regions, bytes.length)].sort(
    (a, b) => a.offset - b.offset || (a.truncated ? 1 : 0) - (b.truncated ? 1 : 0),
  );
}

/** Describes every header field and section of an ELF32 or ELF64 little-endian file, as text (coloured on request). */
export function explainElf(bytes: Uint8Array, options: { colour?: boolean } = {}): string {
  const c = new Chalk({ level: options.colour ? 1 : 0 });
  const out: string[] = [];
  for (const region of describeElf(bytes)) {
    if (out.length > 0) out.push('');
    out.push(c.bold(region.title));
    for (const row of region.rows) {
      // Long runs (padding) show their first 16 bytes.
      const shown = hexBytes(bytes, row.offset, Math.min(row.size, 16)) + (row.size > 16 ? ' ..' : '');
      const line = `${c.dim(row.offset.toString(16).padStart(8, '0'))}  ${c.yellow(shown.padEnd(23))} ${c.magenta(row.name.padEnd(13))} ${c.cyan(row.value.padEnd(11))} ${row.meaning}`;
      out.push(line.trimEnd());
    }
  }
  return out.join('\n') + '\n';
}
