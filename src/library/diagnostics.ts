/**
 * The library's diagnostics: the pipeline's messages in the order nasm
 * prints them, each with its place taken apart (file, line, column) and the
 * text nasm would print, so an editor can underline them and a terminal can
 * print them unchanged.
 */
import { formatDiagnostic, type Diagnostic as CoreDiagnostic } from '../core/diagnostics.js';
import type { AssembleResult } from './assemble.js';

/** One message, as nasm would print it (`text`), and taken apart (`warningClass`: the `-w` class of a warning). */
export interface Diagnostic extends CoreDiagnostic {
  /** The file the message is about (an included file's name when it is about one), or null. */
  file: string | null;
  /** 1-based line, or null when the message is about no line. */
  line: number | null;
  /** 1-based column. nasm reports lines only, so this is null today; it is here for editors. */
  column: number | null;
  /** The whole message as nasm prints it: `hello.asm:3: error: …` (with `-X gnu`, nasm's default). */
  text: string;
}

function describe(d: CoreDiagnostic): Diagnostic {
  return {
    ...d,
    file: d.location?.file ?? null,
    line: d.location && d.location.line > 0 ? d.location.line : null,
    column: null,
    text: formatDiagnostic(d),
  };
}

/** The messages of an `assemble` run, in the order nasm prints them. */
export function nasmDiagnostics(result: Pick<AssembleResult, 'diagnostics' | 'reportOrder'>): Diagnostic[] {
  const order = result.reportOrder ?? [...result.diagnostics.keys()];
  return order.map((index) => describe(result.diagnostics[index]!));
}
