/**
 * The DWARF debug sections nasm 2.16.01 writes for `-f elf32`/`-f elf64` with `-g` (`-F dwarf`).
 * Everything here was measured on nasm's objects (readelf -wi -wl -wa -r, xxd); the DWARF
 * meaning of each field is from the DWARF 2/3 standard. Sections, in this order, after the user
 * sections and each followed by its relocation section where it has one (always, even empty):
 *
 *   .debug_aranges (+rel)  version 2; header padded to 16 bytes; one (address, length) pair per
 *                          section with line rows, in the order of their first row; a zero pair.
 *   .debug_pubnames        empty.
 *   .debug_info (+rel)     version 3 (elf64, elfx32) / 2 (elf32); a compile unit (low_pc, high_pc,
 *                          stmt_list, name = the input as typed, comp_dir = the real path
 *                          of the source's folder + `/`, producer `NASM 2.16.01`, language 0x8001 (MIPS
 *                          assembler, as nasm says)) and one subprogram (low_pc, frame_base 0
 *                          written address-sized although its form is data4), then a zero.
 *                          low_pc is the first line section + 0; high_pc that section + the sum
 *                          of every line section's size.
 *   .debug_abbrev          the two abbreviations of the unit, fixed bytes.
 *   .debug_line (+rel)     version as .debug_info; line_base -5, line_range 14, opcode_base 13;
 *                          no directories; the files of every line that put anything anywhere
 *                          (bytes or reserved space, `absolute` too), in order of first use; then one
 *                          sequence per section with line rows.
 *   .debug_frame           empty, aligned 8.   .debug_loc   empty.
 *
 * Line rows exist only for executable sections: a row when a line emitting bytes there has a
 * line number other than the previous row's of that section (a `%rep` body line or a `times` is
 * one row; a new file with the same line number only switches the file). A macro's line is its body line (the innermost). Each sequence starts from file 1,
 * line 1 (no DW_LNS_set_file for file 1 at its start). A row is a special opcode when the line
 * step is in [-5, 8] and the opcode fits a byte, else advance_line, advance_pc (each left out
 * when its step is 0), copy. A sequence
 * ends with advance_pc to the section's size (its operand one byte: the low 8 bits), then
 * end_sequence.
 * With no line rows at all every debug section is empty.
 */
import type { DebugInfo, ObjectFile } from '../asm/object.js';

/** A field the ELF writer relocates: against a user section (index) or a debug section (name). */
export interface DebugRelocation {
  offset: number;
  size: 4 | 8;
  target: { kind: 'section'; sectionIndex: number } | { kind: 'debug'; name: string };
  addend: number;
}

export interface DebugSection {
  name: string;
  data: Uint8Array;
  align: number;
  /** null: no relocation section follows. */
  relocations: DebugRelocation[] | null;
  /** nasm gives .debug_info, .debug_abbrev and .debug_line a section symbol. */
  sectionSymbol: boolean;
}

const PRODUCER = 'NASM 2.16.01';
const DW_LANG_MIPS_ASSEMBLER = 0x8001;
const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
const STANDARD_OPCODE_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
const DW_LNS_COPY = 1;
const DW_LNS_ADVANCE_PC = 2;
const DW_LNS_ADVANCE_LINE = 3;
const DW_LNS_SET_FILE = 4;
const DW_LNE_END_SEQUENCE = 1;
const DW_LNE_SET_ADDRESS = 2;

/**
 * .debug_abbrev as nasm writes it: 1 = compile_unit with children (low_pc addr, high_pc addr,
 * stmt_list data4, name string, comp_dir string, producer string, language data2);
 * 2 = subprogram without children (low_pc addr, frame_base data4); then the end.
 */
const ABBREVIATIONS = [
  0x01, 0x11, 0x01, 0x11, 0x01, 0x12, 0x01, 0x10, 0x06, 0x03, 0x08, 0x1b, 0x08, 0x25, 0x08, 0x13, 0x05, 0x00, 0x00,
  0x02, 0x2e, 0x00, 0x11, 0x01, 0x40, 0x06, 0x00, 0x00, 0x00,
];

/** A little-endian byte buffer that grows, with the relocations of the fields written into it. */
class ByteWriter {
  private readonly bytes: number[] = [];
  readonly relocations: DebugRelocation[] = [];
  get length(): number {
    return this.bytes.length;
  }
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  int(v: number, size: number): void {
    let rest = BigInt(v);
    for (let k = 0; k < size; k++) {
      this.u8(Number(rest & 0xffn));
      rest >>= 8n;
    }
  }
  patch32(at: number, v: number): void {
    for (let k = 0; k < 4; k++) this.bytes[at + k] = (v >>> (8 * k)) & 0xff;
  }
  /** Latin-1 text (file names are read one character per byte) and its terminating zero. */
  cstring(s: string): void {
    for (let k = 0; k < s.length; k++) this.u8(s.charCodeAt(k));
    this.u8(0);
  }
  uleb(v: number): void {
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.u8(b);
    } while (v !== 0);
  }
  sleb(v: number): void {
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.u8(done ? b : b | 0x80);
      if (done) return;
    }
  }
  /** A relocated field; REL formats keep the addend in place (the ELF writer zeroes it for RELA). */
  relocated(size: 4 | 8, target: DebugRelocation['target'], addend: number): void {
    this.relocations.push({ offset: this.length, size, target, addend });
    this.int(addend, size);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/**
 * A section's line program steps: a file switch whenever a line's file is not the current one,
 * a row whenever its line number is not the last row's (measured: `db` at source.asm:4 then
 * `mov` at inc.asm:4 switches the file and adds no row).
 */
interface LineSequence {
  section: number;
  steps: Array<{ kind: 'file'; file: number } | { kind: 'row'; offset: number; line: number }>;
}

/** The file table (in order of first output) and one sequence per executable section, in order of first row. */
function lineSequences(object: ObjectFile, debug: DebugInfo): { files: string[]; sequences: LineSequence[] } {
  const files: string[] = [];
  const fileNumber = new Map<string, number>();
  const bySection = new Map<number, LineSequence>();
  // Each section's file and line registers: nasm starts them at 1 (a first line 1 adds no row).
  const state = new Map<number, { file: number; line: number }>();
  for (const record of debug.lines) {
    let file = fileNumber.get(record.file);
    if (file === undefined) {
      files.push(record.file);
      file = files.length;
      fileNumber.set(record.file, file);
    }
    if (record.section === null || record.length === 0) continue;
    if (object.sections[record.section]?.attributes.exec !== true) continue;
    let sequence = bySection.get(record.section);
    if (sequence === undefined) {
      sequence = { section: record.section, steps: [] };
      state.set(record.section, { file: 1, line: 1 });
      bySection.set(record.section, sequence);
    }
    const current = state.get(record.section)!;
    if (current.file !== file) {
      sequence.steps.push({ kind: 'file', file });
      current.file = file;
    }
    if (current.line === record.line) continue;
    sequence.steps.push({ kind: 'row', offset: record.offset, line: record.line });
    current.line = record.line;
  }
  return { files, sequences: [...bySection.values()] };
}

/**
 * The debug sections for `object`, whose addresses are `pointerSize` bytes wide. `version` is the
 * .debug_info and .debug_line version: nasm writes 3 for x86-64 (elf64 and elfx32), 2 for elf32.
 */
export function dwarfSections(
  object: ObjectFile,
  debug: DebugInfo,
  pointerSize: 4 | 8,
  version: 2 | 3,
): DebugSection[] {
  const { files, sequences } = lineSequences(object, debug);
  const empty = sequences.length === 0;
  const sizeOf = (section: number): number => object.sections[section]!.size;
  const at = (sectionIndex: number): DebugRelocation['target'] => ({ kind: 'section', sectionIndex });

  const aranges = new ByteWriter();
  const info = new ByteWriter();
  const line = new ByteWriter();
  if (!empty) {
    aranges.int(0, 4);
    aranges.int(2, 2);
    aranges.relocated(4, { kind: 'debug', name: '.debug_info' }, 0);
    aranges.u8(pointerSize);
    aranges.u8(0);
    while (aranges.length % 16 !== 0) aranges.u8(0);
    for (const s of sequences) {
      aranges.relocated(pointerSize, at(s.section), 0);
      aranges.int(sizeOf(s.section), pointerSize);
    }
    aranges.int(0, pointerSize * 2);
    aranges.patch32(0, aranges.length - 4);

    const first = sequences[0]!.section;
    const total = sequences.reduce((sum, s) => sum + sizeOf(s.section), 0);
    info.int(0, 4);
    info.int(version, 2);
    info.relocated(4, { kind: 'debug', name: '.debug_abbrev' }, 0);
    info.u8(pointerSize);
    info.uleb(1);
    info.relocated(pointerSize, at(first), 0);
    info.relocated(pointerSize, at(first), total);
    info.relocated(4, { kind: 'debug', name: '.debug_line' }, 0);
    info.cstring(object.sourceName);
    info.cstring(debug.compDir);
    info.cstring(PRODUCER);
    info.int(DW_LANG_MIPS_ASSEMBLER, 2);
    info.uleb(2);
    info.relocated(pointerSize, at(first), 0);
    // frame_base: data4 by the abbreviation, but nasm's elf64 writes 8 zero bytes (readelf then
    // reads the last 4 as the end of the children and 3 bytes of padding after it).
    info.int(0, pointerSize);
    info.u8(0);
    info.patch32(0, info.length - 4);

    writeLineProgram(line, version, files, sequences, pointerSize, sizeOf);
  }
  return [
    { name: '.debug_aranges', data: aranges.done(), align: 1, relocations: aranges.relocations, sectionSymbol: false },
    { name: '.debug_pubnames', data: new Uint8Array(0), align: 1, relocations: null, sectionSymbol: false },
    { name: '.debug_info', data: info.done(), align: 1, relocations: info.relocations, sectionSymbol: true },
    {
      name: '.debug_abbrev',
      data: empty ? new Uint8Array(0) : Uint8Array.from(ABBREVIATIONS),
      align: 1,
      relocations: null,
      sectionSymbol: true,
    },
    { name: '.debug_line', data: line.done(), align: 1, relocations: line.relocations, sectionSymbol: true },
    { name: '.debug_frame', data: new Uint8Array(0), align: 8, relocations: null, sectionSymbol: false },
    { name: '.debug_loc', data: new Uint8Array(0), align: 1, relocations: null, sectionSymbol: false },
  ];
}

function writeLineProgram(
  out: ByteWriter,
  version: number,
  files: string[],
  sequences: LineSequence[],
  pointerSize: 4 | 8,
  sizeOf: (section: number) => number,
): void {
  out.int(0, 4); // unit_length, patched
  out.int(version, 2);
  out.int(0, 4); // header_length, patched
  const headerStart = out.length;
  out.u8(1); // minimum_instruction_length
  out.u8(1); // default_is_stmt
  out.u8(LINE_BASE & 0xff);
  out.u8(LINE_RANGE);
  out.u8(OPCODE_BASE);
  for (const n of STANDARD_OPCODE_LENGTHS) out.u8(n);
  out.u8(0); // no include directories
  for (const file of files) {
    out.cstring(file);
    out.uleb(0); // directory
    out.uleb(0); // time
    out.uleb(0); // size
  }
  out.u8(0);
  out.patch32(6, out.length - headerStart);
  for (const s of sequences) {
    out.u8(0);
    out.uleb(1 + pointerSize);
    out.u8(DW_LNE_SET_ADDRESS);
    out.relocated(pointerSize, { kind: 'section', sectionIndex: s.section }, 0);
    let address = 0;
    let line = 1;
    for (const row of s.steps) {
      if (row.kind === 'file') {
        out.u8(DW_LNS_SET_FILE);
        out.uleb(row.file);
        continue;
      }
      const lineStep = row.line - line;
      const addressStep = row.offset - address;
      const special = lineStep - LINE_BASE + LINE_RANGE * addressStep + OPCODE_BASE;
      if (lineStep >= LINE_BASE && lineStep < LINE_BASE + LINE_RANGE && special <= 255) out.u8(special);
      else {
        // A zero step is left out (measured: the first row of a sequence after `%line 100+1`).
        if (lineStep !== 0) {
          out.u8(DW_LNS_ADVANCE_LINE);
          out.sleb(lineStep);
        }
        if (addressStep !== 0) {
          out.u8(DW_LNS_ADVANCE_PC);
          out.uleb(addressStep);
        }
        out.u8(DW_LNS_COPY);
      }
      address = row.offset;
      line = row.line;
    }
    // nasm writes this last step as one byte, not LEB128: its low 8 bits (measured: a last line
    // of 128 bytes gives 02 80, of 300 bytes 02 2c, of 256 bytes 02 00).
    out.u8(DW_LNS_ADVANCE_PC);
    out.u8((sizeOf(s.section) - address) & 0xff);
    out.u8(0);
    out.uleb(1);
    out.u8(DW_LNE_END_SEQUENCE);
  }
  out.patch32(0, out.length - 4);
}
