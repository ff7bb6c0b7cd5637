/**
 * Symbol-free instructions (`mov eax, ecx`, `push ebp`, `add esp, 8`, `ret` …) encode the same
 * wherever they are, in one mode. Lines of the same text share one body (the parser's shareBody),
 * so the bytes of a symbol-free body, kept in `AssemblyContext.savedBytes` for the final pass
 * anyway, serve every later line of that body: pass 1 encodes each distinct line once.
 *
 * (Until session 18 a key made of every operand property also shared the bytes between lines of
 * different text that encode the same. It found 3 such lines of 16,686 on the code workload and
 * 3,826 of 30,318 on the macro workload, for a string and two table entries per line: dropped.)
 */
import { isPlainNumber, type Value } from '../core/value.js';
import type { Operand } from '../encoder/types.js';

/**
 * Whether an instruction's operands hold only numbers and registers, so that its encoding can
 * serve other lines of the same body: no decorators, no far pointer, no value that is not a plain number.
 */
export function isSymbolFree(operands: readonly Operand[]): boolean {
  for (const op of operands) {
    if (op.decorators !== undefined) return false;
    if (op.kind === 'imm' && (op.farSegment !== null || !isPlain(op.value))) return false;
    if (op.kind === 'mem' && !isPlain(op.displacement)) return false;
  }
  return true;
}

function isPlain(v: Value): boolean {
  return isPlainNumber(v) && v.scaled !== true && v.complex !== true;
}
