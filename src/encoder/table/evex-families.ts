/**
 * Small row writers for the AVX-512 tables: most EVEX instructions come in
 * the same three vector lengths (xmm/ymm under AVX512VL, zmm) with the same
 * operand shape, so one call writes the three complete rows. Every row they
 * produce is ordinary table notation (evex-spec.ts); nothing is added later.
 *
 * `enc` is the EVEX token's middle, `pp.map.w` (`66.0f38.w1`, `0f.w0`), and
 * `cpu` the row's cpu flag(s).
 */

export type Length = 128 | 256 | 512;
export const LENGTHS: readonly Length[] = [128, 256, 512];
const REG: Record<Length, string> = { 128: 'xmm', 256: 'ymm', 512: 'zmm' };

export function vreg(len: Length): string {
  return REG[len];
}

/** `xmm/m128/b32` for a length and broadcast element size in bits (0: no broadcast). */
export function vrm(len: Length, element: number): string {
  return `${REG[len]}/m${len}${element ? `/b${element}` : ''}`;
}

/** The EVEX broadcast element of a `.w0`/`.w1` encoding: 32 or 64 bits. */
export function elementOf(enc: string): number {
  return enc.endsWith('w1') ? 64 : 32;
}

export interface FamilyOptions {
  /** Broadcast element in bits (default from W: 32/64; 0 = no broadcast). */
  readonly element?: number;
  /** Tuple type (default fv). */
  readonly tuple?: string;
  /** Decoration on the zmm form's r/m operand: `{er}` or `{sae}`. */
  readonly zmmDeco?: string;
  /** Lengths to write (default all three). */
  readonly lengths?: readonly Length[];
  /** Mask decorations on the destination (default `{k}{z}`). */
  readonly dest?: string;
  readonly cpu?: string;
  readonly imm?: boolean;
  /** The second operand may not be left out (NASM has no `*` on FMA, VPTERNLOG, VPERMI2/T2…). */
  readonly noOmit?: boolean;
}

function opts(enc: string, o: FamilyOptions) {
  return {
    element: o.element ?? elementOf(enc),
    tuple: o.tuple ?? 'fv',
    deco: o.zmmDeco ?? '',
    lengths: o.lengths ?? LENGTHS,
    dest: o.dest ?? '{k}{z}',
    cpu: o.cpu ?? 'skylake',
    imm: o.imm ?? false,
    star: o.noOmit ? '' : '*',
  };
}

/** `NAME v{k}{z},v*,v/m/bN[,imm8]`: the common three-operand (nds) form. */
export function nds(name: string, enc: string, opcode: string, o: FamilyOptions = {}): string {
  const p = opts(enc, o);
  return p.lengths
    .map((len) => {
      const deco = len === 512 ? p.deco : '';
      const imm = p.imm ? ',imm8' : '';
      const code = `evex.nds.${len}.${enc}.${p.tuple} ${opcode} /r${p.imm ? ' ib' : ''}`;
      return `${name} ${REG[len]}${p.dest},${REG[len]}${p.star},${vrm(len, p.element)}${deco}${imm} | ${code} | ${p.cpu}`;
    })
    .join('\n');
}

/** `NAME v{k}{z},v/m/bN[,imm8]`: two operands, no vvvv. */
export function rm(name: string, enc: string, opcode: string, o: FamilyOptions = {}): string {
  const p = opts(enc, o);
  return p.lengths
    .map((len) => {
      const deco = len === 512 ? p.deco : '';
      const imm = p.imm ? ',imm8' : '';
      const code = `evex.${len}.${enc}.${p.tuple} ${opcode} /r${p.imm ? ' ib' : ''}`;
      return `${name} ${REG[len]}${p.dest},${vrm(len, p.element)}${deco}${imm} | ${code} | ${p.cpu}`;
    })
    .join('\n');
}

/** `NAME k{k},v,v/m/bN[,imm8]`: compares and tests into an opmask. */
export function compare(name: string, enc: string, opcode: string, o: FamilyOptions = {}): string {
  const p = opts(enc, o);
  return p.lengths
    .map((len) => {
      const deco = len === 512 ? p.deco : '';
      const imm = p.imm ? ',imm8' : '';
      const code = `evex.nds.${len}.${enc}.${p.tuple} ${opcode} /r${p.imm ? ' ib' : ''}`;
      return `${name} k{k},${REG[len]},${vrm(len, p.element)}${deco}${imm} | ${code} | ${p.cpu}`;
    })
    .join('\n');
}

/** `NAME v{k}{z},v,v/mN` scalar form (lig, t1s unless given), with `{er}`/`{sae}` on the r/m. */
export function scalar(
  name: string,
  enc: string,
  opcode: string,
  size: number,
  deco = '',
  o: FamilyOptions = {},
): string {
  const tuple = o.tuple ?? 't1s';
  const imm = o.imm ? ',imm8' : '';
  const dest = o.dest ?? 'xmm{k}{z}';
  const star = o.noOmit ? '' : '*';
  return `${name} ${dest},xmm${star},xmm/m${size}${deco}${imm} | evex.nds.lig.${enc}.${tuple} ${opcode} /r${o.imm ? ' ib' : ''} | ${o.cpu ?? 'skylake'}`;
}

/**
 * `NAME v{k}{z},v/m,imm8` shifts by immediate: vvvv is the destination (ndd), `/digit` the opcode
 * extension. As in the VEX rows, nasm takes `vpsllw zmm1, 5` for `vpsllw zmm1, zmm1, 5`.
 */
export function shiftImm(name: string, enc: string, opcode: string, digit: number, o: FamilyOptions = {}): string {
  const p = opts(enc, o);
  return p.lengths
    .map(
      (len) =>
        `${name} ${REG[len]}${p.dest},${vrm(len, p.element)}*,imm8 | evex.ndd.${len}.${enc}.${p.tuple} ${opcode} /${digit} ib | ${p.cpu}`,
    )
    .join('\n');
}
