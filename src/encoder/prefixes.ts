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
export const PREFIX_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(SEGMENT_PREFIX),
  ...Object.keys(LOCK_REP_PREFIX),
  ...OTHER_PREFIXES,
  ...ENCODING_PREFIXES,
  '{rex}',
]);

export function isPrefixName(name: string): boolean {
  return PREFIX_NAMES.has(name);
}

/**
 * nasm's segment registers 6 and 7: written as a prefix word or an operand's override they take
 * the segment slot (`segr7 cs` conflicts), and the one kept is refused in pass 1 (measured).
 */
export function isReservedSegment(name: string): boolean {
  return name === 'segr6' || name === 'segr7';
}

export const RESERVED_SEGMENT_PREFIX = 'segr6 and segr7 cannot be used as prefixes';

/** NASM's prefix slots: two different names in one slot (`rep repe`, `es fs`, `o16 o32`) conflict. */
function prefixSlot(pfx: string): string {
  if (pfx in SEGMENT_PREFIX || isReservedSegment(pfx)) return 'seg';
  if (pfx === 'o16' || pfx === 'o32' || pfx === 'o64' || pfx === 'osp') return 'osize';
  if (pfx === 'a16' || pfx === 'a32' || pfx === 'a64' || pfx === 'asp') return 'asize';
  // `nobnd` shares the REP slot with rep/repne/xacquire/bnd (measured: `nobnd rep movsb` conflicts).
  if ((pfx in LOCK_REP_PREFIX && pfx !== 'lock') || pfx === 'nobnd') return 'rep';
  // {rex} shares the slot of {vex}/{vex2}/{vex3}/{evex} (measured: `{rex} {vex} {vex3}` is two conflicts).
  if (ENCODING_PREFIXES.has(pfx) || pfx === '{rex}') return 'encoding';
  return pfx;
}

/**
 * How many words repeat the word their slot already holds: nasm's parser warns "instruction has
 * redundant prefixes" for each (measured: `rep rep rep movsb` twice, `rep cs rep movsb` once;
 * `{vex3} {vex2} {vex3}` never, each word there changes the slot: two conflicts instead).
 */
export function redundantPrefixCount(words: readonly string[]): number {
  let count = 0;
  const lastInSlot = new Map<string, string>();
  for (const p of words) {
    const slot = prefixSlot(p);
    if (lastInSlot.get(slot) === p) count++;
    lastInSlot.set(slot, p);
  }
  return count;
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
 * prefixes", not "invalid operands in non-64-bit mode"): one "conflicting prefixes" for each
 * word whose slot holds another (`repne xacquire rep`: two), then one "conflicting segment
 * overrides" for each segment after the first, a segment word first and then each memory
 * operand's own override, even the same register (`ds mov eax,[ds:ebx]`, `add [gs:ebx],[gs:ebx]`:
 * one; `fs add [gs:ebx],[es:ebx]`: two; `fs movsb`, `fs mov eax,ebx` are accepted). `resolved`
 * is what nasm goes on with: the last word of each slot, no segment word against an override.
 */
export function parsedPrefixErrors(
  prefixes: readonly string[],
  operands: readonly Operand[],
): { messages: string[]; resolved: string[]; resolvedOperands: Operand[] } {
  const messages: string[] = [];
  const lastInSlot = new Map<string, string>();
  for (const p of prefixes) {
    const slot = prefixSlot(p);
    const held = lastInSlot.get(slot);
    if (held !== undefined && held !== p) messages.push('instruction has conflicting prefixes');
    lastInSlot.set(slot, p);
  }
  let resolved = prefixes.filter((p, i) => lastInSlot.get(prefixSlot(p)) === p && prefixes.indexOf(p) === i);
  const overrides = operands.filter((o) => o.kind === 'mem' && o.segment !== null).length;
  const segmentWord = resolved.some((p) => p in SEGMENT_PREFIX);
  const conflicts = segmentWord ? overrides : Math.max(0, overrides - 1);
  for (let i = 0; i < conflicts; i++) messages.push('instruction has conflicting segment overrides');
  if (segmentWord && overrides > 0) resolved = resolved.filter((p) => !(p in SEGMENT_PREFIX));
  // One override goes on with the line: the first operand's.
  let kept = false;
  const resolvedOperands =
    overrides < 2
      ? [...operands]
      : operands.map((o) => {
          if (o.kind !== 'mem' || o.segment === null) return o;
          if (!kept) {
            kept = true;
            return o;
          }
          return { ...o, segment: null };
        });
  return { messages, resolved, resolvedOperands };
}
