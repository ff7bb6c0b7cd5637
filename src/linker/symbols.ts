/**
 * Stage 2, resolveSymbols: bind every global/weak symbol name to one
 * definition, pulling archive members the way ld does (each archive is
 * scanned in command-line order, repeatedly, pulling members whose index
 * entries name a currently undefined, non-weak symbol).
 * Invariant on exit: `files` is the final ordered list of objects in the
 * link; each name in `symbols` has state defined/common/undefined;
 * every non-local ELF symbol of every file points at its GlobalSymbol.
 */
import { hasSpecialIndex, SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_LOCAL, STB_WEAK } from '../elf/index.js';
import type { InputUnit } from './inputs.js';
import { loadObject } from './inputs.js';
import { formatLocation, formatShortLocation } from './locate.js';
import type { GlobalSymbol, InputFile, LinkDiagnostic } from './types.js';

export interface Resolution {
  files: InputFile[];
  symbols: Map<string, GlobalSymbol>;
}

function newSymbol(name: string): GlobalSymbol {
  return {
    name,
    state: 'undefined',
    weak: true,
    file: null,
    elfSymbol: null,
    section: null,
    value: 0,
    commonSize: 0,
    commonAlign: 1,
    address: 0,
    size: 0,
    linkerDefined: false,
  };
}

export function resolveSymbols(units: InputUnit[], diagnostics: LinkDiagnostic[]): Resolution {
  const files: InputFile[] = [];
  const symbols = new Map<string, GlobalSymbol>();

  const addFile = (file: InputFile): void => {
    files.push(file);
    file.elf.symbols.forEach((sym, i) => {
      if (i === 0 || sym.bind === STB_LOCAL) return;
      let g = symbols.get(sym.name);
      if (!g) {
        g = newSymbol(sym.name);
        symbols.set(sym.name, g);
      }
      file.globals[i] = g;
      const weak = sym.bind === STB_WEAK;
      if (sym.shndx === SHN_UNDEF) {
        if (g.state === 'undefined' && !weak) g.weak = false;
        return;
      }
      if (hasSpecialIndex(sym, SHN_COMMON)) {
        if (g.state === 'defined') return; // A real definition beats a common one.
        const wasUndefined = g.state === 'undefined';
        g.state = 'common';
        g.weak = false;
        if (wasUndefined || sym.size > g.commonSize) {
          g.file = file;
          g.elfSymbol = sym;
        }
        g.commonSize = Math.max(g.commonSize, sym.size);
        g.size = g.commonSize;
        // For SHN_COMMON symbols st_value holds the required alignment.
        g.commonAlign = Math.max(g.commonAlign, sym.value || 1);
        return;
      }
      // A definition.
      if (g.state === 'common' && weak) return; // A common symbol beats a weak definition.
      if (g.state === 'defined') {
        if (weak) return; // First definition wins over any later weak one.
        if (!g.weak) {
          const here = formatLocation(file, sym.shndx < 0xff00 ? sym.shndx : 0, sym.value);
          const prev =
            g.file && g.elfSymbol
              ? formatShortLocation(g.file, g.elfSymbol.shndx < 0xff00 ? g.elfSymbol.shndx : 0, g.elfSymbol.value)
              : '(linker)';
          diagnostics.push({
            severity: 'error',
            message: `${here}: multiple definition of \`${sym.name}'; ${prev}: first defined here`,
          });
          return;
        }
      }
      // Reaching here: undefined, common, or weak definition → take this one.
      g.state = 'defined';
      g.weak = weak;
      g.file = file;
      g.elfSymbol = sym;
      g.value = sym.value;
      g.size = sym.size;
      g.section = hasSpecialIndex(sym, SHN_ABS) ? null : (file.sections[sym.shndx] ?? null);
    });
  };

  for (const unit of units) {
    if (unit.kind === 'object') {
      addFile(unit.file);
      continue;
    }
    if (!unit.archive.hasIndex && unit.archive.members.length > 0) {
      diagnostics.push({
        severity: 'error',
        message: `${unit.name}: error adding symbols: archive has no index; run ranlib to add one`,
      });
      continue;
    }
    // Archive: loop over its index until a pass pulls nothing, like ld.
    const pulled = new Set<number>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const entry of unit.archive.index) {
        if (pulled.has(entry.member.headerOffset)) continue;
        const g = symbols.get(entry.symbol);
        if (!g || g.state !== 'undefined' || g.weak) continue;
        pulled.add(entry.member.headerOffset);
        addFile(loadObject(`${unit.name}(${entry.member.name})`, entry.member.data));
        changed = true;
      }
    }
  }
  return { files, symbols };
}
