/**
 * `tsld --explain`: an annotated hex dump of an ELF32 (i386) file naming
 * every ELF header, program header and section header field with its value
 * and meaning. Field layouts and constants are from the System V ABI (gABI)
 * and its i386 supplement.
 */

import { Chalk } from 'chalk';

/** Thrown for input that is not a readable little-endian ELF32 file. */
export class ElfExplainError extends Error {}

interface FieldSpec {
  name: string;
  size: 1 | 2 | 4;
  meaning?: (value: number, context: Context) => string;
}

interface Context {
  sectionNames: (nameOffset: number) => string;
}

const ET: Record<number, string> = {
  0: 'ET_NONE',
  1: 'ET_REL (relocatable object)',
  2: 'ET_EXEC (executable)',
  3: 'ET_DYN (shared object / PIE)',
  4: 'ET_CORE',
};
const EM: Record<number, string> = { 3: 'EM_386 (Intel 80386)', 62: 'EM_X86_64', 40: 'EM_ARM' };
const PT: Record<number, string> = {
  0: 'PT_NULL (unused)',
  1: 'PT_LOAD (map this part of the file into memory)',
  2: 'PT_DYNAMIC',
  3: 'PT_INTERP (program interpreter path)',
  4: 'PT_NOTE',
  5: 'PT_SHLIB',
  6: 'PT_PHDR (the program header table itself)',
  7: 'PT_TLS',
  0x6474e550: 'PT_GNU_EH_FRAME',
  0x6474e551: 'PT_GNU_STACK (stack permissions)',
  0x6474e552: 'PT_GNU_RELRO',
  0x6474e553: 'PT_GNU_PROPERTY',
};
const SHT: Record<number, string> = {
  0: 'SHT_NULL (inactive)',
  1: 'SHT_PROGBITS (contents from the file)',
  2: 'SHT_SYMTAB (symbol table)',
  3: 'SHT_STRTAB (string table)',
  4: 'SHT_RELA',
  5: 'SHT_HASH',
  6: 'SHT_DYNAMIC',
  7: 'SHT_NOTE',
  8: 'SHT_NOBITS (occupies memory, no file space: .bss)',
  9: 'SHT_REL (relocations without addends)',
  11: 'SHT_DYNSYM',
  14: 'SHT_INIT_ARRAY',
  15: 'SHT_FINI_ARRAY',
  17: 'SHT_GROUP',
  0x6ffffff6: 'SHT_GNU_HASH',
  0x6ffffffe: 'SHT_GNU_verneed',
  0x6fffffff: 'SHT_GNU_versym',
};

function flagList(value: number, names: Array<[number, string]>): string {
  const set = names.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
  const known = names.reduce((acc, [bit]) => acc | bit, 0);
  if ((value & ~known) !== 0) set.push(`0x${(value & (~known >>> 0)).toString(16)}`);
  return set.length ? set.join(' | ') : 'none';
}

const hexValue = (v: number): string => `0x${v.toString(16)}`;

const ELF_HEADER: FieldSpec[] = [
  { name: 'e_type', size: 2, meaning: (v) => ET[v] ?? 'unknown type' },
  { name: 'e_machine', size: 2, meaning: (v) => EM[v] ?? 'unknown machine' },
  { name: 'e_version', size: 4, meaning: (v) => (v === 1 ? 'EV_CURRENT' : 'unknown version') },
  {
    name: 'e_entry',
    size: 4,
    meaning: (v) => (v ? `entry point: execution starts at ${hexValue(v)}` : 'no entry point'),
  },
  {
    name: 'e_phoff',
    size: 4,
    meaning: (v) => (v ? `program header table at file offset ${hexValue(v)}` : 'no program header table'),
  },
  {
    name: 'e_shoff',
    size: 4,
    meaning: (v) => (v ? `section header table at file offset ${hexValue(v)}` : 'no section header table'),
  },
  { name: 'e_flags', size: 4, meaning: () => 'processor flags (none defined for i386)' },
  { name: 'e_ehsize', size: 2, meaning: (v) => `this header is ${v} bytes` },
  { name: 'e_phentsize', size: 2, meaning: (v) => `each program header is ${v} bytes` },
  { name: 'e_phnum', size: 2, meaning: (v) => `${v} program header(s)` },
  { name: 'e_shentsize', size: 2, meaning: (v) => `each section header is ${v} bytes` },
  { name: 'e_shnum', size: 2, meaning: (v) => `${v} section header(s)` },
  { name: 'e_shstrndx', size: 2, meaning: (v) => `section ${v} holds the section names` },
];

const PROGRAM_HEADER: FieldSpec[] = [
  { name: 'p_type', size: 4, meaning: (v) => PT[v] ?? 'unknown segment type' },
  { name: 'p_offset', size: 4, meaning: (v) => `segment starts at file offset ${hexValue(v)}` },
  { name: 'p_vaddr', size: 4, meaning: (v) => `mapped at virtual address ${hexValue(v)}` },
  { name: 'p_paddr', size: 4, meaning: () => 'physical address (unused on Linux)' },
  { name: 'p_filesz', size: 4, meaning: (v) => `${v} byte(s) from the file` },
  { name: 'p_memsz', size: 4, meaning: (v) => `${v} byte(s) in memory (the excess over p_filesz is zeroed)` },
  {
    name: 'p_flags',
    size: 4,
    meaning: (v) =>
      flagList(v, [
        [4, 'PF_R (read)'],
        [2, 'PF_W (write)'],
        [1, 'PF_X (execute)'],
      ]),
  },
  { name: 'p_align', size: 4, meaning: (v) => `alignment ${hexValue(v)} (offset and address agree modulo this)` },
];

const SECTION_HEADER: FieldSpec[] = [
  {
    name: 'sh_name',
    size: 4,
    meaning: (v, c) => `name "${c.sectionNames(v)}" (offset ${v} in the section-name string table)`,
  },
  { name: 'sh_type', size: 4, meaning: (v) => SHT[v] ?? 'unknown section type' },
  {
    name: 'sh_flags',
    size: 4,
    meaning: (v) =>
      flagList(v, [
        [1, 'SHF_WRITE'],
        [2, 'SHF_ALLOC'],
        [4, 'SHF_EXECINSTR'],
        [0x10, 'SHF_MERGE'],
        [0x20, 'SHF_STRINGS'],
        [0x40, 'SHF_INFO_LINK'],
        [0x200, 'SHF_GROUP'],
        [0x400, 'SHF_TLS'],
      ]),
  },
  { name: 'sh_addr', size: 4, meaning: (v) => (v ? `loaded at address ${hexValue(v)}` : 'not loaded (address 0)') },
  { name: 'sh_offset', size: 4, meaning: (v) => `contents at file offset ${hexValue(v)}` },
  { name: 'sh_size', size: 4, meaning: (v) => `${v} byte(s)` },
  {
    name: 'sh_link',
    size: 4,
    meaning: (v) => (v ? `linked section ${v} (e.g. the string table of a symbol table)` : 'no link'),
  },
  {
    name: 'sh_info',
    size: 4,
    meaning: (v) => (v ? `extra info ${v} (e.g. first global symbol, or section a REL applies to)` : 'no extra info'),
  },
  { name: 'sh_addralign', size: 4, meaning: (v) => `alignment ${v}` },
  { name: 'sh_entsize', size: 4, meaning: (v) => (v ? `table of ${v}-byte entries` : 'not a table') },
];

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

const STB: Record<number, string> = { 0: 'STB_LOCAL', 1: 'STB_GLOBAL', 2: 'STB_WEAK' };
const STT: Record<number, string> = {
  0: 'STT_NOTYPE',
  1: 'STT_OBJECT',
  2: 'STT_FUNC',
  3: 'STT_SECTION',
  4: 'STT_FILE',
  5: 'STT_COMMON',
};
const R_386: Record<number, string> = {
  0: 'R_386_NONE',
  1: 'R_386_32',
  2: 'R_386_PC32',
  3: 'R_386_GOT32',
  4: 'R_386_PLT32',
  9: 'R_386_GOTOFF',
  10: 'R_386_GOTPC',
  20: 'R_386_16',
  21: 'R_386_PC16',
  22: 'R_386_8',
  23: 'R_386_PC8',
};

function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

/**
 * Takes an ELF32 little-endian file apart: the ELF header, each program and
 * section header field by field, then every section's contents in file
 * order (symbol tables entry by entry, string tables string by string, code
 * and data as hex with their load address) and the padding between them, so
 * every byte of the file belongs to some row.
 */
export function describeElf(bytes: Uint8Array): ElfRegion[] {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfExplainError('not an ELF file (no \\x7fELF magic or shorter than an ELF header)');
  }
  if (bytes[4] !== 1) throw new ElfExplainError('not a 32-bit ELF file (EI_CLASS is not ELFCLASS32)');
  if (bytes[5] !== 1) throw new ElfExplainError('not a little-endian ELF file (EI_DATA is not ELFDATA2LSB)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (at: number, size: 1 | 2 | 4): number =>
    size === 1 ? view.getUint8(at) : size === 2 ? view.getUint16(at, true) : view.getUint32(at, true);

  const phoff = read(28, 4),
    shoff = read(32, 4),
    phentsize = read(42, 2),
    phnum = read(44, 2);
  const shentsize = read(46, 2),
    shnum = read(48, 2),
    shstrndx = read(50, 2);
  const shdrFits = (i: number): boolean => shoff + (i + 1) * shentsize <= bytes.length && shentsize >= 40;
  const stringAt = (tableAt: number, tableSize: number, offset: number): string => {
    if (tableAt < 0 || offset >= tableSize || tableAt + offset >= bytes.length) return '?';
    let end = tableAt + offset;
    while (end < bytes.length && end < tableAt + tableSize && bytes[end] !== 0) end++;
    return String.fromCharCode(...bytes.slice(tableAt + offset, end));
  };
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
  const sections: SectionInfo[] = [];
  let namesAt = -1;
  let namesSize = 0;
  if (shnum > 0 && shstrndx < shnum && shdrFits(shstrndx)) {
    namesAt = read(shoff + shstrndx * shentsize + 16, 4);
    namesSize = read(shoff + shstrndx * shentsize + 20, 4);
  }
  const context: Context = { sectionNames: (offset) => stringAt(namesAt, namesSize, offset) };
  for (let i = 0; i < shnum && shdrFits(i); i++) {
    const at = shoff + i * shentsize;
    sections.push({
      index: i,
      name: context.sectionNames(read(at, 4)),
      type: read(at + 4, 4),
      flags: read(at + 8, 4),
      addr: read(at + 12, 4),
      offset: read(at + 16, 4),
      size: read(at + 20, 4),
      link: read(at + 24, 4),
      entsize: read(at + 36, 4),
    });
  }

  const regions: ElfRegion[] = [];
  const fields = (base: number, specs: FieldSpec[]): ElfRow[] => {
    const rows: ElfRow[] = [];
    let at = base;
    for (const spec of specs) {
      const value = read(at, spec.size);
      rows.push({
        offset: at,
        size: spec.size,
        name: spec.name,
        value: hexValue(value),
        meaning: spec.meaning ? spec.meaning(value, context) : '',
      });
      at += spec.size;
    }
    return rows;
  };

  regions.push({
    title: 'ELF header (52 bytes at offset 0)',
    offset: 0,
    size: 52,
    rows: [
      { offset: 0, size: 4, name: 'EI_MAG', value: '\\x7fELF', meaning: 'magic number: this is an ELF file' },
      { offset: 4, size: 1, name: 'EI_CLASS', value: '1', meaning: 'ELFCLASS32: 32-bit objects' },
      { offset: 5, size: 1, name: 'EI_DATA', value: '1', meaning: 'ELFDATA2LSB: little-endian' },
      {
        offset: 6,
        size: 1,
        name: 'EI_VERSION',
        value: String(bytes[6]),
        meaning: bytes[6] === 1 ? 'EV_CURRENT' : 'unknown version',
      },
      {
        offset: 7,
        size: 1,
        name: 'EI_OSABI',
        value: String(bytes[7]),
        meaning: bytes[7] === 0 ? 'ELFOSABI_SYSV (none)' : bytes[7] === 3 ? 'ELFOSABI_LINUX' : 'other ABI',
      },
      { offset: 8, size: 1, name: 'EI_ABIVERSION', value: String(bytes[8]), meaning: 'ABI version' },
      { offset: 9, size: 7, name: 'EI_PAD', value: '', meaning: 'padding (zero)' },
      ...fields(16, ELF_HEADER),
    ],
  });
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (phentsize < 32 || at + 32 > bytes.length) {
      regions.push({
        title: `program header ${i}: outside the file (truncated)`,
        offset: at,
        size: 0,
        rows: [],
        truncated: true,
      });
      break;
    }
    regions.push({
      title: `program header ${i} (${phentsize} bytes at offset ${hexValue(at)})`,
      offset: at,
      size: phentsize,
      rows: fields(at, PROGRAM_HEADER),
    });
  }
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (!shdrFits(i)) {
      regions.push({
        title: `section header ${i}: outside the file (truncated)`,
        offset: at,
        size: 0,
        rows: [],
        truncated: true,
      });
      break;
    }
    regions.push({
      title: `section header ${i} "${context.sectionNames(read(at, 4))}" (${shentsize} bytes at offset ${hexValue(at)})`,
      offset: at,
      size: shentsize,
      rows: fields(at, SECTION_HEADER),
    });
  }

  // Section contents (SHT_NOBITS and empty sections occupy no file bytes).
  for (const section of sections) {
    if (section.type === 0 || section.type === 8 || section.size === 0 || section.offset + section.size > bytes.length)
      continue;
    const { offset, size } = section;
    const rows: ElfRow[] = [];
    if (section.type === 2 && section.entsize >= 16) {
      const strtab = sections[section.link];
      for (let at = offset, n = 0; at + 16 <= offset + size; at += section.entsize, n++) {
        const info = read(at + 12, 1);
        const shndx = read(at + 14, 2);
        const name = strtab ? stringAt(strtab.offset, strtab.size, read(at, 4)) : '?';
        const where =
          shndx === 0
            ? 'undefined'
            : shndx === 0xfff1
              ? 'absolute'
              : shndx === 0xfff2
                ? 'common'
                : `section ${shndx} ${sections[shndx]?.name ?? ''}`.trimEnd();
        rows.push({
          offset: at,
          size: section.entsize,
          name: `symbol ${n}`,
          value: name === '' ? '""' : name,
          meaning: `value ${hexValue(read(at + 4, 4))}, size ${read(at + 8, 4)}, ${STB[info >> 4] ?? `binding ${info >> 4}`} ${STT[info & 15] ?? `type ${info & 15}`}, ${where}`,
        });
      }
    } else if (section.type === 9 && section.entsize >= 8) {
      for (let at = offset; at + 8 <= offset + size; at += section.entsize) {
        const info = read(at + 4, 4);
        rows.push({
          offset: at,
          size: section.entsize,
          name: 'r_offset/r_info',
          value: hexValue(read(at, 4)),
          meaning: `${R_386[info & 0xff] ?? `type ${info & 0xff}`} against symbol ${info >>> 8}, at offset ${hexValue(read(at, 4))} of the section it applies to`,
        });
      }
    } else if (section.type === 3) {
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
    } else {
      const kind = section.flags & 4 ? 'code' : section.flags & 2 ? 'data' : 'contents';
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
    }
    regions.push({
      title: `contents of section ${section.index} "${section.name}" (${size} bytes at offset ${hexValue(offset)})`,
      offset,
      size,
      rows,
    });
  }

  // Whatever no region claims: alignment padding between the parts.
  const claimed = regions
    .filter((r) => !r.truncated)
    .map((r) => [r.offset, r.offset + r.size] as const)
    .sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  const gaps: ElfRegion[] = [];
  for (const [from, to] of claimed) {
    if (from > cursor)
      gaps.push({
        title: `padding (${from - cursor} bytes at offset ${hexValue(cursor)})`,
        offset: cursor,
        size: from - cursor,
        rows: [
          { offset: cursor, size: from - cursor, name: 'padding', value: '', meaning: 'alignment filler, not used' },
        ],
      });
    cursor = Math.max(cursor, to);
  }
  if (cursor < bytes.length)
    gaps.push({
      title: `trailing bytes (${bytes.length - cursor} at offset ${hexValue(cursor)})`,
      offset: cursor,
      size: bytes.length - cursor,
      rows: [
        {
          offset: cursor,
          size: bytes.length - cursor,
          name: 'unclaimed',
          value: '',
          meaning: 'not described by any header',
        },
      ],
    });
  return [...regions, ...gaps].sort((a, b) => a.offset - b.offset || (a.truncated ? 1 : 0) - (b.truncated ? 1 : 0));
}

/** Describes every header field and section of an ELF32 little-endian file, as text (coloured on request). */
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
