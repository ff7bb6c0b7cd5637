/**
 * The `cpu` directive's state as NASM 2.16.01 keeps it (all measured): a CPU
 * level and three encoding switches.
 *
 * - `vex`, `evex` (on by default): with one off, the rows of that encoding are
 *   used only when the line says so (`{vex}`, `{evex}`); otherwise such a row
 *   is an encoding mismatch, "instruction not encodable without explicit prefix".
 * - `latevex` (off by default): the VEX forms of instructions that came with
 *   EVEX first (AVX-VNNI, AVX-IFMA …, rows flagged `pv`) are used without
 *   `{vex}` only when it is on, or when EVEX is off.
 *
 * The directive takes a list of words separated by commas or blanks; a word is
 * a name with an optional `+`, `-` or `*` before it and an optional `no`
 * (`-` and `no` switch a flag off). A level name resets the switches to their
 * defaults (`cpu latevex` then `cpu 686` forgets latevex), except `all` and
 * `any`, which switch everything on, latevex too (the state before any `cpu`
 * directive is `default`'s, latevex off); `no` before a level name changes nothing. Switch words add to the state in force (`cpu novex`
 * then `cpu latevex` keeps VEX off).
 *
 * EncodeContext.cpu holds the state as text: the level name, then the
 * switches that differ from their defaults (`all novex latevex`).
 */
import { CPU_LEVELS, NASM_CPU_NAMES } from './table.js';

export interface CpuState {
  /** The level (CPU_LEVELS numbering). */
  readonly level: number;
  readonly vex: boolean;
  readonly evex: boolean;
  readonly latevex: boolean;
}

type Switch = 'vex' | 'evex' | 'latevex';
const SWITCHES: ReadonlySet<string> = new Set<Switch>(['vex', 'evex', 'latevex']);

const parsed = new Map<string, CpuState>();

/** The state EncodeContext.cpu describes (parsed once per distinct text). */
export function cpuState(cpu: string): CpuState {
  // Asked for every row matched: the same text as last time answers without a lookup.
  if (last !== null && last.text === cpu) return last.state;
  let state = parsed.get(cpu);
  if (state === undefined) {
    const [level = 'all', ...flags] = cpu.split(' ');
    state = {
      level: NASM_CPU_NAMES[level] ?? CPU_LEVELS[level] ?? 30,
      vex: !flags.includes('novex'),
      evex: !flags.includes('noevex'),
      latevex: flags.includes('latevex'),
    };
    parsed.set(cpu, state);
  }
  last = { text: cpu, state };
  return state;
}
let last: { text: string; state: CpuState } | null = null;

/** The level of EncodeContext.cpu (or of a level name). */
export function cpuLevel(cpu: string): number {
  return cpuState(cpu).level;
}

/**
 * Applies a `cpu` directive's argument text to the state in force: the new
 * state's text, and NASM's message for the first unknown word (null if none).
 */
export function applyCpuDirective(current: string, args: string): { cpu: string; error: string | null } {
  const [first = 'all', ...rest] = current.split(' ');
  let level = first;
  const on = new Set(rest);
  for (const word of args.split(/[\s,]+/)) {
    if (word === '') continue;
    let name = word.toLowerCase();
    let enable = true;
    if (name.startsWith('+') || name.startsWith('-') || name.startsWith('*')) {
      enable = !name.startsWith('-');
      name = name.slice(1);
    }
    if (name.startsWith('no') && (SWITCHES.has(name.slice(2)) || name.slice(2) in NASM_CPU_NAMES)) {
      enable = !enable;
      name = name.slice(2);
    }
    if (name in NASM_CPU_NAMES) {
      level = name;
      on.clear();
      // `all` and `any` switch on every feature, latevex included (`default` does not).
      if (name === 'all' || name === 'any') on.add('latevex');
    } else if (SWITCHES.has(name)) {
      // Kept as the words that differ from the defaults: novex, noevex, latevex.
      const offByDefault = name === 'latevex';
      const differs = enable === offByDefault;
      const key = offByDefault ? name : `no${name}`;
      if (differs) on.add(key);
      else on.delete(key);
    } else {
      const shown = word.replace(/^[-+*]/, '').replace(/^no/i, '');
      return { cpu: current, error: `unknown CPU type or flag '${shown}'` };
    }
  }
  return { cpu: [level, ...[...on].sort()].join(' '), error: null };
}
