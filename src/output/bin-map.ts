/**
 * nasm's map file for `-f bin` (`[map all|brief|sections|segments|symbols [file]]`),
 * line for line as nasm 2.16.01 writes it: the origin and a section summary
 * (`brief`, also part of `sections`/`segments`), one block per section with its
 * placement attributes (`sections`, `segments`), and the symbols by section
 * (`symbols`), constants and absolute labels under "No Section".
 */
import type { MapRequest, ObjectFile, ObjectSection } from '../asm/object.js';
import { layoutBin, runAlignment, type BinLayout } from './bin.js';

const WIDTH = 79;

/** `-- Title ----…` padded with dashes to nasm's 79 columns (at least one dash after a long title). */
function heading(prefix: string, title: string): string {
  const start = `${prefix} ${title} `;
  return start + '-'.repeat(Math.max(1, WIDTH - start.length));
}

const hex = (n: bigint | number): string => BigInt.asUintN(64, BigInt(n)).toString(16).toUpperCase();
const right = (text: string, width: number): string => text.padStart(width);

/** The map text for a bin object (`outputName`: the output file as the user named it). */
export function renderBinMap(obj: ObjectFile, request: MapRequest, outputName: string): string {
  const want = (o: 'brief' | 'sections' | 'symbols'): boolean =>
    request.options.length === 0
      ? o === 'brief'
      : request.options.some((r) => r === 'all' || r === o || (o === 'sections' && r === 'segments'));
  const showSections = want('sections');
  const { sections: placed, origin } = layoutBin(obj);
  const lines: string[] = ['', heading('-', 'NASM Map file'), '', `Source file:  ${obj.sourceName}`];
  lines.push(`Output file:  ${outputName}`, '');
  if (want('brief') || showSections) {
    lines.push(heading('--', 'Program origin'), '', hex(origin).padStart(8, '0'), '');
    lines.push(heading('--', 'Sections (summary)'), '');
    lines.push('Vstart            Start             Stop              Length    Class     Name');
    for (const p of placed) {
      const size = p.section.size;
      lines.push(
        `${right(hex(p.vstart), 16)}  ${right(hex(p.start), 16)}  ${right(hex(p.start + BigInt(size)), 16)}  ` +
          `${hex(size).padStart(8, '0')}  ${className(p.section).padEnd(8)}  ${p.section.name}`,
      );
    }
    lines.push('');
  }
  if (showSections) {
    lines.push(heading('--', 'Sections (detailed)'), '');
    for (const p of placed) lines.push(...sectionDetail(p.section, p.start, p.vstart));
  }
  if (want('symbols')) lines.push(...symbolLines(obj, placed));
  return lines.join('\n') + '\n';
}

function className(s: ObjectSection): string {
  return s.attributes.kind === 'nobits' ? 'nobits' : 'progbits';
}

function field(label: string, value: bigint | number | string | null): string {
  const key = `${label}:`.padEnd(11);
  if (value === null) return `${key}not defined`;
  return typeof value === 'string' ? key + value : key + right(hex(value), 16);
}

/** One section's placement, with nasm's "not defined" where no attribute (or default) applies. */
function sectionDetail(s: ObjectSection, start: bigint, vstart: bigint): string[] {
  const a = s.attributes;
  const nobits = a.kind === 'nobits';
  let align: number | null = a.alignDefined === true ? a.align : null;
  if (!nobits && align === null && s.name !== '.text' && a.start === null) align = a.align;
  const vfollows = a.vfollows ?? (nobits ? a.follows : null);
  let valign: number | null = a.valign;
  if (valign === null && (vfollows !== null || (nobits && a.vstart === null && a.start === null)))
    valign = runAlignment(a);
  return [
    heading('----', `Section ${s.name}`),
    '',
    field('class', className(s)),
    field('length', s.size),
    field('start', start),
    field('align', align),
    field('follows', nobits ? null : a.follows),
    field('vstart', vstart),
    field('valign', valign),
    field('vfollows', vfollows),
    '',
  ];
}

/** Symbols by section in definition order; plain values (EQU constants, absolute labels) first, as "No Section". */
function symbolLines(obj: ObjectFile, placed: BinLayout['sections']): string[] {
  const lines = [heading('--', 'Symbols'), ''];
  const plain = obj.symbols.filter((s) => s.section === 'abs');
  if (plain.length > 0) {
    lines.push(heading('----', 'No Section'), '', 'Value     Name');
    for (const s of plain) lines.push(`${hex(BigInt.asUintN(32, s.value)).padStart(8, '0')}  ${s.name}`);
    lines.push('', '');
  }
  for (const p of placed) {
    const index = obj.sections.indexOf(p.section);
    const inSection = obj.symbols.filter((s) => s.section === index);
    if (inSection.length === 0) continue;
    lines.push(heading('----', `Section ${p.section.name}`), '', 'Real              Virtual           Name');
    for (const s of inSection)
      lines.push(`${right(hex(p.start + s.value), 16)}  ${right(hex(p.vstart + s.value), 16)}  ${s.name}`);
    lines.push('');
  }
  return lines;
}
