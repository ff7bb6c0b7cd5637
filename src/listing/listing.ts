/**
 * The `-l` listing, laid out the way nasm 2.16.01 writes it:
 *
 *   `%6d %08X <hex, 18 columns + continuation mark> <macro level, 5 columns><source>`
 *
 * Model (as observed in nasm's listings): every listed source line opens a
 * buffer; the bytes that line's statements emit are appended to it chunk by
 * chunk (raw bytes one at a time, a relocated field as one `[..]`/`(..)`
 * chunk); a chunk that would overflow the 18 hex columns flushes the buffer
 * as a line ending in `-` and continues on a line of its own. Bytes of hidden
 * (`.nolist`) macro lines, such as `align`, land in the invoking line.
 */
import type { AssembleResult, Diagnostic, EmissionRecord } from '../index.js';
import { logicalLines } from '../preprocess/index.js';
import type { Statement, StatementBody } from '../parse/ast.js';

export interface ListingOptions {
  /** The main source file name as given to `assemble` (records from other files are not listed yet). */
  fileName: string;
}

/** Hex columns per listing line (nine bytes). */
const HEX_COLUMNS = 18;
const LINE_NUMBER_WIDTH = 6;
const DIAGNOSTIC_GUTTER = '          ******************       ';

/** One piece of hex text that nasm never splits across lines. */
type Chunk = string;

function hex2(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function hexNumber(value: bigint, digits: number): string {
  return BigInt.asUintN(digits * 4, value).toString(16).toUpperCase().padStart(digits, '0');
}

/** The field's bytes as they would sit in memory: nasm lists relocated fields this way. */
function littleEndianHex(value: bigint, size: number): string {
  let v = BigInt.asUintN(size * 8, value);
  let text = '';
  for (let i = 0; i < size; i++) {
    text += hex2(Number(v & 0xffn));
    v >>= 8n;
  }
  return text;
}

/** Reads a little-endian signed field. */
function readField(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return BigInt.asIntN(size * 8, v);
}

/**
 * The value nasm prints inside a relocation marker: the target's offset
 * (plus addend) as the assembler computed it, before the ELF writer turns
 * it into an in-place addend. For a PC-relative branch the stored addend is
 * that value minus the distance from the field to the instruction end; for
 * `x - $` data it is that value plus the field's section offset.
 */
function listedRelocationValue(
  record: EmissionRecord,
  body: StatementBody,
  reloc: EmissionRecord['relocations'][number],
  unitLength: number,
): bigint {
  const stored = readField(record.bytes, reloc.at, reloc.size);
  if (!reloc.relative) return stored;
  const inner = body.kind === 'times' ? body.body : body;
  if (inner.kind === 'instruction' && BRANCHES.test(inner.mnemonic)) {
    const withinUnit = reloc.at % Math.max(unitLength, 1);
    return stored + BigInt(unitLength - withinUnit);
  }
  return stored - BigInt(record.offset + (reloc.at % Math.max(unitLength, 1)));
}

/** Instructions whose relative field is a branch target (the rest get `x - $` fields). */
const BRANCHES = /^(call|jmp|j[a-z]+|loop[a-z]*)$/i;

/** Byte ranges of a data statement that are `?` items (listed as `??`, not as their zero fill). */
function uninitialisedRanges(body: StatementBody): Array<[number, number]> {
  if (body.kind !== 'data') return [];
  const ranges: Array<[number, number]> = [];
  let at = 0;
  for (const item of body.items) {
    let length = body.unitSize;
    if (item.kind === 'string') length = Math.max(1, Math.ceil(item.bytes.length / body.unitSize)) * body.unitSize;
    if (item.kind === 'uninit') ranges.push([at, at + length]);
    at += length;
  }
  return ranges;
}

function reserveChunks(count: number): Chunk[] {
  // Small reservations are spelt out byte by byte; larger ones summarised.
  if (count > 8) return [`<res ${count.toString(16).toUpperCase()}h>`];
  return Array.from({ length: count }, () => '??');
}

/** The hex chunks of one statement's output (one TIMES repetition), plus a trailing `<rep Nh>`. */
function chunksFor(record: EmissionRecord, statement: Statement | undefined): Chunk[] {
  const body: StatementBody = statement?.body ?? { kind: 'empty' };
  const repeat = record.repeat;
  const inner = body.kind === 'times' ? body.body : body;
  const repetitions = repeat !== null && repeat > 0 ? repeat : 1;
  const chunks: Chunk[] = [];
  if (repeat === 0) return chunks;
  // Directives (section, absolute, …) move the location counter but list no bytes.
  if (!['instruction', 'data', 'reserve', 'incbin'].includes(inner.kind)) return chunks;
  const unitBytes = record.bytes.length / repetitions;
  const unitReserved = record.reserved / repetitions;
  if (inner.kind === 'incbin') {
    const length = unitBytes || unitReserved;
    if (length > 0) chunks.push(`<bin ${length.toString(16).toUpperCase()}h>`);
  } else if (inner.kind === 'reserve') {
    chunks.push(...reserveChunks(unitBytes + unitReserved));
  } else if (record.bytes.length === 0 && record.reserved > 0) {
    chunks.push(...reserveChunks(unitReserved));
  } else {
    const uninit = uninitialisedRanges(inner);
    const relocs = record.relocations.filter((r) => r.at < unitBytes);
    for (let at = 0; at < unitBytes; ) {
      const reloc = relocs.find((r) => r.at === at);
      if (reloc) {
        const value = listedRelocationValue(record, body, reloc, unitBytes);
        const [open, close] = reloc.relative ? ['(', ')'] : ['[', ']'];
        chunks.push(open + littleEndianHex(value, reloc.size) + close);
        at += reloc.size;
        continue;
      }
      const range = uninit.find(([from, to]) => at >= from && at < to);
      if (range) {
        chunks.push(...reserveChunks(range[1] - range[0]));
        at = range[1];
        continue;
      }
      chunks.push(hex2(record.bytes[at]!));
      at++;
    }
  }
  if (repeat !== null && repeat > 1 && chunks.length > 0) chunks.push(`<rep ${repeat.toString(16).toUpperCase()}h>`);
  return chunks;
}

function lineNumber(n: number): string {
  return String(n).padStart(LINE_NUMBER_WIDTH, ' ');
}

function formatDiagnosticForListing(d: Diagnostic): string {
  const suffix = d.severity === 'warning' && d.warningClass ? ` [-w+${d.warningClass}]` : '';
  return `${d.severity}: ${d.message}${suffix}`;
}

/** Renders the listing nasm writes with `-l` for a finished `assemble` run. */
export function renderListing(result: AssembleResult, sourceText: string, options: ListingOptions): string {
  const statements = result.stages?.statements ?? [];
  const emissions = result.stages?.emissions ?? [];
  const byLine = new Map<number, EmissionRecord[]>();
  for (const record of emissions) {
    if (record.location.file !== options.fileName) continue;
    const list = byLine.get(record.location.line) ?? [];
    list.push(record);
    byLine.set(record.location.line, list);
  }
  const diagnosticsByLine = new Map<number, Diagnostic[]>();
  for (const d of result.diagnostics) {
    if (!d.location || d.location.file !== options.fileName || d.severity === 'info') continue;
    const list = diagnosticsByLine.get(d.location.line) ?? [];
    list.push(d);
    diagnosticsByLine.set(d.location.line, list);
  }

  const out: string[] = [];
  for (const { text, line } of logicalLines(sourceText)) {
    const records = byLine.get(line) ?? [];
    let address: number | null = null;
    let buffer = '';
    const pieces: Array<{ address: number | null; hex: string; continued: boolean }> = [];
    for (const record of records) {
      const chunks = chunksFor(record, statements[record.statementIndex]);
      if (chunks.length === 0) continue;
      // Position of each chunk, for continuation-line addresses: raw bytes and fields advance it.
      let position = record.offset;
      if (address === null) address = position;
      for (const chunk of chunks) {
        if (buffer.length > 0 && buffer.length + chunk.length > HEX_COLUMNS && !chunk.startsWith('<rep')) {
          pieces.push({ address, hex: buffer, continued: true });
          buffer = '';
          address = position;
        }
        buffer += chunk;
        position += chunkLength(chunk);
      }
    }
    pieces.push({ address, hex: buffer, continued: false });
    pieces.forEach((piece, i) => {
      const addressText = piece.address === null ? '        ' : hexNumber(BigInt(piece.address), 8);
      const hexText = (piece.hex + (piece.continued ? '-' : '')).padEnd(HEX_COLUMNS + 1, ' ');
      const head = `${lineNumber(line)} ${addressText} ${hexText}`;
      out.push(i === 0 ? `${head}     ${text}` : head);
    });
    for (const d of diagnosticsByLine.get(line) ?? []) {
      out.push(`${lineNumber(line)}${DIAGNOSTIC_GUTTER}${formatDiagnosticForListing(d)}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** How many address bytes a chunk stands for. */
function chunkLength(chunk: Chunk): number {
  if (chunk.startsWith('<')) return 0;
  if (chunk.startsWith('[') || chunk.startsWith('(')) return (chunk.length - 2) / 2;
  return chunk.length / 2;
}
