/**
 * The relocatable ELF file nasm 2.16.01 writes, for every ELF format it has
 * (elf32, elf64, elfx32); the formats differ only in class, machine, REL vs
 * RELA and the relocation types (see ElfTarget). The layout:
 *
 *   ELF header (52 bytes in ELF32, padded to 64; 64 in ELF64) ·
 *   section header table · each section's contents at the next 16-byte
 *   boundary, in header order: user sections, .shstrtab, .symtab, .strtab,
 *   then .rel<name> (.rela<name>) per section with relocations · file padded
 *   to 16. With `-g`, the DWARF sections (src/output/dwarf.ts) come after the
 *   user sections, each followed by its own relocation section.
 *
 * Symbol table: null, FILE (the input name as typed), one SECTION symbol per
 * section (with -g, then .debug_info's, .debug_abbrev's, .debug_line's), then locals, then globals, each group in definition order. Strings
 * in .strtab follow definition order across both groups. References to
 * symbols defined in this file relocate against their section's symbol.
 */
import type { ObjectFile, ObjectSection, ObjectSymbol, Relocation } from '../asm/object.js';
import {
  EI_NIDENT,
  ELF_HEADER,
  ELF_SIZES,
  EM_X86_64,
  ET_REL,
  EV_CURRENT,
  REL,
  RELA,
  SECTION_HEADER,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_MERGE,
  SHF_STRINGS,
  SHF_TLS,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHN_XINDEX,
  SHT_NOBITS,
  SHT_NOTE,
  SHT_PROGBITS,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  SHT_SYMTAB_SHNDX,
  STB_GLOBAL,
  STB_WEAK,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  STT_TLS,
  STV_DEFAULT,
  STV_HIDDEN,
  STV_INTERNAL,
  STV_PROTECTED,
  SYMBOL,
  StringTableBuilder,
  utf8AsBytes,
  relocationInfo,
  symbolInfo,
  viewOf,
  writeIdent,
  writeStruct,
  type ElfClass,
} from '../elf/index.js';
import { OutputWriteError } from '../asm/writer.js';
import { dwarfSections, type DebugSection } from './dwarf.js';

/** nasm puts the section header table at offset 64 in both classes (after the ELF32 header's padding). */
const SECTION_TABLE_OFFSET = 64;

export class ElfWriteError extends OutputWriteError {}

/** What distinguishes one ELF output format from another. */
export interface ElfTarget {
  cls: ElfClass;
  machine: number;
  /** RELA (explicit addends, fields zeroed) or REL (addends in place). */
  rela: boolean;
  /** The relocation type of a field; throws ElfWriteError for a field the format cannot express. */
  relocationType(r: Relocation): number;
  /**
   * Whether PC-relative fields aimed at a plain address (`jmp 0x1000`) get a relocation against
   * symbol 0. nasm's elf32 writes one; its elf64/elfx32 write none and leave the stored value.
   */
  relocatesAbsolute: boolean;
}

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

const emptyHeader = (): SectionHeader => ({
  name: 0,
  type: 0,
  flags: 0,
  offset: 0,
  size: 0,
  link: 0,
  info: 0,
  align: 0,
  entsize: 0,
  contents: null,
});

export function writeElfObject(obj: ObjectFile, target: ElfTarget): Uint8Array {
  const total = obj.sections.reduce((sum, s) => sum + s.data.length, 0);
  if (obj.outputLimit !== undefined && total > obj.outputLimit) {
    throw new ElfWriteError(
      `section contents total ${total} bytes, over the output size limit of ${obj.outputLimit} bytes` +
        ` (raise it with --output-limit)`,
      true,
    );
  }
  const sizes = ELF_SIZES[target.cls];
  const wordAlign = target.cls === 64 ? 8 : 4;
  // Symbol and section names come from the source, one character per byte.
  const shstrtab = new StringTableBuilder('bytes');
  const strtab = new StringTableBuilder('bytes');
  const headers: SectionHeader[] = [emptyHeader()];
  const sections = target.relocatesAbsolute
    ? obj.sections
    : obj.sections.map((s) => ({ ...s, relocations: s.relocations.filter((r) => r.target.kind !== 'absolute') }));

  // RELA: the assembler left each addend in its field; the file has it in the entry and zeros in the field.
  const contents = sections.map((s) => (target.rela ? withoutAddends(s) : { data: s.data, addends: [] }));
  // User sections: header index = position + 1.
  sections.forEach((s, i) => headers.push(userSectionHeader(s, shstrtab.add(s.name), contents[i]!.data)));

  // -g: the debug sections follow the user sections, each with its relocation section after it.
  const debugSections = obj.debug
    ? dwarfSections(obj, obj.debug, target.cls === 64 ? 8 : 4, target.machine === EM_X86_64 ? 3 : 2)
    : [];
  const debugHeaderCount = debugSections.reduce((n, d) => n + (d.relocations === null ? 1 : 2), 0);
  const debugSymbolSections: number[] = [];
  const debugSymbolOf = new Map<string, number>();
  {
    let header = headers.length;
    for (const d of debugSections) {
      if (d.sectionSymbol) {
        debugSymbolOf.set(d.name, 2 + sections.length + debugSymbolSections.length);
        debugSymbolSections.push(header);
      }
      header += d.relocations === null ? 1 : 2;
    }
  }
  const symbols = symbolTable(obj, strtab, target.cls, debugSymbolSections);
  const shstrtabIndex = headers.length + debugHeaderCount;
  for (const d of debugSections)
    headers.push(...debugHeaders(d, headers.length, shstrtab, target, shstrtabIndex + 1, debugSymbolOf));
  const shstrtabName = shstrtab.add('.shstrtab');
  const symtabName = shstrtab.add('.symtab');
  const strtabName = shstrtab.add('.strtab');
  const shndxName = symbols.extendedIndex ? shstrtab.add('.symtab_shndx') : 0;
  const symtabIndex = shstrtabIndex + 1;
  const strtabIndex = shstrtabIndex + 2;

  // Relocation sections, one per section that has relocations, named `.rel` / `.rela` + name.
  const relHeaders: SectionHeader[] = [];
  sections.forEach((s, i) => {
    if (s.relocations.length === 0) return;
    const entrySize = target.rela ? sizes.rela : sizes.rel;
    // One buffer for the whole table: a relocation-heavy file has hundreds of thousands of entries.
    const bytes = new Uint8Array(entrySize * s.relocations.length);
    const view = viewOf(bytes);
    s.relocations.forEach((r, k) => {
      // An absolute target (a PC-relative field aimed at a plain address) relocates against symbol 0.
      const symbol =
        r.target.kind === 'absolute'
          ? 0
          : r.target.kind === 'section'
            ? 2 + r.target.sectionIndex
            : symbols.index[r.target.symbolIndex]!;
      const fields = { r_offset: r.offset, r_info: relocationInfo(target.cls, symbol, target.relocationType(r)) };
      if (target.rela)
        writeStruct(view, k * entrySize, RELA[target.cls], { ...fields, r_addend: contents[i]!.addends[k]! });
      else writeStruct(view, k * entrySize, REL[target.cls], fields);
    });
    relHeaders.push({
      ...emptyHeader(),
      name: shstrtab.add((target.rela ? '.rela' : '.rel') + s.name),
      type: target.rela ? SHT_RELA : SHT_REL,
      size: bytes.length,
      link: symtabIndex,
      info: i + 1,
      align: wordAlign,
      entsize: entrySize,
      contents: bytes,
    });
  });

  const strtabBytes = strtab.bytes();
  const shstrtabBytes = shstrtab.bytes();
  headers.push({
    ...emptyHeader(),
    name: shstrtabName,
    type: SHT_STRTAB,
    size: shstrtabBytes.length,
    align: 1,
    contents: shstrtabBytes,
  });
  headers.push({
    ...emptyHeader(),
    name: symtabName,
    type: SHT_SYMTAB,
    size: symbols.bytes.length,
    link: strtabIndex,
    info: symbols.firstGlobal,
    align: wordAlign,
    entsize: sizes.symbol,
    contents: symbols.bytes,
  });
  headers.push({
    ...emptyHeader(),
    name: strtabName,
    type: SHT_STRTAB,
    size: strtabBytes.length,
    align: 1,
    contents: strtabBytes,
  });
  if (symbols.extendedIndex) {
    // nasm 2.16.01 gives this table entsize 0 and alignment 1 (measured).
    const bytes = new Uint8Array(symbols.extendedIndex.length * 4);
    const view = viewOf(bytes);
    symbols.extendedIndex.forEach((section, k) => {
      view.setUint32(k * 4, section, true);
    });
    headers.push({
      ...emptyHeader(),
      name: shndxName,
      type: SHT_SYMTAB_SHNDX,
      size: bytes.length,
      link: symtabIndex,
      align: 1,
      contents: bytes,
    });
  }
  headers.push(...relHeaders);
  return layOut(headers, shstrtabIndex, target);
}

/** Header, section header table, then contents at 16-byte boundaries; the file padded to 16. */
function layOut(headers: SectionHeader[], shstrtabIndex: number, target: ElfTarget): Uint8Array {
  const sizes = ELF_SIZES[target.cls];
  let cursor = SECTION_TABLE_OFFSET + headers.length * sizes.sectionHeader;
  for (let i = 1; i < headers.length; i++) {
    const h = headers[i]!;
    cursor = alignUp(cursor, 16);
    h.offset = cursor;
    if (h.type !== SHT_NOBITS) cursor += h.contents ? h.contents.length : 0;
  }
  const out = new Uint8Array(alignUp(cursor, 16));
  const view = viewOf(out);
  // ELF extended numbering (as nasm writes it): from SHN_LORESERVE section headers on, e_shnum is 0
  // and the count is section 0's sh_size; a name table index that high goes to its sh_link.
  const extended = headers.length >= SHN_LORESERVE;
  if (extended) headers[0]!.size = headers.length;
  if (shstrtabIndex >= SHN_LORESERVE) headers[0]!.link = shstrtabIndex;
  writeIdent(out, target.cls);
  writeStruct(view, EI_NIDENT, ELF_HEADER[target.cls], {
    e_type: ET_REL,
    e_machine: target.machine,
    e_version: EV_CURRENT,
    e_shoff: SECTION_TABLE_OFFSET,
    e_ehsize: sizes.elfHeader,
    e_shentsize: sizes.sectionHeader,
    e_shnum: extended ? 0 : headers.length,
    e_shstrndx: shstrtabIndex >= SHN_LORESERVE ? SHN_XINDEX : shstrtabIndex,
  });
  headers.forEach((h, i) => {
    writeStruct(view, SECTION_TABLE_OFFSET + i * sizes.sectionHeader, SECTION_HEADER[target.cls], {
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

interface SymbolTableBytes {
  bytes: Uint8Array;
  /** The table index of each object symbol. */
  index: Int32Array;
  firstGlobal: number;
  /** .symtab_shndx's words, when a section index is SHN_LORESERVE or more. */
  extendedIndex: Uint32Array | null;
}

/** The symbol table's bytes, the table index of each object symbol, and the index of the first global. */
function symbolTable(
  obj: ObjectFile,
  strtab: StringTableBuilder,
  cls: ElfClass,
  debugSymbolSections: readonly number[],
): SymbolTableBytes {
  // Strings are added in definition order (locals and globals mixed).
  // The file name is text (a path), not source bytes: its UTF-8 bytes, as nasm writes the name it was given.
  const fileNameOffset = strtab.add(utf8AsBytes(obj.sourceName));
  const stringOffsets = obj.symbols.map((sym) => strtab.add(sym.name));
  const order: number[] = [];
  for (let i = 0; i < obj.symbols.length; i++) if (obj.symbols[i]!.binding === 'local') order.push(i);
  const globalsFrom = order.length;
  for (let i = 0; i < obj.symbols.length; i++) if (obj.symbols[i]!.binding === 'global') order.push(i);
  const firstSymbolIndex = 2 + obj.sections.length + debugSymbolSections.length; // null, FILE, section symbols
  const index = new Int32Array(obj.symbols.length);
  order.forEach((i, k) => (index[i] = firstSymbolIndex + k));

  // One buffer and one view for every entry (a label-heavy file has hundreds of thousands).
  const entrySize = ELF_SIZES[cls].symbol;
  const count = firstSymbolIndex + order.length;
  const bytes = new Uint8Array(entrySize * count);
  const view = viewOf(bytes);
  // Section indices from SHN_LORESERVE on are SHN_XINDEX in the entry and whole in .symtab_shndx
  // (word k for symbol k, zero for the others).
  const extendedIndex = obj.sections.length >= SHN_LORESERVE ? new Uint32Array(count) : null;
  const shndxOf = (symbol: number, section: number): number => {
    if (section < SHN_LORESERVE || extendedIndex === null) return section;
    extendedIndex[symbol] = section;
    return SHN_XINDEX;
  };
  symbolEntry(view, 0, cls, 0, 0n, 0, 0, 0);
  symbolEntry(view, entrySize, cls, fileNameOffset, 0n, 0, symbolInfo(STB_LOCAL, STT_FILE), SHN_ABS);
  for (let i = 0; i < obj.sections.length; i++)
    symbolEntry(view, (2 + i) * entrySize, cls, 0, 0n, 0, symbolInfo(STB_LOCAL, STT_SECTION), shndxOf(2 + i, i + 1));
  // nasm types them STT_SECTION, except in a file without user sections: then st_info is 0
  // (NOTYPE, measured on an empty source and on one of commons only).
  const debugInfo = obj.sections.length === 0 ? 0 : symbolInfo(STB_LOCAL, STT_SECTION);
  debugSymbolSections.forEach((header, k) => {
    const at = 2 + obj.sections.length + k;
    symbolEntry(view, at * entrySize, cls, 0, 0n, 0, debugInfo, shndxOf(at, header));
  });
  order.forEach((i, k) => {
    const at = firstSymbolIndex + k;
    objectSymbolEntry(view, at * entrySize, cls, obj, obj.symbols[i]!, stringOffsets[i]!, (section) =>
      shndxOf(at, section),
    );
  });
  return { bytes, index, firstGlobal: firstSymbolIndex + globalsFrom, extendedIndex };
}

/**
 * A debug section's header (PROGBITS, no flags) and, when it has one, its relocation section's
 * (nasm writes it even empty), right after it. Relocations against a user section use that
 * section's symbol, against a debug section the debug section's own symbol.
 */
function debugHeaders(
  d: DebugSection,
  index: number,
  shstrtab: StringTableBuilder,
  target: ElfTarget,
  symtabIndex: number,
  debugSymbolOf: ReadonlyMap<string, number>,
): SectionHeader[] {
  const data = d.data.slice();
  const section: SectionHeader = {
    ...emptyHeader(),
    name: shstrtab.add(d.name),
    type: SHT_PROGBITS,
    size: data.length,
    align: d.align,
    contents: data,
  };
  if (d.relocations === null) return [section];
  const sizes = ELF_SIZES[target.cls];
  const entrySize = target.rela ? sizes.rela : sizes.rel;
  const bytes = new Uint8Array(entrySize * d.relocations.length);
  const view = viewOf(bytes);
  d.relocations.forEach((r, k) => {
    const symbol = r.target.kind === 'section' ? 2 + r.target.sectionIndex : debugSymbolOf.get(r.target.name)!;
    const type = target.relocationType({
      offset: r.offset,
      size: r.size,
      relative: false,
      target: { kind: 'section', sectionIndex: 0 },
      wrt: null,
    });
    const fields = { r_offset: r.offset, r_info: relocationInfo(target.cls, symbol, type) };
    if (target.rela) {
      data.fill(0, r.offset, r.offset + r.size);
      writeStruct(view, k * entrySize, RELA[target.cls], { ...fields, r_addend: BigInt(r.addend) });
    } else writeStruct(view, k * entrySize, REL[target.cls], fields);
  });
  const relocations: SectionHeader = {
    ...emptyHeader(),
    name: shstrtab.add((target.rela ? '.rela' : '.rel') + d.name),
    type: target.rela ? SHT_RELA : SHT_REL,
    size: bytes.length,
    link: symtabIndex,
    info: index,
    align: target.cls === 64 ? 8 : 4,
    entsize: entrySize,
    contents: bytes,
  };
  return [section, relocations];
}

/** A section's bytes with every relocated field zeroed, and the addends those fields held. */
function withoutAddends(s: ObjectSection): { data: Uint8Array; addends: bigint[] } {
  if (s.relocations.length === 0 || s.attributes.kind === 'nobits') return { data: s.data, addends: [] };
  const data = s.data.slice();
  const addends = s.relocations.map((r) => {
    let value = 0n;
    for (let k = r.size - 1; k >= 0; k--) value = (value << 8n) | BigInt(data[r.offset + k] ?? 0);
    data.fill(0, r.offset, r.offset + r.size);
    return r.wideAddend ?? BigInt.asIntN(r.size * 8, value);
  });
  return { data, addends };
}

function userSectionHeader(s: ObjectSection, name: number, data: Uint8Array): SectionHeader {
  const a = s.attributes;
  const flags =
    (a.alloc ? SHF_ALLOC : 0) |
    (a.write ? SHF_WRITE : 0) |
    (a.exec ? SHF_EXECINSTR : 0) |
    (a.merge === true ? SHF_MERGE : 0) |
    (a.strings === true ? SHF_STRINGS : 0) |
    (a.tls ? SHF_TLS : 0);
  const type = a.kind === 'nobits' ? SHT_NOBITS : a.kind === 'note' ? SHT_NOTE : SHT_PROGBITS;
  return {
    ...emptyHeader(),
    name,
    type,
    flags,
    size: s.size,
    align: a.align,
    entsize: a.entrySize ?? 0,
    contents: a.kind === 'nobits' ? null : data,
  };
}

function symbolEntry(
  view: DataView,
  at: number,
  cls: ElfClass,
  name: number,
  value: bigint,
  size: number,
  info: number,
  shndx: number,
  other = 0,
): void {
  writeStruct(view, at, SYMBOL[cls], {
    st_name: name,
    st_value: BigInt.asUintN(cls, value),
    st_size: size,
    st_info: info,
    st_other: other,
    st_shndx: shndx,
  });
}

const VISIBILITY: Readonly<Record<ObjectSymbol['visibility'], number>> = {
  default: STV_DEFAULT,
  internal: STV_INTERNAL,
  hidden: STV_HIDDEN,
  protected: STV_PROTECTED,
};

function objectSymbolEntry(
  view: DataView,
  at: number,
  cls: ElfClass,
  obj: ObjectFile,
  s: ObjectSymbol,
  name: number,
  sectionField: (section: number) => number,
): void {
  const binding = s.binding === 'global' ? (s.weak === true ? STB_WEAK : STB_GLOBAL) : STB_LOCAL;
  let shndx: number;
  if (s.section === 'abs') shndx = SHN_ABS;
  else if (s.section === 'undef') shndx = SHN_UNDEF;
  else if (s.section === 'common') shndx = SHN_COMMON;
  else shndx = sectionField(s.section + 1);
  // nasm types every symbol of a TLS section STT_TLS, whatever `:function`/`:data` said.
  const inTls = typeof s.section === 'number' && obj.sections[s.section]?.attributes.tls === true;
  const type = inTls ? STT_TLS : s.type === 'function' ? STT_FUNC : s.type === 'object' ? STT_OBJECT : STT_NOTYPE;
  symbolEntry(view, at, cls, name, s.value, s.size, symbolInfo(binding, type), shndx, VISIBILITY[s.visibility]);
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
