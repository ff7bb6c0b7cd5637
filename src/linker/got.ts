/**
 * Stage 2b (x86-64 only, between resolveSymbols and createSections),
 * planGot: what ld's x86-64 backend does with GOT-relative code in a static
 * executable, as measured on binutils 2.40.
 *
 *  - Loads through the GOT are rewritten to use the symbol directly
 *    ("relaxation"), because every symbol's address is known:
 *      R_X86_64_GOTPCREL        `mov foo@GOTPCREL(%rip), %reg` → `lea foo(%rip), %reg`
 *      R_X86_64_(REX_)GOTPCRELX `mov` → `mov $foo, %reg` (R_X86_64_32S with REX.W, else _32);
 *                               `test`/`add`…`cmp` reg, mem → the `$foo` immediate forms;
 *                               `call *foo@GOTPCREL(%rip)` → `addr32 call foo`;
 *                               `jmp *foo@GOTPCREL(%rip)` → `jmp foo; nop`.
 *    Weak undefined symbols are relaxed too (to address 0).
 *  - Every other GOT use (GOTPCREL on another instruction, GOT32, GOT64)
 *    gets one 8-byte .got slot per symbol holding its address: slots of
 *    local symbols first (file by file, by symbol index), then globals in
 *    ld's symbol-hash walk order (the order that places COMMON symbols).
 *  - .got.plt (3 reserved zero words; _GLOBAL_OFFSET_TABLE_ points at it)
 *    is emitted when the GOT has slots or _GLOBAL_OFFSET_TABLE_ is named by
 *    a relocation. Otherwise it stays as an empty section whose aligned
 *    address still serves as the GOT base of GOTOFF64/GOTPC32, as in ld.
 * Invariant on exit: no relaxable relocation is left; every GOT reference
 * that remains has a slot.
 */
import {
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_GOT32,
  R_X86_64_GOT64,
  R_X86_64_GOTPCREL,
  R_X86_64_GOTPCREL64,
  R_X86_64_GOTPCRELX,
  R_X86_64_PC32,
  R_X86_64_REX_GOTPCRELX,
  SHF_ALLOC,
  SHF_WRITE,
  STB_LOCAL,
  type ElfRelocation,
} from '../elf/index.js';
import { symbolHashBucket } from './sections.js';
import type { GlobalSymbol, InputFile, InputSection } from './types.js';

export const GOT_SYMBOL = '_GLOBAL_OFFSET_TABLE_';

export interface GotPlan {
  got: InputSection;
  gotPlt: InputSection;
  globalSlots: Map<GlobalSymbol, number>;
  localSlots: Map<InputFile, Map<number, number>>;
}

/** The file that owns linker-made sections (ld's "linker stubs" bfd). */
function linkerFile(): InputFile {
  return {
    displayName: 'linker stubs',
    elf: { sections: [], symbols: [], relocations: new Map() },
    machine: 0,
    sourceName: null,
    sections: [],
    globals: [],
  };
}

function linkerSection(file: InputFile, name: string, size: number, entsize: number): InputSection {
  return {
    file,
    name,
    elf: null,
    flags: SHF_ALLOC | SHF_WRITE,
    nobits: false,
    size,
    align: 8,
    data: new Uint8Array(size),
    output: null,
    outputOffset: 0,
    entsize,
  };
}

const REX_R = 4;
const REX_B = 1;

/**
 * Rewrites the instruction around a GOT load that ld would relax; returns
 * the relocation that replaces it, or null when the load keeps its GOT slot.
 */
function relax(data: Uint8Array, rel: ElfRelocation): ElfRelocation | null {
  const at = rel.offset;
  if (at < 2 || at + 4 > data.length) return null;
  const opcode = data[at - 2]!;
  const modrm = data[at - 1]!;
  // Only RIP-relative operands (mod = 00, r/m = 101) can be relaxed.
  if ((modrm & 0xc7) !== 0x05) return null;
  if (rel.type === R_X86_64_GOTPCREL) {
    if (opcode !== 0x8b) return null;
    data[at - 2] = 0x8d; // mov → lea: same operands, the address instead of the slot's contents.
    return { ...rel, type: R_X86_64_PC32 };
  }
  if (opcode === 0xff && modrm === 0x15) {
    data.set([0x67, 0xe8], at - 2); // addr32 call rel32
    return { ...rel, type: R_X86_64_PC32 };
  }
  if (opcode === 0xff && modrm === 0x25) {
    data[at - 2] = 0xe9; // jmp rel32 one byte earlier, then a nop where the displacement ended
    data[at + 3] = 0x90;
    return { ...rel, offset: at - 1, type: R_X86_64_PC32 };
  }
  const reg = (modrm >> 3) & 7;
  let newOpcode: number;
  let newModrm: number;
  if (opcode === 0x8b) {
    newOpcode = 0xc7; // mov $imm32, reg
    newModrm = 0xc0 | reg;
  } else if (opcode === 0x85) {
    newOpcode = 0xf7; // test $imm32, reg
    newModrm = 0xc0 | reg;
  } else if ((opcode & 0xc7) === 0x03) {
    newOpcode = 0x81; // add/or/adc/sbb/and/sub/xor/cmp $imm32, reg
    newModrm = 0xc0 | (opcode & 0x38) | reg;
  } else return null;
  let wide = false;
  if (rel.type === R_X86_64_REX_GOTPCRELX) {
    if (at < 3) return null;
    const rex = data[at - 3]!;
    if ((rex & 0xf0) !== 0x40) return null;
    wide = (rex & 8) !== 0;
    // The register moves from ModR/M.reg to ModR/M.r/m, so its REX extension bit moves from R to B.
    data[at - 3] = (rex & ~REX_R) | (rex & REX_R ? REX_B : 0);
  }
  data[at - 2] = newOpcode;
  data[at - 1] = newModrm;
  // An absolute immediate takes no PC adjustment: ld drops the addend.
  return { ...rel, type: wide ? R_X86_64_32S : R_X86_64_32, addend: 0 };
}

const NEEDS_SLOT = new Set([
  R_X86_64_GOTPCREL,
  R_X86_64_GOTPCREL64,
  R_X86_64_GOTPCRELX,
  R_X86_64_REX_GOTPCRELX,
  R_X86_64_GOT32,
  R_X86_64_GOT64,
]);

export function planGot(files: InputFile[], symbols: Map<string, GlobalSymbol>): GotPlan {
  const owner = linkerFile();
  const localSlots = new Map<InputFile, Map<number, number>>();
  const globalsNeeding = new Set<GlobalSymbol>();
  const gotSymbol = symbols.get(GOT_SYMBOL);
  let gotSymbolReferenced = false;
  let slotCount = 0;
  for (const file of files) {
    const locals = new Map<number, true>();
    for (const [targetIndex, relocations] of file.elf.relocations) {
      const section = file.sections[targetIndex];
      if (!section || section.nobits) continue;
      const rewritten = relocations.map((rel) => {
        const g = file.globals[rel.symbolIndex] ?? null;
        if (g !== null && g === gotSymbol) gotSymbolReferenced = true;
        if (!NEEDS_SLOT.has(rel.type)) return rel;
        const local = rel.symbolIndex === 0 || file.elf.symbols[rel.symbolIndex]?.bind === STB_LOCAL;
        // A missing definition is reported by applyRelocations; it gets neither relaxation nor slot.
        if (!local && g !== null && g.state === 'undefined' && !g.weak) return rel;
        if (rel.type === R_X86_64_GOTPCREL || rel.type === R_X86_64_GOTPCRELX || rel.type === R_X86_64_REX_GOTPCRELX) {
          const relaxed = relax(section.data, rel);
          if (relaxed) return relaxed;
        }
        if (local) locals.set(rel.symbolIndex, true);
        else if (g !== null) globalsNeeding.add(g);
        return rel;
      });
      file.elf.relocations.set(targetIndex, rewritten);
    }
    if (locals.size > 0) {
      const slots = new Map<number, number>();
      for (const index of [...locals.keys()].sort((a, b) => a - b)) slots.set(index, slotCount++);
      localSlots.set(file, slots);
    }
  }
  const globalSlots = new Map<GlobalSymbol, number>();
  const creation = new Map([...symbols.values()].map((g, i) => [g, i]));
  const walk = [...globalsNeeding].sort(
    (a, b) => symbolHashBucket(a.name) - symbolHashBucket(b.name) || creation.get(b)! - creation.get(a)!,
  );
  for (const g of walk) globalSlots.set(g, slotCount++);
  const hasGotPlt = slotCount > 0 || gotSymbolReferenced;
  return {
    got: linkerSection(owner, '.got', slotCount * 8, 0),
    gotPlt: linkerSection(owner, '.got.plt', hasGotPlt ? 24 : 0, 8),
    globalSlots,
    localSlots,
  };
}

/** Address of a symbol's GOT slot (the plan must have given it one). */
export function slotAddress(plan: GotPlan, file: InputFile, symbolIndex: number): number | undefined {
  const g = file.globals[symbolIndex] ?? null;
  const slot = g !== null ? plan.globalSlots.get(g) : plan.localSlots.get(file)?.get(symbolIndex);
  if (slot === undefined) return undefined;
  return plan.got.output!.address + plan.got.outputOffset + slot * 8;
}

/** Address of _GLOBAL_OFFSET_TABLE_ (start of .got.plt, even when that is empty and not emitted). */
export function gotBase(plan: GotPlan): number {
  return plan.gotPlt.output!.address + plan.gotPlt.outputOffset;
}

/** After symbol addresses are final: store each slot's symbol address. */
export function fillGot(
  plan: GotPlan,
  addressOf: (file: InputFile | null, g: GlobalSymbol | null, index: number) => number,
): void {
  const view = new DataView(plan.got.data.buffer, plan.got.data.byteOffset, plan.got.data.byteLength);
  for (const [g, slot] of plan.globalSlots) view.setBigUint64(slot * 8, BigInt(addressOf(null, g, 0)), true);
  for (const [file, slots] of plan.localSlots)
    for (const [index, slot] of slots) view.setBigUint64(slot * 8, BigInt(addressOf(file, null, index)), true);
}
