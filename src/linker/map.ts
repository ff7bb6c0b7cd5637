/**
 * The --map report: segments, output sections with the input sections that
 * filled them, and every global symbol's final address. Plain text meant
 * for people; stable enough to diff.
 */
import { PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD } from '../elf/index.js';
import type { Layout } from './layout.js';
import { addressIn } from './relocate.js';
import type { GlobalSymbol, InputFile, OutputSection } from './types.js';
import { hasSpecialIndex, SHN_ABS, STB_LOCAL, STT_FILE, STT_SECTION } from '../elf/index.js';

const hex = (n: number, width = 8) => `0x${(n >>> 0).toString(16).padStart(width, '0')}`;

function flagsText(flags: number): string {
  return `${flags & PF_R ? 'R' : '-'}${flags & PF_W ? 'W' : '-'}${flags & PF_X ? 'X' : '-'}`;
}

export function formatMap(
  layout: Layout,
  outputs: OutputSection[],
  files: InputFile[],
  symbols: Map<string, GlobalSymbol>,
): string {
  const lines: string[] = [];
  lines.push('Segments', '');
  lines.push('  Type       Offset     VirtAddr   FileSiz    MemSiz     Flg  Sections');
  for (const seg of layout.segments) {
    const type = seg.type === PT_LOAD ? 'LOAD' : seg.type === PT_GNU_STACK ? 'GNU_STACK' : hex(seg.type);
    lines.push(
      `  ${type.padEnd(10)} ${hex(seg.offset)} ${hex(seg.vaddr)} ${hex(seg.filesz)} ${hex(seg.memsz)} ${flagsText(seg.flags)}  ${seg.sections.map((s) => s.name).join(' ')}`.trimEnd(),
    );
  }
  lines.push('', `Entry point ${hex(layout.entry)}`, '', 'Sections', '');
  lines.push('  Name               Address    Size       Offset     Align  Input');
  for (const out of outputs) {
    if (out.empty) continue;
    lines.push(
      `  ${out.name.padEnd(18)} ${hex(out.address)} ${hex(out.size)} ${hex(out.fileOffset)} ${String(out.align).padStart(5)}`,
    );
    for (const input of out.inputs) {
      if (input.size === 0) continue;
      const what = input.commonSymbols ? `COMMON: ${input.commonSymbols.map((g) => g.name).join(' ')}` : input.name;
      lines.push(`    ${hex(out.address + input.outputOffset)} ${hex(input.size)} ${input.file.displayName}(${what})`);
    }
  }
  lines.push('', 'Symbols', '');
  const rows: Array<{ address: number; text: string }> = [];
  for (const g of symbols.values()) {
    if (g.state === 'undefined' && !g.linkerDefined) {
      rows.push({ address: 0, text: `${hex(0)}  ${g.name} (undefined weak)` });
      continue;
    }
    const origin = g.linkerDefined
      ? 'linker'
      : `${g.file?.displayName ?? '?'}${g.state === 'common' ? ', COMMON' : ''}${g.weak ? ', weak' : ''}`;
    rows.push({ address: g.address, text: `${hex(g.address)}  ${g.name} (${origin})` });
  }
  for (const file of files) {
    for (const sym of file.elf.symbols) {
      if (
        sym.bind !== STB_LOCAL ||
        sym.type === STT_SECTION ||
        sym.type === STT_FILE ||
        sym.name === '' ||
        sym.shndx === 0
      )
        continue;
      const absolute = hasSpecialIndex(sym, SHN_ABS);
      const section = absolute ? null : file.sections[sym.shndx];
      if (section === undefined || (section === null && !absolute)) continue;
      const address = section ? addressIn(section, sym.value) : sym.value;
      rows.push({ address, text: `${hex(address)}  ${sym.name} (local, ${file.displayName})` });
    }
  }
  rows.sort((a, b) => a.address - b.address || (a.text < b.text ? -1 : 1));
  for (const row of rows) lines.push(`  ${row.text}`);
  return `${lines.join('\n')}\n`;
}
