/**
 * The generic encoder: picks the first table row whose operand types match
 * (NASM's rule), then walks that row's codes to produce bytes and fixups.
 * There is no per-mnemonic code here: behaviour lives in the table.
 */
import { addressSizesClash } from './address-size.js';
import { emit } from './emit.js';
import { isPrefixName, isReservedSegment, parsedPrefixErrors, RESERVED_SEGMENT_PREFIX } from './prefixes.js';
import { vectorIndex, vsibShapeError } from './vsib.js';
import { parseRow, ROWS_BY_MNEMONIC, type Row } from './table.js';
import type {
  EncodeContext,
  EncodeFailure,
  EncodeResult,
  InstructionRequest,
  MemoryOperand,
  Operand,
} from './types.js';
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
  plainLine,
  rowLevel,
  rowRefuses,
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
  const parsed = mayHavePrefixErrors(req) ? parsedPrefixErrors(req.prefixes, req.operands) : null;
  if (parsed !== null && parsed.messages.length > 0) {
    lastFailedRow = null;
    const rest = encode({ ...req, prefixes: parsed.resolved, operands: parsed.resolvedOperands }, ctx);
    // After these nasm's first pass goes on with the line: what it reports next is what that
    // pass reports, never a failure to match a row (a final-pass error): the address's
    // warnings and errors, the clash of address sizes, registers and REX, a {vex2} a VEX row
    // cannot honour (measured: `fs bnd mov eax,[gs:ebx]`, `{vex3} {vex2} add eax,ebx` and
    // `add [gs:ebx],[es:ebx]` give the conflict alone; `fs a64 mov eax,[gs:ebx]` adds the clash
    // and its follow-up, `fs gs add eax,[esp*2]` "invalid 32-bit effective address", `fs gs add
    // eax,[byte 5]` the ea-dispsize warning, `{rex} {vex2} vpminud xmm3,[0x1234]` "not
    // encodable with {vex2}": VPMINUD needs a 3-byte VEX). The line keeps the length that
    // gives it (-Lp lists `fs mov eax,[gs:ebx]` as `<len 3h>`).
    const addressWarnings = (rest.warnings ?? []).filter((w) => w.phase === 'address');
    const vexStage =
      !rest.ok &&
      rest.error === 'instruction not encodable with {vex2} prefix' &&
      (lastFailedRow as Row | null)?.vex != null;
    const passOne = rest.ok || vexStage || reportedAfterParseError(rest.error);
    const after = !passOne
      ? []
      : rest.ok
        ? addressWarnings
        : [...addressWarnings, rest.error, ...(rest.followUps ?? [])];
    const failure: EncodeFailure = {
      ok: false,
      error: parsed.messages[0] as string,
      followUps: [...parsed.messages.slice(1), ...after],
    };
    const length = rest.ok ? rest.bytes.length : rest.length;
    if (passOne && length !== undefined) failure.length = length;
    return failure;
  }
  if (!rows) {
    if ((isPrefixName(mnemonic) || isReservedSegment(mnemonic)) && req.operands.length === 0) {
      const prefixes = [...req.prefixes, mnemonic];
      // `{rex}` asks for a REX byte on an instruction, and a line of prefixes has none: nasm 2.16.01
      // refuses it outside BITS 64 and panics in it (measured: `{rex} rep`, `rep {rex}`); refused in every mode.
      if (prefixes.includes('{rex}')) return { ok: false, error: 'instruction not encodable with {rex} prefix' };
      // Conflicting words: nasm's parser reports each and writes the last of each slot (-Lp lists
      // `rep repne` as `<len 1h>`).
      const parsedWords = parsedPrefixErrors(prefixes, []);
      if (parsedWords.resolved.some(isReservedSegment)) {
        const messages = [...parsedWords.messages, RESERVED_SEGMENT_PREFIX];
        return { ok: false, error: messages[0] as string, followUps: messages.slice(1) };
      }
      const written = emit(PREFIX_ONLY_ROW, { mnemonic, prefixes: parsedWords.resolved, operands: [] }, ctx);
      if (parsedWords.messages.length === 0 || written === null) return written as EncodeResult;
      const failure: EncodeFailure = {
        ok: false,
        error: parsedWords.messages[0] as string,
        followUps: parsedWords.messages.slice(1),
      };
      if (written.ok) failure.length = written.bytes.length;
      return failure;
    }
    return { ok: false, error: `unrecognised instruction \`${req.mnemonic}'` };
  }
  if (reservedSegmentWritten(req)) {
    // nasm still sizes the line without that segment (-Lp lists `segr6 nop` as `<len 1h>`).
    const failure: EncodeFailure = { ok: false, error: RESERVED_SEGMENT_PREFIX };
    const without = encode(
      {
        ...req,
        prefixes: req.prefixes.filter((p) => !isReservedSegment(p)),
        operands: req.operands.map((o) =>
          o.kind === 'mem' && o.segment !== null && o.segment.num >= 6 ? { ...o, segment: null } : o,
        ),
      },
      ctx,
    );
    if (without.ok) failure.length = without.bytes.length;
    return failure;
  }
  if (req.operands.length > 5) return { ok: false, error: MESSAGES[Fail.InvalidOperands] as string };
  // Byte registers that exist only with REX (spl…dil) are refused outside 64-bit
  // mode once a row matches; rows flagged `norex` take them as plain 4…7.
  // A `seg:off` pointer is only an operand of the far JMP/CALL forms; for any
  // other instruction NASM reads the colon as a misplaced segment override.
  if (hasFarPointer(req.operands) && !rows.some((r) => r.operands.some((t) => t.kind === 'far'))) {
    return { ok: false, error: 'invalid segment override' };
  }
  // What nasm finds wrong with an address's registers as it reads them, before anything else
  // (measured: `a16 add eax,[ebx+eax+esi],1` is "invalid effective address: too many registers").
  for (const o of req.operands) {
    if (o.kind !== 'mem') continue;
    const shape = vectorIndex(o) ? vsibShapeError(o) : addressRegistersError(o);
    if (shape) return { ok: false, error: shape };
  }
  // nasm agrees the address size before it looks at the rows (address-size.ts): when nothing is
  // left its first pass says "impossible combination of address sizes" and stops there, so a line
  // no row takes gets that message alone (a failure to match is a final-pass error).
  const addressClash = addressSizesClash(req, ctx.bits);
  const shared = sharedSize(req.operands);
  // `asp` is a32 in BITS 64 (measured: `asp mov al,[0x12]` takes the moffs form as `a32` does, 67 A0).
  lineState.addr32Written = req.prefixes.includes('a32') || (ctx.bits === 64 && req.prefixes.includes('asp'));
  lineState.opsHaveReg = hasRegister(req.operands);
  lineState.addressClash = addressClash;
  const level = cpuLevel(ctx.cpu);
  for (let i = 0; i < 5; i++) forcedSizes[i] = 0;
  let firstError: Fail = Fail.None;
  const plain = plainLine(req);
  for (let attempt = 0; attempt < 2; attempt++) {
    for (let i = 0; i < 5; i++) missingMask[i] = longMissingMask[i] = evexMissingMask[i] = 0;
    let best: Fail = Fail.None;
    let anyMissing = false;
    for (const row of rows) {
      // (A row refused here is one matchRow calls an invalid combination: nothing below changes.)
      if (plain && rowRefuses(row, req.operands)) continue;
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
      const result = emit(row, req, ctx, addressClash);
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
  if (
    err === Fail.SizeMismatch &&
    (nearMemoryWithUnsizedImmediate(req.operands) ||
      unsizedMemoryWithDistancedImmediate(req.operands) ||
      oddlySizedMemoryWithUnsizedImmediate(req.operands))
  )
    return { ok: false, error: MESSAGES[Fail.SizeMissing] as string };
  // (measured: `mov rax,[qword 5]`, `a16 add eax,[ebx],1`, `a32 {rex} vaddps xmm1,xmm2,[rax]` in
  // BITS 32, `a16 {evex} hint_nop62 dword [dword 5]`: only "impossible combination of address sizes")
  if (addressClash) return { ok: false, error: 'impossible combination of address sizes', followUps: [] };
  return { ok: false, error: failureMessage(err, ctx.bits, req.prefixes) };
}

/**
 * nasm reads an address's registers term by term as written (measured): an unscaled one is the
 * base if there is none yet, else the index; a third is "too many registers", but a second scaled
 * one while there is no base is "two index registers" (`[eax*2+ebx*2+ecx]`, even under a size
 * that matches no row: `mov eax,word [eax*2+ebx*2]`).
 */
function addressRegistersError(mem: MemoryOperand): string | null {
  let base = false;
  let index = false;
  for (const r of mem.registers) {
    if (r.scale === 0) continue;
    if (r.scale === 1 && !base) base = true;
    else if (!index) index = true;
    else if (base) return 'invalid effective address: too many registers';
    else return 'invalid effective address: two index registers';
  }
  return null;
}

function nearMemoryWithUnsizedImmediate(operands: readonly Operand[]): boolean {
  const nearMemory = operands.some((o) => o.kind === 'mem' && (o.distance === 'near' || o.distance === 'short'));
  if (!nearMemory || operands.some((o) => o.kind === 'reg')) return false;
  return operands.some((o) => o.kind === 'imm' && o.size === null && o.farSegment === null);
}

/**
 * `mov [eax], short 5`, `mov [eax], dword near 5`: an immediate with a distance lends the memory
 * operand no size (not even the one written beside the distance), so with no register the
 * operation has none (measured; `imul eax,[eax],short 5` and `mov byte [eax],short 5` are mismatches).
 */
function unsizedMemoryWithDistancedImmediate(operands: readonly Operand[]): boolean {
  if (!operands.some((o) => o.kind === 'imm' && o.distance !== null && o.farSegment === null)) return false;
  if (operands.some((o) => o.kind === 'reg')) return false;
  return operands.some((o) => o.kind === 'mem' && o.size === null && o.distance === null);
}

/**
 * `add tword [eax],5`, `mov oword [eax],5`: memory of a size no integer operation has, beside an
 * immediate of no size and no register: nasm finds the operation's size missing, not mismatched
 * (measured; `cmp tword [eax],byte 1` and `add tword [eax],eax` are mismatches).
 */
function oddlySizedMemoryWithUnsizedImmediate(operands: readonly Operand[]): boolean {
  if (operands.some((o) => o.kind === 'reg')) return false;
  if (!operands.some((o) => o.kind === 'imm' && o.size === null && o.distance === null && o.farSegment === null))
    return false;
  return operands.some((o) => o.kind === 'mem' && o.size !== null && o.size > 8);
}

/**
 * Whether parsedPrefixErrors can find anything: with no prefix word, only a second memory
 * operand with its own segment override can (most lines have neither: no tables built for them).
 */
function mayHavePrefixErrors(req: InstructionRequest): boolean {
  if (req.prefixes.length > 0) return true;
  let overrides = 0;
  for (const o of req.operands) if (o.kind === 'mem' && o.segment !== null) overrides++;
  return overrides > 1;
}

function hasRegister(operands: readonly Operand[]): boolean {
  for (const o of operands) if (o.kind === 'reg') return true;
  return false;
}

function hasFarPointer(operands: readonly Operand[]): boolean {
  for (const o of operands) if (o.kind === 'imm' && o.farSegment !== null) return true;
  return false;
}

/** The errors of a matched row, which nasm still reports after a prefix error of its parser (its first pass's). */
function reportedAfterParseError(message: string): boolean {
  return AFTER_PARSE_ERRORS.has(message) || /^invalid (?:effective address|\d+-bit effective address)/.test(message);
}

/** `segr6 nop`, `mov eax,[segr7:ebx]`: a reserved segment register as the line's segment (a plain loop: every line asks). */
function reservedSegmentWritten(req: InstructionRequest): boolean {
  for (const p of req.prefixes) if (isReservedSegment(p)) return true;
  for (const o of req.operands) if (o.kind === 'mem' && o.segment !== null && o.segment.num >= 6) return true;
  return false;
}

const AFTER_PARSE_ERRORS = new Set([
  RESERVED_SEGMENT_PREFIX,
  'impossible combination of address sizes',
  'invalid operands in non-64-bit mode',
  'cannot use high byte register in rex instruction',
  'cannot use high register in AVX instruction',
  'instruction cannot use high registers',
  'broadcast not allowed with register operand',
]);
