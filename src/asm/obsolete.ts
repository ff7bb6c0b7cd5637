/**
 * nasm 2.16.01's obsolete-instruction warnings (measured with `cpu 8086` … `cpu p6`,
 * `cpu any` and the default): an obsolete instruction form is "obsolete but valid"
 * at exactly the cpu level that introduced it and "obsolete and removed" above it;
 * a form that was never implemented (PCOMMIT) is "a noop" wherever it assembles.
 * Obsolescence belongs to one operand form, not to the mnemonic: `ud0` alone is
 * obsolete but `ud0 ax,bx` is not, `pop cs` is but `pop ds` is not.
 */
import { cpuLevel } from '../encoder/match.js';
import type { OperandAst } from '../parse/ast.js';
import type { AssemblyContext } from './context.js';

interface ObsoleteForm {
  /** The cpu level (CPU_LEVELS) of the form. */
  readonly level: number;
  /** Never implemented: a noop wherever it is accepted. */
  readonly neverImplemented?: boolean;
  /** Which operand lists are the obsolete form (absent: every one). */
  readonly form?: (operands: readonly OperandAst[]) => boolean;
}

const noOperands = (operands: readonly OperandAst[]): boolean => operands.length === 0;
function onlyCs(operands: readonly OperandAst[]): boolean {
  const only = operands.length === 1 ? operands[0] : undefined;
  return only?.kind === 'reg' && only.reg.name === 'cs';
}

/** The obsolete instruction forms by mnemonic. */
const OBSOLETE_FORMS: ReadonlyMap<string, ObsoleteForm> = new Map([
  ['pop', { level: 0, form: onlyCs }],
  ['ud0', { level: 1, form: noOperands }],
  ['loadall286', { level: 2 }],
  ['loadall', { level: 3 }],
  ['ibts', { level: 3 }],
  ['cmpxchg486', { level: 4 }],
  ['smintold', { level: 4 }],
  ['pcommit', { level: 30, neverImplemented: true }],
]);

export function warnIfObsolete(ctx: AssemblyContext, mnemonic: string, operands: readonly OperandAst[]): void {
  // (Mnemonics come in lower case from the parser; a Map lookup costs no lower-cased copy per line.)
  const obsolete = OBSOLETE_FORMS.get(mnemonic) ?? OBSOLETE_FORMS.get(mnemonic.toLowerCase());
  if (obsolete === undefined || (obsolete.form !== undefined && !obsolete.form(operands))) return;
  const cpu = cpuLevel(ctx.cpu);
  if (cpu < obsolete.level) return; // the encoder reports "no instruction for this cpu level"
  if (obsolete.neverImplemented)
    ctx.warn('instruction never implemented and is a noop on the target CPU', 'obsolete-nop');
  else if (cpu > obsolete.level) ctx.warn('instruction obsolete and removed from the target CPU', 'obsolete-removed');
  else ctx.warn('instruction obsolete but valid on the target CPU', 'obsolete-valid');
}
