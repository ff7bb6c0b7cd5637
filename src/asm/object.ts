/**
 * The object model: what the assembler core hands to the output writers.
 * Writers only serialise this; they make no layout decisions of their own
 * beyond their file format's rules.
 */

export type SectionKind = 'progbits' | 'nobits' | 'note';

export interface SectionAttributes {
  kind: SectionKind;
  alloc: boolean;
  exec: boolean;
  write: boolean;
  tls: boolean;
  /** Alignment in bytes (a power of two). */
  align: number;
  /** Set by `align=` or raised by `sectalign` (bin's map and nobits placement tell it from the default). */
  alignDefined?: boolean;
  /** `-f bin` only: `start=`, `vstart=`, `follows=`, `vfollows=`. */
  start: bigint | null;
  vstart: bigint | null;
  follows: string | null;
  vfollows: string | null;
  /** `-f bin` only: `valign=`, the alignment of the run address after `vfollows=` (nasm's default is 4). */
  valign: number | null;
  /** ELF only: `merge` (SHF_MERGE), `strings` (SHF_STRINGS) and the entry size (`byte` … `zword`, `pointer`). */
  merge?: boolean;
  strings?: boolean;
  entrySize?: number;
}

/**
 * What a relocated field refers to. `absolute` is a PC-relative field whose
 * target is a plain number (`jmp 0x1000`): ELF relocates it against symbol 0
 * (*ABS*), bin subtracts the field's run address.
 */
export type RelocationTarget =
  | { kind: 'section'; sectionIndex: number; /** bin: the section's load address, not its vstart. */ load?: true }
  | { kind: 'symbol'; symbolIndex: number }
  | { kind: 'absolute' };

export interface Relocation {
  /** Offset of the field within its section. */
  offset: number;
  size: 1 | 2 | 4 | 8;
  relative: boolean;
  target: RelocationTarget;
  /**
   * `wrt ..sym`, `..gotpc`, `..gotoff`, `..got` or `..plt`, without the dots (elf32's PIC relocations);
   * elf64 adds `..gottpoff` (`..tlsie` is refused there).
   */
  wrt: 'sym' | 'gotpc' | 'gotoff' | 'got' | 'plt' | 'gottpoff' | 'tlsie' | null;
  /** The field is sign-extended by the CPU (imm32 of a 64-bit operation, disp32 of a 64-bit address): R_X86_64_32S. */
  signed?: boolean;
  /**
   * The addend when it does not fit the field (`dd label+0x100000000`): RELA formats write it whole
   * (nasm does), where the field's bytes hold only its low part.
   */
  wideAddend?: bigint;
}

export interface ObjectSection {
  name: string;
  attributes: SectionAttributes;
  /** Contents (length = size for progbits; empty for nobits). */
  data: Uint8Array;
  size: number;
  relocations: Relocation[];
}

export type SymbolBinding = 'local' | 'global';

export interface ObjectSymbol {
  name: string;
  binding: SymbolBinding;
  /** Index into `sections`, or 'abs' for absolute values, 'undef' for externs, 'common' for commons. */
  section: number | 'abs' | 'undef' | 'common';
  value: bigint;
  size: number;
  /** ELF symbol type (`global x:function`). */
  type: 'notype' | 'function' | 'object';
  /** ELF weak binding (`global x:weak`, `extern x:weak`) of a global symbol; absent = false. */
  weak?: boolean;
  /** ELF visibility (`global x:hidden`): st_other. */
  visibility: 'default' | 'internal' | 'hidden' | 'protected';
  /** For commons: the requested alignment (ELF stores it in st_value). */
  commonAlign: number;
  /** True for symbols a relocation refers to (ELF drops unreferenced externs). */
  referenced: boolean;
}

export type MapOption = 'all' | 'brief' | 'sections' | 'segments' | 'symbols';

/** bin's `[map …]`: what to list and where (file null: standard output). */
export interface MapRequest {
  options: MapOption[];
  file: string | null;
}

/** One statement's output, as the debug line table needs it. */
export interface DebugLineRecord {
  /** Index into ObjectFile.sections (null: `absolute` space). */
  section: number | null;
  offset: number;
  /** Bytes written (0 for reserved space). */
  length: number;
  file: string;
  line: number;
}

/** What `-g` adds to an ObjectFile (src/output/dwarf.ts writes it). */
export interface DebugInfo {
  format: 'dwarf';
  /** DW_AT_comp_dir: nasm writes its working directory with a `/` after it. */
  compDir: string;
  /** Every statement that emitted bytes or reserved space, in the final pass's order. */
  lines: DebugLineRecord[];
}

export interface ObjectFile {
  /** The input file name as typed (ELF FILE symbol). */
  sourceName: string;
  /** Sections in output order. */
  sections: ObjectSection[];
  /** Symbols in definition order (the ELF writer splits locals and globals). */
  symbols: ObjectSymbol[];
  /** `-f bin`: the `org` address. */
  origin: bigint;
  /** `-f bin`: an `org` was given (without one, a `.text` with `start=` moves the origin to the lowest start). */
  originGiven?: boolean;
  /** bin's `[map …]` request, if the source made one. */
  map?: MapRequest;
  /** `-g`: what the debug sections describe (ELF only). */
  debug?: DebugInfo;
  /** Largest file a writer may produce, in bytes (the assembler's outputLimit; absent: no limit). */
  outputLimit?: number;
}
