/**
 * `--dump=STAGE`: the intermediate forms of one `assemble` run, as text for
 * people or JSON for tools. Stages follow the pipeline: tokens → statements
 * → passes → symbols / sections / relocations (the object model).
 */
import type { AssembleResult } from '../library/assemble.js';
import type { ObjectFile } from '../asm/object.js';
import { lexLine } from '../../grammar/tokens.js';
import { logicalLines } from '../preprocess/index.js';

export const DUMP_STAGES = ['tokens', 'statements', 'passes', 'symbols', 'sections', 'relocations'] as const;
export type DumpStage = (typeof DUMP_STAGES)[number];

export interface DumpOptions {
  /** Needed for `tokens` (the source is lexed again line by line) and to show source text in `passes`. */
  sourceText?: string;
}

/** One row of the `passes` view: a statement's size and start in every pass. */
export interface PassRow {
  statement: number;
  line: number;
  source: string;
  /** Per pass: section (null in absolute space), start offset, size. */
  passes: Array<{ space: string | null; offset: number; size: number }>;
  /** True when the size or start differs between passes. */
  moved: boolean;
}

/** One label's value after every pass. */
export interface PassLabel {
  name: string;
  values: Array<{ space: string | null; value: number } | null>;
  moved: boolean;
}

/**
 * The passes as data: label values and statement sizes after each pass,
 * until they settle (needs `assemble(…, { recordPasses: true })`). Only
 * statements that take space in some pass are listed.
 */
export function passTable(
  result: AssembleResult,
  sourceText = '',
): { passes: number[]; labels: PassLabel[]; rows: PassRow[] } | null {
  const log = result.stages?.passLog;
  if (!log || log.length === 0) return null;
  const statements = result.stages?.statements ?? [];
  const text = new Map<number, string>();
  for (const { text: t, line } of logicalLines(sourceText)) text.set(line, t.trim());
  const rows: PassRow[] = [];
  statements.forEach((stmt, i) => {
    const passes = log.map((p) => p.statements[i] ?? { space: null, offset: 0, size: 0 });
    if (passes.every((p) => p.size === 0)) return;
    const moved = passes.some((p) => p.size !== passes[0]!.size || p.offset !== passes[0]!.offset);
    rows.push({ statement: i, line: stmt.location.line, source: text.get(stmt.location.line) ?? '', passes, moved });
  });
  const names = [...new Set(log.flatMap((p) => p.labels.map((l) => l.name)))];
  const labels: PassLabel[] = names.map((name) => {
    const values = log.map((p) => {
      const found = p.labels.find((l) => l.name === name);
      return found ? { space: found.space, value: found.value } : null;
    });
    const first = values[0];
    const moved = values.some((v) => v?.value !== first?.value || v?.space !== first?.space);
    return { name, values, moved };
  });
  return { passes: log.map((p) => p.pass), labels, rows };
}

function dumpPasses(result: AssembleResult, format: 'text' | 'json', options: DumpOptions): string {
  const report = result.stages?.passes ?? null;
  const log = passTable(result, options.sourceText);
  if (format === 'json') {
    return toJson({
      passes: report?.passes ?? 0,
      relaxation: report?.relaxation ?? null,
      recorded: log?.passes ?? [],
      labels: log?.labels ?? [],
      rows: log?.rows ?? [],
    });
  }
  const out: string[] = [
    `passes: ${report?.passes ?? 0}` +
      (report?.relaxation
        ? ` (after pass ${report.relaxation.afterPass} the remaining jump sizes were settled directly: ${report.relaxation.jumpsChanged} changed)`
        : ''),
  ];
  if (!log) return out.join('\n') + '\nno pass log (assemble with recordPasses)\n';
  const where = (space: string | null, value: number): string => `${space ?? 'abs'}:${hex(value, 1)}`;
  const header = log.passes.map((p) => `pass ${p}`);
  out.push('', 'label values after each pass (* = changed since the pass before):');
  out.push(
    table(
      ['label', ...header],
      log.labels.map((l) => [
        l.name,
        ...l.values.map((v, i) => {
          const before = l.values[i - 1];
          const mark = i > 0 && (before?.value !== v?.value || before?.space !== v?.space) ? '*' : '';
          return v ? where(v.space, v.value) + mark : '-';
        }),
      ]),
    ).trimEnd(),
  );
  out.push('', 'statement start and size after each pass (* = changed):');
  out.push(
    table(
      ['line', 'source', ...header],
      log.rows.map((r) => [
        String(r.line),
        r.source.length > 40 ? r.source.slice(0, 39) + '…' : r.source,
        ...r.passes.map((p, i) => {
          const before = r.passes[i - 1];
          const mark = before && (before.size !== p.size || before.offset !== p.offset) ? '*' : '';
          return `${hex(p.offset, 1)}+${p.size}${mark}`;
        }),
      ]),
    ).trimEnd(),
  );
  return out.join('\n') + '\n';
}

/** JSON.stringify that writes bigints as decimal strings and registers by name. */
function toJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Uint8Array) return Array.from(v);
        if (key === 'reg' && v && typeof v === 'object' && 'name' in v) return (v as { name: string }).name;
        return v;
      },
      2,
    ) + '\n'
  );
}

function hex(value: bigint | number, digits = 8): string {
  return BigInt.asUintN(64, BigInt(value)).toString(16).toUpperCase().padStart(digits, '0');
}

function sectionName(object: ObjectFile, section: number | 'abs' | 'undef' | 'common'): string {
  return typeof section === 'number' ? (object.sections[section]?.name ?? `#${section}`) : section;
}

function symbolRows(object: ObjectFile) {
  return object.symbols.map((s) => ({
    name: s.name,
    binding: s.binding,
    section: sectionName(object, s.section),
    value: s.value,
    size: s.size,
  }));
}

function sectionRows(object: ObjectFile) {
  return object.sections.map((s) => ({
    name: s.name,
    kind: s.attributes.kind,
    size: s.size,
    align: s.attributes.align,
    flags: `${s.attributes.alloc ? 'A' : ''}${s.attributes.write ? 'W' : ''}${s.attributes.exec ? 'X' : ''}`,
    relocations: s.relocations.length,
  }));
}

function relocationRows(object: ObjectFile) {
  return object.sections.flatMap((s) =>
    s.relocations.map((r) => ({
      section: s.name,
      offset: r.offset,
      type: `R_386_${r.relative ? 'PC' : ''}${r.size * 8}`,
      target:
        r.target.kind === 'absolute'
          ? '*ABS*'
          : r.target.kind === 'section'
            ? (object.sections[r.target.sectionIndex]?.name ?? `section #${r.target.sectionIndex}`)
            : (object.symbols[r.target.symbolIndex]?.name ?? `symbol #${r.target.symbolIndex}`),
      addendInPlace: readLittle(s.data, r.offset, r.size),
    })),
  );
}

function readLittle(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return BigInt.asIntN(size * 8, v);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Dumps one stage of the pipeline. Stages needing the object model say so when assembly failed. */
export function dumpStage(
  result: AssembleResult,
  stage: DumpStage,
  format: 'text' | 'json',
  options: DumpOptions = {},
): string {
  const object = result.stages?.object ?? null;
  switch (stage) {
    case 'tokens': {
      const lines = [...logicalLines(options.sourceText ?? '')]
        .map(({ text, line }) => ({
          line,
          tokens: lexLine(text).tokens.map((t) => ({
            type: t.tokenType.name,
            image: t.image,
            column: t.startOffset + 1,
          })),
        }))
        .filter((l) => l.tokens.length > 0);
      if (format === 'json') return toJson(lines);
      return (
        lines
          .map((l) => `${String(l.line).padStart(5)}: ${l.tokens.map((t) => `${t.type}(${t.image})`).join(' ')}`)
          .join('\n') + '\n'
      );
    }
    case 'statements': {
      const statements = result.stages?.statements ?? [];
      if (format === 'json') return toJson(statements);
      return (
        statements
          .filter((s) => s.body.kind !== 'empty' || s.label)
          .map((s) => {
            const b = s.body;
            const what =
              b.kind === 'instruction'
                ? `instruction ${[...b.prefixes, b.mnemonic].join(' ')} (${b.operands.length} operand(s): ${b.operands.map((o) => o.kind).join(', ')})`
                : b.kind === 'directive'
                  ? `directive ${b.name} ${b.args.trim()}`
                  : b.kind === 'data'
                    ? `data, ${b.items.length} item(s) of ${b.unitSize} byte(s)`
                    : b.kind === 'times'
                      ? `times (${b.body.kind})`
                      : b.kind;
            return `${String(s.location.line).padStart(5)}: ${s.label ? `label ${s.label}; ` : ''}${what}`;
          })
          .join('\n') + '\n'
      );
    }
    case 'passes':
      return dumpPasses(result, format, options);
    case 'symbols': {
      if (!object) return format === 'json' ? toJson(null) : 'no object model (assembly failed)\n';
      const rows = symbolRows(object);
      if (format === 'json') return toJson(rows);
      return table(
        ['name', 'binding', 'section', 'value', 'size'],
        rows.map((r) => [r.name, r.binding, r.section, hex(r.value), String(r.size)]),
      );
    }
    case 'sections': {
      if (!object) return format === 'json' ? toJson(null) : 'no object model (assembly failed)\n';
      const rows = sectionRows(object);
      if (format === 'json') return toJson(rows);
      return table(
        ['name', 'kind', 'size', 'align', 'flags', 'relocs'],
        rows.map((r) => [r.name, r.kind, hex(r.size), String(r.align), r.flags, String(r.relocations)]),
      );
    }
    case 'relocations': {
      if (!object) return format === 'json' ? toJson(null) : 'no object model (assembly failed)\n';
      const rows = relocationRows(object);
      if (format === 'json') return toJson(rows);
      return table(
        ['section', 'offset', 'type', 'target', 'in place'],
        rows.map((r) => [r.section, hex(r.offset), r.type, r.target, String(r.addendInPlace)]),
      );
    }
  }
}
