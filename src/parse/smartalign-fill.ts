/**
 * The line smartalign's `align` becomes (src/preprocess/smartalign.ts):
 * `__?smartalign_fill?__ ALIGN, THRESHOLD, BITS, GROUP, NOP1, …, NOP8`, each NOP a word `x` + hex
 * bytes (`x0f1f00`) or the name of a NOP macro the alignment mode left undefined.
 */
import type { IToken } from 'chevrotain';
import type { Expr, SmartalignFill } from './ast.js';

/** The fill from its operands (split at commas); null when the line is not one the package writes. */
export function smartalignFill(parts: IToken[][], expression: (tokens: IToken[]) => Expr): SmartalignFill | null {
  const [alignment, threshold, bitsPart, groupPart, ...nopParts] = parts;
  if (alignment === undefined || threshold === undefined || alignment.length === 0 || threshold.length === 0)
    return null;
  const bits = Number(singleWord(bitsPart));
  const group = Number(singleWord(groupPart));
  if ((bits !== 16 && bits !== 32 && bits !== 64) || !Number.isInteger(group) || group < 1) return null;
  return {
    kind: 'smartalign',
    alignment: expression(alignment),
    threshold: expression(threshold),
    bits,
    group,
    nops: nopParts.map((part) => nopBytes(singleWord(part))),
  };
}

function singleWord(part: IToken[] | undefined): string {
  return part !== undefined && part.length === 1 ? part[0]!.image : '';
}

function nopBytes(word: string): Uint8Array | null {
  if (!/^x(?:[0-9a-f]{2})+$/.test(word)) return null;
  const bytes = new Uint8Array((word.length - 1) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(word.slice(1 + 2 * i, 3 + 2 * i), 16);
  return bytes;
}
