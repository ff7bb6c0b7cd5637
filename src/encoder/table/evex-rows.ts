/**
 * The AVX-512 tables, one file per extension, in the order they join the
 * instruction table (after the legacy and VEX rows, so for a mnemonic with
 * both, NASM's VEX form comes first and EVEX is used only when the operands
 * need it: a decorator, a register above 15, zmm, or `{evex}`).
 */
import { avx512bwRows } from './avx512bw.js';
import { avx512dqRows } from './avx512dq.js';
import { avx512fRows } from './avx512f.js';
import { avx512fp16Rows } from './avx512fp16.js';
import { avx512GroupRows } from './avx512-groups.js';
import { avx512AliasRows } from './avx512-aliases.js';
import { avx512maskRows } from './avx512mask.js';
import {
  avx512cdRows,
  avx512CryptoRows,
  avx512erRows,
  avx512GatherRows,
  avx512IntegerExtensionRows,
} from './avx512-more.js';

export interface EvexTable {
  /** The corpus file name (fixtures/encoding/evex/<extension>-<bits>.txt). */
  readonly extension: string;
  readonly text: string;
}

export function evexTables(): EvexTable[] {
  return [
    { extension: 'avx512f', text: avx512fRows() },
    { extension: 'avx512bw', text: avx512bwRows() },
    { extension: 'avx512dq', text: avx512dqRows() },
    { extension: 'avx512mask', text: avx512maskRows() },
    { extension: 'avx512cd', text: avx512cdRows() },
    { extension: 'avx512er', text: avx512erRows() },
    { extension: 'avx512-ifma-vbmi-vnni-bitalg-bf16', text: avx512IntegerExtensionRows() },
    { extension: 'avx512-gfni-vaes-vpclmulqdq', text: avx512CryptoRows() },
    { extension: 'avx512-gather-scatter', text: avx512GatherRows() },
    { extension: 'avx512fp16', text: avx512fp16Rows() },
    { extension: 'avx512-4fmaps-vp2intersect-bf16-vex', text: avx512GroupRows() },
    { extension: 'avx512-compare-aliases', text: avx512AliasRows() },
  ];
}

export function evexRows(): string {
  return evexTables()
    .map((t) => t.text)
    .join('\n');
}
