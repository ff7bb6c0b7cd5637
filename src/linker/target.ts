/**
 * The two machines tsld links for, and what differs between their default
 * ld scripts and ABIs: load address, structure sizes, alignments, the
 * reserved part of .got.plt, and the architecture names ld prints.
 * The machine is chosen from the first input object; everything else in
 * the link must match it.
 */
import { ELF_SIZES, EM_386, EM_X86_64, type ElfClass, type ElfSizes } from '../elf/index.js';

export interface Target {
  machine: number;
  cls: ElfClass;
  sizes: ElfSizes;
  /** BFD's architecture name, as ld prints it in "incompatible" errors. */
  archName: string;
  /** SEGMENT_START("text-segment", …) of the default script. */
  base: number;
  /** `. = ALIGN(. != 0 ? N / 8 : 1)` at the end of .bss, and the ALIGN before `_end`. */
  wordAlign: number;
  /** The section header table (and everything strip writes after .shstrtab) is aligned to this. */
  sectionTableAlign: number;
  /** Longest NOP ld puts in gaps between code sections (bfd's x86 fill). */
  longestNop: number;
  /** Reserved .got.plt entries in a static link (3 words). */
  gotPltSize: number;
  /** Output sections laid out before DATA_SEGMENT_RELRO_END (made read-only after start-up). */
  relroSections: ReadonlySet<string>;
}

export const I386: Target = {
  machine: EM_386,
  cls: 32,
  sizes: ELF_SIZES[32],
  archName: 'i386',
  base: 0x08048000,
  wordAlign: 4,
  sectionTableAlign: 4,
  longestNop: 2,
  gotPltSize: 12,
  // i386 links never create a GOT (GOT relocations are refused), and tsld's
  // i386 layout predates relro sizing: it keeps its observed .eh_frame rule only.
  relroSections: new Set(),
};

export const X86_64: Target = {
  machine: EM_X86_64,
  cls: 64,
  sizes: ELF_SIZES[64],
  archName: 'i386:x86-64',
  base: 0x400000,
  wordAlign: 8,
  sectionTableAlign: 8,
  longestNop: 10,
  gotPltSize: 24,
  relroSections: new Set(['.preinit_array', '.init_array', '.fini_array', '.data.rel.ro', '.got']),
};

export function targetForMachine(machine: number): Target | undefined {
  return machine === EM_386 ? I386 : machine === EM_X86_64 ? X86_64 : undefined;
}
