/**
 * The VEX- and XOP-encoded rows, in the order the table holds them (notation
 * in ../table.ts and ../vex-spec.ts). One file per extension family.
 */
import { avxRows } from './avx.js';

export function vexRows(): string {
  return avxRows();
}
