/**
 * ELF structure layouts for both classes, and the byte-level readers and
 * writers driven by them. A layout is the ordered list of a structure's
 * fields with their sizes, named as in the gABI; ELF32 and ELF64 differ in
 * field sizes and, for symbols and program headers, in field order. The
 * same layouts serve the writers (tsnasm, tsld), the object reader (tsld)
 * and the annotated dump (tsld --explain), so they cannot drift apart.
 *
 * Values are numbers: 8-byte fields are exact up to 2^53 when read, and
 * writers also accept a bigint for an exact 64-bit value. All little-endian.
 */
import { EI_NIDENT, ELF_MAGIC, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, EV_CURRENT } from './constants.js';

export type ElfClass = 32 | 64;

export interface FieldSpec<N extends string = string> {
  readonly name: N;
  readonly size: 1 | 2 | 4 | 8;
  /** Two's complement (r_addend). */
  readonly signed?: boolean;
}

type Layout<N extends string> = Readonly<Record<ElfClass, readonly FieldSpec<N>[]>>;

/** Word-size helpers: the same field is 4 bytes in ELF32 and 8 in ELF64. */
const w = <N extends string>(name: N, cls: ElfClass): FieldSpec<N> => ({ name, size: cls === 32 ? 4 : 8 });
const f = <N extends string>(name: N, size: 1 | 2 | 4 | 8): FieldSpec<N> => ({ name, size });

export type ElfHeaderField =
  | 'e_type'
  | 'e_machine'
  | 'e_version'
  | 'e_entry'
  | 'e_phoff'
  | 'e_shoff'
  | 'e_flags'
  | 'e_ehsize'
  | 'e_phentsize'
  | 'e_phnum'
  | 'e_shentsize'
  | 'e_shnum'
  | 'e_shstrndx';

const elfHeader = (cls: ElfClass): FieldSpec<ElfHeaderField>[] => [
  f('e_type', 2),
  f('e_machine', 2),
  f('e_version', 4),
  w('e_entry', cls),
  w('e_phoff', cls),
  w('e_shoff', cls),
  f('e_flags', 4),
  f('e_ehsize', 2),
  f('e_phentsize', 2),
  f('e_phnum', 2),
  f('e_shentsize', 2),
  f('e_shnum', 2),
  f('e_shstrndx', 2),
];
/** The ELF header's fields after e_ident (they start at offset EI_NIDENT). */
export const ELF_HEADER: Layout<ElfHeaderField> = { 32: elfHeader(32), 64: elfHeader(64) };

export type ProgramHeaderField =
  'p_type' | 'p_flags' | 'p_offset' | 'p_vaddr' | 'p_paddr' | 'p_filesz' | 'p_memsz' | 'p_align';

export const PROGRAM_HEADER: Layout<ProgramHeaderField> = {
  32: [
    f('p_type', 4),
    f('p_offset', 4),
    f('p_vaddr', 4),
    f('p_paddr', 4),
    f('p_filesz', 4),
    f('p_memsz', 4),
    f('p_flags', 4),
    f('p_align', 4),
  ],
  // ELF64 moves p_flags up so the 8-byte fields stay aligned.
  64: [
    f('p_type', 4),
    f('p_flags', 4),
    f('p_offset', 8),
    f('p_vaddr', 8),
    f('p_paddr', 8),
    f('p_filesz', 8),
    f('p_memsz', 8),
    f('p_align', 8),
  ],
};

export type SectionHeaderField =
  | 'sh_name'
  | 'sh_type'
  | 'sh_flags'
  | 'sh_addr'
  | 'sh_offset'
  | 'sh_size'
  | 'sh_link'
  | 'sh_info'
  | 'sh_addralign'
  | 'sh_entsize';

const sectionHeader = (cls: ElfClass): FieldSpec<SectionHeaderField>[] => [
  f('sh_name', 4),
  f('sh_type', 4),
  w('sh_flags', cls),
  w('sh_addr', cls),
  w('sh_offset', cls),
  w('sh_size', cls),
  f('sh_link', 4),
  f('sh_info', 4),
  w('sh_addralign', cls),
  w('sh_entsize', cls),
];
export const SECTION_HEADER: Layout<SectionHeaderField> = { 32: sectionHeader(32), 64: sectionHeader(64) };

export type SymbolField = 'st_name' | 'st_value' | 'st_size' | 'st_info' | 'st_other' | 'st_shndx';

export const SYMBOL: Layout<SymbolField> = {
  32: [f('st_name', 4), f('st_value', 4), f('st_size', 4), f('st_info', 1), f('st_other', 1), f('st_shndx', 2)],
  64: [f('st_name', 4), f('st_info', 1), f('st_other', 1), f('st_shndx', 2), f('st_value', 8), f('st_size', 8)],
};

export type RelField = 'r_offset' | 'r_info';
export type RelaField = RelField | 'r_addend';

export const REL: Layout<RelField> = {
  32: [w('r_offset', 32), w('r_info', 32)],
  64: [w('r_offset', 64), w('r_info', 64)],
};
export const RELA: Layout<RelaField> = {
  32: [...REL[32], { name: 'r_addend', size: 4, signed: true }],
  64: [...REL[64], { name: 'r_addend', size: 8, signed: true }],
};

/** Bytes taken by one structure of a layout. */
export function structSize(fields: readonly FieldSpec[]): number {
  return fields.reduce((n, field) => n + field.size, 0);
}

/** Sizes of each structure in one class. */
export interface ElfSizes {
  readonly elfHeader: number;
  readonly programHeader: number;
  readonly sectionHeader: number;
  readonly symbol: number;
  readonly rel: number;
  readonly rela: number;
}

const sizesOf = (cls: ElfClass): ElfSizes => ({
  elfHeader: EI_NIDENT + structSize(ELF_HEADER[cls]),
  programHeader: structSize(PROGRAM_HEADER[cls]),
  sectionHeader: structSize(SECTION_HEADER[cls]),
  symbol: structSize(SYMBOL[cls]),
  rel: structSize(REL[cls]),
  rela: structSize(RELA[cls]),
});
/** 32: 52/32/40/16/8/12 bytes; 64: 64/56/64/24/16/24. */
export const ELF_SIZES: Readonly<Record<ElfClass, ElfSizes>> = { 32: sizesOf(32), 64: sizesOf(64) };

export type Struct<N extends string> = Record<N, number>;

/** A little-endian view of a byte array. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads one field's value (the caller has checked that it lies inside the view). */
export function readField(view: DataView, at: number, field: FieldSpec): number {
  switch (field.size) {
    case 1:
      return view.getUint8(at);
    case 2:
      return view.getUint16(at, true);
    case 4:
      return field.signed ? view.getInt32(at, true) : view.getUint32(at, true);
    case 8:
      return Number(field.signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
  }
}

/** Writes one field; negative numbers are stored in two's complement. */
export function writeField(view: DataView, at: number, field: FieldSpec, value: number | bigint): void {
  switch (field.size) {
    case 1:
      view.setUint8(at, Number(value) & 0xff);
      return;
    case 2:
      view.setUint16(at, Number(value) & 0xffff, true);
      return;
    case 4:
      view.setUint32(at, Number(value) >>> 0, true);
      return;
    case 8:
      view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
      return;
  }
}

/** Reads the structure at `at` field by field. */
export function readStruct<N extends string>(view: DataView, at: number, fields: readonly FieldSpec<N>[]): Struct<N> {
  const out: Partial<Struct<N>> = {};
  let cursor = at;
  for (const field of fields) {
    out[field.name] = readField(view, cursor, field);
    cursor += field.size;
  }
  return out as Struct<N>;
}

/** Writes the structure at `at`; fields left out are written as zero. */
export function writeStruct<N extends string>(
  view: DataView,
  at: number,
  fields: readonly FieldSpec<N>[],
  values: Partial<Record<N, number | bigint>>,
): void {
  let cursor = at;
  for (const field of fields) {
    writeField(view, cursor, field, values[field.name] ?? 0);
    cursor += field.size;
  }
}

/** Writes e_ident for a little-endian file of the given class. */
export function writeIdent(bytes: Uint8Array, cls: ElfClass, osabi = 0): void {
  bytes.set([...ELF_MAGIC, cls === 32 ? ELFCLASS32 : ELFCLASS64, ELFDATA2LSB, EV_CURRENT, osabi], 0);
}

/** Whether the bytes start with \x7fELF. */
export function hasElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** The class e_ident[EI_CLASS] names, or undefined when it names none. */
export function elfClassOf(identClass: number | undefined): ElfClass | undefined {
  return identClass === ELFCLASS32 ? 32 : identClass === ELFCLASS64 ? 64 : undefined;
}

/** st_info from binding and type. */
export const symbolInfo = (bind: number, type: number): number => ((bind << 4) | (type & 0xf)) & 0xff;
export const symbolBind = (info: number): number => info >> 4;
export const symbolType = (info: number): number => info & 0xf;
/** st_other's low two bits. */
export const symbolVisibility = (other: number): number => other & 3;

/** r_info from symbol index and type: (sym << 8 | type) in ELF32, (sym << 32 | type) in ELF64. */
export function relocationInfo(cls: ElfClass, symbol: number, type: number): number {
  return cls === 32 ? ((symbol << 8) | (type & 0xff)) >>> 0 : symbol * 0x1_0000_0000 + (type >>> 0);
}
export function relocationSymbol(cls: ElfClass, info: number): number {
  return cls === 32 ? info >>> 8 : Math.floor(info / 0x1_0000_0000);
}
export function relocationType(cls: ElfClass, info: number): number {
  return cls === 32 ? info & 0xff : info % 0x1_0000_0000;
}
