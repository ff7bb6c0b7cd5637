/**
 * Stage 6, writeHeader/writeSections: serialise the image.
 *
 * Default mode produces the bytes `ld … && strip -R .comment -s` produce:
 * ELF header, program headers, section contents at their file offsets,
 * then `.shstrtab` (".shstrtab" first, then the section names in order, as
 * strip writes it) and the 4-aligned section header table.
 *
 * Tiny mode: the single program header starts at offset 44, inside the
 * ELF header. Its first 8 bytes (p_type = 1, p_offset = 0) double as
 * e_phnum = 1, e_shentsize = 0, e_shnum = 0, e_shstrndx = SHN_UNDEF —
 * exactly the values a file without section headers needs, so every field
 * keeps a valid meaning for readelf, elflint and every loader.
 * Invariant on entry: relocations applied, layout final.
 */
import {
  EM_386,
  ELF_HEADER,
  ELF_SIZES,
  ET_EXEC,
  EV_CURRENT,
  EI_NIDENT,
  PROGRAM_HEADER,
  SECTION_HEADER,
  SHT_STRTAB,
  StringTableBuilder,
  viewOf,
  writeIdent,
  writeStruct,
  type SectionHeaderField,
} from '../elf/index.js';
import { ELF_HEADER_SIZE, PROGRAM_HEADER_SIZE, TINY_PHDR_OFFSET, alignUp, type Layout } from './layout.js';
import type { OutputSection, Segment } from './types.js';

const SECTION_HEADER_SIZE = ELF_SIZES[32].sectionHeader;

class Writer {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = viewOf(this.bytes);
  }
}

interface HeaderFields {
  entry: number;
  phoff: number;
  shoff: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

function writeElfHeader(w: Writer, h: HeaderFields): void {
  // No EI_OSABI byte: ld writes ELFOSABI_SYSV (0) for a static i386 executable.
  writeIdent(w.bytes, 32);
  writeStruct(w.view, EI_NIDENT, ELF_HEADER[32], {
    e_type: ET_EXEC,
    e_machine: EM_386,
    e_version: EV_CURRENT,
    e_entry: h.entry,
    e_phoff: h.phoff,
    e_shoff: h.shoff,
    e_flags: 0,
    e_ehsize: ELF_HEADER_SIZE,
    e_phentsize: PROGRAM_HEADER_SIZE,
    e_phnum: h.phnum,
    e_shentsize: h.shentsize,
    e_shnum: h.shnum,
    e_shstrndx: h.shstrndx,
  });
}

function writeProgramHeader(w: Writer, offset: number, seg: Segment): void {
  writeStruct(w.view, offset, PROGRAM_HEADER[32], {
    p_type: seg.type,
    p_offset: seg.offset,
    p_vaddr: seg.vaddr,
    p_paddr: seg.vaddr,
    p_filesz: seg.filesz,
    p_memsz: seg.memsz,
    p_flags: seg.flags,
    p_align: seg.align,
  });
}

/** ld fills gaps in x86 code with two-byte `66 90` NOPs, ending with a single `90` when odd. */
function nopFill(bytes: Uint8Array, start: number, length: number): void {
  for (let i = 0; i < length; i++)
    bytes[start + i] = i === length - 1 && length % 2 === 1 ? 0x90 : i % 2 === 0 ? 0x66 : 0x90;
}

function writeSectionContents(w: Writer, sections: OutputSection[]): void {
  for (const out of sections) {
    if (out.nobits) continue;
    let cursor = 0;
    for (const input of out.inputs) {
      if (out.fillWithNops && input.outputOffset > cursor)
        nopFill(w.bytes, out.fileOffset + cursor, input.outputOffset - cursor);
      if (!input.nobits) w.bytes.set(input.data, out.fileOffset + input.outputOffset);
      cursor = input.outputOffset + input.size;
    }
  }
}

export function writeDefault(layout: Layout): Uint8Array {
  const { segments, emitted } = layout;
  // strip writes ".shstrtab" first, then each distinct section name in order.
  const names = new StringTableBuilder();
  const shstrtabName = names.intern('.shstrtab');
  const nameOffsets = emitted.map((section) => names.intern(section.name));
  const shstrtab = names.bytes();
  const shstrtabOffset = layout.contentEnd;
  const shoff = alignUp(shstrtabOffset + shstrtab.length, 4);
  const shnum = emitted.length + 2;
  const w = new Writer(shoff + shnum * SECTION_HEADER_SIZE);

  writeElfHeader(w, {
    entry: layout.entry,
    phoff: ELF_HEADER_SIZE,
    shoff,
    phnum: segments.length,
    shentsize: SECTION_HEADER_SIZE,
    shnum,
    shstrndx: shnum - 1,
  });
  segments.forEach((seg, i) => {
    writeProgramHeader(w, ELF_HEADER_SIZE + i * PROGRAM_HEADER_SIZE, seg);
  });
  writeSectionContents(w, emitted);
  w.bytes.set(shstrtab, shstrtabOffset);

  const header = (index: number, fields: Partial<Record<SectionHeaderField, number>>) => {
    writeStruct(w.view, shoff + index * SECTION_HEADER_SIZE, SECTION_HEADER[32], fields);
  };
  emitted.forEach((s, i) => {
    header(i + 1, {
      sh_name: nameOffsets[i]!,
      sh_type: s.type,
      sh_flags: s.flags,
      sh_addr: s.address,
      sh_offset: s.fileOffset,
      sh_size: s.size,
      sh_addralign: s.align,
      sh_entsize: s.entsize,
    });
  });
  header(shnum - 1, {
    sh_name: shstrtabName,
    sh_type: SHT_STRTAB,
    sh_offset: shstrtabOffset,
    sh_size: shstrtab.length,
    sh_addralign: 1,
  });
  return w.bytes;
}

export function writeTiny(layout: Layout): Uint8Array {
  const segment = layout.segments[0]!;
  const w = new Writer(layout.contentEnd);
  // The program header's p_type/p_offset overlay e_phnum..e_shstrndx; see the file comment.
  writeElfHeader(w, {
    entry: layout.entry,
    phoff: TINY_PHDR_OFFSET,
    shoff: 0,
    phnum: 1,
    shentsize: 0,
    shnum: 0,
    shstrndx: 0,
  });
  writeProgramHeader(w, TINY_PHDR_OFFSET, segment);
  writeSectionContents(w, layout.emitted);
  return w.bytes;
}
