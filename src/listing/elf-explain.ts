/**
 * `tsld --explain`: an annotated hex dump of an ELF32 (i386) file naming
 * every ELF header, program header and section header field with its value
 * and meaning. Field layouts and constants are from the System V ABI (gABI)
 * and its i386 supplement.
 */

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

const ET: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL (relocatable object)', 2: 'ET_EXEC (executable)', 3: 'ET_DYN (shared object / PIE)', 4: 'ET_CORE' };
const EM: Record<number, string> = { 3: 'EM_386 (Intel 80386)', 62: 'EM_X86_64', 40: 'EM_ARM' };
const PT: Record<number, string> = {
  0: 'PT_NULL (unused)', 1: 'PT_LOAD (map this part of the file into memory)', 2: 'PT_DYNAMIC', 3: 'PT_INTERP (program interpreter path)',
  4: 'PT_NOTE', 5: 'PT_SHLIB', 6: 'PT_PHDR (the program header table itself)', 7: 'PT_TLS',
  0x6474e550: 'PT_GNU_EH_FRAME', 0x6474e551: 'PT_GNU_STACK (stack permissions)', 0x6474e552: 'PT_GNU_RELRO',
  0x6474e553: 'PT_GNU_PROPERTY',
};
const SHT: Record<number, string> = {
  0: 'SHT_NULL (inactive)', 1: 'SHT_PROGBITS (contents from the file)', 2: 'SHT_SYMTAB (symbol table)', 3: 'SHT_STRTAB (string table)',
  4: 'SHT_RELA', 5: 'SHT_HASH', 6: 'SHT_DYNAMIC', 7: 'SHT_NOTE', 8: 'SHT_NOBITS (occupies memory, no file space: .bss)',
  9: 'SHT_REL (relocations without addends)', 11: 'SHT_DYNSYM', 14: 'SHT_INIT_ARRAY', 15: 'SHT_FINI_ARRAY', 17: 'SHT_GROUP',
  0x6ffffff6: 'SHT_GNU_HASH', 0x6ffffffe: 'SHT_GNU_verneed', 0x6fffffff: 'SHT_GNU_versym',
};

function flagList(value: number, names: Array<[number, string]>): string {
  const set = names.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
  const known = names.reduce((acc, [bit]) => acc | bit, 0);
  if ((value & ~known) !== 0) set.push(`0x${(value & ~known >>> 0).toString(16)}`);
  return set.length ? set.join(' | ') : 'none';
}

const hexValue = (v: number): string => `0x${v.toString(16)}`;

const ELF_HEADER: FieldSpec[] = [
  { name: 'e_type', size: 2, meaning: (v) => ET[v] ?? 'unknown type' },
  { name: 'e_machine', size: 2, meaning: (v) => EM[v] ?? 'unknown machine' },
  { name: 'e_version', size: 4, meaning: (v) => (v === 1 ? 'EV_CURRENT' : 'unknown version') },
  { name: 'e_entry', size: 4, meaning: (v) => (v ? `entry point: execution starts at ${hexValue(v)}` : 'no entry point') },
  { name: 'e_phoff', size: 4, meaning: (v) => (v ? `program header table at file offset ${hexValue(v)}` : 'no program header table') },
  { name: 'e_shoff', size: 4, meaning: (v) => (v ? `section header table at file offset ${hexValue(v)}` : 'no section header table') },
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
  { name: 'p_flags', size: 4, meaning: (v) => flagList(v, [[4, 'PF_R (read)'], [2, 'PF_W (write)'], [1, 'PF_X (execute)']]) },
  { name: 'p_align', size: 4, meaning: (v) => `alignment ${hexValue(v)} (offset and address agree modulo this)` },
];

const SECTION_HEADER: FieldSpec[] = [
  { name: 'sh_name', size: 4, meaning: (v, c) => `name "${c.sectionNames(v)}" (offset ${v} in the section-name string table)` },
  { name: 'sh_type', size: 4, meaning: (v) => SHT[v] ?? 'unknown section type' },
  { name: 'sh_flags', size: 4, meaning: (v) => flagList(v, [[1, 'SHF_WRITE'], [2, 'SHF_ALLOC'], [4, 'SHF_EXECINSTR'], [0x10, 'SHF_MERGE'], [0x20, 'SHF_STRINGS'], [0x40, 'SHF_INFO_LINK'], [0x200, 'SHF_GROUP'], [0x400, 'SHF_TLS']]) },
  { name: 'sh_addr', size: 4, meaning: (v) => (v ? `loaded at address ${hexValue(v)}` : 'not loaded (address 0)') },
  { name: 'sh_offset', size: 4, meaning: (v) => `contents at file offset ${hexValue(v)}` },
  { name: 'sh_size', size: 4, meaning: (v) => `${v} byte(s)` },
  { name: 'sh_link', size: 4, meaning: (v) => (v ? `linked section ${v} (e.g. the string table of a symbol table)` : 'no link') },
  { name: 'sh_info', size: 4, meaning: (v) => (v ? `extra info ${v} (e.g. first global symbol, or section a REL applies to)` : 'no extra info') },
  { name: 'sh_addralign', size: 4, meaning: (v) => `alignment ${v}` },
  { name: 'sh_entsize', size: 4, meaning: (v) => (v ? `table of ${v}-byte entries` : 'not a table') },
];

function hexBytes(bytes: Uint8Array, at: number, size: number): string {
  return Array.from(bytes.slice(at, at + size), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Describes every header field of an ELF32 little-endian file. */
export function explainElf(bytes: Uint8Array): string {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfExplainError('not an ELF file (no \\x7fELF magic or shorter than an ELF header)');
  }
  if (bytes[4] !== 1) throw new ElfExplainError('not a 32-bit ELF file (EI_CLASS is not ELFCLASS32)');
  if (bytes[5] !== 1) throw new ElfExplainError('not a little-endian ELF file (EI_DATA is not ELFDATA2LSB)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (at: number, size: 1 | 2 | 4): number => (size === 1 ? view.getUint8(at) : size === 2 ? view.getUint16(at, true) : view.getUint32(at, true));

  const phoff = read(28, 4), shoff = read(32, 4), phentsize = read(42, 2), phnum = read(44, 2);
  const shentsize = read(46, 2), shnum = read(48, 2), shstrndx = read(50, 2);
  let namesAt = -1;
  let namesSize = 0;
  const shdrFits = (i: number): boolean => shoff + (i + 1) * shentsize <= bytes.length && shentsize >= 40;
  if (shnum > 0 && shstrndx < shnum && shdrFits(shstrndx)) {
    namesAt = read(shoff + shstrndx * shentsize + 16, 4);
    namesSize = read(shoff + shstrndx * shentsize + 20, 4);
  }
  const context: Context = {
    sectionNames: (offset) => {
      if (namesAt < 0 || offset >= namesSize || namesAt + offset >= bytes.length) return '?';
      let end = namesAt + offset;
      while (end < bytes.length && end < namesAt + namesSize && bytes[end] !== 0) end++;
      return String.fromCharCode(...bytes.slice(namesAt + offset, end));
    },
  };

  const out: string[] = [];
  const row = (at: number, size: number, name: string, value: string, meaning: string): void => {
    out.push(`${at.toString(16).padStart(8, '0')}  ${hexBytes(bytes, at, size).padEnd(24)}${name.padEnd(14)}${value.padEnd(12)}${meaning}`);
  };
  const fields = (base: number, specs: FieldSpec[]): void => {
    let at = base;
    for (const spec of specs) {
      const value = read(at, spec.size);
      row(at, spec.size, spec.name, hexValue(value), spec.meaning ? spec.meaning(value, context) : '');
      at += spec.size;
    }
  };

  out.push('ELF header (52 bytes at offset 0)');
  row(0, 4, 'EI_MAG', '\\x7fELF', 'magic number: this is an ELF file');
  row(4, 1, 'EI_CLASS', '1', 'ELFCLASS32: 32-bit objects');
  row(5, 1, 'EI_DATA', '1', 'ELFDATA2LSB: little-endian');
  row(6, 1, 'EI_VERSION', String(bytes[6]), bytes[6] === 1 ? 'EV_CURRENT' : 'unknown version');
  row(7, 1, 'EI_OSABI', String(bytes[7]), bytes[7] === 0 ? 'ELFOSABI_SYSV (none)' : bytes[7] === 3 ? 'ELFOSABI_LINUX' : 'other ABI');
  row(8, 1, 'EI_ABIVERSION', String(bytes[8]), 'ABI version');
  row(9, 7, 'EI_PAD', '', 'padding (zero)');
  fields(16, ELF_HEADER);

  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (phentsize < 32 || at + 32 > bytes.length) {
      out.push(`program header ${i}: outside the file (truncated)`);
      break;
    }
    out.push('', `program header ${i} (${phentsize} bytes at offset ${hexValue(at)})`);
    fields(at, PROGRAM_HEADER);
  }
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (!shdrFits(i)) {
      out.push(`section header ${i}: outside the file (truncated)`);
      break;
    }
    out.push('', `section header ${i} "${context.sectionNames(read(at, 4))}" (${shentsize} bytes at offset ${hexValue(at)})`);
    fields(at, SECTION_HEADER);
  }
  return out.join('\n') + '\n';
}
