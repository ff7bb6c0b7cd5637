/**
 * The generic encoder: picks the first table row whose operand types match
 * (NASM's rule), then walks that row's codes to produce bytes and fixups.
 * There is no per-mnemonic code here: behaviour lives in the table.
 */
import { impliedAddressSize } from './ea.js';
import { emit, optimizableBranch } from './emit.js';
import { isPrefixName, parsedPrefixErrors } from './prefixes.js';
import { vectorIndex, vsibShapeError } from './vsib.js';
import { parseRow, ROWS_BY_MNEMONIC, type Row } from './table.js';
import type { EncodeContext, EncodeResult, InstructionRequest, MemoryOperand, Operand } from './types.js';
import {
  cpuLevel,
  Fail,
  failureMessage,
  forcedSizes,
  lineState,
  longMissingMask,
  evexMissingMask,
  matchRow,
  MESSAGES,
  missingMask,
  rowLevel,
  sharedSize,
  SIZE_OF_BIT,
} from './match.js';

export { isPrefixName };

/** The row the encoder uses for `req` (for the table tests), or null on error. */
export function chooseRow(req: InstructionRequest, ctx: EncodeContext): Row | null {
  lastRow = null;
  const r = encode(req, ctx);
  return r.ok ? lastRow : null;
}
let lastRow: Row | null = null;
/** The row whose emission failed in the last encode (a VEX row that cannot take `{vex2}`), or null. */
let lastFailedRow: Row | null = null;

/** A row with no codes: a line holding only prefixes (`rep`, `o32`, `lock`) emits just the prefix bytes. */
const PREFIX_ONLY_ROW: Row = parseRow('PREFIXES | | 8086');

export function encode(req: InstructionRequest, ctx: EncodeContext): EncodeResult {
  // The parser hands mnemonics in lower case already: lower-case a copy only when the name is not found.
  let mnemonic = req.mnemonic;
  let rows = ROWS_BY_MNEMONIC.get(mnemonic);
  if (rows === undefined) {
    mnemonic = mnemonic.toLowerCase();
    rows = ROWS_BY_MNEMONIC.get(mnemonic);
  }
  // Prefix conflicts: nasm's parser reports each, then assembles the line with the last
  // prefix of each slot and reports what that finds too (measured: `{vex3} {vex2} {vex3}
  // vorpd ymm6,ymm2,ymm5` is two conflicts; `o16 o32 a64 add eax,[ebx]` in BITS 32 is the
  // conflict, then "impossible combination of address sizes" and its follow-up).
  const parsed = parsedPrefixErrors(req.prefixes, req.operands);
  if (parsed.messages.length > 0) {
    lastFailedRow = null;
    const rest = encode({ ...req, prefixes: parsed.resolved }, ctx);
    let after = rest.ok ? [] : [rest.error, ...(rest.followUps ?? [])];
    // After these nasm reports no failure to match a row, only what the address, REX and VEX
    // checks of a matched row find (measured: `fs bnd mov eax,[gs:ebx]` and `{vex3} {vex2}
    // add eax,ebx` give the conflict alone; `fs a64 mov eax,[gs:ebx]` adds "impossible
    // combination of address sizes" and its follow-up, `{rex} {vex2} vpminud xmm3,[0x1234]`
    // "instruction not encodable with {vex2} prefix": VPMINUD needs a 3-byte VEX).
    const vexStage =
      after[0] === 'instruction not encodable with {vex2} prefix' && (lastFailedRow as Row | null)?.vex != null;
    if (!AFTER_PARSE_ERRORS.has(after[0] ?? '') && !vexStage) after = [];
    return { ok: false, error: parsed.messages[0] as string, followUps: [...parsed.messages.slice(1), ...after] };
  }
  const modeless = addressPrefixOutsideMode(req.prefixes, ctx.bits);
  if (modeless !== null) {
    const rest = encode({ ...req, prefixes: req.prefixes.filter((p) => p !== modeless) }, ctx);
    const followUp = addressFollowUp(rest, req, ctx.bits);
    // (An optimised branch goes through the checks twice: `a64 jz $` gives the follow-up twice.)
    const twice = rows?.some((r) => optimizableBranch(r, req)) === true;
    const followUps = followUp === '' ? [] : twice ? [followUp, followUp] : [followUp];
    return { ok: false, error: 'impossible combination of address sizes', followUps };
  }
  if (!rows) {
    if (isPrefixName(mnemonic) && req.operands.length === 0) {
      const prefixes = [...req.prefixes, mnemonic];
      // `{rex}` asks for a REX byte on an instruction, and a line of prefixes has none: nasm 2.16.01
      // refuses it outside BITS 64 and panics in it (measured: `{rex} rep`, `rep {rex}`); refused in every mode.
      if (prefixes.includes('{rex}')) return { ok: false, error: 'instruction not encodable with {rex} prefix' };
      return emit(PREFIX_ONLY_ROW, { mnemonic, prefixes, operands: [] }, ctx) as EncodeResult;
    }
    return { ok: false, error: `unrecognised instruction \`${req.mnemonic}'` };
  }
  if (req.operands.length > 5) return { ok: false, error: MESSAGES[Fail.InvalidOperands] as string };
  // Byte registers that exist only with REX (spl…dil) are refused outside 64-bit
  // mode once a row matches; rows flagged `norex` take them as plain 4…7.
  // A `seg:off` pointer is only an operand of the far JMP/CALL forms; for any
  // other instruction NASM reads the colon as a misplaced segment override.
  if (hasFarPointer(req.operands) && !rows.some((r) => r.operands.some((t) => t.kind === 'far'))) {
    return { ok: false, error: 'invalid segment override' };
  }
  // NASM sizes an address by its registers before it looks at the rows: a
  // 64-bit register outside BITS 64, or a 16-bit one in it, fails every form.
  for (const o of req.operands) {
    if (o.kind !== 'mem') continue;
    const shape = vectorIndex(o) ? vsibShapeError(o) : null;
    if (shape) return { ok: false, error: shape };
    if (addressRegistersClash(o, ctx.bits)) return { ok: false, error: 'impossible combination of address sizes' };
  }
  const shared = sharedSize(req.operands);
  // `asp` is a32 in BITS 64 (measured: `asp mov al,[0x12]` takes the moffs form as `a32` does, 67 A0).
  lineState.addr32Written = req.prefixes.includes('a32') || (ctx.bits === 64 && req.prefixes.includes('asp'));
  lineState.opsHaveReg = req.operands.some((o) => o.kind === 'reg');
  const level = cpuLevel(ctx.cpu);
  for (let i = 0; i < 5; i++) forcedSizes[i] = 0;
  let firstError: Fail = Fail.None;
  for (let attempt = 0; attempt < 2; attempt++) {
    for (let i = 0; i < 5; i++) missingMask[i] = longMissingMask[i] = evexMissingMask[i] = 0;
    let best: Fail = Fail.None;
    let anyMissing = false;
    for (const row of rows) {
      let f = matchRow(row, req, ctx, shared);
      if (row.pre386 && level >= 3) continue;
      // A size guessed for the memory operand of a 64-bit row whose only other 64-bit
      // hint is an immediate (`add [rbx],qword 1`) is no guess for NASM (measured).
      if (
        f === Fail.None &&
        attempt === 1 &&
        row.long &&
        !lineState.opsHaveReg &&
        row.operands.some((t) => t.kind === 'imm')
      )
        return { ok: false, error: MESSAGES[Fail.SizeMissing] as string };
      // A 64-bit-only row above the cpu level is a cpu-level failure first (`push dword 5` under `cpu 286`).
      if (f === Fail.None && row.long && ctx.bits !== 64) f = rowLevel(row, req) > level ? Fail.BadCpu : Fail.BadMode;
      else if (f === Fail.None && row.noLong && ctx.bits === 64) f = Fail.BadMode;
      else if (f === Fail.None && rowLevel(row, req) > level) f = Fail.BadCpu;
      if (f !== Fail.None) {
        if (f === Fail.SizeMissing) anyMissing = true;
        if (f > best) best = f;
        continue;
      }
      const result = emit(row, req, ctx);
      if (result === null) continue; // optimiser's short form does not reach: try the next row
      if (!result.ok) lastFailedRow = row;
      lastRow = row;
      return result;
    }
    firstError = best;
    if (!anyMissing || attempt === 1) break;
    // NASM's fuzzy size rule: an unsized memory operand gets the size if exactly one size is possible.
    let unique = true;
    for (let i = 0; i < req.operands.length; i++) {
      const mask = (missingMask[i] as number) || (longMissingMask[i] as number) || (evexMissingMask[i] as number);
      if (mask === 0) continue;
      if ((mask & (mask - 1)) !== 0) unique = false;
      forcedSizes[i] = SIZE_OF_BIT[31 - Math.clz32(mask)] as number;
    }
    if (!unique) break;
  }
  const err = firstError === Fail.None ? Fail.InvalidOperands : firstError;
  // `mov near dword [x],1`: nasm keeps `near`/`short` on memory where the size goes, so with an
  // immediate of no size and no register the operation has none (measured; otherwise a mismatch).
  if (err === Fail.SizeMismatch && nearMemoryWithUnsizedImmediate(req.operands))
    return { ok: false, error: MESSAGES[Fail.SizeMissing] as string };
  // A written address size against the address's registers is refused before the rows are
  // looked at: it wins over every matching failure (measured: `a32 {rex} vaddps xmm1,xmm2,[rax]`
  // and `a16 add eax,[eax],1` are "impossible combination of address sizes").
  // (and alone: no row took the line, so nasm has nothing more to say about the address)
  if (addressPrefixClash(req, ctx.bits))
    return { ok: false, error: 'impossible combination of address sizes', followUps: [] };
  return { ok: false, error: failureMessage(err, ctx.bits, req.prefixes) };
}

function addressPrefixClash(req: InstructionRequest, bits: number): boolean {
  let written = 0;
  for (const p of req.prefixes) {
    if (p === 'a16') written = 16;
    else if (p === 'a32') written = 32;
    else if (p === 'a64') written = 64;
    else if (p === 'asp') written = bits === 32 ? 16 : 32;
  }
  if (written === 0) return false;
  return req.operands.some((o) => {
    if (o.kind !== 'mem' || vectorIndex(o)) return false;
    const implied = impliedAddressSize(o, bits);
    return implied > 0 && implied !== written && o.registers.some((r) => r.scale !== 0);
  });
}

function nearMemoryWithUnsizedImmediate(operands: readonly Operand[]): boolean {
  const nearMemory = operands.some((o) => o.kind === 'mem' && (o.distance === 'near' || o.distance === 'short'));
  if (!nearMemory || operands.some((o) => o.kind === 'reg')) return false;
  return operands.some((o) => o.kind === 'imm' && o.size === null && o.farSegment === null);
}

function hasFarPointer(operands: readonly Operand[]): boolean {
  for (const o of operands) if (o.kind === 'imm' && o.farSegment !== null) return true;
  return false;
}

function addressRegistersClash(mem: MemoryOperand, bits: number): boolean {
  return mem.registers.some((r) => r.scale !== 0 && (bits === 64 ? r.reg.cls === 'gpr16' : r.reg.cls === 'gpr64'));
}

/** The errors of a matched row, which nasm still reports after a prefix error of its parser. */
const AFTER_PARSE_ERRORS = new Set([
  'impossible combination of address sizes',
  'invalid operands in non-64-bit mode',
  'cannot use high byte register in rex instruction',
]);

/**
 * An address-size prefix the mode cannot have (a64 outside BITS 64, a16 in it): nasm refuses it
 * before it looks at the rows, whatever else is wrong with the line (measured: `{rex} a64
 * pmulhw xmm4,xmm6` and `bnd a64 add eax,[ebx]` in BITS 32 give only "impossible combination of
 * address sizes").
 */
function addressPrefixOutsideMode(prefixes: readonly string[], bits: number): 'a16' | 'a64' | null {
  if (bits === 64) return prefixes.includes('a16') ? 'a16' : null;
  return prefixes.includes('a64') ? 'a64' : null;
}

/**
 * What nasm says next about a line whose address-size prefix the mode cannot have: nothing when
 * no row takes the rest of the line; its REX complaint outside BITS 64 (`o64 a64 add eax,[ebx]`,
 * `a64 add r8d,1`: "invalid operands in non-64-bit mode"); else the address: registers of a size
 * the prefix cannot go with are "invalid N-bit effective address" (BITS 16: 32/64-bit ones,
 * BITS 32: 64-bit ones, BITS 64: 16/32-bit ones), anything else, no address included, the
 * mode's own complaint (measured: `a64 add eax,ebx` in BITS 32 "64-bit addressing is only
 * supported in 64-bit mode", `a16 add eax,[rbx+4]` in BITS 64 "16-bit addressing is not
 * supported in 64-bit mode", `a64 add eax,[ebx+4]` in BITS 16 "invalid 16-bit effective address").
 */
function addressFollowUp(rest: EncodeResult, req: InstructionRequest, bits: number): string {
  const rexRefused = !rest.ok && rest.error === 'invalid operands in non-64-bit mode';
  const addressRefused =
    !rest.ok &&
    (rest.error === 'impossible combination of address sizes' ||
      /^invalid \d+-bit effective address$/.test(rest.error));
  if (!rest.ok && !rexRefused && !addressRefused) return '';
  // The address comes first (`a64 o64 add eax,[ebx]` in BITS 16: "invalid 16-bit effective address").
  const badSizes = bits === 16 ? ['gpr32', 'gpr64'] : bits === 32 ? ['gpr64'] : ['gpr16', 'gpr32'];
  const invalid = req.operands.some(
    (o) => o.kind === 'mem' && o.registers.some((r) => r.scale !== 0 && badSizes.includes(r.reg.cls)),
  );
  if (invalid) return `invalid ${bits}-bit effective address`;
  if (rexRefused) return 'invalid operands in non-64-bit mode';
  return bits === 64
    ? '16-bit addressing is not supported in 64-bit mode'
    : '64-bit addressing is only supported in 64-bit mode';
}
