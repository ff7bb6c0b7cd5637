/**
 * `--explain`: every source line with its address and bytes, and each
 * instruction's encoding taken apart by the table-driven decoder
 * (src/disasm/fields.ts). `explain` gives the
 * structured form (for a web page); `formatExplain` the terminal text.
 */
import { Chalk } from 'chalk';
import type { AssembleResult, EmissionRecord } from '../library/assemble.js';
import type { Statement, StatementBody } from '../parse/ast.js';
import { logicalLines } from '../preprocess/index.js';
import { decodeFields, type DecodedInstruction } from '../disasm/fields.js';
import { explainEvex } from './explain-evex.js';
import { explainVex } from './explain-vex.js';
import { bodyLineText } from './listing.js';

export interface ExplainedField {
  kind: string;
  /** Offset of the field inside the line's bytes. */
  at: number;
  /** The field's bytes as upper-case hex pairs separated by spaces. */
  hex: string;
  description: string;
}

export interface ExplainedLine {
  file: string;
  line: number;
  /** The source line (when the source text was given). */
  source: string | null;
  kind: StatementBody['kind'];
  /** Section name; null in `absolute` space or for lines that emit nothing. */
  section: string | null;
  address: number | null;
  /** All bytes the line emitted, hex pairs separated by spaces. */
  hex: string;
  /** One-line summary (what the line does to the section). */
  summary: string;
  /** For instructions: the fields, in byte order. */
  fields: ExplainedField[];
  /** For instructions: the decoded form (ModR/M, SIB, displacement, immediate). */
  decoded: DecodedInstruction | null;
  /**
   * For lines made by macros: outermost first, each macro and the line of
   * its body being expanded (`line` above is then the outermost call).
   */
  macroChain: Array<{ macro: string; file: string; line: number }>;
  /** For lines from a macro or %rep body: that body line as written (before parameter substitution). */
  bodyText: string | null;
}

export interface ExplainOptions {
  /** The source text, to show each line next to its bytes. */
  sourceText?: string;
  /** Output format the result was assembled for: sets the initial BITS (elf32: 32, bin: 16). */
  format?: 'bin' | 'elf32' | 'elf64' | 'elfx32';
}

const hexOf = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');

function relocationText(r: EmissionRecord['relocations'][number]): string {
  return (
    `relocation: ${r.size * 8}-bit ${r.relative ? 'PC-relative' : 'absolute'} field against ${r.external ? 'an external symbol' : 'a section'}; ` +
    `the linker adds the final ${r.relative ? 'distance' : 'address'} to the value stored here (R_386_${r.relative ? 'PC' : ''}${r.size * 8})`
  );
}

function describeData(body: StatementBody, record: EmissionRecord): string {
  const n = record.bytes.length;
  switch (body.kind) {
    case 'data':
      return `data: ${body.items.length} item(s) of ${body.unitSize} byte(s) each, ${n} byte(s) in all, little-endian`;
    case 'reserve':
      return `reserves ${record.reserved || n} byte(s)${n ? ' (zero-filled: not a BSS section)' : ' (no file space)'}`;
    case 'incbin':
      return `incbin: ${n} byte(s) copied from ${body.file}`;
    case 'times':
      return `times ${record.repeat ?? 0}: the line below repeated, ${n + record.reserved} byte(s) in all`;
    case 'equ':
      return `equ: defines a constant${record.equValue !== null ? ` = ${record.equValue} (0x${record.equValue.toString(16).toUpperCase()})` : ''}; no bytes`;
    case 'directive':
      return `directive ${body.name}${body.args ? ' ' + body.args.trim() : ''}: changes assembler state, no bytes`;
    default:
      return '';
  }
}

/** Explains every statement of the final pass, in source order. */
export function explain(result: AssembleResult, options: ExplainOptions = {}): ExplainedLine[] {
  const statements: Statement[] = result.stages?.statements ?? [];
  const emissions = result.stages?.emissions ?? [];
  const sourceLines = new Map<number, string>();
  if (options.sourceText !== undefined)
    for (const { text, line } of logicalLines(options.sourceText)) sourceLines.set(line, text);
  let bits: 16 | 32 | 64 =
    options.format === 'bin' ? 16 : options.format === 'elf32' || options.format === undefined ? 32 : 64;
  const lines: ExplainedLine[] = [];
  // The line the preprocessor was reading when each statement came out (see SourceLineRecord).
  const events = result.stages?.sourceLines ?? [];
  const eventOf = new Array<number>(statements.length).fill(-1);
  events.forEach((event, i) => {
    const next = events[i + 1]?.firstStatement ?? statements.length;
    for (let k = event.firstStatement; k < next; k++) eventOf[k] = i;
  });
  for (const record of emissions) {
    const statement = statements[record.statementIndex];
    if (!statement) continue;
    const body = statement.body;
    if (body.kind === 'directive') {
      const name = body.name.toLowerCase();
      if (name === 'bits') {
        const mode = body.args.trim();
        bits = mode === '16' ? 16 : mode === '64' ? 64 : 32;
      }
    }
    const emitted = record.bytes.length > 0 || record.reserved > 0;
    const source =
      record.location.expansion === undefined || record.location.expansion.length === 0
        ? (sourceLines.get(record.location.line) ?? null)
        : (sourceLines.get(record.location.line) ?? null);
    const line: ExplainedLine = {
      file: record.location.file,
      line: record.location.line,
      source,
      kind: body.kind,
      section: emitted ? record.section : null,
      address: emitted ? record.offset : null,
      hex: hexOf(record.bytes),
      summary: '',
      fields: [],
      decoded: null,
      macroChain: (statement.location.macroTrail ?? []).map((t) => ({
        macro: t.macro,
        file: t.location.file,
        line: t.location.line,
      })),
      bodyText: null,
    };
    const event = events[eventOf[record.statementIndex] ?? -1];
    // Lines of `.nolist` macros (the standard `bits`, `section` …) belong to their call, as in the listing.
    if (event && !event.listed) line.macroChain = [];
    else if (event && (event.kind === 'macro' || event.kind === 'rep')) line.bodyText = bodyLineText(event.text).trim();
    const instruction =
      body.kind === 'instruction' ? body : body.kind === 'times' && body.body.kind === 'instruction' ? body.body : null;
    if (instruction && record.bytes.length > 0) {
      const repeat = record.repeat && record.repeat > 0 ? record.repeat : 1;
      const unit = record.bytes.slice(0, record.bytes.length / repeat);
      const decoded =
        explainEvex(unit, bits) ?? explainVex(unit, bits) ?? decodeFields(unit, bits, instruction.mnemonic);
      line.decoded = decoded;
      line.summary = `${instruction.mnemonic}: ${unit.length} byte(s)${repeat > 1 ? `, repeated ${repeat} times` : ''}`;
      for (const f of decoded.fields) {
        const relocs = record.relocations.filter((r) => r.at >= f.at && r.at < f.at + f.bytes.length);
        const description = [f.description, ...relocs.map(relocationText)].join('; ');
        line.fields.push({ kind: f.kind, at: f.at, hex: hexOf(f.bytes), description });
      }
    } else {
      line.summary = describeData(body, record);
      for (const r of record.relocations) {
        line.fields.push({
          kind: 'relocation',
          at: r.at,
          hex: hexOf(record.bytes.slice(r.at, r.at + r.size)),
          description: relocationText(r),
        });
      }
    }
    lines.push(line);
  }
  return lines;
}

/** The terminal form of `explain`: a line per statement, an indented line per field. */
export function formatExplain(lines: ExplainedLine[], options: { colour: boolean }): string {
  const c = new Chalk({ level: options.colour ? 1 : 0 });
  const out: string[] = [];
  for (const l of lines) {
    if (l.kind === 'empty' && l.address === null) continue;
    const where =
      l.address === null
        ? ''.padEnd(14)
        : `${(l.section ?? 'abs').padEnd(5)} ${l.address.toString(16).toUpperCase().padStart(8, '0')}`;
    out.push(
      `${c.dim(String(l.line).padStart(5))}  ${c.cyan(where)}  ${c.bold(l.hex || '-')}${l.source !== null ? '    ' + c.green(l.source.trim()) : ''}`,
    );
    if (l.macroChain.length > 0 || l.bodyText !== null) {
      const chain = l.macroChain.map((m) => `macro ${m.macro} (${m.file}:${m.line})`).join(' -> ');
      out.push(`${''.padEnd(23)}${c.blue(`from ${chain || '%rep'}${l.bodyText !== null ? `: ${l.bodyText}` : ''}`)}`);
    }
    if (l.summary) out.push(`${''.padEnd(23)}${l.summary}`);
    for (const f of l.fields) {
      out.push(`${''.padEnd(23)}${c.yellow(f.hex.padEnd(12))} ${c.magenta(f.kind.padEnd(12))} ${f.description}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
