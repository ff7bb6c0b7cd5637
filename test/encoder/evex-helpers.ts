/**
 * Assembles one source line through the whole tsnasm pipeline (preprocessor,
 * parser with decorators, assembler, encoder) as `-f bin`, and returns what
 * the EVEX fixtures record: the bytes in hex, or `error: <first error>`.
 */
import { assemble } from '../../src/index.js';

export function assembleLine(bits: number, source: string): string {
  const r = assemble(`bits ${bits}\n${source}\n`, { fileName: 'a.asm', format: 'bin', teachingRecords: false });
  const error = r.diagnostics.find((d) => d.severity === 'error' || d.severity === 'fatal');
  if (error) return `error: ${error.message}`;
  if (!r.output) return 'error: no output';
  return Buffer.from(r.output).toString('hex').toUpperCase();
}
