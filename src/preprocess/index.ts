/**
 * Minimal preprocessor: reads physical lines, joins `\` continuations, strips
 * comments and lexes. (Macros, conditionals and %include arrive with the full
 * preprocessor; this keeps the pipeline honest until then.)
 */
import { lexLine } from '../../grammar/tokens.js';
import type { PreprocessedLine, PreprocessOptions } from './types.js';

export type { PreprocessedLine, PreprocessOptions } from './types.js';

/** Splits source text into logical lines: `\` at the end of a line joins it with the next. */
export function* logicalLines(source: string): Generator<{ text: string; line: number }> {
  const physical = source.split('\n');
  // A trailing newline does not start another line.
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

export function* preprocess(source: string, options: PreprocessOptions): Generator<PreprocessedLine> {
  for (const { text, line } of logicalLines(source)) {
    const lexed = lexLine(text);
    const location = { file: options.fileName, line };
    for (const e of lexed.errors) {
      options.diagnostics.error(`unrecognised character in input`, location);
      void e;
    }
    yield { tokens: lexed.tokens, text, location, macroDepth: 0, listed: true };
  }
}
