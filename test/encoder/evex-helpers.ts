/**
 * Assembles source lines through the whole tsnasm pipeline (preprocessor,
 * parser with decorators, assembler, encoder) as `-f bin`, and returns what
 * the EVEX fixtures record for each: the bytes in hex, or `error: <first
 * error>`. Like scripts/encoding-nasm.mjs does with nasm, many lines go into
 * one file; lines with errors are set aside and the rest assembled again.
 */
import { assemble } from '../../src/library/assemble.js';

export function assembleLine(bits: number, source: string): string {
  return assembleLines(bits, [source])[0] as string;
}

export function assembleLines(bits: number, sources: readonly string[]): string[] {
  const results: string[] = new Array<string>(sources.length).fill('error: no bytes');
  let live = sources.map((_, i) => i);
  for (let round = 0; round < 20 && live.length > 0; round++) {
    const text = `bits ${bits}\n${live.map((i) => sources[i]).join('\n')}\n`;
    const r = assemble(text, { fileName: 'a.asm', format: 'bin' });
    const bad = new Map<number, string>();
    for (const d of r.diagnostics) {
      if (d.severity !== 'error' && d.severity !== 'fatal') continue;
      const index = live[(d.location?.line ?? 0) - 2];
      if (index !== undefined && !bad.has(index)) bad.set(index, d.message);
    }
    for (const [index, message] of bad) results[index] = `error: ${message}`;
    // A round that reached the final pass gives every other line its bytes (no line's bytes depend
    // on another's); one that stopped after pass 1 (no emissions) hides the final pass's errors, so
    // the lines without errors are assembled again.
    const emissions = r.stages?.emissions ?? [];
    if (bad.size === 0 || emissions.length > 0) {
      for (const e of emissions) {
        const index = live[e.location.line - 2];
        if (index !== undefined && !bad.has(index)) results[index] = Buffer.from(e.bytes).toString('hex').toUpperCase();
      }
      break;
    }
    live = live.filter((i) => !bad.has(i));
  }
  return results;
}
