/**
 * Instruction prefixes by name: their bytes, nasm's slots (two different prefixes in one slot
 * conflict) and the set the parser asks when it meets a word before a mnemonic.
 */
import type { Operand } from './types.js';
import { ENCODING_PREFIXES } from './vex.js';

export const SEGMENT_PREFIX: Record<string, number> = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64, gs: 0x65 };
export const LOCK_REP_PREFIX: Record<string, number> = {
  lock: 0xf0,
  rep: 0xf3,
  repe: 0xf3,
  repz: 0xf3,
  repne: 0xf2,
  repnz: 0xf2,
  xacquire: 0xf2,
  xrelease: 0xf3,
  bnd: 0xf2,
};
const OTHER_PREFIXES = new Set(['o16', 'o32', 'o64', 'a16', 'a32', 'a64', 'wait', 'nobnd', 'asp', 'osp']);

/**
 * Every prefix name, in one Set: the parser asks about every label, and `name in object`
 * internalizes each new string (hundreds of thousands of label names), which Set.has does not.
 */
const PREFIX_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(SEGMENT_PREFIX),
  ...Object.keys(LOCK_REP_PREFIX),
  ...OTHER_PREFIXES,
  ...ENCODING_PREFIXES,
]);

export function isPrefixName(name: string): boolean {
  return PREFIX_NAMES.has(name);
}

/** NASM's prefix slots: two different names in one slot (`rep repe`, `es fs`, `o16 o32`) conflict. */
function prefixSlot(pfx: string): string {
  if (pfx in SEGMENT_PREFIX) return 'seg';
  if (pfx === 'o16' || pfx === 'o32' || pfx === 'o64' || pfx === 'osp') return 'osize';
  if (pfx === 'a16' || pfx === 'a32' || pfx === 'a64' || pfx === 'asp') return 'asize';
  // `nobnd` shares the REP slot with rep/repne/xacquire/bnd (measured: `nobnd rep movsb` conflicts).
  if ((pfx in LOCK_REP_PREFIX && pfx !== 'lock') || pfx === 'nobnd') return 'rep';
  if (ENCODING_PREFIXES.has(pfx)) return 'encoding';
  return pfx;
}

export function conflictingPrefixes(prefixes: readonly string[]): boolean {
  for (let i = 0; i < prefixes.length; i++) {
    for (let j = i + 1; j < prefixes.length; j++) {
      const a = prefixes[i] as string;
      const b = prefixes[j] as string;
      if (a !== b && prefixSlot(a) === prefixSlot(b)) return true;
    }
  }
  return false;
}

/**
 * The prefix errors nasm's parser finds before any row is looked at, so they come before every
 * encoding error (measured: `o64 o16 xadd dl,dh` in BITS 32 is "instruction has conflicting
 * prefixes", not "invalid operands in non-64-bit mode"). A segment prefix word beside a memory
 * operand with its own override conflicts even when both name the same register (measured:
 * `ds mov eax,[ds:ebx]` and `fs mov eax,[gs:ebx]` are "instruction has conflicting segment
 * overrides"; `fs movsb`, `fs mov eax,ebx` are accepted).
 */
export function parsedPrefixError(prefixes: readonly string[], operands: readonly Operand[]): string | null {
  if (conflictingPrefixes(prefixes)) return 'instruction has conflicting prefixes';
  if (prefixes.some((p) => p in SEGMENT_PREFIX) && operands.some((o) => o.kind === 'mem' && o.segment !== null))
    return 'instruction has conflicting segment overrides';
  return null;
}
