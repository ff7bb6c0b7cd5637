/**
 * The generic encoder: picks the first table row whose operand types match
 * (NASM's rule), then walks that row's codes to produce bytes and fixups.
 * There is no per-mnemonic code here: behaviour lives in the table.
 */
import { isPlainNumber, makeValue, type Value } from '../core/value.js';
import { encodeEffectiveAddress, forceSib, impliedAddressSize, newEffectiveAddress } from './ea.js';
import { isLeadingPrefixByte, regOpIsCreg, registerRex, REX_R, REX_W } from './rex.js';
import { displacementWarning, ignoredSegmentWarning, resolveRipRelative, wantsRipRelative } from './rip.js';
import { evexPrefix } from './evex.js';
import { encodeVsib, vectorIndex, vsibShapeError } from './vsib.js';
import { mibAddress } from './mib.js';
import {
  ENCODING_PREFIXES,
  encodingPrefix,
  encodingPrefixError,
  vexFields,
  vexRegisterRex,
  writeVexPrefix,
} from './vex.js';
import { CodeOp, parseRow, ROWS_BY_MNEMONIC, type Row, type TemplateOperand } from './table.js';
import type {
  EncodeContext,
  EncodeResult,
  EncodeWarning,
  WarningPhase,
  Fixup,
  InstructionRequest,
  MemoryOperand,
  Operand,
  RegisterOperand,
} from './types.js';
import {
  cpuLevel,
  defaultAddrSize,
  defaultOpSize,
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

const SEGMENT_PREFIX: Record<string, number> = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64, gs: 0x65 };
const LOCK_REP_PREFIX: Record<string, number> = {
  lock: 0xf0,
  rep: 0xf3,
  repe: 0xf3,
  repz: 0xf3,
  repne: 0xf2,
  repnz: 0xf2,
  xacquire: 0xf2,
  xrelease: 0xf3,
  bnd: 0xf2,
};
const OTHER_PREFIXES = new Set(['o16', 'o32', 'o64', 'a16', 'a32', 'a64', 'wait', 'nobnd', 'asp', 'osp']);

/**
 * Every prefix name, in one Set: the parser asks about every label, and `name in object`
 * internalizes each new string (hundreds of thousands of label names), which Set.has does not.
 */
const PREFIX_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(SEGMENT_PREFIX),
  ...Object.keys(LOCK_REP_PREFIX),
  ...OTHER_PREFIXES,
  ...ENCODING_PREFIXES,
]);

export function isPrefixName(name: string): boolean {
  return PREFIX_NAMES.has(name);
}

/** Per-call scratch state, reused to keep the hot path allocation-light. */
const scratch = new Uint8Array(64);
const ea = newEffectiveAddress(makeValue(0n, null, false, null, false));
/** The row the encoder uses for `req` (for the table tests), or null on error. */
export function chooseRow(req: InstructionRequest, ctx: EncodeContext): Row | null {
  lastRow = null;
  const r = encode(req, ctx);
  return r.ok ? lastRow : null;
}
let lastRow: Row | null = null;

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
  if (!rows) {
    if (isPrefixName(mnemonic) && req.operands.length === 0) {
      return emit(
        PREFIX_ONLY_ROW,
        { mnemonic, prefixes: [...req.prefixes, mnemonic], operands: [] },
        ctx,
      ) as EncodeResult;
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
  lineState.addr32Written = req.prefixes.includes('a32');
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
  return { ok: false, error: failureMessage(err, ctx.bits, req.prefixes) };
}

function hasFarPointer(operands: readonly Operand[]): boolean {
  for (const o of operands) if (o.kind === 'imm' && o.farSegment !== null) return true;
  return false;
}

function addressRegistersClash(mem: MemoryOperand, bits: number): boolean {
  return mem.registers.some((r) => r.scale !== 0 && (bits === 64 ? r.reg.cls === 'gpr16' : r.reg.cls === 'gpr64'));
}

/** NASM's prefix slots: two different names in one slot (`rep repe`, `es fs`, `o16 o32`) conflict. */
function prefixSlot(pfx: string): string {
  if (pfx in SEGMENT_PREFIX) return 'seg';
  if (pfx === 'o16' || pfx === 'o32' || pfx === 'o64' || pfx === 'osp') return 'osize';
  if (pfx === 'a16' || pfx === 'a32' || pfx === 'a64' || pfx === 'asp') return 'asize';
  if (pfx in LOCK_REP_PREFIX && pfx !== 'lock') return 'rep';
  if (ENCODING_PREFIXES.has(pfx)) return 'encoding';
  return pfx;
}

function conflictingPrefixes(prefixes: readonly string[]): boolean {
  for (let i = 0; i < prefixes.length; i++) {
    for (let j = i + 1; j < prefixes.length; j++) {
      const a = prefixes[i] as string;
      const b = prefixes[j] as string;
      if (a !== b && prefixSlot(a) === prefixSlot(b)) return true;
    }
  }
  return false;
}

function absoluteAddress(value: Value): MemoryOperand {
  return {
    kind: 'mem',
    size: null,
    strict: false,
    segment: null,
    registers: [],
    displacement: value,
    hasDisplacement: true,
    displacementSize: null,
    nosplit: false,
    relative: null,
  };
}

function writeLE(buf: Uint8Array, at: number, n: bigint, width: number): void {
  let v = BigInt.asUintN(width * 8, n);
  for (let k = 0; k < width; k++) {
    buf[at + k] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** One `number-overflow` warning (nasm's "… exceeds bounds"), reported in `phase`. */
function overflowWarning(warnings: EncodeWarning[], message: string, phase: WarningPhase): void {
  warnings.push({ message, warningClass: 'number-overflow', phase });
}

/**
 * nasm's warnings on a sign-extended byte immediate of an `opSize`-bit operation (measured).
 * Written `byte`: a value that is neither a signed byte nor one in the operation's width
 * (`add ax,byte 0xffff` is fine, `0xffffffff` is not). Chosen by the optimiser (whose
 * value already fits once cut to the operation's width): the operation's own range.
 */
function signedByteWarning(n: bigint, opSize: number, written: boolean, warnings: EncodeWarning[]): void {
  const warn = (message: string): void => {
    overflowWarning(warnings, message, 'write');
  };
  if (written) {
    const t = BigInt.asIntN(64, n);
    const top = 1n << BigInt(Math.min(opSize, 64));
    const small = (t >= -128n && t <= 127n) || (opSize < 64 && t >= top - 128n && t < top);
    if (!small) warn('signed byte value exceeds bounds');
  } else if (opSize === 64) {
    const t = BigInt.asIntN(64, n);
    if (t < -(1n << 31n) || t >= 1n << 31n) warn('signed dword value exceeds bounds');
  } else {
    rangeWarning(n, opSize / 8, warnings, 'value');
    const t = BigInt.asIntN(opSize, n);
    if (t < -128n || t > 127n) warn('signed byte value exceeds bounds');
  }
}

/**
 * nasm's range check on an address field that is neither signed nor unsigned (a 16/32-bit
 * address's displacement or moffs): anything from -2^bits to 2^bits - 1 passes (measured).
 */
function generalRangeWarning(n: bigint, width: number, phase: WarningPhase, warnings: EncodeWarning[]): void {
  const limit = 1n << BigInt(width * 8);
  if (n < -limit || n >= limit) overflowWarning(warnings, `${WIDTH_NAME[width]} data exceeds bounds`, phase);
}

/** nasm's check on a field the CPU sign-extends (a label's disp32 or rel32 in 64-bit code), reported once. */
function signedRangeWarning(n: bigint, width: number, warnings: EncodeWarning[]): void {
  const limit = 1n << BigInt(width * 8 - 1);
  if (n < -limit || n >= limit) overflowWarning(warnings, `${WIDTH_NAME[width]} data exceeds bounds`, 'write');
}

/** A symbol plus a number (no wrt, no segment base, no difference of labels): its offset is the field's addend. */
function isSimpleRelocatable(v: Value): boolean {
  return (
    !v.unknown &&
    v.base !== null &&
    v.wrt === null &&
    !v.segmentOf &&
    (v.minusBase ?? null) === null &&
    !v.complex &&
    !v.scaled
  );
}

/**
 * `a32 mov rbx,[qword x]` in BITS 64: a register-free address whose qword displacement size
 * yields to the a32 prefix (nasm warns "displacement size ignored on absolute address").
 */
function qwordAbsoluteUnderA32(mem: MemoryOperand, bits: number, prefixAddr: number): boolean {
  return bits === 64 && prefixAddr === 32 && mem.displacementSize === 8 && !mem.registers.some((r) => r.scale !== 0);
}

const WIDTH_NAME: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

/**
 * nasm's checks on a 16/32-bit address's disp8 (measured, br2496848). A value outside the address
 * size's range, or not a signed byte once cut to it (`[byte eax+0xff]`, `[eax+0x1ffffffff]`),
 * warns while the address is built, so in both halves of the final pass; otherwise a value that is
 * itself no signed byte (`[eax+0xffffff80]`, cut to -128) warns once, when the field is written.
 */
function disp8Warnings(n: bigint, addrSize: number, warnings: EncodeWarning[]): void {
  const warn = (phase: WarningPhase): void => {
    overflowWarning(warnings, 'byte data exceeds bounds', phase);
  };
  const limit = 1n << BigInt(addrSize);
  const cut = BigInt.asIntN(addrSize, n);
  if (n < -limit || n >= limit || cut < -128n || cut > 127n) warn('address');
  else if (n < -128n || n > 127n) warn('write');
}

/**
 * Range warning NASM gives for a plain number stored in a field of `width` bytes: a field that
 * wraps (a plain `ib`/`iw`) takes -2^n … 2^n-1, an unsigned one (`ib,u`) -2^(n-1) … 2^n-1.
 */
function rangeWarning(n: bigint, width: number, warnings: EncodeWarning[], what: string, wraps = false): void {
  const bits = BigInt(width * 8);
  if (n < -(1n << (wraps ? bits : bits - 1n)) || n >= 1n << bits) {
    overflowWarning(warnings, `${WIDTH_NAME[width]} ${what} exceeds bounds`, 'write');
  }
}

/**
 * Produces the bytes for a matched row, or null when the row is an optimiser
 * short-branch form whose target turns out to be out of reach.
 */
function emit(written: Row, req: InstructionRequest, ctx: EncodeContext): EncodeResult | null {
  // A row's shorter form (`vaddps xmm1,xmm2`): the first operand stands in for the one left out.
  const row = written.full ?? written;
  const ops = written.full
    ? [...req.operands.slice(0, written.omitted), req.operands[0] as Operand, ...req.operands.slice(written.omitted)]
    : req.operands;
  const bits = ctx.bits;
  for (const o of ops) {
    // NASM lets an /is4 register be xmm8…15 in any mode (its top bit is just the imm8's bit 7).
    if (o.kind !== 'reg' || (row.is4Index >= 0 && o === ops[row.is4Index])) continue;
    // PINSRB (`norex`) takes spl…dil as plain 4…7 and refuses ah…bh.
    const byteRexFree = (row.noRex || row.vex !== null) && o.reg.cls === 'gpr8' && o.reg.num < 8;
    // VPINSRB's byte register: VEX has no REX to tell ah…bh from spl…dil.
    if (byteRexFree && row.vex !== null && o.reg.num >= 4 && !o.reg.needsRex)
      return { ok: false, error: 'cannot use high register in AVX instruction' };
    if (byteRexFree && o.reg.num >= 4 && !o.reg.needsRex)
      return { ok: false, error: 'instruction cannot use high registers' };
    if (o.reg.needsRex && !byteRexFree && bits !== 64)
      return { ok: false, error: 'invalid operands in non-64-bit mode' };
  }
  if (row.rexW && bits !== 64) return { ok: false, error: 'invalid operands in non-64-bit mode' };
  const warnings: EncodeWarning[] = [];
  const fixups: Fixup[] = [];
  let p = 0;
  const buf = scratch;

  // Operand and address size prefixes.
  // `osopt` rows (MOV sreg,r16/r32) carry their o16/o32 only below -Ox (measured: `mov ss,cx` is 66 8E D1 at -O1, 8E D1 at -Ox).
  let opSize: number = row.osBelowOx && ctx.optimize === 2 ? 0 : row.opSize;
  let addrSize: number = row.addrSize || 0;
  let segment: string | null = null;
  let need66 = opSize !== 0 && opSize !== 64 && opSize !== defaultOpSize(bits);
  let rexW = bits === 64 && opSize === 64 && !row.noRexW;
  const encodingWanted = encodingPrefix(req.prefixes);
  // (EVEX rows: `{evex}` fits, `{vex…}` was refused while matching: evex-match.ts.)
  const encodingError = row.evex ? null : encodingPrefixError(row, encodingWanted);
  if (encodingError) return { ok: false, error: encodingError };
  let prefixAddr = 0;
  for (const pfx of req.prefixes) {
    // An operand-size prefix against the size the instruction itself implies (`o16 lodsd`): nasm warns.
    if (
      (pfx === 'o16' && opSize === 32) ||
      (pfx === 'o32' && opSize === 16) ||
      (pfx === 'o64' && (opSize === 16 || opSize === 32))
    ) {
      warnings.push({ message: `invalid operand size prefix, must be o${opSize}`, warningClass: 'prefix-opsize' });
    }
    // `osp` is a bare 0x66 (measured): nasm warns whenever the instruction has a size of its own.
    if (pfx === 'osp' && (opSize === 16 || opSize === 32))
      warnings.push({ message: `invalid operand size prefix, must be o${opSize}`, warningClass: 'prefix-opsize' });
    if (pfx === 'osp') need66 = true;
    // `asp` is the other address size: a16 in BITS 32, a32 in BITS 16 and 64.
    else if (pfx === 'asp') prefixAddr = bits === 32 ? 16 : 32;
    else if (pfx === 'o16') need66 = bits !== 16;
    else if (pfx === 'o32') need66 = bits === 16;
    else if (pfx === 'o64') {
      if (bits !== 64) return { ok: false, error: 'invalid operands in non-64-bit mode' };
      rexW = true;
    } else if (pfx === 'a16') prefixAddr = 16;
    else if (pfx === 'a32') prefixAddr = 32;
    else if (pfx === 'a64') prefixAddr = 64;
    else if (pfx in SEGMENT_PREFIX) segment = pfx;
  }
  if (prefixAddr === 16 && bits === 64) return { ok: false, error: 'impossible combination of address sizes' };
  if (prefixAddr === 64 && bits !== 64) return { ok: false, error: 'impossible combination of address sizes' };
  if (opSize === 0) opSize = rexW ? 64 : need66 ? (bits === 16 ? 32 : 16) : defaultOpSize(bits);

  const rmWritten = row.rmIndex >= 0 ? (ops[row.rmIndex] as Operand) : null;
  // A bare number in the r/m place (`lea eax,5`) is NASM's absolute address [5].
  const rmOp: RegisterOperand | MemoryOperand | null =
    rmWritten && rmWritten.kind === 'imm' ? absoluteAddress(rmWritten.value) : rmWritten;
  const memOp: MemoryOperand | null = rmOp && rmOp.kind === 'mem' ? rmOp : null;
  const natural = defaultAddrSize(bits);
  ea.rex = 0;
  ea.ripRelative = false;
  const vsibTemplate = row.rmIndex >= 0 && (row.operands[row.rmIndex] as TemplateOperand).vsib !== null;
  if (memOp && vectorIndex(memOp)) {
    // A gather's VSIB address (vsib.ts); on any other row a vector index is an invalid address.
    if (!vsibTemplate) return { ok: false, error: `invalid ${bits}-bit effective address` };
    if (bits !== 64 && memOp.registers.some((r) => r.scale !== 0 && r.reg.needsRex))
      return { ok: false, error: 'invalid operands in non-64-bit mode' };
    const err = encodeVsib(memOp, bits, ea);
    if (err) return { ok: false, error: err };
    addrSize = ea.addrSize;
    if (memOp.segment) segment = memOp.segment.name;
  } else if (memOp) {
    const implied = impliedAddressSize(memOp, bits);
    if (implied === -1) return { ok: false, error: 'impossible combination of address sizes' };
    if (implied === -3) return { ok: false, error: `invalid ${bits}-bit effective address` };
    // `a16 mov eax,[eax]`: the prefix asks for one address size, the registers imply another.
    if (implied > 0 && prefixAddr !== 0 && implied !== prefixAddr && !qwordAbsoluteUnderA32(memOp, bits, prefixAddr))
      return { ok: false, error: 'impossible combination of address sizes' };
    if ((implied === 64) !== (bits === 64) && (implied === 64 || implied === 16))
      return { ok: false, error: 'impossible combination of address sizes' };
    addrSize =
      (prefixAddr === 32 && bits === 64 ? 32 : implied) || prefixAddr || (row.addrPrefixOnly ? 0 : addrSize) || natural;
    if (memOp.segment) segment = memOp.segment.name;
    if (bits === 64 && memOp.relative === 'rel' && memOp.registers.some((x) => x.scale !== 0))
      warnings.push({
        message: 'indirect address displacements cannot be RIP-relative',
        warningClass: 'other',
        phase: 'address',
      });
    const moffs = (row.operands[row.rmIndex] as TemplateOperand).moffs;
    if (!moffs) {
      const rip = bits === 64 && addrSize !== 16 && wantsRipRelative(memOp, ctx, segment, warnings);
      const address = (row.operands[row.rmIndex] as TemplateOperand).mib ? mibAddress(memOp, row, ops) : memOp;
      const err = encodeEffectiveAddress(address, addrSize as 16 | 32 | 64, bits, ea, rip);
      if (err) return { ok: false, error: err };
      if ((row.operands[row.rmIndex] as TemplateOperand).sib) forceSib(ea);
      // `[byte 5]` anywhere, `[qword 5]` in BITS 64: an absolute address takes its natural size (measured).
      const ds = memOp.displacementSize;
      if ((ds === 1 || (bits === 64 && ds === 8)) && !memOp.registers.some((r) => r.scale !== 0))
        warnings.push({
          message: 'displacement size ignored on absolute address',
          warningClass: 'ea-dispsize',
          phase: 'address',
        });
    }
  } else if (!addrSize) addrSize = prefixAddr || natural;
  else if (prefixAddr) addrSize = prefixAddr;
  if (bits === 64 && addrSize === 16) return { ok: false, error: 'impossible combination of address sizes' };
  // A row's own a16/a32 (MOVDIR64B's register size, ENQCMD's a16) asks for 67h
  // even when the memory operand implies the other size: NASM then emits one
  // 67h and encodes the address as written (measured: `movdir64b ax,[esi]` in
  // BITS 32 is 67 66 0F 38 F8 06).
  // es/cs/ss/ds overrides are emitted in BITS 64 but ignored by the CPU: NASM warns (`es movsb` too).
  if (bits === 64) ignoredSegmentWarning(segment, warnings);
  const need67 = addrSize !== natural || (memOp !== null && row.addrSize !== 0 && row.addrSize !== natural);

  // REX (BITS 64), or outside it the LOCK byte NASM uses for cr8 (`mov eax,cr8` is F0 0F 20 C0).
  const rexNeeds = registerRex(row, ops, ea.rex);
  // `{rex}` asks for a REX byte even when nothing needs one (NASM's 40h).
  if (req.prefixes.includes('{rex}')) rexNeeds.forced = true;
  let rex = rexNeeds.bits | (rexW ? REX_W : 0);
  if (bits !== 64) {
    if (rex & REX_R && regOpIsCreg(row, ops)) rex = -1;
    else rex = 0;
  } else if (rexNeeds.highByte && (rex !== 0 || rexNeeds.forced))
    return { ok: false, error: 'cannot use high byte register in rex instruction' };
  const rexByte = row.vex || row.evex ? -1 : rex > 0 || (bits === 64 && rexNeeds.forced) ? 0x40 | rex : -1;
  const vex = row.vex ? vexFields(row, ops, vexRegisterRex(row, ops, ea.rex), encodingWanted) : null;
  if (typeof vex === 'string') return { ok: false, error: vex };
  // EVEX rows: the prefix's fields, and the address's disp8*N compression (evex.ts).
  const evex = row.evex ? evexPrefix(row.evex, row, ops, ea, memOp, bits) : null;
  if (typeof evex === 'string') return { ok: false, error: evex };

  // Prefix bytes in NASM's order (measured): wait, the REP slot (rep/repne/…,
  // or an `rs` row's own F2/F3), lock, segment, 0x66, 0x67 — whatever order
  // they were written in. Two different prefixes for one slot are an error.
  if (conflictingPrefixes(req.prefixes)) return { ok: false, error: 'instruction has conflicting prefixes' };
  if (req.prefixes.length > 1 && new Set(req.prefixes).size !== req.prefixes.length)
    warnings.push({ message: 'instruction has redundant prefixes', warningClass: 'other' });
  // BND: only near branches take it; on JMP's short form NASM refuses an explicit
  // `short` and silently-short jumps lose the prefix with a warning.
  let dropBnd = false;
  if (req.prefixes.includes('bnd')) {
    const relOp = ops.find((o) => o.kind === 'imm');
    if (row.bndShort && relOp?.kind === 'imm' && relOp.distance !== 'short') {
      dropBnd = true;
      warnings.push({ message: 'jmp short does not init bnd regs - bnd prefix dropped', warningClass: 'prefix-bnd' });
    } else if (!row.bnd) return { ok: false, error: 'bnd prefix is not allowed' };
  }
  let repByte = -1;
  let lockWritten = false;
  for (const pfx of req.prefixes) {
    const b = LOCK_REP_PREFIX[pfx];
    if (b === undefined) continue;
    if (pfx === 'lock') {
      lockWritten = true;
      // NASM: LOCK is only meaningful on a lockable row with a memory destination.
      if (!row.lock || !memOp) warnings.push({ message: 'instruction is not lockable', warningClass: 'prefix-lock' });
    } else if (!(pfx === 'bnd' && dropBnd)) repByte = b;
  }
  // `default bnd` (measured): every near branch takes F2, even over a REP prefix; JMP's short
  // form silently goes without; `nobnd` opts out.
  if (ctx.defaultBnd === true && row.bnd && !req.prefixes.includes('nobnd')) repByte = LOCK_REP_PREFIX.bnd!;
  const hle = req.prefixes.find((x) => x === 'xacquire' || x === 'xrelease');
  if (hle) {
    // NASM's HLE checks: XCHG takes both alone, MOV-to-memory takes XRELEASE,
    // other lockable rows need LOCK with them, the rest take neither.
    let problem: string;
    if (!memOp) problem = 'invalid with this instruction';
    else if (row.hle === 'x') problem = '';
    else if (row.hle === 'r') problem = hle === 'xacquire' ? 'invalid with this instruction' : '';
    else if (row.lock) problem = lockWritten ? '' : 'with this instruction requires lock';
    else problem = 'invalid with this instruction';
    if (problem) warnings.push({ message: `${hle} ${problem}`, warningClass: 'prefix-hle' });
  }
  const repWritten = repByte >= 0;
  const firstCode = row.codes[0];
  if (!repWritten && row.repSlot && firstCode) repByte = firstCode.value;
  if (row.wait || req.prefixes.includes('wait')) buf[p++] = 0x9b;
  if (repByte >= 0) buf[p++] = repByte;
  if (lockWritten || rex === -1) buf[p++] = 0xf0;
  if (segment) buf[p++] = SEGMENT_PREFIX[segment] as number;
  if (need66) buf[p++] = 0x66;
  if (need67) buf[p++] = 0x67;
  if (evex) for (const b of evex) buf[p++] = b;
  if (vex) p = writeVexPrefix(vex, buf, p);

  const regOp = row.regIndex >= 0 ? (ops[row.regIndex] as Operand) : null;
  const regNum = regOp && regOp.kind === 'reg' ? regOp.reg.num & 7 : 0;
  let immIndex = 0;
  let relAt = -1;
  let relWidth = 0;
  let relValue: Value | null = null;
  let ripAt = -1;
  let finalPassError: string | undefined;

  const nextImm = (): Operand | undefined => {
    while (immIndex < ops.length) {
      const t = row.operands[immIndex] as TemplateOperand;
      const o = ops[immIndex++];
      if (t.role === 'i') return o;
    }
    return undefined;
  };

  const field = (
    v: Value,
    width: number,
    signed: boolean,
    check: (n: bigint) => void,
    checkRelocated?: (n: bigint) => void,
  ): void => {
    if (isPlainNumber(v)) {
      check(v.offset);
      writeLE(buf, p, v.offset, width);
    } else {
      if (checkRelocated && isSimpleRelocatable(v)) checkRelocated(v.offset);
      writeLE(buf, p, v.unknown ? 0n : v.offset, width);
      fixups.push({ at: p, size: width as 1 | 2 | 4, value: v, relative: false, signed });
    }
    p += width;
  };

  const writeModRm = (reg: number): void => {
    if (!rmOp) return;
    if (rmOp.kind === 'reg') {
      buf[p++] = 0xc0 | (reg << 3) | (rmOp.reg.num & 7);
      return;
    }
    buf[p++] = ea.modRm | (reg << 3);
    if (ea.sib >= 0) buf[p++] = ea.sib;
    if (ea.ripRelative) {
      ripAt = p;
      p += 4;
    } else if (ea.dispSize)
      // A bare value as the address (`lea rdx,label`) in BITS 64 has a sign-extended disp32, as a
      // written `[label]` has (the assembler tells the two apart by this flag: R_X86_64_32S).
      field(
        ea.disp,
        ea.dispSize,
        ea.dispSize === 1 || (rmWritten?.kind === 'imm' && addrSize === 64),
        (n) => {
          if (ea.dispSize === 1) {
            if (bits === 64) displacementWarning(n, 1, warnings);
            else disp8Warnings(n, addrSize, warnings);
          } else if (addrSize === 64) displacementWarning(n, 4, warnings);
          else generalRangeWarning(n, ea.dispSize, 'displacement', warnings);
        },
        // A label's displacement (its offset in its section plus the addend; an extern's addend)
        // is checked once, signed when a 64-bit address sign-extends it (measured, br2496848);
        // relocated immediates and data are not checked at all.
        (n) => {
          if (ea.dispSize === 1) return;
          if (addrSize === 64) signedRangeWarning(n, 4, warnings);
          else generalRangeWarning(n, ea.dispSize, 'write', warnings);
        },
      );
  };

  let codeIndex = 0;
  let rexPending = rexByte >= 0;
  for (const code of row.codes) {
    // A REP-slot F2/F3 (`rs` rows) went out with the prefixes (or was replaced by a written rep).
    if (codeIndex++ === 0 && row.repSlot) continue;
    if (rexPending && !isLeadingPrefixByte(code, codeIndex - 1, row)) {
      buf[p++] = rexByte;
      rexPending = false;
    }
    switch (code.op) {
      case CodeOp.Byte:
        buf[p++] = code.value;
        break;
      case CodeOp.BytePlusReg:
        buf[p++] = code.value + regNum;
        break;
      case CodeOp.ModRmReg:
        writeModRm(regNum);
        break;
      case CodeOp.ModRmSame:
        buf[p++] = 0xc0 | (regNum << 3) | regNum;
        break;
      case CodeOp.ModRmDigit:
        writeModRm(code.value);
        break;
      case CodeOp.Imm: {
        const o = nextImm();
        if (!o || o.kind !== 'imm') break;
        const width = code.value;
        if (code.mode === 's' && width === 4) {
          field(o.value, 4, true, (n) => {
            const t = BigInt.asIntN(64, n);
            if (t < -(1n << 31n) || t >= 1n << 31n) {
              overflowWarning(warnings, 'signed dword immediate exceeds bounds', 'write');
              overflowWarning(warnings, 'dword data exceeds bounds', 'write');
            }
          });
        } else if (code.mode === 's') {
          field(o.value, 1, true, (n) => {
            // `push byte x` (a row of no operand size) pushes a qword in BITS 64.
            signedByteWarning(n, bits === 64 && row.opSize === 0 ? 64 : opSize, o.size === 1, warnings);
          });
        } else
          field(o.value, width, false, (n) => {
            rangeWarning(n, width, warnings, 'data', code.mode === '');
          });
        break;
      }
      case CodeOp.FarSegment: {
        const o = ops[immIndex - 1];
        if (o && o.kind === 'imm' && o.farSegment)
          field(o.farSegment, 2, false, (n) => {
            rangeWarning(n, 2, warnings, 'data');
          });
        break;
      }
      case CodeOp.Moffs:
        if (memOp)
          field(memOp.displacement, addrSize / 8, false, (n) => {
            if (addrSize !== 64) generalRangeWarning(n, addrSize / 8, 'write', warnings);
          });
        break;
      case CodeOp.ModRmRegOnly:
        buf[p++] = 0xc0 | (regNum << 3);
        break;
      case CodeOp.Is4: {
        const o = ops[row.is4Index];
        buf[p++] = o?.kind === 'reg' ? (o.reg.num & 15) << 4 : 0;
        break;
      }
      case CodeOp.Rel: {
        const o = nextImm();
        if (!o || o.kind !== 'imm') break;
        relAt = p;
        relWidth = code.value;
        relValue = o.value;
        p += relWidth;
        break;
      }
    }
  }

  if (relValue !== null) {
    const v: Value = relValue;
    const t = row.operands.find((x) => x.kind === 'rel');
    if (!v.unknown && v.base === ctx.segment && v.wrt === null && !v.segmentOf && (v.minusBase ?? null) === null) {
      const disp = v.offset - (ctx.offset + BigInt(p));
      // A near jump within the section: signed in 64-bit mode, else any 16/32-bit number (measured).
      if (relWidth > 1 && bits === 64) signedRangeWarning(disp, relWidth, warnings);
      else if (relWidth > 1) generalRangeWarning(disp, relWidth, 'write', warnings);
      if (relWidth === 1 && (disp < -128n || disp > 127n)) {
        // An optimiser-chosen short form that does not reach: let the caller try the near row.
        const o = ops[row.operands.findIndex((x) => x.kind === 'rel')];
        // (Also at -O0: NASM still sizes conditional jumps there, measured `jo $-1000` → 0F 80.)
        if (t?.optimizable && o?.kind === 'imm' && o.distance === null) return null;
        finalPassError = 'short jump is out of range';
      }
      writeLE(buf, relAt, disp, relWidth);
    } else {
      for (let k = 0; k < relWidth; k++) buf[relAt + k] = 0;
      fixups.push({ at: relAt, size: relWidth as 1 | 2 | 4, value: v, relative: true, signed: relWidth === 1 });
    }
  }

  if (rexPending) buf[p++] = rexByte; // a row of prefix bytes only (`o64` alone)
  if (ripAt >= 0 && resolveRipRelative(ea.disp, ripAt, p, ctx, buf, fixups) === 'local')
    signedRangeWarning(ea.disp.offset - (ctx.offset + BigInt(p)), 4, warnings);

  const result: EncodeResult = { ok: true, bytes: buf.slice(0, p), fixups, warnings };
  if (finalPassError) result.finalPassError = finalPassError;
  return result;
}
