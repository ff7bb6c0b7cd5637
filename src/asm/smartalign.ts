/**
 * smartalign's fill (SmartalignFill, src/parse/ast.ts): the bytes nasm's `align` macro
 * writes for a pad, chosen in each pass from `$`.
 *
 * Up to the threshold the pad is the group NOP repeated, then one NOP of the remainder. Above
 * it, a jump to the aligned address over plain NOPs: short when the distance fits a signed byte
 * and the optimiser runs (nasm's `jmp` to a label after the NOPs), else near. A pad shorter than
 * that jump (a threshold below it) pads on to the next aligned address, as nasm's does.
 */
import { someLeaf } from '../core/expressions.js';
import type { OptimizeLevel } from '../encoder/types.js';
import type { SmartalignFill } from '../parse/ast.js';
import { NON_CONSTANT_TIMES, type AssemblyContext } from './context.js';
import { warnNobits } from './data.js';

/** One piece of the fill: `bytes` written `repeat` times (a listing shows each with `<rep N>`). */
export interface FillPiece {
  bytes: Uint8Array;
  repeat: number;
}

const NOP = Uint8Array.of(0x90);

/** The pad from the offset in the section: what `(((a) - (($-$$) % a)) % a)` gives. */
export function padAt(offset: number, alignment: number): number {
  return (alignment - (offset % alignment)) % alignment;
}

/** The fill for a pad, in pieces (a pure function of its inputs, so the layout model can use it). */
export function fillPieces(
  fill: SmartalignFill,
  pad: number,
  alignment: number,
  threshold: number,
  optimize: OptimizeLevel,
): FillPiece[] {
  if (threshold !== -1 && pad > threshold) return jumpPieces(fill.bits, pad, alignment, optimize);
  const pieces: FillPiece[] = [];
  const group = fill.nops[fill.group - 1] ?? null;
  const repeat = Math.floor(pad / fill.group);
  if (group !== null && repeat > 0) pieces.push({ bytes: group, repeat });
  const rest = fill.nops[(pad % fill.group) - 1] ?? null;
  if (pad % fill.group > 0 && rest !== null) pieces.push({ bytes: rest, repeat: 1 });
  return pieces;
}

function jumpPieces(bits: 16 | 32 | 64, pad: number, alignment: number, optimize: OptimizeLevel): FillPiece[] {
  const nopsAfter = (jumpSize: number): number => (((pad - jumpSize) % alignment) + alignment) % alignment;
  let jump: Uint8Array;
  let nops = nopsAfter(2);
  // The short jump is -Ox's choice only: at -O1 a JMP is near like any other (measured).
  if (optimize > 1 && nops <= 127) {
    jump = Uint8Array.of(0xeb, nops);
  } else {
    const size = bits === 16 ? 3 : 5;
    nops = nopsAfter(size);
    jump = new Uint8Array(size);
    jump[0] = 0xe9;
    for (let i = 1, v = nops; i < size; i++, v = Math.floor(v / 256)) jump[i] = v & 0xff;
  }
  const pieces = [{ bytes: jump, repeat: 1 }];
  if (nops > 0) pieces.push({ bytes: NOP, repeat: nops });
  return pieces;
}

export function fillSize(pieces: FillPiece[]): number {
  let size = 0;
  for (const p of pieces) size += p.bytes.length * p.repeat;
  return size;
}

/**
 * The alignment and threshold as numbers. A threshold that is no number was already nasm's
 * preprocessor error (the package compares it there): the fill then never jumps.
 */
export function fillParameters(ctx: AssemblyContext, fill: SmartalignFill): { alignment: number; threshold: number } {
  const alignment = Number(ctx.criticalNumber(fill.alignment, NON_CONSTANT_TIMES));
  if (alignment <= 0) {
    // nasm's preprocessor fails on the pad (`% 0`), then on the comparison of the pad it did not define.
    if (ctx.pass === 1 || ctx.finalPass) ctx.diagnostics.error('division by zero', ctx.currentLocation);
    ctx.reportError('expression syntax error', true);
  }
  let threshold = -1;
  if (!someLeaf(fill.threshold, (leaf) => leaf.kind === 'symbol' || leaf.kind === 'register')) {
    const t = ctx.evaluateExpr(fill.threshold);
    if (!t.unknown && t.base === null) threshold = Number(t.offset);
  }
  return { alignment, threshold };
}

export function smartalign(ctx: AssemblyContext, fill: SmartalignFill): void {
  const { alignment, threshold } = fillParameters(ctx, fill);
  const pieces = fillPieces(
    fill,
    padAt(ctx.stream.hereOffset(), alignment),
    alignment,
    threshold,
    ctx.options.optimize,
  );
  const size = fillSize(pieces);
  if (ctx.stream.inBss()) {
    nobitsFill(ctx, pieces);
    ctx.stream.advance(size);
    return;
  }
  ctx.checkOutputRoom(size);
  if (ctx.finalPass && !ctx.stream.inBss()) {
    const bytes = ctx.stream.current.bytes;
    for (const p of pieces) {
      if (p.bytes.length === 1) bytes.fill(p.bytes[0]!, p.repeat);
      else for (let i = 0; i < p.repeat; i++) bytes.push(p.bytes);
    }
  }
  ctx.stream.advance(size);
}

/**
 * A fill where no bytes go (a nobits section, `absolute` space): nasm's warning or error once for
 * each piece its output stage is handed, a byte of each NOP and the jump's opcode and distance.
 */
function nobitsFill(ctx: AssemblyContext, pieces: FillPiece[]): void {
  let outputs = 0;
  for (const p of pieces) outputs += p.bytes.length === 1 || !isJump(p.bytes) ? p.bytes.length * p.repeat : 2;
  if (ctx.stream.absoluteOffset === null) {
    warnNobits(ctx, outputs);
    return;
  }
  // The counter still moves past the fill (the next `align` pads from there, as in nasm).
  const message = 'attempt to assemble code in [ABSOLUTE] space';
  if (ctx.finalPass) for (let i = 0; i < outputs; i++) ctx.diagnostics.error(message, ctx.currentLocation);
}

/** No NOP of the tables starts as a jump does. */
function isJump(bytes: Uint8Array): boolean {
  return bytes[0] === 0xeb || bytes[0] === 0xe9;
}

/** The pieces of a fill already written (for listings): `bytes` is what the statement emitted. */
export function writtenPieces(fill: SmartalignFill, bytes: Uint8Array): FillPiece[] {
  if (isJump(bytes)) {
    let size = 2;
    if (bytes[0] === 0xe9) {
      const near32 = bytes.length >= 5 && (bytes[1]! | (bytes[2]! << 8) | (bytes[3]! << 16)) + bytes[4]! * 2 ** 24;
      size = near32 === bytes.length - 5 ? 5 : 3;
    }
    const pieces = [{ bytes: bytes.subarray(0, size), repeat: 1 }];
    if (bytes.length > size) pieces.push({ bytes: NOP, repeat: bytes.length - size });
    return pieces;
  }
  const group = fill.nops[fill.group - 1]?.length ?? fill.group;
  const repeat = Math.floor(bytes.length / group);
  const pieces: FillPiece[] = [];
  if (repeat > 0) pieces.push({ bytes: bytes.subarray(0, group), repeat });
  if (bytes.length > repeat * group) pieces.push({ bytes: bytes.subarray(repeat * group), repeat: 1 });
  return pieces;
}
