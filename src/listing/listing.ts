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
import type { AssembleResult, Diagnostic, EmissionRecord, SourceLineRecord } from '../library/assemble.js';
import { warningSuffix } from '../core/diagnostics.js';
import { logicalLines } from '../preprocess/index.js';
import { detokenize, K, tokenize } from '../preprocess/tokenize.js';
import { writtenPieces } from '../asm/smartalign.js';
import {
  itemUnit,
  type DataItem,
  type DataUnit,
  type SmartalignFill,
  type Statement,
  type StatementBody,
} from '../parse/ast.js';

/** The `-L` letters that change the listing (nasm 2.16.01). */
export interface ListingFlags {
  /** -Ld: byte and repeat counts in decimal. */
  decimal?: boolean;
  /** -Lf: list the lines of `.nolist` macros too. */
  ignoreNolist?: boolean;
  /** -Lp: write the listing of every pass, so a run that failed early still lists the pass that failed. */
  everyPass?: boolean;
  /** -Lm: after each multi-line macro call, a `;;; [macro] name {param},…` line with its parameters. */
  macroCalls?: boolean;
}

export interface ListingOptions extends ListingFlags {
  /** The main source file name as given to `assemble`. */
  fileName: string;
}

/** Hex columns per listing line (nine bytes). */
const HEX_COLUMNS = 18;
const LINE_NUMBER_WIDTH = 6;

/** One piece of hex text that nasm never splits across lines. */
type Chunk = string;

function hex2(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function hexNumber(value: bigint, digits: number): string {
  return BigInt.asUintN(digits * 4, value)
    .toString(16)
    .toUpperCase()
    .padStart(digits, '0');
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
  // PIC fields: the ELF writer stored `value + field offset` (..gotpc) or the
  // distance from the symbol (..sym, ..got); nasm lists the value itself.
  if (reloc.wrt === 'gotpc') return stored - BigInt(record.offset + (reloc.at % Math.max(unitLength, 1)));
  if ((reloc.wrt === 'sym' || reloc.wrt === 'got') && reloc.targetOffset !== undefined)
    return stored + BigInt(reloc.targetOffset);
  if (!reloc.relative) return stored;
  const inner = body.kind === 'times' ? body.body : body;
  if (reloc.fromEnd === true || (inner.kind === 'instruction' && BRANCHES.test(inner.mnemonic))) {
    const withinUnit = reloc.at % Math.max(unitLength, 1);
    return stored + BigInt(unitLength - withinUnit);
  }
  return stored - BigInt(record.offset + (reloc.at % Math.max(unitLength, 1)));
}

/** Instructions whose relative field is a branch target (the rest get `x - $` fields). */
const BRANCHES = /^(call|jmp|j[a-z]+|loop[a-z]*)$/i;

/**
 * Byte ranges of a data statement that are `?` items (listed as `??`, not as their zero fill).
 * `length` is the statement's output length: a `dup` whose count names symbols takes what the
 * other items leave of it.
 */
function uninitialisedRanges(body: StatementBody, length: number): Array<[number, number]> {
  if (body.kind !== 'data') return [];
  const ranges: Array<[number, number]> = [];
  const symbolic = body.items.filter((item) => item.kind === 'dup');
  const others = itemsLength(body.items, body.unitSize);
  let at = 0;
  const visit = (items: DataItem[]): void => {
    for (const item of items) {
      if (item.kind === 'dup') {
        const once = itemsLength(item.items, body.unitSize);
        // Only one such `dup` on the line (not nested) can be sized from the line's length.
        if (symbolic.length !== 1 || once <= 0 || item.items.some((inner) => inner.kind === 'dup')) return;
        for (let n = Math.floor((length - others) / once); n > 0; n--) visit(item.items);
        continue;
      }
      const size = itemLength(item, body.unitSize);
      if (item.kind === 'uninit') ranges.push([at, at + size]);
      at += size;
    }
  };
  visit(body.items);
  return ranges;
}

function itemLength(item: DataItem, lineUnit: DataUnit): number {
  const unit = itemUnit(item, lineUnit);
  if (item.kind === 'string') return Math.max(1, Math.ceil(item.bytes.length / unit)) * unit;
  if (item.kind === 'uninit') return unit * item.count;
  return item.kind === 'dup' ? 0 : unit;
}

function itemsLength(items: DataItem[], lineUnit: DataUnit): number {
  return items.reduce((sum, item) => sum + itemLength(item, lineUnit), 0);
}

function reserveChunks(count: number, countText: (n: number) => string): Chunk[] {
  // Small reservations are spelt out byte by byte, as one piece a listing line never splits; larger
  // ones summarised.
  if (count > 8) return [`<res ${countText(count)}>`];
  return count > 0 ? ['??'.repeat(count)] : [];
}

/**
 * smartalign's fill lists as the lines of nasm's macro do, each at its own address: a jump, the
 * repeated group NOP or the NOPs after a jump with `<rep N>`, the last NOP.
 */
function smartalignOutput(
  record: EmissionRecord,
  body: SmartalignFill,
  countText: (n: number) => string,
): Array<{ offset: number; chunks: Chunk[] }> {
  let offset = record.offset;
  return writtenPieces(body, record.bytes).map((piece) => {
    const chunks: Chunk[] = [];
    for (const byte of piece.bytes) chunks.push(hex2(byte));
    if (piece.repeat > 1) chunks.push(`<rep ${countText(piece.repeat)}>`);
    const at = offset;
    offset += piece.bytes.length * piece.repeat;
    return { offset: at, chunks };
  });
}

/** The hex chunks of one statement's output (one TIMES repetition), plus a trailing `<rep Nh>`. */
function chunksFor(
  record: EmissionRecord,
  statement: Statement | undefined,
  countText: (n: number) => string,
): Chunk[] {
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
    if (length > 0) chunks.push(`<bin ${countText(length)}>`);
  } else if (inner.kind === 'reserve') {
    // nasm lists a repeated reservation as one block (`times 3 resb 1`: ??????), without <rep>.
    chunks.push(...reserveChunks(record.bytes.length + record.reserved, countText));
    return chunks;
  } else if (record.bytes.length === 0 && record.reserved > 0) {
    chunks.push(...reserveChunks(unitReserved, countText));
  } else {
    const uninit = uninitialisedRanges(inner, unitBytes);
    const relocs = record.relocations.filter((r) => r.at < unitBytes);
    for (let at = 0; at < unitBytes;) {
      const reloc = relocs.find((r) => r.at === at);
      if (reloc?.segment) {
        // A segment is 16 bits; a wider field is listed zero-extended (`dd seg e`: [ssss]0000).
        const segmentBytes = Math.min(reloc.size, 2);
        chunks.push(`[${'s'.repeat(segmentBytes * 2)}]`);
        if (reloc.size > segmentBytes) chunks.push('00'.repeat(reloc.size - segmentBytes));
        at += reloc.size;
        continue;
      }
      if (reloc) {
        const value = listedRelocationValue(record, body, reloc, unitBytes);
        const [open, close] = reloc.relative ? ['(', ')'] : ['[', ']'];
        chunks.push(open + littleEndianHex(value, reloc.size) + close);
        at += reloc.size;
        continue;
      }
      const range = uninit.find(([from, to]) => at >= from && at < to);
      if (range) {
        chunks.push(...reserveChunks(range[1] - range[0], countText));
        at = range[1];
        continue;
      }
      chunks.push(hex2(record.bytes[at]!));
      at++;
    }
  }
  if (repeat !== null && repeat > 1 && chunks.length > 0) chunks.push(`<rep ${countText(repeat)}>`);
  return chunks;
}

function lineNumber(n: number): string {
  return String(n).padStart(LINE_NUMBER_WIDTH, ' ');
}

function formatDiagnosticForListing(d: Diagnostic): string {
  const suffix = warningSuffix(d);
  return `${d.severity}: ${d.message}${suffix}`;
}

/**
 * The text nasm lists for a line read from a macro or %rep body: the body
 * line re-made from its tokens, so runs of white space become one space and
 * the comment is gone. Lines read from files are listed as they are.
 */
export function bodyLineText(text: string): string {
  const toks = tokenize(text);
  let end = toks.length;
  while (end > 0 && toks[end - 1]!.k === K.WS) end--;
  // nasm keeps `%{1:-1}` as the parameter `%1:-1`: the braces are not listed.
  return detokenize(
    toks
      .slice(0, end)
      .map((t) =>
        t.k === K.PARAM && t.s.startsWith('%{') && t.s.endsWith('}') ? { ...t, s: '%' + t.s.slice(2, -1) } : t,
      ),
  );
}

/**
 * The `<n>` column: four characters, blank at level 0. nasm pads it for the macro level of the
 * line listed next, not the line's own (it writes a line when the next one comes): `<9>` on the
 * line that calls a level-10 macro has no space before it, `<10>` before a return to level 9 has
 * one (measured with macros nested 12 deep).
 */
function levelColumn(level: number, nextLevel: number): string {
  if (level === 0) return '    ';
  return `${nextLevel < 10 ? ' ' : ''}<${level}>`;
}

/** One listed source line with everything that lands on it. */
interface ListedLine {
  text: string;
  line: number;
  level: number;
  statements: number[];
  diagnostics: Diagnostic[];
}

/**
 * Groups statements and diagnostics under the source lines they came from.
 * Lines of hidden (`.nolist`) macros are not listed; their bytes land in the
 * last listed line (the macro call), as in nasm.
 */
function listedLines(result: AssembleResult, sourceText: string, options: ListingOptions): ListedLine[] {
  const statements = result.stages?.statements ?? [];
  const events: SourceLineRecord[] =
    result.stages?.sourceLines ??
    [...logicalLines(sourceText)].map(({ text, line }) => ({
      text,
      line,
      file: options.fileName,
      level: 0,
      kind: 'file' as const,
      listed: true,
      firstStatement: 0,
      firstDiagnostic: 0,
    }));
  const lines: ListedLine[] = [];
  const ownerOfEvent: number[] = [];
  for (const event of events) {
    if (event.kind === 'macro-call' && !options.macroCalls) {
      ownerOfEvent.push(lines.length - 1);
      continue;
    }
    if (event.listed || options.ignoreNolist || lines.length === 0) {
      lines.push({
        text: event.kind === 'macro' || event.kind === 'rep' ? bodyLineText(event.text) : event.text,
        line: event.line,
        level: event.level,
        statements: [],
        diagnostics: [],
      });
    }
    ownerOfEvent.push(lines.length - 1);
  }
  // Statement index → listed line.
  const lineOfStatement = new Array<number>(statements.length).fill(-1);
  events.forEach((event, i) => {
    const next = events[i + 1]?.firstStatement ?? statements.length;
    for (let s = event.firstStatement; s < next; s++) {
      lineOfStatement[s] = ownerOfEvent[i]!;
      lines[ownerOfEvent[i]!]!.statements.push(s);
    }
  });
  const statementOfLocation = new Map<object, number>();
  statements.forEach((s, i) => statementOfLocation.set(s.location, i));
  let previousOwner = -1;
  // A line's messages in nasm's order (reportOrder); those nasm lists but never prints go after.
  const printed = result.reportOrder ?? [...result.diagnostics.keys()];
  const inOrder = new Set(printed);
  const order = [...printed, ...[...result.diagnostics.keys()].filter((i) => !inOrder.has(i))];
  for (const index of order) {
    const d = result.diagnostics[index]!;
    if (d.severity === 'info') {
      // nasm lists the note under the error it explains, saying where instead of "here".
      if (previousOwner >= 0 && d.location) {
        const message = d.message.replace(/ here$/, ` at ${d.location.file}:${d.location.line}`);
        lines[previousOwner]!.diagnostics.push({ ...d, message });
      }
      continue;
    }
    let owner = -1;
    const statement = d.location ? statementOfLocation.get(d.location) : undefined;
    if (statement !== undefined) owner = lineOfStatement[statement] ?? -1;
    if (owner < 0) {
      // Preprocessor diagnostics: reported while the line they belong to was being read.
      for (let i = events.length - 1; i >= 0; i--) {
        if (events[i]!.firstDiagnostic <= index) {
          owner = ownerOfEvent[i]!;
          break;
        }
      }
    }
    if (owner >= 0) lines[owner]!.diagnostics.push(d);
    previousOwner = owner;
  }
  return lines;
}

/**
 * Reads nasm's `-L` letters: the flags that change the listing here, and the
 * letters accepted without effect (b, e, s, w: builtin macro packages,
 * preprocessed output, single-line macro definitions, flushing). nasm 2.16.01
 * silently ignores letters it does not know, too.
 */
export function parseListingFlags(letters: string): { flags: ListingFlags; ignored: string[] } {
  const flags: ListingFlags = {};
  const ignored: string[] = [];
  for (const letter of letters) {
    if (letter === 'd' || letter === '+') flags.decimal = true;
    if (letter === 'f' || letter === '+') flags.ignoreNolist = true;
    if (letter === 'p' || letter === '+') flags.everyPass = true;
    if (letter === 'm' || letter === '+') flags.macroCalls = true;
    if ('besw'.includes(letter)) ignored.push(letter);
  }
  return { flags, ignored };
}

/**
 * Whether nasm would write a listing file for this run: it opens the list
 * file for the final pass only, so a run that failed before it leaves none,
 * unless -Lp asked for a listing of every pass.
 */
export function listingWritten(result: AssembleResult, flags: ListingFlags = {}): boolean {
  if (flags.everyPass || result.errorCount === 0) return true;
  return (result.stages?.emissions.length ?? 0) > 0;
}

/** Renders the listing nasm writes with `-l` for a finished `assemble` run. */
/** nasm lists at most 1,020 characters of a source line, then `...` (measured on nasm 2.16.01). */
function listedText(text: string): string {
  return text.length >= 1020 ? `${text.slice(0, 1020)}...` : text;
}

export function renderListing(result: AssembleResult, sourceText: string, options: ListingOptions): string {
  const statements = result.stages?.statements ?? [];
  const emissions = result.stages?.emissions ?? [];
  const recordsOf = new Map<number, EmissionRecord[]>();
  for (const record of emissions) {
    const list = recordsOf.get(record.statementIndex) ?? [];
    list.push(record);
    recordsOf.set(record.statementIndex, list);
  }
  const count = options.decimal
    ? (n: number): string => String(n)
    : (n: number): string => `${n.toString(16).toUpperCase()}h`;
  // With -Lp, a run that failed before the final pass lists the pass it stopped in (pass 1):
  // nasm knows only sizes then, shown as `<len N>`.
  const passLog = result.stages?.passLog ?? [];
  const lastPass =
    options.everyPass && result.errorCount > 0 && emissions.length === 0 ? passLog[passLog.length - 1] : undefined;
  const outputOf = (statementIndex: number): Array<{ offset: number; chunks: Chunk[] }> => {
    if (lastPass) {
      const where = lastPass.statements[statementIndex];
      return where && where.size > 0 ? [{ offset: where.offset, chunks: [`<len ${count(where.size)}>`] }] : [];
    }
    return (recordsOf.get(statementIndex) ?? []).flatMap((record) => {
      const body = statements[record.statementIndex]?.body;
      if (body?.kind === 'smartalign') return smartalignOutput(record, body, count);
      return [{ offset: record.offset, chunks: chunksFor(record, statements[record.statementIndex], count) }];
    });
  };

  const out: string[] = [];
  const lines = [...listedLines(result, sourceText, options)];
  lines.forEach((listed, index) => {
    const { text, line, level } = listed;
    const column = levelColumn(level, lines[index + 1]?.level ?? 0);
    let address: number | null = null;
    let buffer = '';
    const pieces: Array<{ address: number | null; hex: string; continued: boolean }> = [];
    for (const statementIndex of listed.statements) {
      for (const { offset, chunks } of outputOf(statementIndex)) {
        if (chunks.length === 0) continue;
        // Position of each chunk, for continuation-line addresses: raw bytes and fields advance it.
        let position = offset;
        if (address === null) address = position;
        for (const chunk of chunks) {
          if (buffer.length > 0 && buffer.length + chunk.length > HEX_COLUMNS) {
            pieces.push({ address, hex: buffer, continued: true });
            buffer = '';
            // A `<rep N>` pushed to a line of its own keeps the line's address (nasm's smartalign jumps).
            if (!chunk.startsWith('<rep')) address = position;
          }
          buffer += chunk;
          position += chunkLength(chunk);
        }
      }
    }
    pieces.push({ address, hex: buffer, continued: false });
    pieces.forEach((piece, i) => {
      const body =
        piece.address === null && piece.hex === ''
          ? ' '.repeat(HEX_COLUMNS + 10)
          : `${piece.address === null ? '        ' : hexNumber(BigInt(piece.address), 8)} ${(piece.hex + (piece.continued ? '-' : '')).padEnd(HEX_COLUMNS + 1, ' ')}`;
      const head = `${lineNumber(line)} ${body}`;
      if (i === 0) out.push(`${head}${column} ${listedText(text)}`);
      else out.push(level > 0 ? head + column : head);
      // nasm writes the line's messages right after its first row, before the continuation rows;
      // those of a TIMES line's later repetitions after its last row (the `<rep N>` one).
      const rowMessages = i === 0 ? listed.diagnostics.filter((d) => d.laterRepetition !== true) : [];
      if (i === pieces.length - 1) rowMessages.push(...listed.diagnostics.filter((d) => d.laterRepetition === true));
      for (const d of rowMessages) {
        out.push(`${lineNumber(line)}          ${'*'.repeat(HEX_COLUMNS)} ${column}  ${formatDiagnosticForListing(d)}`);
      }
    });
  });
  return out.length ? out.join('\n') + '\n' : '';
}

/** How many address bytes a chunk stands for. */
function chunkLength(chunk: Chunk): number {
  if (chunk.startsWith('<')) return 0;
  if (chunk.startsWith('[') || chunk.startsWith('(')) return (chunk.length - 2) / 2;
  return chunk.length / 2;
}
