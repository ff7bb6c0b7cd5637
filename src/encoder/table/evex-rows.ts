/**
 * The AVX-512 tables, one file per extension, in the order they join the
 * instruction table (after the legacy and VEX rows, so for a mnemonic with
 * both, NASM's VEX form comes first and EVEX is used only when the operands
 * need it: a decorator, a register above 15, zmm, or `{evex}`).
 */
import { avx512fRows } from './avx512f.js';

export interface EvexTable {
  /** The corpus file name (fixtures/encoding/evex/<extension>-<bits>.txt). */
  readonly extension: string;
  readonly text: string;
}

export function evexTables(): EvexTable[] {
  return [{ extension: 'avx512f', text: avx512fRows() }];
}

export function evexRows(): string {
  return evexTables()
    .map((t) => t.text)
    .join('\n');
}
