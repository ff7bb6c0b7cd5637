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

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHT_NOTE = 7;
const SHT_REL = 9;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;
const SHF_TLS = 0x400;
const SHN_ABS = 0xfff1;
const SHN_COMMON = 0xfff2;
const STB_LOCAL = 0;
const STB_GLOBAL = 1;
const STT_NOTYPE = 0;
const STT_OBJECT = 1;
const STT_FUNC = 2;
const STT_SECTION = 3;
const STT_FILE = 4;

const R_386_32 = 1;
const R_386_PC32 = 2;
const R_386_GOT32 = 3;
const R_386_PLT32 = 4;
const R_386_GOTOFF = 9;
const R_386_GOTPC = 10;
const R_386_16 = 20;
const R_386_PC16 = 21;
const R_386_8 = 22;
const R_386_PC8 = 23;

export class ElfWriteError extends Error {}

/** A string table built in insertion order. */
class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array([0])];
  private size = 1;
  add(s: string): number {
    const at = this.size;
    const bytes = new TextEncoder().encode(s + '\0');
    this.parts.push(bytes);
    this.size += bytes.length;
    return at;
  }
  bytes(): Uint8Array {
    return concat(this.parts);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
  const shstrtab = new StringTable();
  const strtab = new StringTable();
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
  symEntries.push(symbolEntry(fileNameOffset, 0, 0, (STB_LOCAL << 4) | STT_FILE, SHN_ABS));
  obj.sections.forEach((_, i) => symEntries.push(symbolEntry(0, 0, 0, (STB_LOCAL << 4) | STT_SECTION, i + 1)));
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
        r.target.kind === 'section' ? 2 + r.target.sectionIndex : symbolTableIndex.get(r.target.symbolIndex)!;
      const e = new Uint8Array(8);
      const v = new DataView(e.buffer);
      v.setUint32(0, r.offset, true);
      v.setUint32(4, (symbol << 8) | relocationType(r.size, r.relative, r.wrt), true);
      return e;
    });
    const contents = concat(entries);
    relHeaders.push({
      name: shstrtab.add('.rel' + s.name),
      type: SHT_REL,
      flags: 0,
      offset: 0,
      size: contents.length,
      link: symtabIndex,
      info: i + 1,
      align: 4,
      entsize: 8,
      contents,
    });
  });

  const strtabBytes = strtab.bytes();
  const symtabBytes = concat(symEntries);
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
    entsize: 16,
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

  // Layout: header (64), section headers, then contents at 16-byte boundaries.
  const shoff = 64;
  let cursor = shoff + headers.length * 40;
  for (let i = 1; i < headers.length; i++) {
    const h = headers[i]!;
    cursor = alignUp(cursor, 16);
    h.offset = cursor;
    if (h.type !== SHT_NOBITS) cursor += h.contents ? h.contents.length : 0;
  }
  const fileSize = alignUp(cursor, 16);
  const out = new Uint8Array(fileSize);
  const view = new DataView(out.buffer);

  // ELF header.
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0], 0);
  view.setUint16(16, 1, true); // ET_REL
  view.setUint16(18, 3, true); // EM_386
  view.setUint32(20, 1, true); // EV_CURRENT
  view.setUint32(32, shoff, true);
  view.setUint16(40, 52, true); // e_ehsize
  view.setUint16(46, 40, true); // e_shentsize
  view.setUint16(48, headers.length, true);
  view.setUint16(50, shstrtabIndex, true);

  headers.forEach((h, i) => {
    const at = shoff + i * 40;
    view.setUint32(at, h.name, true);
    view.setUint32(at + 4, h.type, true);
    view.setUint32(at + 8, h.flags, true);
    view.setUint32(at + 12, 0, true);
    view.setUint32(at + 16, h.offset, true);
    view.setUint32(at + 20, h.size, true);
    view.setUint32(at + 24, h.link, true);
    view.setUint32(at + 28, h.info, true);
    view.setUint32(at + 32, h.align, true);
    view.setUint32(at + 36, h.entsize, true);
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
  const e = new Uint8Array(16);
  const v = new DataView(e.buffer);
  v.setUint32(0, name, true);
  v.setUint32(4, value >>> 0, true);
  v.setUint32(8, size, true);
  v.setUint8(12, info);
  v.setUint16(14, shndx, true);
  return e;
}

function objectSymbolEntry(s: ObjectSymbol, name: number): Uint8Array {
  const binding = s.binding === 'global' ? STB_GLOBAL : STB_LOCAL;
  let shndx: number;
  if (s.section === 'abs') shndx = SHN_ABS;
  else if (s.section === 'undef') shndx = 0;
  else if (s.section === 'common') shndx = SHN_COMMON;
  else shndx = s.section + 1;
  const type = s.type === 'function' ? STT_FUNC : s.type === 'object' ? STT_OBJECT : STT_NOTYPE;
  return symbolEntry(name, Number(BigInt.asUintN(32, s.value)), s.size, (binding << 4) | type, shndx);
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
