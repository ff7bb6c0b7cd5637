/**
 * EVEX forms (62 P0 P1 P2), decoded from the table's `evex.…` rows: the
 * prefix's fields (Intel SDM vol. 2, 2.7) select a row by map, opcode, pp,
 * W and L'L, and give the registers their fourth and fifth bits, the opmask,
 * zeroing, broadcast and rounding. A disp8 is scaled by the row's N (the same
 * `disp8Scale` the encoder compresses with). Outside BITS 64, 62 is EVEX only
 * when the next byte's top bits are 11 (else BOUND); bytes that are an EVEX
 * prefix but match no row are `db`, as in ndisasm.
 */
import { disp8Scale, type EvexFields } from '../encoder/evex.js';
import { CodeOp, type Row } from '../encoder/table.js';
import {
  addressing,
  decodedForm,
  modrmField,
  sibField,
  tailField,
  type Bits,
  type Decoded,
  type EvexDecoded,
  type ModRmField,
  type TailField,
} from './decode.js';
import { lazyPatternIndex, type Pattern } from './patterns.js';
import { maskHas, prefixRun, segmentOverride } from './prefixes.js';

/** The index key of a map and opcode byte. */
const key = (map: number, opcode: number): number => (map << 8) | opcode;

/** The EVEX rows' patterns by map and opcode byte, in table order. */
const evexPatterns = lazyPatternIndex(
  (row) => row.evex !== null,
  (p) => (p.opcode.length !== 1 || p.tail.some((c) => c.op !== CodeOp.Imm) ? null : key(p.row.evex!.map, p.opcode[0]!)),
);

/** The prefix's fields, or null when the bytes at `at` are BOUND (outside BITS 64) or run out. */
function readPrefix(bytes: Uint8Array, at: number, bits: Bits): (EvexFields & { hiddenReg: number }) | null {
  const p0 = bytes[at + 1];
  const p1 = bytes[at + 2];
  const p2 = bytes[at + 3];
  if (bytes[at] !== 0x62 || p0 === undefined) return null;
  if (bits !== 64 && (p0 & 0xc0) !== 0xc0) return null;
  // P0 bit 3 is reserved (0): ndisasm reads the bytes as no EVEX form then (`db`).
  if (p1 === undefined || p2 === undefined || p0 & 8) return null;
  const inverted = (byte: number, bit: number): number => ((byte >> bit) & 1) ^ 1;
  // Measured: outside BITS 64 ndisasm ignores R, X and R' (`62 E2 7D 00 A0 3C 42` is `vpscatterdd
  // dword [edx+xmm0*2],xmm7` in BITS 32) but reads B and all of vvvv (`62 C1 65 D8 F5 C2` is `vpmaddwd xmm0,xmm3,xmm10`).
  const long = bits === 64 ? 1 : 0;
  return {
    r: inverted(p0, 7) & long,
    x: inverted(p0, 6) & long,
    b: inverted(p0, 5),
    rHigh: inverted(p0, 4) & long,
    hiddenReg: long ? 0 : inverted(p0, 4) << 4,
    map: p0 & 7,
    w: p1 & 0x80 ? 1 : 0,
    vvvv: ((~p1 >> 3) & 15) | (inverted(p2, 3) << 4),
    pp: p1 & 3,
    z: p2 & 0x80 ? 1 : 0,
    ll: (p2 >> 5) & 3,
    broadcastBit: p2 & 0x10 ? 1 : 0,
    aaa: p2 & 7,
  };
}

const hasDecoration = (row: Row, which: 'er' | 'sae'): boolean => row.operands.some((t) => t.decorations[which]);
const ROUNDING = ['{rn-sae}', '{rd-sae}', '{ru-sae}', '{rz-sae}'];

/**
 * Whether the row's fixed fields (pp, W, L'L) fit the prefix, and the
 * rounding text ndisasm shows: with b on registers L'L is the rounding mode
 * (and any length's row fits), with b on memory a broadcast.
 */
function fits(row: Row, f: EvexFields, registerForm: boolean): { rounding: string } | null {
  const spec = row.evex;
  if (!spec || spec.pp !== f.pp) return null;
  if (!spec.wIgnored && spec.w !== f.w) return null;
  let rounding = '';
  if (f.broadcastBit && registerForm) {
    // Measured: ndisasm then takes the first row of any length (`62 F1 4C 78 58 F8` is `vaddps xmm7,xmm6,xmm0`,
    // `62 F2 7D 18 C8 D7` `vexp2ps zmm2,zmm7,{sae}`) and shows the rounding mode if that row takes one.
    if (hasDecoration(row, 'er')) rounding = ROUNDING[f.ll] as string;
    else if (hasDecoration(row, 'sae')) rounding = '{sae}';
    return { rounding };
  }
  // Measured: b on a memory form without a broadcast changes nothing (`62 C1 25 95 ED 75 C8` is
  // `vpaddsw xmm6{k5}{z},xmm27,oword [di-0x380]` in BITS 16), but a rounding operand that is not the memory
  // operand shows the mode (`62 E1 8E 9F 7B 14 38` is `vcvtusi2ss xmm18,xmm14,{rn-sae},qword [rax+rdi]`).
  if (f.broadcastBit && !row.operands.some((t) => t.decorations.broadcast > 0)) {
    const er = row.operands.find((t) => t.decorations.er);
    if (er && er.kind === 'reg') rounding = ROUNDING[f.ll] as string;
  }
  // Measured: a scalar (`lig`) form too wants L'L 0 unless it holds a rounding mode.
  if ((spec.lIgnored ? 0 : spec.ll) !== f.ll) return null;
  return { rounding };
}

/**
 * N of disp8*N, as the encoder computes it; but with b set on VAES and
 * VPCLMULQDQ, ndisasm scales as for a broadcast of W's element (measured:
 * `62 D2 1D B5 DE 5F C0` is `vaesdec ymm3,ymm28,yword [bx-0x100]`), while
 * every other form that does not broadcast keeps the vector's N (`vpaddsw`,
 * `vmovntps`, `vpsadbw`).
 */
function disp8N(row: Row, f: EvexFields): number {
  const spec = row.evex;
  if (!spec) return 0;
  if (f.broadcastBit && /^v(?:aes|pclmul)/.test(row.mnemonic)) return f.w ? 8 : 4;
  // A b that broadcasts nothing does not scale as a broadcast (`62 E1 65 18 75 54 AA` is `vpcmpeqw k2,xmm3,oword [si-0x560]`).
  const broadcasts = row.operands.some((t) => t.decorations.broadcast > 0);
  return disp8Scale(spec, broadcasts ? f : { ...f, broadcastBit: 0 });
}

interface Layout {
  bytes: Uint8Array;
  bits: Bits;
  prefixes: readonly number[];
  addressSize: 16 | 32 | 64;
  opcodeAt: number;
}

/** ModR/M with EVEX's register bits: reg + R (8) + R' (16); a register r/m + B (8) + X (16). */
function modrmOf(byte: number, at: number, f: EvexFields): ModRmField {
  const reg = (byte >> 3) & 7;
  const rm = byte & 7;
  const rmHigh = byte >> 6 === 3 ? (f.x << 4) | (f.b << 3) : f.b << 3;
  return modrmField(at, byte, reg | (f.r << 3) | (f.rHigh << 4), rm | rmHigh);
}

/**
 * Whether the ModR/M registers exist in their class: R' and X (bit 4) reach
 * vector registers only, and opmask registers are k0-k7 (measured: ndisasm
 * writes `db` for k8-k31 or a general register numbered 16 or more).
 */
function registersExist(row: Row, modrm: ModRmField): boolean {
  return row.operands.every((t) => {
    const num = t.role === 'r' ? modrm.regExt : t.role === 'm' && modrm.mod === 3 ? modrm.rmExt : 0;
    if (t.regClass === 'kreg') return num < 8;
    if (t.regClass === 'xmm' || t.regClass === 'ymm' || t.regClass === 'zmm') return true;
    return num < 16;
  });
}

function tryEvex(p: Pattern, f: EvexFields & { hiddenReg: number }, at: Layout): Decoded | null {
  const { bytes } = at;
  const byte = bytes[at.opcodeAt + 1];
  if (byte === undefined || !p.modrm) return null;
  // What the ModR/M byte and pp alone rule out first, before anything is allocated.
  if (p.digit >= 0 && ((byte >> 3) & 7) !== p.digit) return null;
  if ((p.mod === 'mem' && byte >> 6 === 3) || (p.mod === 'reg' && byte >> 6 !== 3)) return null;
  if (p.row.evex?.pp !== f.pp) return null;
  const modrm = modrmOf(byte, at.opcodeAt + 1, f);
  const fit = fits(p.row, f, modrm.mod === 3);
  if (!fit) return null;
  const vsib = p.row.operands.some((t) => t.vsib);
  if (vsib && (modrm.rm !== 4 || at.addressSize === 16)) return null;
  // A vvvv the form does not use must be 0 (1111 and V' 1), except V' on a VSIB form, where it is the index's bit 4.
  if (p.row.vvvvIndex < 0 && (vsib ? f.vvvv & 15 : f.vvvv) !== 0) return null;
  if (!registersExist(p.row, modrm)) return null;
  const rex = (f.w << 3) | (f.r << 2) | (f.x << 1) | f.b;
  const addr = addressing(bytes, modrm, at.addressSize, rex);
  if (!addr) return null;
  let pos = addr.end;
  if (p.suffix >= 0) {
    if (bytes[pos] !== p.suffix) return null;
    pos++;
  }
  // V' is a VSIB index's bit 4 (in BITS 64 only, as R' and X).
  const indexHigh = at.bits === 64 ? f.vvvv & 16 : 0;
  const s = addr.sib;
  const sib = s && vsib ? sibField(s.at, s.byte, s.indexExt | indexHigh, s.baseExt) : s;
  const tail: TailField[] = [];
  for (const code of p.tail) {
    if (pos + code.value > bytes.length) return null;
    tail.push(tailField(bytes, pos, code.value, code));
    pos += code.value;
  }
  const n = disp8N(p.row, f);
  const segment = segmentOverride(at.prefixes);
  return decodedForm({
    length: pos,
    prefixes: at.prefixes,
    consumed: 0,
    silent: 0,
    opcodeAt: at.opcodeAt,
    opcode: [bytes[at.opcodeAt] as number],
    modrm,
    sib,
    displacement: addr.displacement,
    tail,
    pattern: p,
    bits: at.bits,
    rex: rex | 0x40,
    rexWUsed: true,
    rexWSilent: false,
    operandSize: at.bits === 64 && f.w ? 64 : 32,
    addressSize: at.addressSize,
    segment,
    sizeless: false,
    vex: {
      kind: 'evex',
      size: 4,
      map: f.map,
      pp: f.pp,
      l: f.ll,
      vvvv: vsib ? f.vvvv & 15 : f.vvvv,
      is4: -1,
      longForm: false,
    },
    evex: evexDecoded(f, {
      scale: n > 0 ? n : 1,
      disp8N: n,
      rounding: fit.rounding,
      hidden: { reg: f.hiddenReg, index: vsib && at.bits !== 64 ? f.vvvv & 16 : 0 },
      asWritten: undefined,
    }),
    asWritten: undefined,
  });
}

/** The EVEX fields of a decoded instruction, every property in one order (see decode.ts, decodedForm). */
function evexDecoded(f: EvexFields, meaning: Omit<EvexDecoded, keyof EvexFields>): EvexDecoded {
  return {
    r: f.r,
    x: f.x,
    b: f.b,
    rHigh: f.rHigh,
    map: f.map,
    w: f.w,
    vvvv: f.vvvv,
    pp: f.pp,
    z: f.z,
    ll: f.ll,
    broadcastBit: f.broadcastBit,
    aaa: f.aaa,
    scale: meaning.scale,
    disp8N: meaning.disp8N,
    rounding: meaning.rounding,
    hidden: meaning.hidden,
    asWritten: meaning.asWritten,
  };
}

/**
 * The EVEX instruction at the start of `bytes`: null when the bytes are no
 * EVEX prefix (decode them as legacy forms), `{ decoded: null }` when they
 * are one but no row matches (ndisasm's `db`).
 */
export function decodeEvex(bytes: Uint8Array, bits: Bits): { decoded: Decoded | null } | null {
  const { prefixes, mask } = prefixRun(bytes);
  const at = prefixes.length;
  const f = readPrefix(bytes, at, bits);
  if (!f) return null;
  const opcodeAt = at + 4;
  const opcode = bytes[opcodeAt];
  if (opcode === undefined) return { decoded: null };
  const flip = maskHas(mask, 0x67);
  const addressSize = bits === 64 ? (flip ? 32 : 64) : (bits === 16) !== flip ? 16 : 32;
  const layout: Layout = { bytes, bits, prefixes, addressSize, opcodeAt };
  const patterns = evexPatterns(key(f.map, opcode), bits === 64);
  for (const p of patterns) {
    const d = tryEvex(p, f, layout);
    if (d) return { decoded: withRoundingForm(d, patterns, f, layout) };
  }
  return { decoded: null };
}

/**
 * ndisasm reads b on a register form of a packed instruction as its first
 * (128-bit) row, without the rounding mode; the bytes are the row that takes
 * `{er}`/`{sae}` (the 512-bit one), which `asWritten` holds for NASM source.
 */
function withRoundingForm(
  d: Decoded,
  patterns: readonly Pattern[],
  f: EvexFields & { hiddenReg: number },
  layout: Layout,
): Decoded {
  const e = d.evex;
  if (!e?.broadcastBit || d.modrm?.mod !== 3 || e.rounding !== '') return d;
  const name = d.pattern.row.mnemonic;
  for (const p of patterns) {
    const row = p.row;
    if (row.mnemonic !== name || !(hasDecoration(row, 'er') || hasDecoration(row, 'sae'))) continue;
    const written = tryEvex(p, f, layout);
    if (written) {
      d.evex = evexDecoded(e, { ...e, asWritten: written });
      return d;
    }
  }
  return d;
}
