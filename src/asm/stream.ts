/**
 * The section/segment streamer: where bytes go. It keeps the sections (each
 * with its offset in the current pass and, in the final pass, its bytes and
 * relocations), the `absolute` space, and the segment ids values are relative
 * to (one per section, one per extern or common symbol, as NASM has it).
 */
import { makeValue, type Value } from '../core/value.js';
import { ByteBuffer } from './buffer.js';
import type { Relocation, SectionAttributes } from './object.js';
import { binDefaultAttributes, elfDefaultAttributes } from './sections.js';
import type { SymbolEntry } from './symbols.js';
import { isElfFormat, type OutputFormatName } from './writer.js';

export interface SectionState {
  /** Position in SectionStream.sections. */
  index: number;
  name: string;
  segment: number;
  attributes: SectionAttributes;
  /** Declared by a `section` directive (vs the implicit default section). */
  declared: boolean;
  /** Order of first declaration (ELF section order); implicit default gets +Infinity. */
  declaredOrder: number;
  /** Current offset during a pass. */
  offset: number;
  /** Used at all (code, data or a label) — an unused implicit .text is not output. */
  used: boolean;
  /**
   * Bytes nasm leaves out of a nobits section's length in the ELF formats (final pass): it adds a relocated
   * sign-extended dword field of an instruction there as -4 bytes instead of 4 (measured: `.bss`
   * ends 8 bytes short per `mov [x],eax`, the labels after it keep their addresses).
   */
  nobitsShortfall: number;
  bytes: ByteBuffer;
  /** `targetSymbol`: set when the relocation names a defined global (`wrt ..sym` / `..got`) instead of its section. */
  /** `segmentBase`: a `seg x` field elf32 cannot express (reported; only the listing sees it). */
  /** `fromEnd`: a PC-relative field measured from the end of its instruction (branches, RIP-relative), for the listing. */
  relocations: Array<
    Relocation & {
      targetSegment: number;
      targetSymbol?: SymbolEntry;
      segmentBase?: true;
      fromEnd?: true;
      /** Shown in the listing only (`5 wrt ..plt`): the object gets no relocation. */
      listedOnly?: true;
    }
  >;
}

/**
 * What a segment id stands for. A `load` section segment (bin's `section.NAME.start`) is the
 * section's load address where its plain segment is its run address (`vstart`).
 */
export type Segment = { kind: 'section'; section: SectionState; load?: true } | { kind: 'extern'; symbol: SymbolEntry };

export class SectionStream {
  readonly sections: SectionState[] = [];
  readonly segments: Segment[] = [];
  private readonly sectionByName = new Map<string, SectionState>();
  private declarationCounter = 0;
  current!: SectionState;
  /** Set while in `absolute` mode: the absolute location counter. */
  absoluteOffset: number | null = null;
  /** Segment the absolute space is relative to (`absolute label+4` in .data), or null. */
  absoluteBase: number | null = null;

  constructor(private readonly format: OutputFormatName) {}

  /** Back to the start of the default section; the final pass starts with empty buffers. */
  beginPass(finalPass: boolean): void {
    this.absoluteOffset = null;
    for (const s of this.sections) {
      s.offset = 0;
      s.nobitsShortfall = 0;
      if (finalPass) {
        s.bytes = new ByteBuffer();
        s.relocations = [];
      }
    }
    this.current = this.sectionByName.get('.text') ?? this.createSection('.text', false);
  }

  /** `section name`: switches to it, creating or declaring it. */
  /** Whether a `section` line named it before (a section only used implicitly, like the first .text, was not). */
  isDeclared(name: string): boolean {
    return this.sectionByName.get(name)?.declared === true;
  }

  enterSection(name: string): SectionState {
    this.absoluteOffset = null;
    let section = this.sectionByName.get(name);
    if (!section) {
      section = this.createSection(name, true);
    } else if (!section.declared) {
      section.declared = true;
      section.declaredOrder = this.declarationCounter++;
    }
    this.current = section;
    return section;
  }

  private createSection(name: string, declared: boolean): SectionState {
    const attributes = isElfFormat(this.format) ? elfDefaultAttributes(name) : binDefaultAttributes(name);
    const section: SectionState = {
      index: this.sections.length,
      name,
      segment: this.segments.length,
      attributes,
      declared,
      declaredOrder: declared ? this.declarationCounter++ : Number.POSITIVE_INFINITY,
      offset: 0,
      used: false,
      nobitsShortfall: 0,
      bytes: new ByteBuffer(),
      relocations: [],
    };
    this.segments.push({ kind: 'section', section });
    this.sections.push(section);
    this.sectionByName.set(name, section);
    return section;
  }

  /** bin: the segment standing for a section's load address (made on first use). */
  loadSegmentOf(section: SectionState): number {
    const existing = this.loadSegments.get(section);
    if (existing !== undefined) return existing;
    const id = this.segments.length;
    this.segments.push({ kind: 'section', section, load: true });
    this.loadSegments.set(section, id);
    return id;
  }

  private readonly loadSegments = new Map<SectionState, number>();

  /** Gives an extern or common symbol a segment of its own; its value is offset 0 in it. */
  addSymbolSegment(sym: SymbolEntry): void {
    sym.segment = this.segments.length;
    this.segments.push({ kind: 'extern', symbol: sym });
    sym.value = makeValue(0n, sym.segment, false, null, false);
  }

  /** Offset of `$` in the current section (or the absolute counter). */
  hereOffset(): number {
    return this.absoluteOffset ?? this.current.offset;
  }

  /** The segment `$` is in (what hereValue().base is, without making the value). */
  hereBase(): number | null {
    return this.absoluteOffset !== null ? this.absoluteBase : this.current.segment;
  }

  hereValue(): Value {
    if (this.absoluteOffset !== null) {
      return makeValue(BigInt(this.absoluteOffset), this.absoluteBase, false, null, false);
    }
    return makeValue(BigInt(this.current.offset), this.current.segment, false, null, false);
  }

  /** `$$`: the start of the current section (0 in absolute space). */
  sectionStartValue(): Value {
    const base = this.absoluteOffset !== null ? null : this.current.segment;
    // Values are never modified: one per section in a row serves every expression evaluated there.
    if (this.lastSectionStart?.base !== base) this.lastSectionStart = makeValue(0n, base, false, null, false);
    return this.lastSectionStart;
  }

  private lastSectionStart: Value | null = null;

  advance(size: number): void {
    if (this.absoluteOffset !== null) {
      this.absoluteOffset += size;
      return;
    }
    this.current.offset += size;
    if (size > 0) this.current.used = true;
  }

  /** Reservations and data here take no file bytes (`absolute` space or a nobits section). */
  inBss(): boolean {
    return this.absoluteOffset !== null || this.current.attributes.kind === 'nobits';
  }

  /** Writes a little-endian field of the current section (appending, or patching an instruction's field). */
  storeField(at: number, size: number, stored: bigint): void {
    this.current.bytes.writeField(at, size, stored);
  }
}
