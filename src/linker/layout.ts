/**
 * Stage 4, assignAddresses: give every output section (and so every input
 * section and symbol) its virtual address and file offset.
 *
 * Default mode reproduces `ld -m elf_i386 -z noseparate-code` followed by
 * `strip -R .comment -s`: the text segment starts at 0x08048000 with the ELF
 * and program headers, sections follow at their alignment; the data segment
 * starts at DATA_SEGMENT_ALIGN — the same offset within the next page (or,
 * when an .eh_frame section exists, ld's relro sizing pushes it to the next
 * page boundary; observed with binutils 2.40).
 * Tiny mode packs everything after a 76-byte header block in one segment.
 * Invariant on exit: for every emitted section, fileOffset ≡ address (mod
 * page size) and sections within a segment do not overlap.
 */
import { ELF_SIZES, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, SHF_EXECINSTR, SHF_WRITE } from '../elf/index.js';
import { addressIn } from './relocate.js';
import type { GlobalSymbol, LinkDiagnostic, OutputSection, Segment } from './types.js';

export const PAGE_SIZE = 0x1000;
export const DEFAULT_BASE = 0x08048000;
export const ELF_HEADER_SIZE = ELF_SIZES[32].elfHeader;
export const PROGRAM_HEADER_SIZE = ELF_SIZES[32].programHeader;
/** In --tiny the single program header starts 8 bytes before the ELF header ends (see write.ts). */
export const TINY_PHDR_OFFSET = 44;
export const TINY_HEADERS_SIZE = TINY_PHDR_OFFSET + PROGRAM_HEADER_SIZE;

export interface Layout {
  segments: Segment[];
  /** Sections actually written (non-empty), in order. */
  emitted: OutputSection[];
  /** File offset just past the last byte of section contents. */
  contentEnd: number;
  entry: number;
  base: number;
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
  options: { textAddress?: number | undefined; tiny?: boolean | undefined },
): Layout {
  const emitted = outputs.filter((o) => !o.empty);
  const hasData = emitted.some((o) => o.segment === 'data');
  const phnum = hasData ? 3 : 2;
  const headersSize = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE * phnum;
  const textAddress = options.textAddress;
  if (options.tiny) {
    const tinyBase = textAddress === undefined ? DEFAULT_BASE : Math.floor(textAddress / PAGE_SIZE) * PAGE_SIZE;
    return tinyLayout(outputs, emitted, tinyBase);
  }
  const base =
    textAddress === undefined
      ? DEFAULT_BASE
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
  let contentEnd = textEnd - base;

  const hasEhFrame = emitted.some((o) => o.name === '.eh_frame');
  dot = hasEhFrame ? alignUp(dot, PAGE_SIZE) : alignUp(dot, PAGE_SIZE) + (dot & (PAGE_SIZE - 1));
  let segment: Segment | null = null;
  let progbitsEnd = 0;
  for (const out of outputs) {
    if (out.segment !== 'data') continue;
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
  if (segment) {
    segment.flags = segmentFlags(segment.sections, 0);
    segment.filesz = progbitsEnd - segment.vaddr;
    segment.memsz = dot - segment.vaddr;
    // A data segment of pure .bss adds no file content.
    if (segment.filesz > 0) contentEnd = segment.offset + segment.filesz;
  }
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
  return { segments, emitted, contentEnd, entry: 0, base };
}

function tinyLayout(outputs: OutputSection[], emitted: OutputSection[], base: number): Layout {
  // Code alignment only buys speed, and x86 tolerates misaligned loads and
  // stores, so code alignment and data alignments up to 4 are dropped to
  // save bytes; larger data alignments (SSE operands) are kept.
  const dataAlign = (a: number) => (a > 4 ? a : 1);
  const codeAlign = () => 1;
  let dot = base + TINY_HEADERS_SIZE;
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
  };
}

const PROVIDED = ['__executable_start', 'etext', '_etext', '__etext', 'edata', '_edata', '__bss_start', 'end', '_end'];

/**
 * Final symbol addresses, plus the symbols ld's default script provides
 * (only when referenced and not defined by an input, like PROVIDE).
 */
export function assignSymbolAddresses(symbols: Map<string, GlobalSymbol>, layout: Layout): void {
  const { emitted, base } = layout;
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
    end: alignUp(lastAll, 4),
    _end: alignUp(lastAll, 4),
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
