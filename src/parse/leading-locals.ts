/**
 * Local labels before the first non-local label.
 *
 * nasm qualifies `.x` with the last non-local label *defined so far*, and it
 * does not reset that label between passes: in pass 1 a `.x` on the first
 * lines is plain `.x`, in every later pass it hangs from the label the
 * previous pass ended on (`.text` before `movsl:` ends up as `movsl.text` in
 * the object file). tsnasm reads the source once, so when such names occur
 * and the file defines a non-local label later, the lines before that label
 * are built again with the file's last label as their base: the names the
 * final pass (the one whose output counts) gives them.
 */
import { DiagnosticSink } from '../core/diagnostics.js';
import type { PreprocessedLine } from '../preprocess/types.js';
import type { Statement } from './ast.js';
import type { NameConstant } from './decorators.js';
import { StatementBuilder, type LabelScope } from './statement.js';

/** A line read before the first non-local label: where its statement sits and its line index. */
export interface LeadingLine {
  line: PreprocessedLine;
  /** Index of its statement in the statement list. */
  at: number;
  index: number;
}

/** A statement as pass 1 reads it, where later passes read it under another name. */
export interface PassOneStatement {
  at: number;
  statement: Statement;
}

/**
 * Rebuilds the leading lines under the file's last label when they used `.local` names before any
 * label. Returns the statements as first built (plain `.x`), which nasm's pass 1 assembles (so
 * `.a equ 5` before any label, then `s.a:` twice in a struc, is one redefinition, not two).
 */
export function requalifyLeadingLocals(
  statements: Statement[],
  leading: readonly LeadingLine[],
  scope: LabelScope,
  constantOf: NameConstant,
): PassOneStatement[] {
  if (!scope.usedEmptyBase || scope.base === '') return [];
  // The messages were reported by the first build; the rebuild only renames.
  const rebuilder = new StatementBuilder(new DiagnosticSink(), constantOf);
  rebuilder.scope.base = scope.base;
  const passOne: PassOneStatement[] = [];
  for (const { line, at, index } of leading) {
    passOne.push({ at, statement: statements[at]! });
    statements[at] = rebuilder.build(line, index);
  }
  return passOne;
}
