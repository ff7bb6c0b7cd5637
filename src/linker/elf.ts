/**
 * ELF32 (i386, little-endian) constants and a validating reader for
 * relocatable objects. Everything here is pure: bytes in, typed records out,
 * with a LinkError for anything malformed (never an exception from a bad
 * array index).
 */

export const ET_REL = 1;
export const ET_EXEC = 2;
export const EM_386 = 3;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_GROUP = 17;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_MERGE = 0x10;
export const SHF_STRINGS = 0x20;
export const SHF_INFO_LINK = 0x40;
export const SHF_GROUP = 0x200;
export const SHF_TLS = 0x400;
export const SHF_EXCLUDE = 0x80000000;

export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_LORESERVE = 0xff00;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_TLS = 6;

export const PT_LOAD = 1;
export const PT_GNU_STACK = 0x6474e551;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const R_386_NONE = 0;
export const R_386_32 = 1;
export const R_386_PC32 = 2;
export const R_386_PLT32 = 4;
export const R_386_16 = 20;
export const R_386_PC16 = 21;
export const R_386_8 = 22;
export const R_386_PC8 = 23;

/** Names as readelf prints them, for diagnostics and the map. */
export const RELOC_NAMES: Readonly<Record<number, string>> = {
  0: 'R_386_NONE',
  1: 'R_386_32',
  2: 'R_386_PC32',
  3: 'R_386_GOT32',
  4: 'R_386_PLT32',
  5: 'R_386_COPY',
  6: 'R_386_GLOB_DAT',
  7: 'R_386_JUMP_SLOT',
  8: 'R_386_RELATIVE',
  9: 'R_386_GOTOFF',
  10: 'R_386_GOTPC',
  20: 'R_386_16',
  21: 'R_386_PC16',
  22: 'R_386_8',
  23: 'R_386_PC8',
  43: 'R_386_GOT32X',
};

/** A user-facing failure: the message is printed after `tsld: error: `. */
export class LinkError extends Error {}

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
  /** File bytes (empty for SHT_NOBITS). A view into the input, never mutated. */
  data: Uint8Array;
}

export interface ElfSymbol {
  index: number;
  name: string;
  value: number;
  size: number;
  bind: number;
  type: number;
  visibility: number;
  shndx: number;
}

export interface ElfRelocation {
  offset: number;
  type: number;
  symbolIndex: number;
}

export interface ElfObject {
  sections: ElfSection[];
  symbols: ElfSymbol[];
  /** Relocations keyed by the index of the section they patch. */
  relocations: Map<number, ElfRelocation[]>;
}

function cString(bytes: Uint8Array, start: number, what: string): string {
  if (start >= bytes.length) throw new LinkError(`${what}: string offset ${start} out of range`);
  let end = start;
  while (end < bytes.length && bytes[end] !== 0) end++;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  // Symbol names are bytes; decode as UTF-8 so non-ASCII names print sensibly.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end));
  } catch {
    return s;
  }
}

/** Parses an ELF32 i386 relocatable object. `name` is used in error messages. */
export function readElfObject(name: string, bytes: Uint8Array): ElfObject {
  const fail = (msg: string): never => {
    throw new LinkError(`${name}: ${msg}`);
  };
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    fail('file format not recognized');
  }
  if (bytes.length < 16) fail('truncated ELF header');
  if (bytes[4] === 2) fail('64-bit ELF object is not supported (tsld links ELF32 i386 only; assemble with -f elf32)');
  if (bytes[4] !== 1) fail(`unknown ELF class ${bytes[4]}`);
  if (bytes[5] !== 1) fail('big-endian ELF object is not supported');
  if (bytes.length < 52) fail('truncated ELF header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const type = u16(16);
  const machine = u16(18);
  if (type !== ET_REL)
    fail(type === ET_EXEC ? 'is an executable, not a relocatable object' : `not a relocatable object (e_type ${type})`);
  if (machine !== EM_386) fail(`unsupported machine ${machine} (expected Intel 80386)`);
  const shoff = u32(32);
  const shentsize = u16(46);
  const shnum = u16(48);
  const shstrndx = u16(50);
  if (shnum === 0) fail('object has no section headers');
  if (shentsize !== 40) fail(`bad section header size ${shentsize}`);
  if (shoff + shnum * 40 > bytes.length) fail('truncated: section header table extends past end of file');
  if (shstrndx >= shnum) fail('bad section name table index');

  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 40;
    const sec = {
      nameOffset: u32(o),
      type: u32(o + 4),
      flags: u32(o + 8),
      offset: u32(o + 16),
      size: u32(o + 20),
      link: u32(o + 24),
      info: u32(o + 28),
      addralign: u32(o + 32),
      entsize: u32(o + 36),
    };
    if (sec.type !== SHT_NOBITS && sec.type !== SHT_NULL && sec.offset + sec.size > bytes.length) {
      fail(`truncated: section ${i} extends past end of file`);
    }
    raw.push(sec);
  }
  const shstr = raw[shstrndx]!;
  const shstrData = bytes.subarray(shstr.offset, shstr.offset + shstr.size);
  const sections: ElfSection[] = raw.map((s, index) => ({
    index,
    name: index === 0 ? '' : cString(shstrData, s.nameOffset, `${name}: section ${index} name`),
    type: s.type,
    flags: s.flags,
    offset: s.offset,
    size: s.size,
    link: s.link,
    info: s.info,
    addralign: Math.max(1, s.addralign),
    entsize: s.entsize,
    data:
      s.type === SHT_NOBITS || s.type === SHT_NULL ? new Uint8Array(0) : bytes.subarray(s.offset, s.offset + s.size),
  }));

  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols: ElfSymbol[] = [];
  if (symtab) {
    if (symtab.link >= shnum) fail('bad string table link of .symtab');
    const strtab = sections[symtab.link]!.data;
    const count = Math.floor(symtab.size / 16);
    for (let i = 0; i < count; i++) {
      const o = symtab.offset + i * 16;
      const info = bytes[o + 12]!;
      const sym: ElfSymbol = {
        index: i,
        name: cString(strtab, u32(o), `${name}: symbol ${i} name`),
        value: u32(o + 4),
        size: u32(o + 8),
        bind: info >> 4,
        type: info & 0xf,
        visibility: bytes[o + 13]! & 3,
        shndx: u16(o + 14),
      };
      if (sym.shndx !== SHN_UNDEF && sym.shndx < SHN_LORESERVE && sym.shndx >= shnum)
        fail(`symbol ${sym.name || i} has bad section index ${sym.shndx}`);
      symbols.push(sym);
    }
  }

  const relocations = new Map<number, ElfRelocation[]>();
  for (const sec of sections) {
    if (sec.type === SHT_RELA) fail(`RELA relocations (section ${sec.name}) are not used on i386 and not supported`);
    if (sec.type !== SHT_REL) continue;
    if (sec.info >= shnum) fail(`relocation section ${sec.name} applies to bad section ${sec.info}`);
    const list: ElfRelocation[] = [];
    const count = Math.floor(sec.size / 8);
    for (let i = 0; i < count; i++) {
      const o = sec.offset + i * 8;
      const info = u32(o + 4);
      const rel = { offset: u32(o), type: info & 0xff, symbolIndex: info >>> 8 };
      if (rel.symbolIndex >= symbols.length)
        fail(`relocation ${i} in ${sec.name} refers to bad symbol index ${rel.symbolIndex}`);
      list.push(rel);
    }
    relocations.set(sec.info, list);
  }
  return { sections, symbols, relocations };
}
