/**
 * How many pieces nasm's output stage is handed for one instruction or data
 * line. nasm warns "attempt to initialize memory in a nobits section" once
 * per piece, so a line in `.bss` gets as many warnings as it has pieces.
 *
 * Measured on nasm 2.16.01 (random instruction forms in BITS 32 and 64, and
 * data forms): each legacy prefix byte, the REX byte and the VEX/XOP/EVEX
 * prefix are one piece each; the opcode bytes are one piece, plus one more
 * for a `+r` byte after other opcode bytes (x87 `d9 c8+r`, `0f c8+r`) and
 * one for a 3DNow! suffix byte; ModR/M with its SIB is one piece; the
 * displacement one; each immediate, branch offset or far segment one. Data:
 * one piece per item, plus one for the zero padding of a string that does not
 * fill its last unit; `?` items are reservations and warn nothing.
 */
import { CodeOp } from '../encoder/table.js';
import { decodeOne, type Bits } from '../disasm/decode.js';
import type { DataItem } from '../parse/ast.js';

/** Leads of the VEX-style prefixes (a 2-byte VEX, 3-byte VEX or XOP, EVEX). */
const VEX_PREFIX_SIZE: Record<number, number> = { 0xc5: 2, 0xc4: 3, 0x8f: 3, 0x62: 4 };

/** Pieces of one encoded instruction. */
export function instructionPieces(bytes: Uint8Array, bits: Bits): number {
  const d = decodeOne(bytes, bits);
  if (!d) return vexFallbackPieces(bytes, bits);
  const plusRegister = d.opcode.length > 1 && d.pattern.plusReg;
  const suffix = d.pattern.suffix >= 0;
  return (
    d.prefixes.length +
    (d.rex !== 0 ? 1 : 0) +
    (d.vex ? 1 : 0) +
    1 +
    (plusRegister ? 1 : 0) +
    (suffix ? 1 : 0) +
    (d.modrm ? 1 : 0) +
    (d.displacement ? 1 : 0) +
    d.tail.length
  );
}

/**
 * The few encodings the decoder's table does not take back. VEX/EVEX (BITS 16
 * EVEX, sized memory spellings it has no row for): prefix, opcode,
 * ModR/M(+SIB), displacement, and one piece for whatever follows (an immediate).
 */
function vexFallbackPieces(bytes: Uint8Array, bits: Bits): number {
  let at = 0;
  let pieces = 0;
  let addressSizePrefix = false;
  while (at < bytes.length && LEGACY_PREFIXES.has(bytes[at]!)) {
    if (bytes[at] === 0x67) addressSizePrefix = true;
    at++;
    pieces++;
  }
  const address16 = (bits === 16) !== addressSizePrefix;
  if (at >= bytes.length) return Math.max(pieces, 1); // prefixes alone
  const prefixSize = VEX_PREFIX_SIZE[bytes[at] ?? -1];
  if (prefixSize === undefined || at + prefixSize + 2 > bytes.length) {
    // Legacy opcode (one byte, or 0F xx, 0F 38 xx, 0F 3A xx), then one field: `o32 jcc` in BITS 16,
    // whose rel16 the decoder does not take (it expects rel32 after the 66h).
    const escape = bytes[at] === 0x0f ? (bytes[at + 1] === 0x38 || bytes[at + 1] === 0x3a ? 3 : 2) : 1;
    return pieces + 1 + (at + escape < bytes.length ? 1 : 0);
  }
  at += prefixSize + 1; // the prefix and the opcode byte
  pieces += 3; // prefix, opcode, ModR/M (+SIB)
  const modrm = bytes[at]!;
  const mod = modrm >> 6;
  const rm = modrm & 7;
  at++;
  let displacement = 0;
  if (mod === 1) displacement = 1;
  else if (mod === 2) displacement = address16 ? 2 : 4;
  if (!address16 && mod !== 3 && rm === 4) {
    const base = (bytes[at] ?? 0) & 7;
    at++;
    if (mod === 0 && base === 5) displacement = 4;
  } else if (mod === 0 && rm === (address16 ? 6 : 5)) displacement = address16 ? 2 : 4;
  if (displacement > 0) pieces++;
  at += displacement;
  return pieces + (at < bytes.length ? 1 : 0);
}

const LEGACY_PREFIXES = new Set([0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67, 0x9b]);

/** Pieces of one data item (a line's `dup` items already expanded). */
export function dataItemPieces(item: DataItem, unitSize: number): number {
  if (item.kind === 'uninit') return 0;
  // An empty string writes nothing: nasm's output stage is not called (no nobits warning, no error in absolute space).
  if (item.kind === 'string' && item.bytes.length === 0) return 0;
  if (item.kind === 'string' && item.bytes.length % unitSize !== 0) return 2;
  return 1;
}

/** Where the displacement (or the moffs address) of an encoded instruction sits, or null. */
export function displacementField(bytes: Uint8Array, bits: Bits): { at: number; size: number } | null {
  const d = decodeOne(bytes, bits);
  if (!d) return null;
  const field = d.displacement ?? d.tail.find((f) => f.code.op === CodeOp.Moffs);
  return field ? { at: field.at, size: field.size } : null;
}
