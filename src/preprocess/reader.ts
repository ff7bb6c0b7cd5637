/**
 * The line reader: source text to logical lines (`\` continuations joined),
 * and the next raw line of each kind of input frame (a file with its %line
 * mapping, a macro body, a %rep body repeated).
 */
import type { FileFrame, Frame, SrcLine, Where } from './model.js';

/** A frame reading the logical lines of `text`, reported as file `name`. */
export function makeFileFrame(name: string, text: string): FileFrame {
  const lines: Array<{ text: string; line: number }> = [];
  for (const l of logicalLines(text)) lines.push(l);
  const physical = text.split('\n');
  const eofLine = physical.length - (physical[physical.length - 1] === '' ? 1 : 0) + 1;
  return { kind: 'file', name, lines, index: 0, eofLine, conds: [], macroDepth: 0, listed: true };
}

/** The next line of the frame, or null when it is used up. */
export function nextRawLine(frame: Frame): SrcLine | null {
  if (frame.kind === 'file') {
    const l = frame.lines[frame.index];
    if (!l) return null;
    frame.index++;
    const map = frame.lineMap;
    if (map) return { text: l.text, file: map.file, line: map.to + (l.line - map.from) * map.step };
    return { text: l.text, file: frame.name, line: l.line };
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
  const physical = frame.eofLine;
  const map = frame.lineMap;
  if (map) return { file: map.file, line: map.to + (physical - map.from) * map.step };
  return { file: frame.name, line: physical };
}

/** Splits source text into logical lines: `\` at the end of a line joins it with the next. */
export function* logicalLines(source: string): Generator<{ text: string; line: number }> {
  const physical = source.split('\n');
  if (physical.length > 0 && physical[physical.length - 1] === '') physical.pop();
  for (let i = 0; i < physical.length; i++) {
    const firstLine = i + 1;
    let text = physical[i]!.endsWith('\r') ? physical[i]!.slice(0, -1) : physical[i]!;
    while (text.endsWith('\\') && i + 1 < physical.length) {
      i++;
      const next = physical[i]!.endsWith('\r') ? physical[i]!.slice(0, -1) : physical[i]!;
      text = text.slice(0, -1) + next;
    }
    yield { text, line: firstLine };
  }
}
