/**
 * Stage 6, writeHeader/writeSections: serialise the image.
 *
 * Default mode produces the bytes `ld … && strip -R .comment -s` produce:
 * ELF header, program headers, section contents at their file offsets,
 * then `.shstrtab` (".shstrtab" first, then the section names in order, as
 * strip writes it) and the 4-aligned section header table.
 *
 * Tiny mode, ELF32: the single program header starts at offset 44, inside
 * the ELF header. Its first 8 bytes (p_type = 1, p_offset = 0) double as
 * e_phnum = 1, e_shentsize = 0, e_shnum = 0, e_shstrndx = SHN_UNDEF —
 * exactly the values a file without section headers needs, so every field
 * keeps a valid meaning for readelf, elflint and every loader. ELF64 puts
 * p_flags second, where e_shnum would read as 5 or 7 with no section
 * table, so there the program header simply follows the 64-byte header.
 * Invariant on entry: relocations applied, layout final.
 */
import {
  ELF_HEADER,
  ET_EXEC,
  EV_CURRENT,
  EI_NIDENT,
  PROGRAM_HEADER,
  SECTION_HEADER,
  SHT_STRTAB,
  SHN_LORESERVE,
  SHN_XINDEX,
  StringTableBuilder,
  viewOf,
  writeIdent,
  writeStruct,
  type SectionHeaderField,
} from '../elf/index.js';
import { alignUp, tinyProgramHeaderOffset, type Layout } from './layout.js';
import type { Target } from './target.js';
import type { OutputSection, Segment } from './types.js';

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

function writeElfHeader(w: Writer, target: Target, h: HeaderFields): void {
  // No EI_OSABI byte: ld writes ELFOSABI_SYSV (0) for a static executable.
  writeIdent(w.bytes, target.cls);
  writeStruct(w.view, EI_NIDENT, ELF_HEADER[target.cls], {
    e_type: ET_EXEC,
    e_machine: target.machine,
    e_version: EV_CURRENT,
    e_entry: h.entry,
    e_phoff: h.phoff,
    e_shoff: h.shoff,
    e_flags: 0,
    e_ehsize: target.sizes.elfHeader,
    e_phentsize: target.sizes.programHeader,
    e_phnum: h.phnum,
    e_shentsize: h.shentsize,
    e_shnum: h.shnum,
    e_shstrndx: h.shstrndx,
  });
}

function writeProgramHeader(w: Writer, target: Target, offset: number, seg: Segment): void {
  writeStruct(w.view, offset, PROGRAM_HEADER[target.cls], {
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

/**
 * The recommended multi-byte NOPs of the Intel SDM ("NOP—No Operation"),
 * 1 to 9 bytes, plus the 10-byte form with a CS prefix.
 */
const LONG_NOPS: readonly (readonly number[])[] = [
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

/**
 * ld fills gaps in x86 code with the longest NOPs it allows, a shorter one
 * last: at most 2 bytes (`66 90`, then `90`) for i386, 10 for x86-64.
 */
function nopFill(bytes: Uint8Array, start: number, length: number, longest: number): void {
  let at = start;
  let left = length;
  while (left > 0) {
    const size = Math.min(left, longest);
    bytes.set(LONG_NOPS[size - 1]!, at);
    at += size;
    left -= size;
  }
}

function writeSectionContents(w: Writer, sections: OutputSection[], longestNop: number): void {
  for (const out of sections) {
    if (out.nobits) continue;
    let cursor = 0;
    for (const input of out.inputs) {
      if (out.fillWithNops && input.outputOffset > cursor)
        nopFill(w.bytes, out.fileOffset + cursor, input.outputOffset - cursor, longestNop);
      if (!input.nobits) w.bytes.set(input.data, out.fileOffset + input.outputOffset);
      cursor = input.outputOffset + input.size;
    }
  }
}

export function writeDefault(layout: Layout): Uint8Array {
  const { segments, emitted, target } = layout;
  const { elfHeader, programHeader, sectionHeader } = target.sizes;
  // strip writes ".shstrtab" first, then each distinct section name in order.
  const names = new StringTableBuilder();
  const shstrtabName = names.intern('.shstrtab');
  const nameOffsets = emitted.map((section) => names.intern(section.name));
  const shstrtab = names.bytes();
  const shstrtabOffset = layout.contentEnd;
  const shoff = alignUp(shstrtabOffset + shstrtab.length, target.sectionTableAlign);
  const shnum = emitted.length + 2;
  const w = new Writer(shoff + shnum * sectionHeader);
  const header = (index: number, fields: Partial<Record<SectionHeaderField, number>>) => {
    writeStruct(w.view, shoff + index * sectionHeader, SECTION_HEADER[target.cls], fields);
  };

  writeElfHeader(w, target, {
    entry: layout.entry,
    phoff: elfHeader,
    shoff,
    phnum: segments.length,
    shentsize: sectionHeader,
    // ELF extended numbering (as ld + strip write it): from SHN_LORESERVE headers on, e_shnum is 0
    // with the count in section 0's sh_size, and e_shstrndx SHN_XINDEX with the index in its sh_link.
    shnum: shnum >= SHN_LORESERVE ? 0 : shnum,
    shstrndx: shnum - 1 >= SHN_LORESERVE ? SHN_XINDEX : shnum - 1,
  });
  if (shnum >= SHN_LORESERVE)
    header(0, { sh_size: shnum, ...(shnum - 1 >= SHN_LORESERVE ? { sh_link: shnum - 1 } : {}) });
  segments.forEach((seg, i) => {
    writeProgramHeader(w, target, elfHeader + i * programHeader, seg);
  });
  writeSectionContents(w, emitted, target.longestNop);
  w.bytes.set(shstrtab, shstrtabOffset);
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
  const { target } = layout;
  const segment = layout.segments[0]!;
  const w = new Writer(layout.contentEnd);
  const phoff = tinyProgramHeaderOffset(target);
  // In ELF32 the program header's p_type/p_offset overlay e_phnum..e_shstrndx; see the file comment.
  writeElfHeader(w, target, {
    entry: layout.entry,
    phoff,
    shoff: 0,
    phnum: 1,
    shentsize: 0,
    shnum: 0,
    shstrndx: 0,
  });
  writeProgramHeader(w, target, phoff, segment);
  writeSectionContents(w, layout.emitted, target.longestNop);
  return w.bytes;
}
