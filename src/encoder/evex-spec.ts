/**
 * The EVEX part of the row notation: one dotted token at the head of a row's
 * codes, the Intel SDM's opcode column with the tuple type (the SDM's "Tuple
 * Type" column, which sets the disp8*N scale) as one more part:
 *
 *     VADDPS zmm{k}{z},zmm*,zmm/m512/b32{er} | evex.nds.512.0f.w0.fv 58 /r | avx512
 *
 * Parts, in any order after `evex`:
 *   nds dds ndd      which operand EVEX.vvvv names when the row gives no roles
 *                    (as for VEX: nds/dds the second operand, ndd the first)
 *   128 256 512 lig  EVEX.L'L (0, 1, 2); `lig` scalar forms, encoded 0
 *   66 f3 f2 np      EVEX.pp
 *   0f 0f38 0f3a map5 map6   EVEX.mm (1, 2, 3; the FP16 maps 5 and 6)
 *   w0 w1 wig        EVEX.W (wig encoded 0, as NASM does)
 *   fv hv qv fvm hvm qvm ovm t1s t1s8 t1s16 t1f32 t1f64 t2 t4 t8 m128 dup
 *                    the tuple type (see disp8Scale in evex.ts)
 *   lo16             NASM 2.16.01 refuses registers 16…31 in this form (some of
 *                    its AVX512-FP16 rows lack the EVEX register set)
 *
 * Operand decorations (template side): `{k}` an opmask may be written, `{z}`
 * zeroing too, `+3` (`zmm+3`, `k+1`) a register group written `zmm4+3`
 * (NASM's AVX512_4FMAPS and VP2INTERSECT operands: the group's first
 * register is encoded), `/b16` `/b32` `/b64` a `{1toN}` broadcast of elements of that
 * size (`/b16x`: NASM 2.16.01's packed half-precision forms, where every
 * `{1toN}` is a count mismatch), `{er}` embedded rounding (`,{rn-sae}`…),
 * `{sae}` suppress-all-exceptions.
 */

export type TupleType =
  | 'fv'
  | 'hv'
  | 'qv'
  | 'fvm'
  | 'hvm'
  | 'qvm'
  | 'ovm'
  | 't1s'
  | 't1s8'
  | 't1s16'
  | 't1f32'
  | 't1f64'
  | 't2'
  | 't4'
  | 't8'
  | 'm128'
  | 'dup'
  | '';

export interface EvexSpec {
  /** mm: 1 = 0F, 2 = 0F38, 3 = 0F3A, 5 and 6 the FP16 maps. */
  readonly map: number;
  /** pp: 0 none, 1 = 66, 2 = F3, 3 = F2. */
  readonly pp: number;
  /** L'L: 0 = 128, 1 = 256, 2 = 512. */
  readonly ll: 0 | 1 | 2;
  readonly lIgnored: boolean;
  readonly w: 0 | 1;
  readonly wIgnored: boolean;
  readonly vvvv: '' | 'nds' | 'ndd' | 'dds';
  readonly tuple: TupleType;
  readonly lowRegisters: boolean;
}

const PP: Readonly<Record<string, number>> = { np: 0, '66': 1, f3: 2, f2: 3 };
const MAPS: Readonly<Record<string, number>> = { '0f': 1, '0f38': 2, '0f3a': 3, map5: 5, map6: 6 };
const LENGTHS: Readonly<Record<string, 0 | 1 | 2>> = { '128': 0, '256': 1, '512': 2 };
const TUPLES = new Set<string>([
  'fv',
  'hv',
  'qv',
  'fvm',
  'hvm',
  'qvm',
  'ovm',
  't1s',
  't1s8',
  't1s16',
  't1f32',
  't1f64',
  't2',
  't4',
  't8',
  'm128',
  'dup',
]);

/** Parses `evex.…`; null when `tok` is not such a token, throws on a bad part. */
export function parseEvexSpec(tok: string): EvexSpec | null {
  const parts = tok.toLowerCase().split('.');
  if (parts[0] !== 'evex' || parts.length < 2) return null;
  let map = -1;
  let pp = 0;
  let ll: 0 | 1 | 2 = 0;
  let lIgnored = false;
  let w: 0 | 1 = 0;
  let wIgnored = false;
  let vvvv: EvexSpec['vvvv'] = '';
  let tuple: TupleType = '';
  let lowRegisters = false;
  for (const part of parts.slice(1)) {
    if (part === 'lo16') lowRegisters = true;
    else if (part === 'nds' || part === 'ndd' || part === 'dds') vvvv = part;
    else if (part in LENGTHS) ll = LENGTHS[part] as 0 | 1 | 2;
    else if (part === 'lig') lIgnored = true;
    else if (part in PP) pp = PP[part] as number;
    else if (part in MAPS) map = MAPS[part] as number;
    else if (part === 'w0' || part === 'w1') w = part === 'w1' ? 1 : 0;
    else if (part === 'wig') wIgnored = true;
    else if (TUPLES.has(part)) tuple = part as TupleType;
    else throw new Error(`unknown evex part '${part}' in ${tok}`);
  }
  if (map < 0) throw new Error(`${tok} names no opcode map`);
  return { map, pp, ll, lIgnored, w, wIgnored, vvvv, tuple, lowRegisters };
}

/** Decorations a template operand allows (all false/0 on legacy and VEX rows). */
export interface OperandDecorations {
  readonly mask: boolean;
  readonly zero: boolean;
  /** Broadcast element size in bytes (2, 4, 8), or 0 when `{1toN}` is not allowed. */
  readonly broadcast: number;
  /** NASM finds no `{1toN}` count right for this operand (its packed FP16 forms). */
  readonly countMismatch: boolean;
  /** Register-group size (`zmm+3`: 4, `k+1`: 2), or 0 when the operand takes no group. */
  readonly registerSet: number;
  readonly er: boolean;
  readonly sae: boolean;
}

export const NO_DECORATIONS: OperandDecorations = {
  mask: false,
  zero: false,
  broadcast: 0,
  countMismatch: false,
  registerSet: 0,
  er: false,
  sae: false,
};

/** Strips the decorations from a template operand token (`zmm{k}{z}`, `zmm/m512/b32{er}`, `zmm+3`). */
export function splitDecorations(tok: string): { base: string; decorations: OperandDecorations } {
  let rest = tok;
  let registerSet = 0;
  const set = /\+(\d)(?=\{|$)/.exec(rest);
  if (set) {
    registerSet = Number(set[1]) + 1;
    rest = rest.slice(0, set.index) + rest.slice(set.index + set[0].length);
  }
  let mask = false;
  let zero = false;
  let er = false;
  let sae = false;
  for (;;) {
    const m = /\{(k|z|er|sae)\}$/.exec(rest);
    if (!m) break;
    rest = rest.slice(0, m.index);
    if (m[1] === 'k') mask = true;
    else if (m[1] === 'z') zero = true;
    else if (m[1] === 'er') er = true;
    else sae = true;
  }
  let broadcast = 0;
  const b = /\/b(16|32|64)(x?)$/.exec(rest);
  const countMismatch = b?.[2] === 'x';
  if (b) {
    broadcast = Number(b[1]) / 8;
    rest = rest.slice(0, b.index);
  }
  if (!mask && !zero && !er && !sae && broadcast === 0 && registerSet === 0)
    return { base: tok, decorations: NO_DECORATIONS };
  return { base: rest, decorations: { mask, zero, broadcast, countMismatch, registerSet, er, sae } };
}
