/**
 * The VEX- and XOP-encoded rows, in the order the table holds them (notation
 * in ../table.ts and ../vex-spec.ts). One file per extension family; the
 * corpus generator (scripts/gen-encoding-vex.mjs) names its files after them.
 */
import { amxRows } from './amx.js';
import { avxRows } from './avx.js';
import { avx2Rows } from './avx2.js';
import { bmiRows } from './bmi.js';
import { fmaRows } from './fma.js';
import { vexExplicitRows, vexMiscRows } from './vex-misc.js';
import { xopRows } from './xop.js';

/** Each VEX table file's rows, by the name the corpus uses for that extension family. */
export const VEX_ROW_GROUPS: ReadonlyArray<readonly [string, () => string]> = [
  ['avx', avxRows],
  ['avx2', avx2Rows],
  ['fma', fmaRows],
  ['bmi', bmiRows],
  ['xop', xopRows],
  ['vex-misc', vexMiscRows],
  ['amx', amxRows],
  ['vex-explicit', vexExplicitRows],
];

export function vexRows(): string {
  return VEX_ROW_GROUPS.map(([, rows]) => rows()).join('\n');
}
