/**
 * What ELF field values mean, in words, for tsld --explain (elf-explain.ts):
 * the names and short descriptions the gABI and the i386 psABI give them.
 */
import {
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
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_GROUP,
  SHF_INFO_LINK,
  SHF_MERGE,
  SHF_STRINGS,
  SHF_TLS,
  SHF_WRITE,
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
  type ElfHeaderField,
  type ProgramHeaderField,
  type SectionHeaderField,
} from '../elf/index.js';

export interface Context {
  sectionNames: (nameOffset: number) => string;
}

/** What a field's value means, in words. */
export type Meaning = (value: number, context: Context) => string;

export const ET: Record<number, string> = {
  [ET_NONE]: 'ET_NONE',
  [ET_REL]: 'ET_REL (relocatable object)',
  [ET_EXEC]: 'ET_EXEC (executable)',
  [ET_DYN]: 'ET_DYN (shared object / PIE)',
  [ET_CORE]: 'ET_CORE',
};
export const EM: Record<number, string> = {
  [EM_386]: 'EM_386 (Intel 80386)',
  [EM_X86_64]: 'EM_X86_64',
  [EM_ARM]: 'EM_ARM',
};
export const PT: Record<number, string> = {
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
export const SHT: Record<number, string> = {
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

export const hexValue = (v: number): string => `0x${v.toString(16)}`;

export const ELF_HEADER_MEANINGS: Record<ElfHeaderField, Meaning> = {
  e_type: (v) => ET[v] ?? 'unknown type',
  e_machine: (v) => EM[v] ?? 'unknown machine',
  e_version: (v) => (v === EV_CURRENT ? 'EV_CURRENT' : 'unknown version'),
  e_entry: (v) => (v ? `entry point: execution starts at ${hexValue(v)}` : 'no entry point'),
  e_phoff: (v) => (v ? `program header table at file offset ${hexValue(v)}` : 'no program header table'),
  e_shoff: (v) => (v ? `section header table at file offset ${hexValue(v)}` : 'no section header table'),
  e_flags: () => 'processor flags (none defined for i386)',
  e_ehsize: (v) => `this header is ${v} bytes`,
  e_phentsize: (v) => `each program header is ${v} bytes`,
  e_phnum: (v) => `${v} program header(s)`,
  e_shentsize: (v) => `each section header is ${v} bytes`,
  e_shnum: (v) => `${v} section header(s)`,
  e_shstrndx: (v) => `section ${v} holds the section names`,
};

export const PROGRAM_HEADER_MEANINGS: Record<ProgramHeaderField, Meaning> = {
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

export const SECTION_HEADER_MEANINGS: Record<SectionHeaderField, Meaning> = {
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

export const STB: Record<number, string> = {
  [STB_LOCAL]: 'STB_LOCAL',
  [STB_GLOBAL]: 'STB_GLOBAL',
  [STB_WEAK]: 'STB_WEAK',
};
export const STT: Record<number, string> = {
  [STT_NOTYPE]: 'STT_NOTYPE',
  [STT_OBJECT]: 'STT_OBJECT',
  [STT_FUNC]: 'STT_FUNC',
  [STT_SECTION]: 'STT_SECTION',
  [STT_FILE]: 'STT_FILE',
  [STT_COMMON]: 'STT_COMMON',
};
