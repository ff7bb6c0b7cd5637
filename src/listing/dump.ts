/**
 * `--dump=STAGE`: the intermediate forms of one `assemble` run, as text for
 * people or JSON for tools. Stages follow the pipeline: tokens → statements
 * → passes → symbols / sections / relocations (the object model).
 */
import type { AssembleResult } from '../index.js';
import type { ObjectFile } from '../asm/object.js';
import { lexLine } from '../../grammar/tokens.js';
import { logicalLines } from '../preprocess/index.js';

export const DUMP_STAGES = ['tokens', 'statements', 'passes', 'symbols', 'sections', 'relocations'] as const;
export type DumpStage = (typeof DUMP_STAGES)[number];

export interface DumpOptions {
  /** Needed for `tokens`: the source is lexed again line by line (before preprocessing). */
  sourceText?: string;
}

/** JSON.stringify that writes bigints as decimal strings and registers by name. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return Array.from(v);
    if (key === 'reg' && v && typeof v === 'object' && 'name' in v) return (v as { name: string }).name;
    return v;
  }, 2) + '\n';
}

function hex(value: bigint | number, digits = 8): string {
  return BigInt.asUintN(64, BigInt(value)).toString(16).toUpperCase().padStart(digits, '0');
}

function sectionName(object: ObjectFile, section: number | 'abs' | 'undef' | 'common'): string {
  return typeof section === 'number' ? object.sections[section]?.name ?? `#${section}` : section;
}

function symbolRows(object: ObjectFile) {
  return object.symbols.map((s) => ({
    name: s.name, binding: s.binding, section: sectionName(object, s.section), value: s.value, size: s.size,
  }));
}

function sectionRows(object: ObjectFile) {
  return object.sections.map((s) => ({
    name: s.name, kind: s.attributes.kind, size: s.size, align: s.attributes.align,
    flags: `${s.attributes.alloc ? 'A' : ''}${s.attributes.write ? 'W' : ''}${s.attributes.exec ? 'X' : ''}`,
    relocations: s.relocations.length,
  }));
}

function relocationRows(object: ObjectFile) {
  return object.sections.flatMap((s) => s.relocations.map((r) => ({
    section: s.name,
    offset: r.offset,
    type: `R_386_${r.relative ? 'PC' : ''}${r.size * 8}`,
    target: r.target.kind === 'section'
      ? object.sections[r.target.sectionIndex]?.name ?? `section #${r.target.sectionIndex}`
      : object.symbols[r.target.symbolIndex]?.name ?? `symbol #${r.target.symbolIndex}`,
    addendInPlace: readLittle(s.data, r.offset, r.size),
  })));
}

function readLittle(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return BigInt.asIntN(size * 8, v);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Dumps one stage of the pipeline. Stages needing the object model say so when assembly failed. */
export function dumpStage(result: AssembleResult, stage: DumpStage, format: 'text' | 'json', options: DumpOptions = {}): string {
  const object = result.stages?.object ?? null;
  switch (stage) {
    case 'tokens': {
      const lines = [...logicalLines(options.sourceText ?? '')].map(({ text, line }) => ({
        line,
        tokens: lexLine(text).tokens.map((t) => ({ type: t.tokenType.name, image: t.image, column: t.startOffset + 1 })),
      })).filter((l) => l.tokens.length > 0);
      if (format === 'json') return toJson(lines);
      return lines.map((l) => `${String(l.line).padStart(5)}: ${l.tokens.map((t) => `${t.type}(${t.image})`).join(' ')}`).join('\n') + '\n';
    }
    case 'statements': {
      const statements = result.stages?.statements ?? [];
      if (format === 'json') return toJson(statements);
      return statements.filter((s) => s.body.kind !== 'empty' || s.label).map((s) => {
        const b = s.body;
        const what = b.kind === 'instruction' ? `instruction ${[...b.prefixes, b.mnemonic].join(' ')} (${b.operands.length} operand(s): ${b.operands.map((o) => o.kind).join(', ')})`
          : b.kind === 'directive' ? `directive ${b.name} ${b.args.trim()}`
          : b.kind === 'data' ? `data, ${b.items.length} item(s) of ${b.unitSize} byte(s)`
          : b.kind === 'times' ? `times (${b.body.kind})`
          : b.kind;
        return `${String(s.location.line).padStart(5)}: ${s.label ? `label ${s.label}; ` : ''}${what}`;
      }).join('\n') + '\n';
    }
    case 'passes': {
      const passes = result.stages?.passes?.passes ?? 0;
      const labels = object ? symbolRows(object).filter((s) => s.section !== 'undef') : [];
      if (format === 'json') return toJson({ passes, finalValues: labels });
      return `passes: ${passes}\nfinal label values:\n` + labels.map((s) => `  ${s.name} = ${s.section}+0x${hex(s.value)}`).join('\n') + '\n';
    }
    case 'symbols': {
      if (!object) return format === 'json' ? toJson(null) : 'no object model (assembly failed)\n';
      const rows = symbolRows(object);
      if (format === 'json') return toJson(rows);
      return table(['name', 'binding', 'section', 'value', 'size'], rows.map((r) => [r.name, r.binding, r.section, hex(r.value), String(r.size)]));
    }
    case 'sections': {
      if (!object) return format === 'json' ? toJson(null) : 'no object model (assembly failed)\n';
      const rows = sectionRows(object);
      if (format === 'json') return toJson(rows);
      return table(['name', 'kind', 'size', 'align', 'flags', 'relocs'], rows.map((r) => [r.name, r.kind, hex(r.size), String(r.align), r.flags, String(r.relocations)]));
    }
    case 'relocations': {
      if (!object) return format === 'json' ? toJson(null) : 'no object model (assembly failed)\n';
      const rows = relocationRows(object);
      if (format === 'json') return toJson(rows);
      return table(['section', 'offset', 'type', 'target', 'in place'], rows.map((r) => [r.section, hex(r.offset), r.type, r.target, String(r.addendInPlace)]));
    }
  }
}
