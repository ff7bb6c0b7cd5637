/**
 * The line reader: source text to logical lines (`\` continuations joined),
 * and the next raw line of each kind of input frame (a file with its %line
 * mapping, a macro body, a %rep body repeated).
 */
import type { FileFrame, Frame, SrcLine, Where } from './model.js';

/** A frame reading the logical lines of `text`, reported as file `name`. */
export function makeFileFrame(name: string, text: string): FileFrame {
  return { kind: 'file', name, text, pos: 0, nextLine: 1, conds: [], macroDepth: 0, listed: true };
}

/** The physical line number of the frame's next line (at the end of the file, where its end is reported). */
export function nextLineNumber(frame: FileFrame): number {
  return frame.nextLine;
}

/** The next line of the frame, or null when it is used up. */
export function nextRawLine(frame: Frame): SrcLine | null {
  if (frame.kind === 'file') {
    const line = frame.nextLine;
    const text = readLogicalLine(frame);
    if (text === null) return null;
    const map = frame.lineMap;
    if (map) return { text, file: map.file, line: map.to + (line - map.from) * map.step };
    return { text, file: frame.name, line };
  }
  if (frame.kind === 'macro') {
    const l = frame.mac.body[frame.index];
    if (!l) return null;
    frame.index++;
    return l;
  }
  let l = frame.lines[frame.index];
  if (!l) {
    if (--frame.remaining <= 0) return null;
    frame.index = 0;
    l = frame.lines[0];
    if (!l) return null;
  }
  frame.index++;
  return l;
}

/** Where "end of file" errors point: just past the last line, through any %line mapping. */
export function fileEndWhere(frame: FileFrame): Where {
  const physical = frame.nextLine;
  const map = frame.lineMap;
  if (map) return { file: map.file, line: map.to + (physical - map.from) * map.step };
  return { file: frame.name, line: physical };
}

/** A cursor over source text; FileFrame is one. */
interface TextCursor {
  text: string;
  pos: number;
  nextLine: number;
  /** Where the next `\r` at or after `pos` is (the text's length when none); absent until asked. */
  nextCr?: number;
}

/**
 * The physical line at the cursor without its line end, moving past it. nasm ends a line at `\n`,
 * `\r\n` or a lone `\r` (old Mac files; measured: `nop\r foo` is two lines, the second one
 * numbered 2, and `\r\r\n` two line ends).
 */
function readPhysicalLine(cursor: TextCursor): string {
  const { text, pos } = cursor;
  let end = text.indexOf('\n', pos);
  if (end < 0) end = text.length;
  // Where the next `\r` lies is kept, so a file without one is searched once, not once per line.
  let cr = cursor.nextCr;
  if (cr === undefined || cr < pos) {
    cr = text.indexOf('\r', pos);
    if (cr < 0) cr = text.length;
    cursor.nextCr = cr;
  }
  cursor.nextLine++;
  if (cr < end && cr + 1 !== end) {
    cursor.pos = cr + 1;
    return text.slice(pos, cr);
  }
  cursor.pos = end + 1;
  return text.slice(pos, cr + 1 === end ? cr : end);
}

/**
 * The logical line at the cursor (`\` at the end of a line joins it with the
 * next), or null at the end of the text. A final line end starts no line.
 */
function readLogicalLine(cursor: TextCursor): string | null {
  if (cursor.pos >= cursor.text.length) return null;
  let text = readPhysicalLine(cursor);
  while (text.endsWith('\\') && cursor.pos < cursor.text.length) text = text.slice(0, -1) + readPhysicalLine(cursor);
  // The last line ending in `\` and a line end joins the empty line after it (nasm 2.16.01: `db 1, \`
  // is `db 1,`, and the end of the file is a line further on); without the line end the `\` stays.
  if (text.endsWith('\\') && cursor.pos === cursor.text.length) {
    text = text.slice(0, -1);
    cursor.nextLine++;
  }
  return text;
}

/** Splits source text into logical lines: `\` at the end of a line joins it with the next. */
export function* logicalLines(source: string): Generator<{ text: string; line: number }> {
  const cursor: TextCursor = { text: source, pos: 0, nextLine: 1 };
  for (;;) {
    const line = cursor.nextLine;
    const text = readLogicalLine(cursor);
    if (text === null) return;
    yield { text, line };
  }
}
