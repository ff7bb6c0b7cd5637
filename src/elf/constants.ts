/**
 * ELF constants: the numbers of the System V gABI and of the i386 and x86-64
 * psABI supplements. Every ELF number in tsnasm, tsld and the listing tools
 * comes from here.
 */

/** e_ident[] indices and values. */
export const EI_NIDENT = 16;
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const EI_OSABI = 7;
export const EI_ABIVERSION = 8;
export const ELF_MAGIC: readonly number[] = [0x7f, 0x45, 0x4c, 0x46];
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;
export const ELFOSABI_SYSV = 0;
export const ELFOSABI_LINUX = 3;

/** e_type */
export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

/** e_machine */
export const EM_386 = 3;
export const EM_ARM = 40;
export const EM_X86_64 = 62;

/** sh_type */
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
export const SHT_GROUP = 17;
/** The real st_shndx of symbols whose st_shndx is SHN_XINDEX (one 32-bit word per symbol). */
export const SHT_SYMTAB_SHNDX = 18;
export const SHT_X86_64_UNWIND = 0x70000001;
export const SHT_GNU_HASH = 0x6ffffff6;
export const SHT_GNU_VERNEED = 0x6ffffffe;
export const SHT_GNU_VERSYM = 0x6fffffff;

/** sh_flags */
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_MERGE = 0x10;
export const SHF_STRINGS = 0x20;
export const SHF_INFO_LINK = 0x40;
export const SHF_GROUP = 0x200;
export const SHF_TLS = 0x400;
export const SHF_EXCLUDE = 0x80000000;

/** Special section indices. */
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
/** The real index is elsewhere: e_shstrndx in section 0's sh_link, st_shndx in .symtab_shndx. */
export const SHN_XINDEX = 0xffff;

/** Symbol binding (st_info >> 4). */
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

/** Symbol type (st_info & 0xf). */
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;

/** Symbol visibility (st_other & 3). */
export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

/** p_type */
export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_SHLIB = 5;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;

/** p_flags */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** i386 relocation types (i386 psABI, "Relocation Types"). */
export const R_386_NONE = 0;
export const R_386_32 = 1;
export const R_386_PC32 = 2;
export const R_386_GOT32 = 3;
export const R_386_PLT32 = 4;
export const R_386_COPY = 5;
export const R_386_GLOB_DAT = 6;
export const R_386_JUMP_SLOT = 7;
export const R_386_RELATIVE = 8;
export const R_386_GOTOFF = 9;
export const R_386_GOTPC = 10;
export const R_386_TLS_IE = 15;
export const R_386_16 = 20;
export const R_386_PC16 = 21;
export const R_386_8 = 22;
export const R_386_PC8 = 23;
export const R_386_GOT32X = 43;

/** x86-64 relocation types (x86-64 psABI, "Relocation Types"). */
export const R_X86_64_NONE = 0;
export const R_X86_64_64 = 1;
export const R_X86_64_PC32 = 2;
export const R_X86_64_GOT32 = 3;
export const R_X86_64_PLT32 = 4;
export const R_X86_64_COPY = 5;
export const R_X86_64_GLOB_DAT = 6;
export const R_X86_64_JUMP_SLOT = 7;
export const R_X86_64_RELATIVE = 8;
export const R_X86_64_GOTPCREL = 9;
export const R_X86_64_32 = 10;
export const R_X86_64_32S = 11;
export const R_X86_64_16 = 12;
export const R_X86_64_PC16 = 13;
export const R_X86_64_8 = 14;
export const R_X86_64_PC8 = 15;
export const R_X86_64_DTPMOD64 = 16;
export const R_X86_64_DTPOFF64 = 17;
export const R_X86_64_TPOFF64 = 18;
export const R_X86_64_TLSGD = 19;
export const R_X86_64_TLSLD = 20;
export const R_X86_64_DTPOFF32 = 21;
export const R_X86_64_GOTTPOFF = 22;
export const R_X86_64_TPOFF32 = 23;
export const R_X86_64_PC64 = 24;
export const R_X86_64_GOTOFF64 = 25;
export const R_X86_64_GOTPC32 = 26;
export const R_X86_64_GOT64 = 27;
export const R_X86_64_GOTPCREL64 = 28;
export const R_X86_64_GOTPC64 = 29;
export const R_X86_64_GOTPLT64 = 30;
export const R_X86_64_PLTOFF64 = 31;
export const R_X86_64_SIZE32 = 32;
export const R_X86_64_SIZE64 = 33;
export const R_X86_64_GOTPC32_TLSDESC = 34;
export const R_X86_64_TLSDESC_CALL = 35;
export const R_X86_64_TLSDESC = 36;
export const R_X86_64_IRELATIVE = 37;
export const R_X86_64_GOTPCRELX = 41;
export const R_X86_64_REX_GOTPCRELX = 42;

/** i386 relocation names as readelf prints them. */
export const R_386_NAMES: Readonly<Record<number, string>> = {
  [R_386_NONE]: 'R_386_NONE',
  [R_386_32]: 'R_386_32',
  [R_386_PC32]: 'R_386_PC32',
  [R_386_GOT32]: 'R_386_GOT32',
  [R_386_PLT32]: 'R_386_PLT32',
  [R_386_COPY]: 'R_386_COPY',
  [R_386_GLOB_DAT]: 'R_386_GLOB_DAT',
  [R_386_JUMP_SLOT]: 'R_386_JUMP_SLOT',
  [R_386_RELATIVE]: 'R_386_RELATIVE',
  [R_386_GOTOFF]: 'R_386_GOTOFF',
  [R_386_GOTPC]: 'R_386_GOTPC',
  [R_386_TLS_IE]: 'R_386_TLS_IE',
  [R_386_16]: 'R_386_16',
  [R_386_PC16]: 'R_386_PC16',
  [R_386_8]: 'R_386_8',
  [R_386_PC8]: 'R_386_PC8',
  [R_386_GOT32X]: 'R_386_GOT32X',
};

/** x86-64 relocation names as readelf prints them. */
export const R_X86_64_NAMES: Readonly<Record<number, string>> = {
  [R_X86_64_NONE]: 'R_X86_64_NONE',
  [R_X86_64_64]: 'R_X86_64_64',
  [R_X86_64_PC32]: 'R_X86_64_PC32',
  [R_X86_64_GOT32]: 'R_X86_64_GOT32',
  [R_X86_64_PLT32]: 'R_X86_64_PLT32',
  [R_X86_64_COPY]: 'R_X86_64_COPY',
  [R_X86_64_GLOB_DAT]: 'R_X86_64_GLOB_DAT',
  [R_X86_64_JUMP_SLOT]: 'R_X86_64_JUMP_SLOT',
  [R_X86_64_RELATIVE]: 'R_X86_64_RELATIVE',
  [R_X86_64_GOTPCREL]: 'R_X86_64_GOTPCREL',
  [R_X86_64_32]: 'R_X86_64_32',
  [R_X86_64_32S]: 'R_X86_64_32S',
  [R_X86_64_16]: 'R_X86_64_16',
  [R_X86_64_PC16]: 'R_X86_64_PC16',
  [R_X86_64_8]: 'R_X86_64_8',
  [R_X86_64_PC8]: 'R_X86_64_PC8',
  [R_X86_64_DTPMOD64]: 'R_X86_64_DTPMOD64',
  [R_X86_64_DTPOFF64]: 'R_X86_64_DTPOFF64',
  [R_X86_64_TPOFF64]: 'R_X86_64_TPOFF64',
  [R_X86_64_TLSGD]: 'R_X86_64_TLSGD',
  [R_X86_64_TLSLD]: 'R_X86_64_TLSLD',
  [R_X86_64_DTPOFF32]: 'R_X86_64_DTPOFF32',
  [R_X86_64_GOTTPOFF]: 'R_X86_64_GOTTPOFF',
  [R_X86_64_TPOFF32]: 'R_X86_64_TPOFF32',
  [R_X86_64_PC64]: 'R_X86_64_PC64',
  [R_X86_64_GOTOFF64]: 'R_X86_64_GOTOFF64',
  [R_X86_64_GOTPC32]: 'R_X86_64_GOTPC32',
  [R_X86_64_GOT64]: 'R_X86_64_GOT64',
  [R_X86_64_GOTPCREL64]: 'R_X86_64_GOTPCREL64',
  [R_X86_64_GOTPC64]: 'R_X86_64_GOTPC64',
  [R_X86_64_GOTPLT64]: 'R_X86_64_GOTPLT64',
  [R_X86_64_PLTOFF64]: 'R_X86_64_PLTOFF64',
  [R_X86_64_SIZE32]: 'R_X86_64_SIZE32',
  [R_X86_64_SIZE64]: 'R_X86_64_SIZE64',
  [R_X86_64_GOTPC32_TLSDESC]: 'R_X86_64_GOTPC32_TLSDESC',
  [R_X86_64_TLSDESC_CALL]: 'R_X86_64_TLSDESC_CALL',
  [R_X86_64_TLSDESC]: 'R_X86_64_TLSDESC',
  [R_X86_64_IRELATIVE]: 'R_X86_64_IRELATIVE',
  [R_X86_64_GOTPCRELX]: 'R_X86_64_GOTPCRELX',
  [R_X86_64_REX_GOTPCRELX]: 'R_X86_64_REX_GOTPCRELX',
};

/** The relocation name table for a machine (readelf's spelling), or undefined for another machine. */
export function relocationNames(machine: number): Readonly<Record<number, string>> | undefined {
  return machine === EM_386 ? R_386_NAMES : machine === EM_X86_64 ? R_X86_64_NAMES : undefined;
}
