/**
 * ld-style source locations for diagnostics: `file.o: in function `f':
 * src.asm:(.text+0x1)` when a function (FUNC or NOTYPE symbol) covers the
 * offset, else `file.o:(.data+0x0)`.
 */
import { hasReservedIndex, STT_FUNC, STT_NOTYPE } from '../elf/index.js';
import type { InputFile } from './types.js';

export interface Location {
  /** The `in function` part, or null when no function symbol precedes the offset. */
  functionName: string | null;
  /** `src.asm:(.text+0x1)` when a function was found, else `file.o:(.text+0x1)`. */
  where: string;
}

export function locate(file: InputFile, sectionIndex: number, offset: number): Location {
  const sectionName = file.elf.sections[sectionIndex]?.name ?? '?';
  let best: { name: string; value: number } | null = null;
  for (const sym of file.elf.symbols) {
    if (sym.shndx !== sectionIndex || hasReservedIndex(sym) || sym.name === '') continue;
    if (sym.type !== STT_FUNC && sym.type !== STT_NOTYPE) continue;
    if (sym.value > offset) continue;
    if (!best || sym.value > best.value) best = { name: sym.name, value: sym.value };
  }
  const place = `(${sectionName}+0x${offset.toString(16)})`;
  if (!best) return { functionName: null, where: `${file.displayName}:${place}` };
  return { functionName: best.name, where: `${file.sourceName ?? file.displayName}:${place}` };
}

/** One-line form used in tsld diagnostics. */
export function formatLocation(file: InputFile, sectionIndex: number, offset: number): string {
  const loc = locate(file, sectionIndex, offset);
  return loc.functionName === null
    ? loc.where
    : `${file.displayName}: in function \`${loc.functionName}': ${loc.where}`;
}

/** The compact `file.o:src.asm:(.text+0x0)` form ld uses for "first defined here". */
export function formatShortLocation(file: InputFile, sectionIndex: number, offset: number): string {
  const loc = locate(file, sectionIndex, offset);
  return loc.functionName === null ? loc.where : `${file.displayName}:${loc.where}`;
}
