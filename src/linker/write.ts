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
import { EM_386, ET_EXEC, SHT_STRTAB } from './elf.js';
import { ELF_HEADER_SIZE, PROGRAM_HEADER_SIZE, TINY_PHDR_OFFSET, alignUp, type Layout } from './layout.js';
import type { OutputSection, Segment } from './types.js';

const SECTION_HEADER_SIZE = 40;

class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(o: number, v: number) {
    this.view.setUint8(o, v);
  }
  u16(o: number, v: number) {
    this.view.setUint16(o, v, true);
  }
  u32(o: number, v: number) {
    this.view.setUint32(o, v >>> 0, true);
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
  w.bytes.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* LSB */, 1 /* EV_CURRENT */], 0);
  w.u16(16, ET_EXEC);
  w.u16(18, EM_386);
  w.u32(20, 1);
  w.u32(24, h.entry);
  w.u32(28, h.phoff);
  w.u32(32, h.shoff);
  w.u32(36, 0);
  w.u16(40, ELF_HEADER_SIZE);
  w.u16(42, PROGRAM_HEADER_SIZE);
  w.u16(44, h.phnum);
  w.u16(46, h.shentsize);
  w.u16(48, h.shnum);
  w.u16(50, h.shstrndx);
}

function writeProgramHeader(w: Writer, offset: number, seg: Segment): void {
  w.u32(offset, seg.type);
  w.u32(offset + 4, seg.offset);
  w.u32(offset + 8, seg.vaddr);
  w.u32(offset + 12, seg.vaddr);
  w.u32(offset + 16, seg.filesz);
  w.u32(offset + 20, seg.memsz);
  w.u32(offset + 24, seg.flags);
  w.u32(offset + 28, seg.align);
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
  const names = ['.shstrtab', ...emitted.map((s) => s.name)];
  const encoder = new TextEncoder();
  const nameOffsets = new Map<string, number>();
  const parts: number[] = [0];
  for (const name of names) {
    if (nameOffsets.has(name)) continue;
    nameOffsets.set(name, parts.length);
    parts.push(...encoder.encode(name), 0);
  }
  const shstrtab = Uint8Array.from(parts);
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

  const header = (
    index: number,
    f: {
      name: number;
      type: number;
      flags: number;
      addr: number;
      offset: number;
      size: number;
      align: number;
      entsize: number;
    },
  ) => {
    const o = shoff + index * SECTION_HEADER_SIZE;
    w.u32(o, f.name);
    w.u32(o + 4, f.type);
    w.u32(o + 8, f.flags);
    w.u32(o + 12, f.addr);
    w.u32(o + 16, f.offset);
    w.u32(o + 20, f.size);
    w.u32(o + 24, 0);
    w.u32(o + 28, 0);
    w.u32(o + 32, f.align);
    w.u32(o + 36, f.entsize);
  };
  emitted.forEach((s, i) => {
    header(i + 1, {
      name: nameOffsets.get(s.name)!,
      type: s.type,
      flags: s.flags,
      addr: s.address,
      offset: s.fileOffset,
      size: s.size,
      align: s.align,
      entsize: s.entsize,
    });
  });
  header(shnum - 1, {
    name: nameOffsets.get('.shstrtab')!,
    type: SHT_STRTAB,
    flags: 0,
    addr: 0,
    offset: shstrtabOffset,
    size: shstrtab.length,
    align: 1,
    entsize: 0,
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
