/** Data shared by the link stages. Each stage fills in the fields its comment names. */
import type { ElfObject, ElfSection, ElfSymbol } from '../elf/index.js';

/** A user-facing failure: the message is printed after `tsld: error: `. */
export class LinkError extends Error {}

export interface LinkDiagnostic {
  severity: 'error' | 'warning';
  message: string;
}

/** One relocatable object taking part in the link (a command-line object or a pulled archive member). */
export interface InputFile {
  /** As ld names it in messages: `hello.o` or `libfoo.a(bar.o)`. */
  displayName: string;
  elf: ElfObject;
  /** e_machine (EM_386 or EM_X86_64). */
  machine: number;
  /** Name of the first STT_FILE symbol (nasm/gcc record the source file there); ld prints it in locations. */
  sourceName: string | null;
  /** Input sections by ELF section index; null for sections that take no part in the output. */
  sections: Array<InputSection | null>;
  /** For each ELF symbol index, the global symbol it binds to (null for locals). Filled by resolveSymbols. */
  globals: Array<GlobalSymbol | null>;
}

export interface InputSection {
  file: InputFile;
  name: string;
  elf: ElfSection | null;
  flags: number;
  /** SHT_PROGBITS-like (has bytes) or SHT_NOBITS. */
  nobits: boolean;
  size: number;
  align: number;
  /** Contents copied from the input, patched in place by applyRelocations. Empty for NOBITS. */
  data: Uint8Array;
  /** Set by createSections. */
  output: OutputSection | null;
  /** Offset inside the output section; set by assignAddresses. */
  outputOffset: number;
  /** Set by mergeStrings: this section's strings now live in `section`'s merged blob at `map(offset)`. */
  mergedInto?: { section: InputSection; map: (offset: number) => number };
  /** sh_entsize for a linker-made section (which has no `elf`). */
  entsize?: number;
  /** For a file's synthetic COMMON section: the symbols allocated in it. */
  commonSymbols?: GlobalSymbol[];
}

export type SymbolState = 'undefined' | 'defined' | 'common';

export interface GlobalSymbol {
  name: string;
  state: SymbolState;
  /** Definition is weak (or, when undefined, every reference is weak). */
  weak: boolean;
  /** Defining file and ELF symbol (null when undefined or linker-defined). */
  file: InputFile | null;
  elfSymbol: ElfSymbol | null;
  /** Section the definition lives in (null for absolute, undefined and linker-defined). */
  section: InputSection | null;
  /** Value inside `section`, or the absolute value. */
  value: number;
  commonSize: number;
  commonAlign: number;
  /** Final virtual address; set by assignAddresses. */
  address: number;
  /** st_size of the chosen definition (R_X86_64_SIZE32/64). */
  size: number;
  /** Defined by the linker script (_end, __bss_start, …). */
  linkerDefined: boolean;
}

export type SegmentClass = 'text' | 'data';

export interface OutputSection {
  name: string;
  inputs: InputSection[];
  flags: number;
  type: number;
  nobits: boolean;
  align: number;
  entsize: number;
  segment: SegmentClass;
  /** Fill gaps between input sections with NOPs (code sections, as ld does on x86). */
  fillWithNops: boolean;
  /** Pad the end of the section to this alignment (ld's `. = ALIGN(4)` inside .bss). */
  endAlign: number;
  /** All inputs have size 0: laid out for symbol addresses, but not emitted. */
  empty: boolean;
  size: number;
  address: number;
  fileOffset: number;
}

export interface Segment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
  sections: OutputSection[];
}

export interface LinkOptions {
  /** Entry symbol (or number); default `_start`. */
  entry?: string | undefined;
  /** ld's -Ttext: address of the .text section (headers go in the page below). Default: .text follows the headers at 0x08048000. */
  textAddress?: number | undefined;
  /** One RWX segment with overlapping headers, no section headers. */
  tiny?: boolean | undefined;
  /** Produce a human-readable link map in the result. */
  map?: boolean;
}

export interface LinkResult {
  output: Uint8Array | null;
  diagnostics: LinkDiagnostic[];
  map?: string;
}
