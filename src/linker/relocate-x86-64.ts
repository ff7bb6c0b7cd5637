/**
 * Stage 5 for x86-64, applyX86_64Relocations: patch every allocated input
 * section in place from its RELA entries (the addend is in the entry, the
 * field holds nothing). GOT relaxation has already rewritten what ld
 * rewrites (got.ts); the remaining GOT forms use the slots planned there.
 * Symbols: S symbol address, A addend, P place, Z symbol size, GOT the
 * address of _GLOBAL_OFFSET_TABLE_ (.got.plt), SLOT the symbol's .got slot.
 * Overflow checks follow the kinds of ld's howto table (measured on
 * binutils 2.40: _8/_16/_PC16 accept -2^n … 2^n-1, _32 and _SIZE32 are
 * unsigned, the other 32-bit kinds signed, 64-bit kinds never overflow).
 */
import {
  R_X86_64_16,
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_8,
  R_X86_64_GOT32,
  R_X86_64_GOT64,
  R_X86_64_GOTOFF64,
  R_X86_64_GOTPC32,
  R_X86_64_GOTPC64,
  R_X86_64_GOTPCREL,
  R_X86_64_GOTPCREL64,
  R_X86_64_GOTPCRELX,
  R_X86_64_NAMES,
  R_X86_64_NONE,
  R_X86_64_PC16,
  R_X86_64_PC32,
  R_X86_64_PC64,
  R_X86_64_PC8,
  R_X86_64_PLT32,
  R_X86_64_REX_GOTPCRELX,
  R_X86_64_SIZE32,
  R_X86_64_SIZE64,
} from '../elf/index.js';
import { fillGot, gotBase, slotAddress, type GotPlan } from './got.js';
import { formatLocation } from './locate.js';
import { localSymbolAddress, relocationShapeProblem, resolveRelocationSymbol } from './relocate.js';
import type { InputFile, LinkDiagnostic } from './types.js';

/** How the value is formed before the PC is subtracted (for pc-relative kinds). */
type Formula = 'S+A' | 'Z+A' | 'S+A-GOT' | 'GOT+A' | 'SLOT-GOT+A' | 'SLOT+A';

interface Howto {
  size: 1 | 2 | 4 | 8;
  pcRelative: boolean;
  overflow: 'none' | 'bitfield' | 'signed' | 'unsigned';
  formula: Formula;
}

const h = (size: Howto['size'], pcRelative: boolean, overflow: Howto['overflow'], formula: Formula): Howto => ({
  size,
  pcRelative,
  overflow,
  formula,
});

const HOWTOS: Readonly<Record<number, Howto>> = {
  [R_X86_64_64]: h(8, false, 'none', 'S+A'),
  [R_X86_64_PC32]: h(4, true, 'signed', 'S+A'),
  // Static executables have no PLT: a call through it goes straight to the symbol.
  [R_X86_64_PLT32]: h(4, true, 'signed', 'S+A'),
  [R_X86_64_32]: h(4, false, 'unsigned', 'S+A'),
  [R_X86_64_32S]: h(4, false, 'signed', 'S+A'),
  [R_X86_64_16]: h(2, false, 'bitfield', 'S+A'),
  [R_X86_64_PC16]: h(2, true, 'bitfield', 'S+A'),
  [R_X86_64_8]: h(1, false, 'bitfield', 'S+A'),
  [R_X86_64_PC8]: h(1, true, 'signed', 'S+A'),
  [R_X86_64_PC64]: h(8, true, 'none', 'S+A'),
  [R_X86_64_GOTOFF64]: h(8, false, 'none', 'S+A-GOT'),
  [R_X86_64_GOTPC32]: h(4, true, 'signed', 'GOT+A'),
  [R_X86_64_GOTPC64]: h(8, true, 'none', 'GOT+A'),
  [R_X86_64_GOT32]: h(4, false, 'signed', 'SLOT-GOT+A'),
  [R_X86_64_GOT64]: h(8, false, 'none', 'SLOT-GOT+A'),
  [R_X86_64_GOTPCREL]: h(4, true, 'signed', 'SLOT+A'),
  [R_X86_64_GOTPCRELX]: h(4, true, 'signed', 'SLOT+A'),
  [R_X86_64_REX_GOTPCRELX]: h(4, true, 'signed', 'SLOT+A'),
  [R_X86_64_GOTPCREL64]: h(8, true, 'none', 'SLOT+A'),
  [R_X86_64_SIZE32]: h(4, false, 'unsigned', 'Z+A'),
  [R_X86_64_SIZE64]: h(8, false, 'none', 'Z+A'),
};

/** The relocation kinds tsld resolves for x86-64 (for documentation and tests). */
export const X86_64_RELOCATIONS: readonly number[] = Object.keys(HOWTOS).map(Number);

function fits(value: number, howto: Howto): boolean {
  const bits = howto.size * 8;
  switch (howto.overflow) {
    case 'none':
      return true;
    case 'unsigned':
      return value >= 0 && value <= 2 ** bits - 1;
    case 'signed':
      return value >= -(2 ** (bits - 1)) && value <= 2 ** (bits - 1) - 1;
    case 'bitfield':
      return value >= -(2 ** bits) && value <= 2 ** bits - 1;
  }
}

function write(data: Uint8Array, offset: number, size: Howto['size'], value: number): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (size === 8) view.setBigUint64(offset, BigInt.asUintN(64, BigInt(value)), true);
  else if (size === 4) view.setUint32(offset, value >>> 0, true);
  else if (size === 2) view.setUint16(offset, value & 0xffff, true);
  else view.setUint8(offset, value & 0xff);
}

export function applyX86_64Relocations(files: InputFile[], plan: GotPlan, diagnostics: LinkDiagnostic[]): void {
  fillGot(plan, (file, g, index) => (g ? g.address : localSymbolAddress(file!, index)));
  const got = gotBase(plan);
  const undefinedCounts = new Map<string, number>();
  for (const file of files) {
    for (const [targetIndex, relocations] of file.elf.relocations) {
      const section = file.sections[targetIndex];
      if (!section || !section.output || section.nobits) continue;
      for (const rel of relocations) {
        if (rel.type === R_X86_64_NONE) continue;
        const here = () => formatLocation(file, targetIndex, rel.offset);
        const howto = HOWTOS[rel.type];
        const problem = relocationShapeProblem(R_X86_64_NAMES[rel.type], rel.type, howto?.size, rel.offset, section);
        if (problem !== null || !howto) {
          diagnostics.push({ severity: 'error', message: `${here()}: ${problem ?? ''}` });
          continue;
        }
        const resolved = resolveRelocationSymbol(file, targetIndex, rel, rel.addend ?? 0, undefinedCounts, diagnostics);
        if (!resolved) continue;
        const { address: s, addend: a } = resolved;
        let value: number;
        if (howto.formula === 'SLOT+A' || howto.formula === 'SLOT-GOT+A') {
          const slot = slotAddress(plan, file, rel.symbolIndex);
          if (slot === undefined) throw new Error(`internal: no GOT slot planned for ${resolved.description}`);
          value = howto.formula === 'SLOT+A' ? slot + a : slot - got + a;
        } else if (howto.formula === 'S+A') value = s + a;
        else if (howto.formula === 'Z+A') value = resolved.size + a;
        else if (howto.formula === 'S+A-GOT') value = s + a - got;
        else value = got + a;
        if (howto.pcRelative) value -= section.output.address + section.outputOffset + rel.offset;
        if (!fits(value, howto)) {
          diagnostics.push({
            severity: 'error',
            message: `${here()}: relocation truncated to fit: ${R_X86_64_NAMES[rel.type] ?? rel.type} against ${resolved.description}`,
          });
          continue;
        }
        write(section.data, rel.offset, howto.size, value);
      }
    }
  }
}
