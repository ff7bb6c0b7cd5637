/**
 * Stage 5, applyRelocations: patch every allocated input section in place.
 * i386 objects use REL relocations, so the addend is the value already
 * stored at the place. PLT32 is resolved as PC32: static links have no PLT.
 * Invariant on entry: every section and symbol has its final address.
 * On exit: section bytes are final; any unresolvable reference has produced
 * an ld-style error (and the link will write no file).
 */
import {
  R_386_16,
  R_386_32,
  R_386_8,
  R_386_NONE,
  R_386_PC16,
  R_386_PC32,
  R_386_PC8,
  R_386_PLT32,
  R_386_NAMES,
  SHN_ABS,
  SHN_COMMON,
  hasReservedIndex,
  hasSpecialIndex,
  SHN_UNDEF,
  STB_LOCAL,
  STT_SECTION,
  type ElfRelocation,
} from '../elf/index.js';
import { formatLocation, formatShortLocation } from './locate.js';
import type { InputFile, InputSection, LinkDiagnostic } from './types.js';

interface Howto {
  size: 1 | 2 | 4;
  pcRelative: boolean;
  /** ld's complain_overflow_bitfield (accepts signed or unsigned) vs _signed. */
  overflow: 'none' | 'bitfield' | 'signed';
}

const HOWTOS: Readonly<Record<number, Howto>> = {
  [R_386_32]: { size: 4, pcRelative: false, overflow: 'none' },
  [R_386_PC32]: { size: 4, pcRelative: true, overflow: 'none' },
  [R_386_PLT32]: { size: 4, pcRelative: true, overflow: 'none' },
  [R_386_16]: { size: 2, pcRelative: false, overflow: 'bitfield' },
  [R_386_PC16]: { size: 2, pcRelative: true, overflow: 'signed' },
  [R_386_8]: { size: 1, pcRelative: false, overflow: 'bitfield' },
  [R_386_PC8]: { size: 1, pcRelative: true, overflow: 'signed' },
};

/** ld stops listing undefined references to one symbol after this many. */
const MAX_UNDEFINED_REPORTS = 5;

function fits(value: number, howto: Howto): boolean {
  const bits = howto.size * 8;
  if (howto.overflow === 'none') return true;
  const min = -(2 ** (bits - 1));
  const max = howto.overflow === 'signed' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return value >= min && value <= max;
}

function readAddend(data: Uint8Array, offset: number, size: number): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (size === 4) return view.getInt32(offset, true);
  if (size === 2) return view.getInt16(offset, true);
  return view.getInt8(offset);
}

function write(data: Uint8Array, offset: number, size: number, value: number): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (size === 4) view.setUint32(offset, value >>> 0, true);
  else if (size === 2) view.setUint16(offset, value & 0xffff, true);
  else view.setUint8(offset, value & 0xff);
}

function sectionAddress(section: InputSection | null): number {
  return section && section.output ? section.output.address + section.outputOffset : 0;
}

/** Address of `offset` inside an input section, following string merging. */
export function addressIn(section: InputSection | null, offset: number): number {
  if (section?.mergedInto) return sectionAddress(section.mergedInto.section) + section.mergedInto.map(offset);
  return sectionAddress(section) + offset;
}

/** What a relocation's symbol resolves to. */
export interface ResolvedSymbol {
  /** S: the symbol's address (0 for an undefined weak symbol). */
  address: number;
  /** Addend to use: merged-string section references fold theirs into `address`. */
  addend: number;
  /** Z: the symbol's st_size. */
  size: number;
  /** How ld names the target in "relocation truncated" messages. */
  description: string;
}

/**
 * Resolves the symbol of `rel` (in `file`, patching section `targetIndex`).
 * Returns null after reporting an undefined reference (ld's limit of five
 * reports per symbol is kept in `undefinedCounts`).
 */
export function resolveRelocationSymbol(
  file: InputFile,
  targetIndex: number,
  rel: ElfRelocation,
  addend: number,
  undefinedCounts: Map<string, number>,
  diagnostics: LinkDiagnostic[],
): ResolvedSymbol | null {
  const sym = file.elf.symbols[rel.symbolIndex]!;
  if (rel.symbolIndex === 0) return { address: 0, addend, size: 0, description: "`*ABS*'" };
  if (sym.bind === STB_LOCAL) {
    let address: number;
    if (sym.shndx === SHN_UNDEF || hasReservedIndex(sym)) address = sym.value;
    else {
      const targetSection = file.sections[sym.shndx] ?? null;
      if (sym.type === STT_SECTION && targetSection?.mergedInto) {
        // For a merged-string section the addend selects the string, so it goes through the map.
        address = addressIn(targetSection, addend);
        addend = 0;
      } else {
        address = addressIn(targetSection, sym.type === STT_SECTION ? 0 : sym.value);
      }
    }
    const description = sym.type === STT_SECTION ? `\`${file.elf.sections[sym.shndx]?.name ?? '?'}'` : `\`${sym.name}'`;
    return { address, addend, size: sym.size, description };
  }
  const g = file.globals[rel.symbolIndex]!;
  if (g.state === 'undefined' && !g.weak) {
    const count = (undefinedCounts.get(g.name) ?? 0) + 1;
    undefinedCounts.set(g.name, count);
    if (count <= MAX_UNDEFINED_REPORTS) {
      const here = formatLocation(file, targetIndex, rel.offset);
      diagnostics.push({ severity: 'error', message: `${here}: undefined reference to \`${g.name}'` });
    } else if (count === MAX_UNDEFINED_REPORTS + 1) {
      diagnostics.push({
        severity: 'error',
        message: `${formatShortLocation(file, targetIndex, rel.offset)}: more undefined references to \`${g.name}' follow`,
      });
    }
    return null;
  }
  const where =
    g.linkerDefined || !g.file
      ? ''
      : g.elfSymbol && hasSpecialIndex(g.elfSymbol, SHN_ABS)
        ? ' defined in *ABS*'
        : (g.elfSymbol && hasSpecialIndex(g.elfSymbol, SHN_COMMON)) || g.state === 'common'
          ? ` defined in COMMON section in ${g.file.displayName}`
          : ` defined in ${g.section?.name ?? '?'} section in ${g.file.displayName}`;
  return { address: g.address, addend, size: g.size, description: `symbol \`${g.name}'${where}` };
}

/** Address of a local symbol (section-relative, merged or absolute). */
export function localSymbolAddress(file: InputFile, index: number): number {
  const sym = file.elf.symbols[index]!;
  if (sym.shndx === SHN_UNDEF || hasReservedIndex(sym)) return sym.value;
  return addressIn(file.sections[sym.shndx] ?? null, sym.type === STT_SECTION ? 0 : sym.value);
}

/**
 * Why a relocation cannot be applied before its value is even computed (an unknown type, or a
 * field that runs past its section), in ld's words; null when it can. Shared by both machines.
 */
export function relocationShapeProblem(
  typeName: string | undefined,
  type: number,
  fieldSize: number | undefined,
  offset: number,
  section: InputSection,
): string | null {
  if (fieldSize === undefined)
    return `unsupported relocation type ${typeName ? `${typeName} (${type})` : type} in a static link`;
  if (offset + fieldSize > section.size)
    return `relocation offset 0x${offset.toString(16)} is outside section ${section.name}`;
  return null;
}

export function applyRelocations(files: InputFile[], diagnostics: LinkDiagnostic[]): void {
  const undefinedCounts = new Map<string, number>();
  for (const file of files) {
    for (const [targetIndex, relocations] of file.elf.relocations) {
      const section = file.sections[targetIndex];
      if (!section || !section.output || section.nobits) continue;
      for (const rel of relocations) {
        if (rel.type === R_386_NONE) continue;
        const here = () => formatLocation(file, targetIndex, rel.offset);
        const howto = HOWTOS[rel.type];
        const problem = relocationShapeProblem(R_386_NAMES[rel.type], rel.type, howto?.size, rel.offset, section);
        if (problem !== null || !howto) {
          diagnostics.push({ severity: 'error', message: `${here()}: ${problem ?? ''}` });
          continue;
        }
        const addend = readAddend(section.data, rel.offset, howto.size);
        const resolved = resolveRelocationSymbol(file, targetIndex, rel, addend, undefinedCounts, diagnostics);
        if (!resolved) continue;
        const place = section.output.address + section.outputOffset + rel.offset;
        let value = resolved.address + resolved.addend - (howto.pcRelative ? place : 0);
        // Work in 32-bit two's complement, then judge overflow on the signed value.
        value = value | 0;
        if (!fits(value, howto)) {
          const name = R_386_NAMES[rel.type] ?? String(rel.type);
          diagnostics.push({
            severity: 'error',
            message: `${here()}: relocation truncated to fit: ${name} against ${resolved.description}`,
          });
          continue;
        }
        write(section.data, rel.offset, howto.size, value);
      }
    }
  }
}
