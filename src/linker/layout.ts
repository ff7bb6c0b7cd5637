/**
 * Stage 4, assignAddresses: give every output section (and so every input
 * section and symbol) its virtual address and file offset.
 *
 * Default mode reproduces `ld -m elf_i386|elf_x86_64 -z noseparate-code`
 * followed by `strip -R .comment -s`: the text segment starts at the
 * target's base (0x08048000 or 0x400000) with the ELF and program headers,
 * sections follow at their alignment; the data segment starts at
 * DATA_SEGMENT_ALIGN — the same offset within the next page. ld's relro
 * sizing moves it (observed with binutils 2.40): when relro sections
 * (.got, .init_array, …) exist they are pushed up so that their end plus
 * the reserved part of .got.plt falls on a page boundary, and a
 * PT_GNU_RELRO covers them; otherwise an .eh_frame section puts the data
 * segment at the next page boundary.
 * Tiny mode packs everything after the (overlapping) headers in one segment.
 * Invariant on exit: for every emitted section, fileOffset ≡ address (mod
 * page size) and sections within a segment do not overlap.
 */
import { PF_R, PF_W, PF_X, PT_GNU_RELRO, PT_GNU_STACK, PT_LOAD, SHF_EXECINSTR, SHF_WRITE } from '../elf/index.js';
import { GOT_SYMBOL } from './got.js';
import { addressIn } from './relocate.js';
import type { Target } from './target.js';
import type { GlobalSymbol, LinkDiagnostic, OutputSection, Segment } from './types.js';

export const PAGE_SIZE = 0x1000;

/**
 * In --tiny the single program header starts 8 bytes before the ELF header
 * ends in ELF32 (see write.ts); ELF64 has no such overlap whose fields all
 * stay valid, so there it follows the header.
 */
export function tinyProgramHeaderOffset(target: Target): number {
  return target.cls === 32 ? target.sizes.elfHeader - 8 : target.sizes.elfHeader;
}

export interface Layout {
  segments: Segment[];
  /** Sections actually written (non-empty), in order. */
  emitted: OutputSection[];
  /** File offset just past the last byte of section contents. */
  contentEnd: number;
  entry: number;
  base: number;
  target: Target;
}

export const alignUp = (value: number, align: number): number =>
  align <= 1 ? value : Math.ceil(value / align) * align;

/** Places inputs inside an output section starting at `address`; sets size. */
function placeInputs(out: OutputSection, address: number, honourAlign: (align: number) => number): void {
  out.address = address;
  let offset = 0;
  for (const input of out.inputs) {
    offset = alignUp(address + offset, honourAlign(input.align)) - address;
    input.outputOffset = offset;
    offset += input.size;
  }
  out.size = alignUp(address + offset, out.endAlign) - address;
}

function segmentFlags(sections: OutputSection[], base: number): number {
  let flags = PF_R | base;
  for (const s of sections) {
    if (s.flags & SHF_EXECINSTR) flags |= PF_X;
    if (s.flags & SHF_WRITE) flags |= PF_W;
  }
  return flags;
}

/**
 * `textAddress` is ld's -Ttext: .text itself starts there and the headers
 * go in the page(s) just below, where the text segment then starts.
 */
export function assignAddresses(
  outputs: OutputSection[],
  target: Target,
  options: { textAddress?: number | undefined; tiny?: boolean | undefined },
): Layout {
  const emitted = outputs.filter((o) => !o.empty);
  const hasData = emitted.some((o) => o.segment === 'data');
  const relro = emitted.filter((o) => o.segment === 'data' && target.relroSections.has(o.name));
  const phnum = (hasData ? 3 : 2) + (relro.length > 0 ? 1 : 0);
  const headersSize = target.sizes.elfHeader + target.sizes.programHeader * phnum;
  const textAddress = options.textAddress;
  if (options.tiny) {
    const tinyBase = textAddress === undefined ? target.base : Math.floor(textAddress / PAGE_SIZE) * PAGE_SIZE;
    return tinyLayout(outputs, emitted, tinyBase, target);
  }
  const base =
    textAddress === undefined
      ? target.base
      : Math.floor(Math.max(0, textAddress - headersSize) / PAGE_SIZE) * PAGE_SIZE;
  let dot = base + headersSize;
  const identity = (a: number) => a;

  for (const out of outputs) {
    if (out.segment !== 'text') continue;
    if (out.empty) {
      placeInputs(out, dot, identity);
      continue;
    }
    dot = out.name === '.text' && textAddress !== undefined ? textAddress : alignUp(dot, out.align);
    placeInputs(out, dot, identity);
    out.fileOffset = out.address - base;
    dot += out.size;
  }
  const textEnd = dot;
  const textSections = emitted.filter((o) => o.segment === 'text');
  const segments: Segment[] = [
    {
      type: PT_LOAD,
      flags: segmentFlags(textSections, 0),
      offset: 0,
      vaddr: base,
      filesz: textEnd - base,
      memsz: textEnd - base,
      align: PAGE_SIZE,
      sections: textSections,
    },
  ];
  const dataOutputs = outputs.filter((o) => o.segment === 'data');
  let dataStart: number;
  if (relro.length > 0) {
    dataStart = relroDataStart(dataOutputs, relro, textEnd, target);
  } else if (emitted.some((o) => o.name === '.eh_frame')) {
    dataStart = alignUp(textEnd, PAGE_SIZE);
  } else {
    dataStart = dataSegmentStart(dataOutputs, textEnd, target);
  }
  const contentEnd = placeDataSegment(dataOutputs, dataStart, textEnd - base, segments);
  segments.push({
    type: PT_GNU_STACK,
    flags: PF_R | PF_W,
    offset: 0,
    vaddr: 0,
    filesz: 0,
    memsz: 0,
    align: 16,
    sections: [],
  });
  if (relro.length > 0) {
    const first = relro[0]!;
    const last = relro[relro.length - 1]!;
    const end = alignUp(last.address + last.size + gotPltReserve(dataOutputs, target), PAGE_SIZE);
    segments.push({
      type: PT_GNU_RELRO,
      flags: PF_R,
      offset: first.fileOffset,
      vaddr: first.address,
      filesz: end - first.address,
      memsz: end - first.address,
      align: 1,
      sections: relro,
    });
  }
  return { segments, emitted, contentEnd, entry: 0, base, target };
}

/** ld's DATA_SEGMENT_ALIGN(MAXPAGESIZE, COMMONPAGESIZE) with both 4 KiB: same offset, next page. */
function dataSegmentAlign(dot: number): number {
  return alignUp(dot, PAGE_SIZE) + (dot & (PAGE_SIZE - 1));
}

/**
 * Where ld starts a data segment without relro sections: at DATA_SEGMENT_ALIGN, unless that can
 * be a page of memory less. Once the segment is sized (up to DATA_SEGMENT_END, after .bss and the
 * word alignment before `_end`), ld moves it to the page boundary itself when it straddles a page
 * boundary and its bytes before the first boundary plus those after the last fit in one page
 * (documented under DATA_SEGMENT_ALIGN; measured: a 0x124f80-byte .data after 0x1e84ac bytes of
 * text starts at 0x08231000, not 0x0823152c). The file then gets padding up to that page instead.
 */
function dataSegmentStart(dataOutputs: OutputSection[], textEnd: number, target: Target): number {
  const start = dataSegmentAlign(textEnd);
  placeDataSegment(dataOutputs, start, 0, []);
  let end = start;
  for (const out of dataOutputs) if (!out.empty) end = Math.max(end, out.address + out.size);
  end = alignUp(end, target.wordAlign);
  const before = (PAGE_SIZE - (start & (PAGE_SIZE - 1))) & (PAGE_SIZE - 1);
  const after = end & (PAGE_SIZE - 1);
  const straddles = Math.floor(start / PAGE_SIZE) !== Math.floor(end / PAGE_SIZE);
  return before !== 0 && after !== 0 && straddles && before + after <= PAGE_SIZE ? alignUp(textEnd, PAGE_SIZE) : start;
}

/** The `offset` of DATA_SEGMENT_RELRO_END: the reserved .got.plt words when .got.plt is emitted. */
function gotPltReserve(dataOutputs: OutputSection[], target: Target): number {
  const gotPlt = dataOutputs.find((o) => o.name === '.got.plt' && !o.empty);
  return gotPlt && gotPlt.size >= target.gotPltSize ? target.gotPltSize : 0;
}

/**
 * ld's relro sizing: lay the data segment out at DATA_SEGMENT_ALIGN, take
 * the end of the relro sections plus the .got.plt reserve, round it up to a
 * page, then move the relro sections (last first, each as high as its
 * alignment allows) so they end exactly that reserve below the boundary.
 */
function relroDataStart(dataOutputs: OutputSection[], relro: OutputSection[], textEnd: number, target: Target): number {
  const trial = dataSegmentAlign(textEnd);
  placeDataSegment(dataOutputs, trial, 0, []);
  const last = relro[relro.length - 1]!;
  const reserve = gotPltReserve(dataOutputs, target);
  let desiredEnd = alignUp(last.address + last.size + reserve, PAGE_SIZE) - reserve;
  for (let i = relro.length - 1; i >= 0; i--) {
    const out = relro[i]!;
    desiredEnd = Math.floor((desiredEnd - out.size) / out.align) * out.align;
  }
  return desiredEnd;
}

/**
 * Places the data-segment sections from `start`; appends its PT_LOAD to
 * `segments` and returns the new end of file content (`contentEnd` when the
 * segment adds none).
 */
function placeDataSegment(
  dataOutputs: OutputSection[],
  start: number,
  contentEnd: number,
  segments: Segment[],
): number {
  const identity = (a: number) => a;
  let dot = start;
  let segment: Segment | null = null;
  let progbitsEnd = 0;
  for (const out of dataOutputs) {
    if (out.empty) {
      placeInputs(out, dot, identity);
      continue;
    }
    dot = alignUp(dot, out.align);
    placeInputs(out, dot, identity);
    if (!segment) {
      const offset = contentEnd + ((((out.address - contentEnd) % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE);
      segment = {
        type: PT_LOAD,
        flags: PF_R | PF_W,
        offset,
        vaddr: out.address,
        filesz: 0,
        memsz: 0,
        align: PAGE_SIZE,
        sections: [],
      };
      progbitsEnd = out.address;
      segments.push(segment);
    }
    segment.sections.push(out);
    if (out.nobits) {
      // ld+strip leave a NOBITS section's offset where the file content stopped.
      out.fileOffset = segment.offset + (progbitsEnd - segment.vaddr);
    } else {
      out.fileOffset = segment.offset + (out.address - segment.vaddr);
      progbitsEnd = out.address + out.size;
    }
    dot += out.size;
  }
  if (!segment) return contentEnd;
  segment.flags = segmentFlags(segment.sections, 0);
  segment.filesz = progbitsEnd - segment.vaddr;
  segment.memsz = dot - segment.vaddr;
  // A data segment of pure .bss adds no file content.
  return segment.filesz > 0 ? segment.offset + segment.filesz : contentEnd;
}

function tinyLayout(outputs: OutputSection[], emitted: OutputSection[], base: number, target: Target): Layout {
  // Code alignment only buys speed, and x86 tolerates misaligned loads and
  // stores, so code alignment and data alignments up to 4 are dropped to
  // save bytes; larger data alignments (SSE operands) are kept.
  const dataAlign = (a: number) => (a > 4 ? a : 1);
  const codeAlign = () => 1;
  let dot = base + tinyProgramHeaderOffset(target) + target.sizes.programHeader;
  let progbitsEnd = dot;
  // PROGBITS first, then NOBITS, so zero-fill never costs file bytes.
  const ordered = [...outputs.filter((o) => !o.nobits), ...outputs.filter((o) => o.nobits)];
  for (const out of ordered) {
    const tinyAlign = out.flags & SHF_EXECINSTR ? codeAlign : dataAlign;
    if (out.empty) {
      placeInputs(out, dot, tinyAlign);
      continue;
    }
    dot = alignUp(dot, tinyAlign(out.align));
    placeInputs(out, dot, tinyAlign);
    out.fileOffset = out.address - base;
    dot += out.size;
    if (!out.nobits) progbitsEnd = dot;
  }
  for (const out of emitted) if (out.nobits) out.fileOffset = progbitsEnd - base;
  const segment: Segment = {
    type: PT_LOAD,
    flags: PF_R | PF_W | PF_X,
    offset: 0,
    vaddr: base,
    filesz: progbitsEnd - base,
    memsz: dot - base,
    align: PAGE_SIZE,
    sections: ordered.filter((o) => !o.empty),
  };
  return {
    segments: [segment],
    emitted: ordered.filter((o) => !o.empty),
    contentEnd: progbitsEnd - base,
    entry: 0,
    base,
    target,
  };
}

const PROVIDED = ['__executable_start', 'etext', '_etext', '__etext', 'edata', '_edata', '__bss_start', 'end', '_end'];

/**
 * Final symbol addresses, plus the symbols ld's default script provides
 * (only when referenced and not defined by an input, like PROVIDE).
 */
export function assignSymbolAddresses(
  symbols: Map<string, GlobalSymbol>,
  layout: Layout,
  gotBase: number | undefined,
): void {
  const { emitted, base, target } = layout;
  const textEnd = Math.max(
    base,
    ...emitted.filter((o) => o.segment === 'text' && o.flags & SHF_EXECINSTR).map((o) => o.address + o.size),
  );
  const dataProgbits = emitted.filter((o) => o.segment === 'data' && !o.nobits);
  const lastAll = Math.max(base, ...emitted.map((o) => o.address + o.size));
  const dataEnd = dataProgbits.length ? Math.max(...dataProgbits.map((o) => o.address + o.size)) : lastAll;
  const values: Record<string, number> = {
    __executable_start: base,
    etext: textEnd,
    _etext: textEnd,
    __etext: textEnd,
    edata: dataEnd,
    _edata: dataEnd,
    __bss_start: dataEnd,
    end: alignUp(lastAll, target.wordAlign),
    _end: alignUp(lastAll, target.wordAlign),
  };
  for (const name of PROVIDED) {
    const g = symbols.get(name);
    if (g && g.state === 'undefined') {
      g.state = 'defined';
      g.weak = false;
      g.linkerDefined = true;
      g.value = values[name]!;
    }
  }
  if (gotBase !== undefined) {
    const g = symbols.get(GOT_SYMBOL);
    if (g && g.state === 'undefined') {
      g.state = 'defined';
      g.weak = false;
      g.linkerDefined = true;
      g.value = gotBase;
    }
  }
  for (const g of symbols.values()) {
    if (g.state === 'undefined') g.address = 0;
    else if (g.section?.mergedInto) g.address = addressIn(g.section, g.value);
    else if (g.section)
      g.address = g.section.output ? g.section.output.address + g.section.outputOffset + g.value : g.value;
    else g.address = g.value;
  }
}

/** ld's entry rules: the named symbol, else a number, else a warning and the .text address. */
export function resolveEntry(
  symbols: Map<string, GlobalSymbol>,
  outputs: OutputSection[],
  entryName: string | undefined,
  diagnostics: LinkDiagnostic[],
): number {
  const name = entryName ?? '_start';
  const g = symbols.get(name);
  if (g && g.state !== 'undefined') return g.address >>> 0;
  if (entryName !== undefined && /^(0x[0-9a-f]+|[0-9]+)$/i.test(entryName)) return Number(entryName) >>> 0;
  const text =
    outputs.find((o) => o.name === '.text' && !o.empty) ?? outputs.find((o) => o.flags & SHF_EXECINSTR && !o.empty);
  const fallback = text ? text.address : 0;
  diagnostics.push({
    severity: 'warning',
    message: `cannot find entry symbol ${name}; defaulting to ${fallback.toString(16).padStart(8, '0')}`,
  });
  return fallback;
}
