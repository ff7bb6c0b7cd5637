/**
 * nasm 2.16.01's obsolete-instruction warnings (measured with `cpu 286` … `cpu p6`
 * and the default): an obsolete instruction is "obsolete but valid" at exactly the
 * cpu level that introduced it and "obsolete and removed" above it.
 */
import { cpuLevel } from '../encoder/match.js';
import type { AssemblyContext } from './context.js';

/** The obsolete instructions and the cpu level (CPU_LEVELS) each belongs to. */
const OBSOLETE_AT: ReadonlyMap<string, number> = new Map([
  ['loadall286', 2],
  ['loadall', 3],
  ['ibts', 3],
  ['cmpxchg486', 4],
  ['smintold', 4],
]);

export function warnIfObsolete(ctx: AssemblyContext, mnemonic: string): void {
  // (Mnemonics come in lower case from the parser; a Map lookup costs no lower-cased copy per line.)
  const level = OBSOLETE_AT.get(mnemonic) ?? OBSOLETE_AT.get(mnemonic.toLowerCase());
  if (level === undefined) return;
  const cpu = cpuLevel(ctx.cpu);
  if (cpu > level) ctx.warn('instruction obsolete and removed from the target CPU', 'obsolete-removed');
  else if (cpu === level) ctx.warn('instruction obsolete but valid on the target CPU', 'obsolete-valid');
}
