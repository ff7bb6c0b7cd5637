/**
 * VEX and XOP forms (C4/C5/8F), decoded from the table's `vex.…`/`xop.…`
 * rows: the prefix's fields (R X B map W vvvv L pp) select a row by map,
 * opcode, pp, L and W, as the Intel SDM (vol. 2, 2.3) and AMD APM lay them
 * out. Outside BITS 64, C4/C5 are VEX only when the next byte's top bits are
 * 11 (else LES/LDS), and 8F is XOP only for a map of 8 or more (else POP);
 * bytes that are a VEX prefix but match no row are `db`, as in ndisasm.
 */
import { CodeOp, type Row } from '../encoder/table.js';
import {
  registerFromAddress,
  sameLength,
  addressing,
  decodedForm,
  modrmField,
  tailField,
  takesAddressAsRegister,
  type Bits,
  type Decoded,
  type ModRmField,
  type TailField,
} from './decode.js';
import { lazyPatternIndex, type Pattern } from './patterns.js';
import { maskHas, prefixRun, segmentOverride } from './prefixes.js';

interface VexPrefix {
  kind: 'vex' | 'xop';
  map: number;
  pp: number;
  l: number;
  w: number;
  vvvv: number;
  /** The equivalent REX bits (W R X B) for the ModR/M and SIB register numbers. */
  rex: number;
  /** Bytes of the prefix (2 or 3). */
  size: number;
}

/** The index key of a prefix kind, map (up to 31) and opcode byte. */
const key = (kind: 'vex' | 'xop', map: number, opcode: number): number =>
  (kind === 'xop' ? 1 << 13 : 0) | (map << 8) | opcode;

/**
 * The VEX/XOP rows' patterns by prefix kind, map and opcode byte, per mode, in the order they
 * are tried: the first that fits, as for legacy forms (alias rows ndisasm does not print are
 * `nd`); in BITS 64 its 64-bit-only rows first (`vmovmskpd r9,ymm13`), outside it none of them.
 */
const vexPatterns = lazyPatternIndex(
  (row) => row.vex !== null,
  (p) => {
    // One opcode byte, or two where the second is a fixed ModR/M (TILERELEASE's C0); TILEZERO's `/r0` is read too.
    if (p.opcode.length > 2 || (p.opcode.length === 2 && p.opcode[1]! < 0xc0)) return null;
    if (p.tail.some((c, i) => c.op !== CodeOp.Imm && c.op !== CodeOp.Is4 && !(i === 0 && regOnly(p)))) return null;
    const spec = p.row.vex!;
    return key(spec.kind, spec.map, p.opcode[0]!);
  },
  (patterns, longMode) =>
    longMode ? [...patterns.filter((p) => p.row.long), ...patterns.filter((p) => !p.row.long)] : patterns,
);

/** The VEX/XOP prefix at `at`, or null when the bytes there are a legacy form (LES, LDS, POP). */
function readPrefix(bytes: Uint8Array, at: number, bits: Bits): VexPrefix | null {
  const b0 = bytes[at];
  const b1 = bytes[at + 1];
  if (b1 === undefined || (b0 !== 0xc4 && b0 !== 0xc5 && b0 !== 0x8f)) return null;
  if (bits !== 64 && (b1 & 0xc0) !== 0xc0) return null;
  const r = b1 & 0x80 ? 0 : 4;
  if (b0 === 0xc5) {
    return { kind: 'vex', map: 1, pp: b1 & 3, l: (b1 >> 2) & 1, w: 0, vvvv: (~b1 >> 3) & 15, rex: r, size: 2 };
  }
  const map = b1 & 0x1f;
  if (b0 === 0x8f && map < 8) return null;
  const b2 = bytes[at + 2];
  if (b2 === undefined) return null;
  const x = b1 & 0x40 ? 0 : 2;
  const b = b1 & 0x20 ? 0 : 1;
  const w = b2 >> 7;
  const kind = b0 === 0x8f ? 'xop' : 'vex';
  return { kind, map, pp: b2 & 3, l: (b2 >> 2) & 1, w, vvvv: (~b2 >> 3) & 15, rex: (w << 3) | r | x | b, size: 3 };
}

/** Whether the row's fixed fields (pp, L, W, a vvvv it does not use left at 1111) fit the prefix. */
function fits(row: Row, v: VexPrefix): boolean {
  const spec = row.vex;
  if (!spec || spec.pp !== v.pp) return false;
  if (!spec.lIgnored && spec.l !== v.l) return false;
  if (!spec.wIgnored && spec.w !== v.w) return false;
  return row.vvvvIndex >= 0 || v.vvvv === 0;
}

interface Layout {
  bytes: Uint8Array;
  bits: Bits;
  prefixes: readonly number[];
  addressSize: 16 | 32 | 64;
  opcodeAt: number;
  /** Whether a memory ModR/M may be read as a register (decode.ts, registerFromAddress). */
  addressAsRegister: boolean;
}

/** `/r0`: a ModR/M with mod 11, the operand in reg and 000 in r/m (TILEZERO). */
const regOnly = (p: Pattern): boolean => p.tail[0]?.op === CodeOp.ModRmRegOnly;

function tryVex(p: Pattern, v: VexPrefix, at: Layout): Decoded | null {
  if (!fits(p.row, v)) return null;
  const { bytes } = at;
  let pos = at.opcodeAt + 1;
  let modrm: ModRmField | null = null;
  let rest: Pick<Decoded, 'sib' | 'displacement'> = { sib: null, displacement: null };
  // A second opcode byte of 11xxxxxx is a ModR/M of fixed value (TILERELEASE: 49 C0).
  const fixed = p.opcode.length === 2 ? (p.opcode[1] as number) : -1;
  if (p.modrm || fixed >= 0 || regOnly(p)) {
    const byte = bytes[pos];
    if (byte === undefined) return null;
    if ((fixed >= 0 && byte !== fixed) || (regOnly(p) && (byte & 0xc7) !== 0xc0)) return null;
    const reg = (byte >> 3) & 7;
    modrm = modrmField(pos, byte, reg | (v.rex & 4 ? 8 : 0), (byte & 7) | (v.rex & 1 ? 8 : 0));
    if (p.digit >= 0 && reg !== p.digit) return null;
    if (p.mod === 'mem' && modrm.mod === 3) return null;
    if (modrm.mod !== 3) {
      // VEX.B adds nothing to the register ndisasm reads from the address (`C4 C1 78 50 10` is `vmovmskps edx,xmm12`).
      const number =
        at.addressAsRegister && takesAddressAsRegister(p.row) ? registerFromAddress(byte, at.addressSize) : -1;
      if (number >= 0) modrm = modrmField(pos, byte, modrm.regExt, number, true);
      else if (p.mod === 'reg') return null;
    }
    // A VSIB address (gathers) needs a SIB byte and 32/64-bit addressing; ndisasm prints `db` otherwise.
    if (p.row.operands.some((t) => t.vsib) && (modrm.rm !== 4 || at.addressSize === 16)) return null;
    const addr = addressing(bytes, modrm, at.addressSize, v.rex);
    if (!addr) return null;
    rest = { sib: addr.sib, displacement: addr.displacement };
    pos = addr.end;
    // A fixed byte after the address: the predicate of an alias row (`vcmpeqps` is VCMPPS with 00).
    if (p.suffix >= 0) {
      if (bytes[pos] !== p.suffix) return null;
      pos++;
    }
  }
  // Opmask and tile registers are k0-k7 and tmm0-tmm7: a vvvv or ModR/M naming k8-k15 or tmm8-tmm15 is no
  // instruction (ndisasm: `db`; `C4 62 7B 49 D8`, TILEZERO with VEX.R clear, is not `tilezero tmm3`).
  const numbers = [v.vvvv, modrm?.regExt ?? 0, modrm && modrm.mod === 3 ? modrm.rmExt : 0];
  const roles = ['v', 'r', 'm'];
  const eightOnly = (t: (typeof p.row.operands)[number]): boolean => t.regClass === 'kreg' || t.regClass === 'tmm';
  if (p.row.operands.some((t) => eightOnly(t) && (numbers[roles.indexOf(t.role)] ?? 0) > 7)) return null;
  const tail: TailField[] = [];
  let is4 = -1;
  for (const code of p.tail) {
    if (code.op === CodeOp.ModRmRegOnly) continue;
    const size = code.op === CodeOp.Is4 ? 1 : code.value;
    if (pos + size > bytes.length) return null;
    if (code.op === CodeOp.Is4) is4 = bytes[pos]!;
    else tail.push(tailField(bytes, pos, size, code));
    pos += size;
  }
  const segment = segmentOverride(at.prefixes);
  return decodedForm({
    length: pos,
    prefixes: at.prefixes,
    consumed: 0,
    silent: 0,
    opcodeAt: at.opcodeAt,
    opcode: [bytes[at.opcodeAt] as number],
    modrm,
    sib: rest.sib,
    displacement: rest.displacement,
    tail,
    pattern: p,
    bits: at.bits,
    rex: v.rex | 0x40,
    rexWUsed: true,
    rexWSilent: false,
    operandSize: at.bits === 64 && v.w ? 64 : 32,
    addressSize: at.addressSize,
    segment,
    sizeless: false,
    vex: {
      kind: v.kind,
      size: v.size,
      map: v.map,
      pp: v.pp,
      l: v.l,
      vvvv: v.vvvv,
      is4,
      longForm: v.kind === 'vex' && v.size === 3 && v.map === 1 && v.w === 0 && !(v.rex & 3),
    },
    evex: null,
    asWritten: undefined,
  });
}

/**
 * The VEX/XOP instruction at the start of `bytes`: null when the bytes are
 * no VEX/XOP prefix (decode them as legacy forms), `{ decoded: null }` when
 * they are one but no row matches (ndisasm's `db`).
 */
export function decodeVex(bytes: Uint8Array, bits: Bits): { decoded: Decoded | null } | null {
  const { prefixes, mask } = prefixRun(bytes);
  const at = prefixes.length;
  const v = readPrefix(bytes, at, bits);
  if (!v) return null;
  const opcodeAt = at + v.size;
  const opcode = bytes[opcodeAt];
  if (opcode === undefined) return { decoded: null };
  const flip = maskHas(mask, 0x67);
  const addressSize = bits === 64 ? (flip ? 32 : 64) : (bits === 16) !== flip ? 16 : 32;
  const layout: Layout = { bytes, bits, prefixes, addressSize, opcodeAt, addressAsRegister: true };
  // The first row that fits (vexPatterns gives them in order).
  const ordered = vexPatterns(key(v.kind, v.map, opcode), bits === 64);
  const shown = firstFit(ordered, v, layout);
  if (!shown?.modrm?.addressAsRegister) return { decoded: shown };
  const written = firstFit(ordered, v, { ...layout, addressAsRegister: false });
  shown.asWritten = sameLength(shown, written);
  return { decoded: shown };
}

/** The first of the patterns (in the decoder's order) that the bytes fit, or null. */
function firstFit(patterns: readonly Pattern[], v: VexPrefix, layout: Layout): Decoded | null {
  for (const p of patterns) {
    const d = tryVex(p, v, layout);
    if (d) return d;
  }
  return null;
}
