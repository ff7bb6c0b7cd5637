/**
 * A validating reader for the parts of an ELF file: header, section
 * headers, symbols and relocations, for either class. Bytes in, typed
 * records out, with an ElfFormatError for anything malformed (never an
 * exception from a bad index). What a tool accepts (machine, file type,
 * REL or RELA) is the tool's policy, checked by the tool.
 */
import {
  EI_NIDENT,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHN_XINDEX,
  SHT_SYMTAB_SHNDX,
  SHT_NOBITS,
  SHT_NULL,
  SHT_RELA,
  SHT_SYMTAB,
} from './constants.js';
import { stringAt } from './strings.js';
import {
  ELF_HEADER,
  ELF_SIZES,
  REL,
  RELA,
  SECTION_HEADER,
  SYMBOL,
  readStruct,
  relocationSymbol,
  relocationType,
  symbolBind,
  symbolType,
  symbolVisibility,
  viewOf,
  type ElfClass,
  type ElfHeaderField,
  type Struct,
} from './structures.js';

/** The file is not well-formed ELF; the message says where. */
export class ElfFormatError extends Error {}

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
  /** st_shndx; for an SHN_XINDEX symbol its real section index from .symtab_shndx (see extendedIndex). */
  shndx: number;
  /**
   * Set when shndx came from .symtab_shndx: then it is a section's index even at SHN_LORESERVE or
   * above, where st_shndx values are reserved ones (SHN_ABS, SHN_COMMON). Ask hasReservedIndex.
   */
  extendedIndex?: true;
}

/** Whether the symbol's index is a reserved one (SHN_ABS, SHN_COMMON, …), not a section's. */
export function hasReservedIndex(symbol: ElfSymbol): boolean {
  return symbol.extendedIndex !== true && symbol.shndx >= SHN_LORESERVE;
}

/** Whether the symbol's index is the reserved `value` (SHN_ABS, SHN_COMMON). */
export function hasSpecialIndex(symbol: ElfSymbol, value: number): boolean {
  return symbol.extendedIndex !== true && symbol.shndx === value;
}

export interface ElfRelocation {
  offset: number;
  type: number;
  symbolIndex: number;
  /** Explicit addend (RELA); absent for REL, whose addend is in the patched field. */
  addend?: number;
}

export interface ElfObject {
  sections: ElfSection[];
  symbols: ElfSymbol[];
  /** Relocations keyed by the index of the section they patch. */
  relocations: Map<number, ElfRelocation[]>;
}

export type ElfHeader = Struct<ElfHeaderField>;

function fail(message: string): never {
  throw new ElfFormatError(message);
}

/** The ELF header after e_ident (the caller has checked magic, class and byte order). */
export function readElfHeader(bytes: Uint8Array, cls: ElfClass): ElfHeader {
  if (bytes.length < ELF_SIZES[cls].elfHeader) fail('truncated ELF header');
  return readStruct(viewOf(bytes), EI_NIDENT, ELF_HEADER[cls]);
}

function name(table: Uint8Array, offset: number, what: string): string {
  return stringAt(table, offset) ?? fail(`${what}: string offset ${offset} out of range`);
}

/** Every section header, with its name and a view of its contents. */
export function readSections(bytes: Uint8Array, cls: ElfClass, header: ElfHeader): ElfSection[] {
  const { e_shoff: shoff, e_shentsize: shentsize } = header;
  const entrySize = ELF_SIZES[cls].sectionHeader;
  if (header.e_shnum === 0 && shoff === 0) fail('object has no section headers');
  if (shentsize !== entrySize) fail(`bad section header size ${shentsize}`);
  if (shoff + entrySize > bytes.length) fail('truncated: section header table extends past end of file');
  // ELF extended numbering: past SHN_LORESERVE headers, e_shnum is 0 and section 0's sh_size holds
  // the count; a name table index that high is SHN_XINDEX there and section 0's sh_link holds it.
  const first = readStruct(viewOf(bytes), shoff, SECTION_HEADER[cls]);
  const shnum = header.e_shnum === 0 ? first.sh_size : header.e_shnum;
  const shstrndx = header.e_shstrndx === SHN_XINDEX ? first.sh_link : header.e_shstrndx;
  if (shnum === 0) fail('object has no section headers');
  if (shoff + shnum * entrySize > bytes.length) fail('truncated: section header table extends past end of file');
  if (shstrndx >= shnum) fail('bad section name table index');
  const view = viewOf(bytes);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const h = readStruct(view, shoff + i * entrySize, SECTION_HEADER[cls]);
    if (h.sh_type !== SHT_NOBITS && h.sh_type !== SHT_NULL && h.sh_offset + h.sh_size > bytes.length)
      fail(`truncated: section ${i} extends past end of file`);
    raw.push(h);
  }
  const names = raw[shstrndx]!;
  const nameTable = bytes.subarray(names.sh_offset, names.sh_offset + names.sh_size);
  return raw.map((h, index) => ({
    index,
    name: index === 0 ? '' : name(nameTable, h.sh_name, `section ${index} name`),
    type: h.sh_type,
    flags: h.sh_flags,
    offset: h.sh_offset,
    size: h.sh_size,
    link: h.sh_link,
    info: h.sh_info,
    addralign: Math.max(1, h.sh_addralign),
    entsize: h.sh_entsize,
    data:
      h.sh_type === SHT_NOBITS || h.sh_type === SHT_NULL
        ? new Uint8Array(0)
        : bytes.subarray(h.sh_offset, h.sh_offset + h.sh_size),
  }));
}

/** The entries of the (first) SHT_SYMTAB section; empty when there is none. */
export function readSymbols(bytes: Uint8Array, cls: ElfClass, sections: readonly ElfSection[]): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  if (symtab.link >= sections.length) fail('bad string table link of .symtab');
  const strtab = sections[symtab.link]!.data;
  const entrySize = ELF_SIZES[cls].symbol;
  const view = viewOf(bytes);
  const symbols: ElfSymbol[] = [];
  const count = Math.floor(symtab.size / entrySize);
  const extendedIndices = extendedSectionIndices(sections, symtab, count);
  for (let i = 0; i < count; i++) {
    const e = readStruct(view, symtab.offset + i * entrySize, SYMBOL[cls]);
    const symbol: ElfSymbol = {
      index: i,
      name: name(strtab, e.st_name, `symbol ${i} name`),
      value: e.st_value,
      size: e.st_size,
      bind: symbolBind(e.st_info),
      type: symbolType(e.st_info),
      visibility: symbolVisibility(e.st_other),
      shndx: e.st_shndx,
    };
    // From section 0xff00 on the index does not fit st_shndx: it is the symbol's word in .symtab_shndx.
    if (symbol.shndx === SHN_XINDEX) {
      if (extendedIndices === null)
        fail(`symbol ${symbol.name || i} has an extended section index but no .symtab_shndx`);
      symbol.shndx = extendedIndices.getUint32(i * 4, true);
      symbol.extendedIndex = true;
      if (symbol.shndx === 0 || symbol.shndx >= sections.length)
        fail(`symbol ${symbol.name || i} has bad extended section index ${symbol.shndx}`);
      symbols.push(symbol);
      continue;
    }
    if (symbol.shndx !== SHN_UNDEF && symbol.shndx < SHN_LORESERVE && symbol.shndx >= sections.length)
      fail(`symbol ${symbol.name || i} has bad section index ${symbol.shndx}`);
    symbols.push(symbol);
  }
  return symbols;
}

/** The SHT_SYMTAB_SHNDX section that goes with `symtab` (one 32-bit word per symbol), if there is one. */
function extendedSectionIndices(sections: readonly ElfSection[], symtab: ElfSection, count: number): DataView | null {
  const table = sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === symtab.index);
  if (!table) return null;
  if (table.size < count * 4) fail(`${table.name} is shorter than its symbol table`);
  return new DataView(table.data.buffer, table.data.byteOffset, table.data.byteLength);
}

/** The entries of one SHT_REL or SHT_RELA section, checked against the section and symbol counts. */
export function readRelocationSection(
  bytes: Uint8Array,
  cls: ElfClass,
  section: ElfSection,
  sectionCount: number,
  symbolCount: number,
): ElfRelocation[] {
  if (section.info >= sectionCount) fail(`relocation section ${section.name} applies to bad section ${section.info}`);
  const withAddend = section.type === SHT_RELA;
  const layout = withAddend ? RELA[cls] : REL[cls];
  const entrySize = withAddend ? ELF_SIZES[cls].rela : ELF_SIZES[cls].rel;
  const view = viewOf(bytes);
  const list: ElfRelocation[] = [];
  const count = Math.floor(section.size / entrySize);
  for (let i = 0; i < count; i++) {
    const e: Partial<Struct<'r_offset' | 'r_info' | 'r_addend'>> = readStruct(
      view,
      section.offset + i * entrySize,
      layout,
    );
    const relocation: ElfRelocation = {
      offset: e.r_offset ?? 0,
      type: relocationType(cls, e.r_info ?? 0),
      symbolIndex: relocationSymbol(cls, e.r_info ?? 0),
    };
    if (e.r_addend !== undefined) relocation.addend = e.r_addend;
    if (relocation.symbolIndex >= symbolCount)
      fail(`relocation ${i} in ${section.name} refers to bad symbol index ${relocation.symbolIndex}`);
    list.push(relocation);
  }
  return list;
}
