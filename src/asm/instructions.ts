/**
 * Instructions: operands evaluated for this pass, the encoder called only when
 * a value the size depends on changed, and in the final pass the bytes and
 * their fields written.
 */
import { warnIfObsolete } from './obsolete.js';
import { fitted } from '../core/compact.js';
import { EvalError, someLeaf, warnsWhenEvaluated, type Leaf } from '../core/expressions.js';
import { constantValue, isPlainNumber, makeValue, withFields, type Value } from '../core/value.js';
import { encodeInstruction } from '../encoder/index.js';
import type {
  EncodeContext,
  EncodeSuccess,
  EncodeWarning,
  Fixup,
  Operand,
  RegisterOperand,
  WarningPhase,
} from '../encoder/types.js';
import { isRegisterGroupSize } from '../core/register-terms.js';
import type { Expr, OperandAst, Statement, StatementBody } from '../parse/ast.js';
import { noDecorators } from '../parse/decorators.js';
import {
  inNasmRegisterOrder,
  isRegisterLeaf,
  mergesConstants,
  registerOrderMayChange,
  splitAddress,
  type SplitAddress,
} from './address.js';
import { StatementError, type AssemblyContext, type PreparedMemory, type RegisterOperandValue } from './context.js';
import { LayoutDependence, Lazy, type AddressRegisters, type EncodingMode, type EncodingTemplate } from './memos.js';
import { writeField } from './fields.js';
import { warnNobits } from './data.js';
import { displacementField, instructionPieces } from './output-pieces.js';
import { instructionLayoutDependence, operandDependsOnLayout } from './layout.js';
import { isSymbolFree } from './symbol-free.js';
import { isElfFormat } from './writer.js';
import { FAR_BRANCHES, SIZE_DROPPING_CLASSES } from '../parse/nasm-scanner.js';

type InstructionBody = Extract<StatementBody, { kind: 'instruction' }>;

/**
 * Encoder messages that no symbol value can change, which nasm reports in pass 1
 * (and then stops): impossible addresses, registers of the wrong mode, prefix
 * clashes and `{vex…}` prefixes the instruction cannot honour (measured).
 */
const IMPOSSIBLE_ADDRESS =
  /^(invalid effective address|invalid (16|32|64)-bit effective address|impossible combination of address sizes|invalid operands in non-64-bit mode|instruction has conflicting prefixes|instruction not encodable with \{vex2\} prefix)/;

/** The displacement of an address with none: values are never modified, so one serves all. */
const ZERO: Value = constantValue(0);

/**
 * The same for AVX-512 decorators on the wrong kind of operand, and for a `seg:off` operand of an
 * instruction with no far form (`imul h:zzz`: nasm stops after pass 1 on it, before the final
 * pass would find `zzz` undefined) (measured).
 */
const PASS1_MESSAGES = new Set([
  'segr6 and segr7 cannot be used as prefixes',
  'broadcast not allowed with register operand',
  'embedded rounding is available only with register-register operations',
  'instruction cannot use high registers',
  'cannot use high register in AVX instruction',
  'invalid segment override',
  // With REX (a register or o64): in every mode (measured: `o64 add ah,1` in BITS 32, `mov ah,r8b`).
  'cannot use high byte register in rex instruction',
  // A segment prefix word beside an operand's own override: nasm's parser (measured).
  'instruction has conflicting segment overrides',
]);

const ABSOLUTE_CODE = 'attempt to assemble code in [ABSOLUTE] space';

/** The encoder's view of where we are. */
export function encodeContext(ctx: AssemblyContext): EncodeContext {
  return {
    bits: ctx.bits,
    segment: ctx.stream.current.segment,
    offset: BigInt(ctx.stream.current.offset),
    optimize: ctx.options.optimize,
    cpu: ctx.cpu,
    defaultRel: ctx.defaultRel,
    defaultBnd: ctx.defaultBnd,
  };
}

/**
 * Whether a middle pass (after pass one, before the final pass) may only move the stream on by a
 * statement's fixed size (SizeMemos.fixedSize) instead of running it: an instruction with no label
 * and no parser warnings, none of whose operands instruction() looks at again in every pass before
 * it takes the fixed size (checkedInEveryPass). Kept beside instruction() on purpose: a check added
 * there before the fixed-size return must be added here too.
 */
export function onlyPlacedInMiddlePasses(stmt: Statement): boolean {
  const body = stmt.body;
  return (
    body.kind === 'instruction' &&
    stmt.label === null &&
    stmt.warnings === undefined &&
    body.mnemonic !== '' &&
    !body.operands.some(checkedInEveryPass)
  );
}

/** An operand refuseRegisterInFarPointer looks at: a segment written outside brackets, a far pointer. */
function checkedInEveryPass(op: OperandAst): boolean {
  return (op.kind === 'mem' && op.segmentOutside === true) || (op.kind === 'imm' && op.farSegment !== null);
}

export function instruction(ctx: AssemblyContext, body: InstructionBody, index: number): void {
  const stream = ctx.stream;
  const inNobits = body.mnemonic !== '' && stream.inBss();
  const inAbsolute = inNobits && stream.absoluteOffset !== null;
  if (body.mnemonic === '') return; // prefixes alone: nothing in this version
  // A misused FAR is an error in pass 1, which then ends assembly: later passes need not look again,
  // unless every pass reads the source anew (its lines can differ from pass to pass).
  if (ctx.pass === 1 || ctx.options.statementSource !== undefined) refuseFarMisuse(ctx, body);
  refuseRegisterInFarPointer(ctx, body);
  if (ctx.finalPass) warnIfObsolete(ctx, body.mnemonic, body.operands);
  const memos = ctx.memos;
  const fixedSize = memos.fixedSize[index]!;
  if (!ctx.finalPass && fixedSize >= 0) {
    stream.advance(fixedSize);
    return;
  }
  // The same line (one shared body) encoded before in this mode: its bytes, with no operand to build
  // (only bodies whose operands neither move nor warn are shared: see saveBytes).
  if (!ctx.finalPass && !inNobits && reuseSharedBody(ctx, index, body)) return;
  if (memos.warningLeaves[index] === Lazy.Unknown)
    memos.warningLeaves[index] = body.operands.some(hasWarningLeaves) ? Lazy.Yes : Lazy.No;
  const warningLeaves = memos.warningLeaves[index] === Lazy.Yes;
  if (memos.operandsMove[index] === Lazy.Unknown)
    memos.operandsMove[index] = warningLeaves || body.operands.some(operandDependsOnLayout) ? Lazy.Yes : Lazy.No;
  const operandsMove = memos.operandsMove[index] === Lazy.Yes;
  if (ctx.finalPass && !operandsMove && !warningLeaves && reuseSaved(ctx, index)) return;
  const offset = stream.current.offset;
  const operands = strictBranchesNear(body.mnemonic, buildOperands(ctx, body.operands));
  if (body.operands.some(hasDistanceMismatch))
    encodingFailed(ctx, distanceMismatchError(ctx, body, operands), operands);
  const shareable = !ctx.finalPass && !operandsMove && !inNobits && isSymbolFree(operands);
  const keyLength = memoKey(ctx, operands, offset);
  const lastKey = memos.lastKey[index];
  const unchanged = lastKey != null && sameKey(lastKey, keyLength);
  if (!ctx.finalPass) {
    if (unchanged) {
      stream.advance(memos.lastSize[index]!);
      return;
    }
    // A mib index not known yet (preparedMemory) leaves no key: the line is read again next pass.
    memos.lastKey[index] = ctx.unknownMibIndex ? null : KEY.slice(0, keyLength);
    memos.savedAt[index] = -1;
  } else if (
    unchanged &&
    (reuseSaved(ctx, index) || (!inNobits && patchTemplate(ctx, index, operands, offset, body)))
  ) {
    // The same values, relative to the same address, as when the saved bytes were made: the same bytes
    // (with this pass's values in their fields).
    return;
  }
  const encodeCtx = encodeContext(ctx);
  const result = encodeInstruction({ mnemonic: body.mnemonic, prefixes: body.prefixes, operands }, encodeCtx);
  if (!result.ok && result.warnings !== undefined) for (const w of result.warnings) warnBeforeError(ctx, w);
  // The parser's warnings are given in pass 1 too, shown if that pass fails (the final pass reports the rest);
  // so is the ignored displacement size of an absolute address (measured: `mov eax,[byte 5]`).
  if (result.ok && ctx.pass === 1 && !ctx.finalPass)
    for (const w of result.warnings)
      if (w.phase === 'parse' || w.warningClass === 'ea-dispsize') ctx.warnIfPassOneFails(w.message, w.warningClass);
  // A line nasm sizes despite its errors keeps that length in the pass (a -Lp listing shows it).
  if (!result.ok && result.length !== undefined && !ctx.finalPass) stream.advance(result.length);
  if (!result.ok && result.followUps !== undefined) reportWithFollowUps(ctx, result.error, result.followUps);
  let encoded: EncodeSuccess;
  if (result.ok) encoded = result;
  else {
    const farError = farBranchError(ctx, body.mnemonic, operands);
    // nasm sizes `jmp far label` as the `jmp seg:offset` it makes of it and refuses it in the final
    // pass only: the labels after it keep their places (`x:` redefined after it is still an error).
    if (farError !== null && !ctx.finalPass && ctx.bits !== 64)
      stream.advance(farPointerLength(body, operands, encodeCtx));
    // In the final pass that pointer is written: its segment field is the refused reference, listed
    // as [ssss] with the offset's field before it (measured: `jmp far x` lists EA[0000][ssss]).
    const pointer = ctx.finalPass && isSegmentBaseError(farError) ? farPointer(body, operands, encodeCtx) : null;
    if (!pointer) encodingFailed(ctx, farError ?? result.error, operands);
    encoded = pointer;
  }
  // In a nobits section or absolute space (`absolute`, an unended `struc`) nasm assembles the
  // instruction for its size (its own errors stand: a pass-one error ends assembly first) and its
  // output stage refuses the bytes, once per piece it is handed (prefix, opcode, ModR/M, each
  // field): a warning that they are dropped, or in absolute space an error. Its listing still
  // shows them (measured).
  if (inNobits && ctx.finalPass) {
    // An undefined symbol is refused as anywhere else (nasm: no bytes dropped, no warnings for the line).
    if (ctx.missingSymbol !== null && operands.some(hasUnknown)) ctx.undefinedSymbolError();
    // A field's overflow is said as its piece is handed over: the immediate, the last piece
    // (measured: `mov ax,"abcd"` in .bss is the nobits warning, the overflow, the nobits warning).
    const overflows = encoded.warnings.filter((w) => w.warningClass === 'number-overflow');
    for (const w of encoded.warnings) if (w.warningClass !== 'number-overflow') ctx.warn(w.message, w.warningClass);
    const pieces = instructionPieces(encoded.bytes, ctx.bits);
    const handOver = (count: number): void => {
      if (inAbsolute) for (let i = 0; i < count; i++) ctx.diagnostics.error(ABSOLUTE_CODE, ctx.currentLocation);
      else warnNobits(ctx, count);
    };
    handOver(overflows.length > 0 ? pieces - 1 : pieces);
    for (const w of overflows) ctx.warn(w.message, w.warningClass);
    if (overflows.length > 0) handOver(1);
    ctx.unplacedBytes = encoded.bytes;
    if (!inAbsolute && isElfFormat(ctx.options.format)) {
      const signExtended = signExtendedFields(ctx, encoded.fixups, operands, body.prefixes);
      for (const f of signExtended) if (!isPlainNumber(f.value)) stream.current.nobitsShortfall += 8;
    }
  }
  if (ctx.finalPass && !inNobits) emitFinal(ctx, encoded, operands, offset, body.prefixes);
  const size = encoded.bytes.length;
  memos.lastSize[index] = size;
  // Saved bytes would skip emitFinal, where a number-with-WRT displacement gets its listing mark.
  if (
    !ctx.finalPass &&
    !warningLeaves &&
    !ctx.unknownMibIndex &&
    !operands.some(hasUnknown) &&
    !stream.inBss() &&
    !hasNumberWrtDisplacement(operands)
  ) {
    if (isSelfContained(encoded)) saveBytes(ctx, index, encoded.bytes, shareable, body);
    else memos.template[index] = encodingTemplate(ctx, encoded, operands);
  }
  if (memos.fixedSize[index]! < 0 && !operandsMove) {
    memos.fixedSize[index] = size;
  } else if (!ctx.finalPass && ctx.statements[index]!.body === body) {
    const layout = ctx.unknownMibIndex
      ? LayoutDependence.Unsafe
      : instructionLayoutDependence(ctx, body, operands, index, encodeCtx, size);
    memos.layout[index] = layout;
    // Sizes that layout cannot change (calls, relocated addresses) need no more encoding until the final pass.
    if (layout === LayoutDependence.Fixed) memos.fixedSize[index] = size;
  }
  stream.advance(size);
}

/**
 * An operand that warns or errs in the final pass when it is built, so saved bytes cannot stand
 * for it: a number that warns when evaluated (a long character constant, a number over 64 bits),
 * registers in an immediate's sum (`2*ebx-ebx+2`), a register group of a size nasm refuses.
 */
function hasWarningLeaves(op: OperandAst): boolean {
  if (op.kind === 'imm')
    return warnsSomewhere(op.expr) || warnsSomewhere(op.farSegment) || someLeaf(op.expr, isRegisterLeaf);
  if (op.kind === 'reg') return op.decorators?.registerSet !== undefined;
  return warnsSomewhere(op.address);
}

function warnsSomewhere(expr: Expr | null | undefined): boolean {
  return expr != null && someLeaf(expr, warnsWhenEvaluated);
}

/** Bytes with no fields, warnings or errors: nothing in them depends on where they land (see EncodingMode). */
function isSelfContained(result: Encoded): boolean {
  return result.fixups.length === 0 && result.warnings.length === 0 && result.finalPassError === undefined;
}

/**
 * Keeps an encoding's bytes for the final pass (see SizeMemos.savedAt); those of a symbol-free
 * instruction also serve the identical lines after it (symbol-free.ts).
 */
function saveBytes(
  ctx: AssemblyContext,
  index: number,
  bytes: Uint8Array,
  shareable: boolean,
  body: InstructionBody,
): void {
  const memos = ctx.memos;
  const saved = { at: ctx.savedBytes.length, length: bytes.length };
  const mode = currentMode(ctx);
  memos.savedAt[index] = saved.at;
  memos.savedLength[index] = saved.length;
  memos.savedMode[index] = mode;
  ctx.savedBytes.push(bytes);
  if (shareable) ctx.sharedBodyEncodings.set(body, { at: saved.at, length: saved.length, mode });
}

/**
 * Lines of the same text share one body (the parser's shareBody), so a symbol-free body seen
 * before in this mode has its bytes saved already: found by the object, before its operands are
 * even built.
 */
function reuseSharedBody(ctx: AssemblyContext, index: number, body: InstructionBody): boolean {
  const saved = ctx.sharedBodyEncodings.get(body);
  if (saved === undefined || saved.mode !== currentMode(ctx)) return false;
  useSaved(ctx, index, saved);
  return true;
}

function useSaved(ctx: AssemblyContext, index: number, saved: { at: number; length: number }): void {
  const memos = ctx.memos;
  memos.savedAt[index] = saved.at;
  memos.savedLength[index] = saved.length;
  memos.savedMode[index] = currentMode(ctx);
  memos.lastSize[index] = saved.length;
  memos.fixedSize[index] = saved.length;
  // What the shared body's first line found: its operands neither move nor warn.
  memos.operandsMove[index] = Lazy.No;
  memos.warningLeaves[index] = Lazy.No;
  ctx.stream.advance(saved.length);
}

/**
 * An encoding whose only position-dependent parts are its fields, as a template (null when a
 * warning, an error or a field not filled by an operand's own value makes it more than that).
 */
function encodingTemplate(ctx: AssemblyContext, result: Encoded, operands: Operand[]): EncodingTemplate | null {
  if (result.warnings.length > 0 || result.finalPassError !== undefined) return null;
  const fields: EncodingTemplate['fields'] = [];
  for (const f of result.fixups) {
    const operand = operands.findIndex((op) => fieldValue(op, 0) === f.value || fieldValue(op, 1) === f.value);
    if (operand < 0) return null;
    const slot = fieldValue(operands[operand]!, 0) === f.value ? 0 : 1;
    fields.push({
      at: f.at,
      size: f.size,
      relative: f.relative,
      signed: f.signed,
      operand,
      slot,
      shape: valueShape(f.value),
    });
  }
  // Kept until the final pass (fitted: at their exact length).
  return {
    bytes: result.bytes,
    fields: fitted(fields),
    mode: currentMode(ctx),
    registers: operands.map(addressRegisters),
  };
}

/** A memory operand's registers in the order this pass gave them (nasm's order can depend on values). */
function addressRegisters(op: Operand): AddressRegisters | null {
  return op.kind === 'mem' ? op.registers : null;
}

/** The same registers with the same scales in the same order (compared without building strings). */
function sameAddressRegisters(a: AddressRegisters | null, b: AddressRegisters | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.reg.name !== y.reg.name || x.scale !== y.scale || (x.index === true) !== (y.index === true)) return false;
  }
  return true;
}

/** The parts of a value the memo key leaves out; the same expression gives the same shape in every pass. */
function valueShape(v: Value): string {
  return v.wrt === null && !v.segmentOf && v.scaled !== true && v.complex !== true
    ? ''
    : `${v.wrt}:${v.segmentOf}:${v.scaled}:${v.complex}`;
}

/** The value an operand gives a field: slot 0 the immediate or displacement, slot 1 a far segment. */
function fieldValue(op: Operand, slot: 0 | 1): Value | null {
  if (op.kind === 'imm') return slot === 0 ? op.value : op.farSegment;
  if (op.kind === 'mem' && slot === 0) return op.displacement;
  return null;
}

/**
 * The final pass, for an instruction with fields whose values (relative to its address) are those
 * of its last encoding: that encoding's bytes, its fields written with this pass's values.
 */
function patchTemplate(
  ctx: AssemblyContext,
  index: number,
  operands: Operand[],
  offset: number,
  body: InstructionBody,
): boolean {
  const template = ctx.memos.template[index];
  if (template == null || template.mode !== currentMode(ctx) || operands.some(hasUnknown)) return false;
  for (let i = 0; i < operands.length; i++)
    if (!sameAddressRegisters(addressRegisters(operands[i]!), template.registers[i] ?? null)) return false;
  const fixups: Fixup[] = [];
  for (const f of template.fields) {
    const value = fieldValue(operands[f.operand]!, f.slot);
    if (value === null || valueShape(value) !== f.shape) return false;
    fixups.push({ at: f.at, size: f.size, value, relative: f.relative, signed: f.signed });
  }
  const signExtended = signExtendedFields(ctx, fixups, operands, body.prefixes);
  emitInstruction(ctx, template.bytes, fixups, offset, signExtended);
  ctx.memos.lastSize[index] = template.bytes.length;
  ctx.stream.advance(template.bytes.length);
  return true;
}

/** The final pass: writes the saved bytes if there are some and the mode is the same as when they were made. */
function reuseSaved(ctx: AssemblyContext, index: number): boolean {
  const stream = ctx.stream;
  const memos = ctx.memos;
  const at = memos.savedAt[index]!;
  if (at < 0 || memos.savedMode[index] !== currentMode(ctx) || stream.inBss()) return false;
  const length = memos.savedLength[index]!;
  stream.current.bytes.pushFrom(ctx.savedBytes, at, length);
  stream.advance(length);
  return true;
}

/**
 * The mode now, as a shared object: one object per distinct mode for the whole run, so that
 * bytes saved in one pass are recognised in the next even after switching sections back and forth.
 */
function currentMode(ctx: AssemblyContext): EncodingMode {
  const mode = ctx.savedMode;
  if (mode !== null && isCurrentMode(ctx, mode)) return mode;
  const segment = ctx.stream.current.segment;
  let inSegment = ctx.modes.get(segment);
  if (inSegment === undefined) ctx.modes.set(segment, (inSegment = []));
  let known: EncodingMode | undefined;
  for (const m of inSegment)
    if (isCurrentMode(ctx, m)) {
      known = m;
      break;
    }
  if (known === undefined) {
    known = { bits: ctx.bits, cpu: ctx.cpu, defaultRel: ctx.defaultRel, defaultBnd: ctx.defaultBnd, segment };
    inSegment.push(known);
  }
  ctx.savedMode = known;
  return known;
}

function isCurrentMode(ctx: AssemblyContext, mode: EncodingMode): boolean {
  return (
    mode.bits === ctx.bits &&
    mode.cpu === ctx.cpu &&
    mode.defaultRel === ctx.defaultRel &&
    mode.defaultBnd === ctx.defaultBnd &&
    mode.segment === ctx.stream.current.segment
  );
}

/**
 * A warning of a line that then fails: in the final pass, or held in pass 1 for the case the pass
 * fails (nasm shows a non-final pass's warnings only then), as the error may come in either.
 */
function warnBeforeError(ctx: AssemblyContext, w: EncodeWarning): void {
  if (ctx.finalPass) ctx.warn(w.message, w.warningClass);
  else ctx.warnIfPassOneFails(w.message, w.warningClass);
}

/**
 * An encoder error that comes with nasm's next messages for the line, errors and the warnings
 * between them (all in pass 1, as nasm).
 */
function reportWithFollowUps(
  ctx: AssemblyContext,
  error: string,
  followUps: readonly (string | EncodeWarning)[],
): never {
  if (ctx.pass === 1 || ctx.finalPass) {
    ctx.diagnostics.error(error, ctx.currentLocation);
    for (const m of followUps)
      if (typeof m === 'string') ctx.diagnostics.error(m, ctx.currentLocation);
      else warnBeforeError(ctx, m);
  }
  throw new StatementError(error);
}

/** A TIMES 0 instruction in the final pass: its operands' values computed (an undefined symbol is an error), nothing encoded. */
export function readSkippedInstruction(ctx: AssemblyContext, body: InstructionBody): void {
  const operands = buildOperands(ctx, body.operands);
  if (ctx.missingSymbol !== null && operands.some(hasUnknown)) ctx.undefinedSymbolError();
}

/** Reports an instruction the encoder rejected, in the pass nasm reports it. */
function encodingFailed(ctx: AssemblyContext, error: string, operands: Operand[]): never {
  if (ctx.finalPass && ctx.missingSymbol !== null && operands.some(hasUnknown)) ctx.undefinedSymbolError();
  // nasm rejects an impossible effective address as soon as it sees one (pass 1, so a -Lp
  // listing shows pass 1), even when a value in it is not known yet: `x[cs]`, `[x+esp*2]` with a
  // forward `x` stop nasm after pass 1, before the final pass reports undefined symbols (measured).
  const pass1 = IMPOSSIBLE_ADDRESS.test(error) || PASS1_MESSAGES.has(error);
  ctx.reportError(error, pass1);
}

type Encoded = Extract<ReturnType<typeof encodeInstruction>, { ok: true }>;

/** The final pass: warnings, the bytes and their fields. */
function emitFinal(
  ctx: AssemblyContext,
  result: Encoded,
  operands: Operand[],
  offset: number,
  prefixes: readonly string[],
): void {
  if (ctx.missingSymbol !== null && operands.some(hasUnknown)) ctx.undefinedSymbolError();
  if (result.finalPassError) {
    ctx.diagnostics.error(result.finalPassError, ctx.currentLocation);
    for (const w of result.warnings) ctx.warn(w.message, w.warningClass);
    // nasm still writes the short jump, its displacement cut to a byte with a warning; the
    // listing shows those bytes and the next line's address after them.
    ctx.warn('byte data exceeds bounds', 'number-overflow');
    emitInstruction(
      ctx,
      result.bytes,
      result.fixups,
      offset,
      signExtendedFields(ctx, result.fixups, operands, prefixes),
    );
    ctx.stream.advance(result.bytes.length);
    throw new StatementError(result.finalPassError);
  }
  reportEncoderWarnings(ctx, result.warnings);
  emitInstruction(ctx, result.bytes, result.fixups, offset, signExtendedFields(ctx, result.fixups, operands, prefixes));
  listNumberWrtDisplacement(ctx, operands, result.bytes, offset);
}

/**
 * The encoder's warnings as nasm's final pass prints them: those it finds while sizing the
 * instruction, then those it finds while writing it (see WarningPhase), some in both.
 */
function reportEncoderWarnings(ctx: AssemblyContext, warnings: readonly EncodeWarning[]): void {
  if (warnings.length === 0) return;
  const report = (w: EncodeWarning): void => {
    ctx.warn(w.message, w.warningClass);
  };
  const inPhase = (phase: WarningPhase, also: WarningPhase = phase): void => {
    for (const w of warnings) {
      const wPhase = w.phase ?? 'size';
      if (wPhase === phase || wPhase === also) report(w);
    }
  };
  inPhase('parse');
  inPhase('size', 'address');
  inPhase('segment');
  inPhase('segment');
  inPhase('address');
  for (const w of warnings)
    if (w.phase === 'displacement') {
      report(w);
      report(w);
    }
  inPhase('write');
}

function emitInstruction(
  ctx: AssemblyContext,
  bytes: Uint8Array,
  fixups: Fixup[],
  offset: number,
  signExtended: ReadonlySet<Fixup>,
): void {
  ctx.stream.current.bytes.push(bytes);
  for (const f of fixups) {
    const place = { at: offset + f.at, size: f.size, relative: f.relative, distanceToEnd: bytes.length - f.at };
    writeField(ctx, signExtended.has(f) ? { ...place, signed: true } : place, f.value, false);
  }
}

/**
 * The dword fields the CPU sign-extends to 64 bits, which x86-64 ELF relocates
 * with R_X86_64_32S (measured: nasm gives _32S to `add rax, x`, `push x`,
 * `mov rax, [x]`, `mov qword [rbx], x`; _32 to `mov eax, x`,
 * `mov dword [rbx], x` and to addresses with 32-bit registers or `a32`):
 * sign-extended immediates (the encoder's signed dword fields) and the
 * displacement of a 64-bit address.
 */
function signExtendedFields(
  ctx: AssemblyContext,
  fixups: Fixup[],
  operands: Operand[],
  prefixes: readonly string[],
): ReadonlySet<Fixup> {
  if (ctx.bits !== 64) return NO_FIXUPS;
  const out = new Set<Fixup>();
  for (const f of fixups) {
    if (f.size !== 4 || f.relative) continue;
    const memory = operands.find((op) => op.kind === 'mem' && op.displacement === f.value);
    if (memory === undefined ? f.signed : isAddress64(memory, prefixes)) out.add(f);
  }
  return out;
}

const NO_FIXUPS: ReadonlySet<Fixup> = new Set();

/** A BITS 64 address is 64-bit unless a 32-bit register or an `a32` prefix makes it 32-bit. */
function isAddress64(op: Operand, prefixes: readonly string[]): boolean {
  if (op.kind !== 'mem' || prefixes.includes('a32')) return false;
  return !op.registers.some((r) => r.reg.size === 4);
}

/**
 * The values an instruction's size can depend on, relative to its own address where that is meaningful.
 * Numbers only (no strings built per instruction and pass): each value is a tag and its numbers.
 * Written into KEY (its length returned): most keys equal the last one and need no array of their own;
 * a key that is kept is copied out at its exact length.
 */
function memoKey(ctx: AssemblyContext, operands: Operand[], offset: number): number {
  KEY[0] = ctx.bits;
  KEY[1] = ctx.cpu;
  let length = 2;
  const segment = ctx.stream.current.segment;
  for (const op of operands) {
    if (op.kind === 'imm') {
      length = writeKeyValue(length, op.value, segment, offset);
      if (op.farSegment) length = writeKeyValue(length, op.farSegment, segment, offset);
    } else if (op.kind === 'mem') {
      length = writeKeyValue(length, op.displacement, segment, offset);
    }
  }
  return length;
}

/** The key being built (see memoKey): at most 5 operands of 2 values, 5 entries each, after 2. */
const KEY: Array<number | string> = new Array<number | string>(64).fill(0);

const enum KeyTag {
  Unknown,
  /** Relative to the instruction's own address (same section). */
  Relative,
  /** Anything else: base, minus-base and offset. */
  Other,
}

function writeKeyValue(at: number, v: Value, segment: number, offset: number): number {
  if (v.unknown) {
    KEY[at] = KeyTag.Unknown;
    return at + 1;
  }
  if (v.base === segment && (v.minusBase ?? null) === null) {
    KEY[at] = KeyTag.Relative;
    KEY[at + 1] = Number(v.offset) - offset;
    return at + 2;
  }
  KEY[at] = KeyTag.Other;
  KEY[at + 1] = v.base ?? -1;
  KEY[at + 2] = v.minusBase ?? -1;
  KEY[at + 3] = Number(v.offset);
  return at + 4;
}

/** The kept key `a` equals the first `length` entries of KEY. */
function sameKey(a: Array<number | string>, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== KEY[i]) return false;
  return true;
}

function hasUnknown(op: Operand): boolean {
  if (op.kind === 'imm') return op.value.unknown || (op.farSegment?.unknown ?? false);
  if (op.kind === 'mem') return op.displacement.unknown;
  return false;
}

/** JMP and Jcc, which have a short and a near form (LOOP and JCXZ have only the short one). */
const SIZED_BRANCH = /^(jmp|j(?!e?cxz$)[a-z]+)$/i;

/**
 * `jmp strict label` with no size is the near form: nasm never shortens it
 * (measured: `jmp strict start` backwards is E9 even within reach).
 */
const isStrictImmediate = (op: Operand): boolean => op.kind === 'imm' && op.strict;

function strictBranchesNear(mnemonic: string, operands: Operand[]): Operand[] {
  if (!operands.some(isStrictImmediate) || !SIZED_BRANCH.test(mnemonic)) return operands;
  const out: Operand[] = [];
  for (const op of operands)
    out.push(
      op.kind === 'imm' && op.strict && op.size === null && op.distance === null && op.farSegment === null
        ? { ...op, distance: 'near' }
        : op,
    );
  return out;
}

/**
 * `far` on a register or a plain immediate outside jmp/call (`mov far eax, 1`, `push far 1`):
 * nasm's pass-one error. (In jmp/call, `far eax` is a dropped size: the parser's warning.)
 */
function refuseFarMisuse(ctx: AssemblyContext, body: InstructionBody): void {
  for (const op of body.operands) {
    const far =
      op.kind === 'reg'
        ? op.distance === 'far'
        : op.kind === 'imm' && (op.distance === 'far' || op.farWritten === true) && !op.farSegment;
    if (far && !FAR_BRANCHES.has(body.mnemonic.toLowerCase()))
      ctx.reportError('invalid use of FAR operand specifier', true);
  }
}

/**
 * `X:Y` with a register on either side is no far pointer (nasm 2.16.01, measured): elsewhere than
 * in JMP/CALL the colon is a misplaced segment override, an error in pass 1 (`nop eax:ebx`,
 * `push 1:eax`); JMP/CALL's far rows then match nothing, a final-pass error (`jmp eax:ebx`,
 * `call ebx:ecx`, `jmp 1:ebx`), as for a segment register written outside the brackets
 * (`jmp es:[ebx]`, `call es:5`), which other instructions read as memory.
 */
function refuseRegisterInFarPointer(ctx: AssemblyContext, body: InstructionBody): void {
  for (const op of body.operands) {
    if (!checkedInEveryPass(op)) continue;
    // `jmp es:[ebx]`, `call es:5`: the segment register before the colon makes a far pointer too.
    if (op.kind === 'mem' && FAR_BRANCHES.has(body.mnemonic.toLowerCase())) {
      // `call es:ebx+5`: nasm reads what follows the colon as the far pointer's offset, an immediate:
      // registers an immediate cannot hold are "invalid operand type" in pass one (`es:ebx*2`,
      // `es:zz+ebx`), a register group of no group's size "invalid register set size" (measured).
      if (op.unbracketed === true && op.address !== null && someLeaf(op.address, isRegisterLeaf))
        refuseBadRegisterGroup(ctx, ctx.evaluateOperand(op.address));
      // An undefined symbol in the address is the final pass's error instead (`jmp es:[zz]`, measured).
      if (ctx.finalPass && op.address !== null && someLeaf(op.address, (leaf) => isUndefinedSymbol(ctx, leaf)))
        ctx.undefinedSymbolError();
      ctx.reportError('invalid combination of opcode and operands');
    }
    if (op.kind !== 'imm' || op.farSegment === null) continue;
    if (!someLeaf(op.expr, isRegisterLeaf) && !someLeaf(op.farSegment, isRegisterLeaf)) continue;
    // nasm evaluates both sides first: a register an operator cannot take is that operator's error
    // (`call !es:5`: "`!' operator may only be applied to scalar values"; `call -es:5`, `2*es:5`:
    // "invalid operand type"), in pass one, before the far pointer is looked at (measured).
    // An undefined symbol on either side is the final pass's error instead of the far pointer's (`call zz:es`).
    let missing: string | null = null;
    for (const side of [op.farSegment, op.expr]) {
      const value = ctx.evaluateOperand(side);
      if ('offset' in value && value.complex) ctx.reportError('invalid operand type', true);
      if (side === op.expr) refuseBadRegisterGroup(ctx, value); // `call 5:ebx+5`
      missing ??= ctx.missingSymbol;
    }
    ctx.missingSymbol = missing;
    if (ctx.finalPass && missing !== null) ctx.undefinedSymbolError();
    if (FAR_BRANCHES.has(body.mnemonic.toLowerCase())) ctx.reportError('invalid combination of opcode and operands');
    ctx.reportError('invalid segment override', true);
  }
}

/** A far pointer's offset that is a register group of a size no group has (`ebx+5`): nasm's final-pass error. */
function refuseBadRegisterGroup(ctx: AssemblyContext, value: Value | RegisterOperandValue): void {
  if (!('register' in value) || value.plus === 0n || value.plus === -1n) return;
  if (ctx.finalPass && !isRegisterGroupSize(value.plus + 1n)) ctx.errorNow('invalid register set size');
}

/** A symbol leaf with no value in this pass (noted as the statement's missing symbol). */
function isUndefinedSymbol(ctx: AssemblyContext, leaf: Leaf): boolean {
  if (leaf.kind !== 'symbol' || (ctx.symbols.get(leaf.name)?.value ?? null) !== null) return false;
  ctx.missingSymbol = leaf.name;
  return true;
}

/**
 * `jmp far label`: nasm makes it `jmp far seg label:label`, which needs a segment base that bin
 * and ELF cannot express (BITS 64 has no such jump; a number has no segment).
 */
function farBranchError(ctx: AssemblyContext, mnemonic: string, operands: Operand[]): string | null {
  const op = operands[0];
  if (operands.length !== 1 || op?.kind !== 'imm' || op.distance !== 'far' || op.farSegment !== null) return null;
  if (!FAR_BRANCHES.has(mnemonic.toLowerCase())) return null;
  if (ctx.bits === 64) return 'instruction not supported in 64-bit mode';
  if (op.value.base === null && !op.value.unknown) return 'value referenced by FAR is not relocatable';
  return ctx.options.format === 'bin'
    ? 'binary output format does not support segment base references'
    : 'ELF format does not support segment base references';
}

const isSegmentBaseError = (error: string | null): boolean => error?.endsWith('segment base references') === true;

/** `jmp far label` as the `jmp far seg label:label` nasm writes in the final pass, or null. */
function farPointer(
  body: InstructionBody,
  operands: readonly Operand[],
  encodeCtx: EncodeContext,
): EncodeSuccess | null {
  const pointer = operands.map((op) =>
    op.kind === 'imm' ? { ...op, farSegment: makeValue(0n, op.value.base, false, null, true), distance: null } : op,
  );
  const encoded = encodeInstruction({ mnemonic: body.mnemonic, prefixes: body.prefixes, operands: pointer }, encodeCtx);
  return encoded.ok ? encoded : null;
}

/** The length of `jmp far label` as the `jmp far seg:offset` nasm makes of it (0 if even that fails). */
function farPointerLength(body: InstructionBody, operands: readonly Operand[], encodeCtx: EncodeContext): number {
  const pointer = operands.map((op) =>
    op.kind === 'imm' ? { ...op, value: ZERO, farSegment: ZERO, distance: null } : op,
  );
  const encoded = encodeInstruction({ mnemonic: body.mnemonic, prefixes: body.prefixes, operands: pointer }, encodeCtx);
  return encoded.ok ? encoded.bytes.length : 0;
}

/**
 * `movd near xmm0, eax`: on these registers nasm keeps the distance as a size that matches no row.
 * Two distances (`jmp short near x`) match no row either: nasm's message is the one the last
 * distance alone gets (`push short near x` is "invalid combination of opcode and operands", as
 * `push near x` is), "mismatch in operand sizes" where that one encodes (JMP, CALL). Measured.
 */
function distanceMismatchError(ctx: AssemblyContext, body: InstructionBody, operands: Operand[]): string {
  const mismatch = 'mismatch in operand sizes';
  if (body.operands.some(distanceKeptOnRegister)) return mismatch;
  const request = { mnemonic: body.mnemonic, prefixes: body.prefixes, operands };
  const alone = encodeInstruction(request, encodeContext(ctx));
  return alone.ok ? mismatch : alone.error;
}

const hasDistanceMismatch = (op: OperandAst): boolean =>
  distanceKeptOnRegister(op) || (op.kind !== 'reg' && op.distanceConflict === true);

function distanceKeptOnRegister(op: OperandAst): boolean {
  return op.kind === 'reg' && op.distance !== undefined && !SIZE_DROPPING_CLASSES.has(op.reg.cls);
}

/**
 * An instruction's operands for this pass, always as an array of one elements kind: `map` makes
 * holey arrays, `[]` a small-integer one when empty, and each kind is another hidden class for the
 * encoder's loops (their optimised code was thrown away each time a new one came by).
 */
export function buildOperands(ctx: AssemblyContext, asts: readonly OperandAst[]): Operand[] {
  if (asts.length === 0) return NO_OPERANDS;
  const out: Operand[] = [];
  // Each evaluation forgets the last one's missing symbol: keep the first of the instruction, so
  // `mov word [undefined], 0` is still "not defined" after its immediate was evaluated.
  let missing: string | null = null;
  ctx.missingSymbol = null;
  ctx.unknownMibIndex = false;
  for (const op of asts) {
    out.push(buildOperand(ctx, op));
    missing ??= ctx.missingSymbol;
  }
  ctx.missingSymbol = missing;
  return out;
}

/** Shared by every operand-less instruction (never written to); made with the elements kind of the others. */
const NO_OPERANDS = [null].slice(1) as unknown as Operand[];

/** An evaluated immediate rather than the register a sum of registers came to. */
function isValue(v: Value | RegisterOperandValue): v is Value {
  return 'offset' in v;
}

/**
 * The register operand a sum came to: `ebx + n` is a group of n+1 registers, which only a few
 * AVX-512 rows take (the encoder words nasm's error for the rest); `+0` and `-1` are the register.
 */
function registerFromSum(
  ctx: AssemblyContext,
  sum: RegisterOperandValue,
  op: Extract<OperandAst, { kind: 'imm' }>,
): Operand {
  const operand: Operand = withDecorators({ kind: 'reg', reg: sum.register, size: op.size, to: op.to }, op);
  if (sum.plus === 0n || sum.plus === -1n) return operand;
  const size = sum.plus > 64n || sum.plus < -64n ? -1 : Number(sum.plus) + 1;
  return checkedGroup(ctx, {
    ...operand,
    decorators: { ...(operand.decorators ?? noDecorators()), registerSet: size },
  });
}

/**
 * A register group of a size no group has (`ebx+2`: 3) is nasm's "invalid register set size" in
 * the final pass, and the register alone goes on to the instruction (its bytes are written).
 */
function checkedGroup(ctx: AssemblyContext, operand: RegisterOperand): Operand {
  const decorators = operand.decorators;
  if (decorators?.registerSet === undefined || isRegisterGroupSize(decorators.registerSet)) return operand;
  if (ctx.finalPass) ctx.errorNow('invalid register set size');
  const others = { ...decorators };
  delete others.registerSet;
  const none = noDecorators();
  const plain =
    others.mask === none.mask &&
    others.zero === none.zero &&
    others.broadcast === none.broadcast &&
    others.rounding === none.rounding;
  if (!plain) return { ...operand, decorators: others };
  const bare = { ...operand };
  delete bare.decorators;
  return bare;
}

/** An operand with its values for this pass. */
export function buildOperand(ctx: AssemblyContext, op: OperandAst): Operand {
  switch (op.kind) {
    case 'reg':
      return checkedGroup(ctx, withDecorators({ kind: 'reg', reg: op.reg, size: op.size, to: op.to }, op));
    case 'imm': {
      const evaluated = ctx.evaluateOperand(op.expr);
      // A sum whose terms leave one register (`2*ebx - ebx`, `+ebx`) is that register to nasm.
      if (!isValue(evaluated)) return registerFromSum(ctx, evaluated, op);
      const value = unitTermsOnly(evaluated, ctx.stream.hereBase());
      if (value.complex) ctx.reportError('invalid operand type', true);
      ctx.refuseOtherSectionSubtracted(value);
      const missing = ctx.missingSymbol;
      const farSegment = op.farSegment ? ctx.evaluateExpr(op.farSegment) : null;
      ctx.missingSymbol ??= missing;
      return withDecorators(
        { kind: 'imm', value, size: op.size, strict: op.strict, distance: op.distance, farSegment, to: op.to },
        op,
      );
    }
    case 'mem': {
      const prepared = preparedMemory(ctx, op);
      const displacement = withoutNumberWrt(prepared.rest ? ctx.evaluateExpr(prepared.rest) : ZERO);
      ctx.unknownMibIndex ||= prepared.unknownIndex;
      const missing = ctx.missingSymbol;
      const registers =
        prepared.orderMayChange && op.address && mergesConstants(op.address, (leaf) => leafOffset(ctx, leaf))
          ? inNasmRegisterOrder(prepared.registers)
          : prepared.registers;
      ctx.missingSymbol = missing;
      const termError = displacementTermError(displacement, ctx.stream.hereBase());
      if (termError !== null) ctx.reportError(`invalid effective address: ${termError}`, true);
      const mem: Operand = {
        kind: 'mem',
        size: op.size,
        strict: op.strict,
        segment: op.segment,
        registers,
        displacement,
        hasDisplacement: prepared.rest !== null,
        displacementSize: op.displacementSize,
        nosplit: op.nosplit,
        relative: op.relative,
        distance: op.distance,
      };
      return withDecorators(mem, op);
    }
  }
}

/**
 * An immediate relocates against the terms counted once and ignores the others (measured: `mov
 * eax, x*2+z` relocates against z's section, `x*2-$` is self-relative, `x*3-$-$` has no
 * relocation at all); the terms counted once are then judged as usual.
 */
function unitTermsOnly(value: Value, currentSegment: number | null): Value {
  const terms = value.terms;
  if (terms == null) return value;
  const units = terms.filter((term) => term.coefficient === 1n || term.coefficient === -1n);
  const scaledTerms = terms.some((term) => term.coefficient !== 0n && !units.includes(term));
  if (!scaledTerms) return value;
  // Only multiplied terms (`(x-$)*2`): the scaled offset with no relocation, as for `x*2`.
  if (units.length === 0) return value.complex === true ? withFields(value, { complex: false, scaled: true }) : value;
  const plus = units.filter((term) => term.coefficient === 1n);
  const minus = units.filter((term) => term.coefficient === -1n);
  const relocatable =
    plus.length <= 1 && minus.length <= 1 && (minus.length === 0 || minus[0]!.segment === currentSegment);
  if (!relocatable) return value;
  const base = plus[0]?.segment ?? null;
  const minusBase = minus[0]?.segment ?? null;
  return makeValue(value.offset, base, false, value.wrt, value.segmentOf, minusBase);
}

/**
 * What nasm says about the segment terms of an address, walking them in segment order: one base
 * counted once, and the current section subtracted once (self-relative); a second base is
 * "multiple base segments", any other multiplier (`[ebx-x]`, `[x*2]`, `[x*0]`, `[x-z]` with z in
 * another section) "impossible segment base multiplier" (measured on nasm 2.16.01).
 */
function displacementTermError(displacement: Value, currentSegment: number | null): string | null {
  if (displacement.unknown || displacement.segmentOf) return null;
  if (displacement.terms == null && (displacement.minusBase ?? null) === null) return null;
  const terms =
    displacement.terms ??
    [
      { segment: displacement.base, coefficient: 1n },
      { segment: displacement.minusBase!, coefficient: -1n },
    ]
      .filter((term): term is { segment: number; coefficient: bigint } => term.segment !== null)
      .sort((a, b) => a.segment - b.segment);
  let based = false;
  let relative = false;
  for (const term of terms) {
    if (term.coefficient === 1n) {
      if (based) return 'multiple base segments';
      based = true;
    } else if (term.coefficient === -1n && term.segment === currentSegment && !relative) relative = true;
    else return 'impossible segment base multiplier';
  }
  return null;
}

/**
 * `[rbx + 5 wrt ..sym]`: a WRT on a plain number is dropped from an address, which nasm then
 * sizes as the number (no displacement for 0, disp8 for 5; measured). Its listing shows the
 * displacement in brackets (see listNumberWrtDisplacement).
 */
function withoutNumberWrt(value: Value): Value {
  if (value.wrt === null || value.wrt >= 0 || value.base !== null || value.unknown || value.segmentOf) return value;
  const dropped = withFields(value, { wrt: null });
  NUMBER_WRT_DROPPED.add(dropped);
  return dropped;
}

/** Displacements that had their WRT dropped by withoutNumberWrt. */
const NUMBER_WRT_DROPPED = new WeakSet<Value>();

function hasNumberWrtDisplacement(operands: Operand[]): boolean {
  return operands.some((op) => op.kind === 'mem' && NUMBER_WRT_DROPPED.has(op.displacement));
}

/** nasm lists a number-with-WRT displacement as a relocated field (`8B43[05]`) though it emits no relocation. */
function listNumberWrtDisplacement(ctx: AssemblyContext, operands: Operand[], bytes: Uint8Array, offset: number): void {
  if (!hasNumberWrtDisplacement(operands)) return;
  const field = displacementField(bytes, ctx.bits);
  if (field === null) return;
  ctx.stream.current.relocations.push({
    offset: offset + field.at,
    size: field.size as 1 | 2 | 4 | 8,
    relative: false,
    target: { kind: 'absolute' },
    targetSegment: -1,
    wrt: null,
    listedOnly: true,
  });
}

/** A symbol's (or `$`'s) offset in this pass, or null while it is not known. */
function leafOffset(ctx: AssemblyContext, leaf: Expr): bigint | null {
  try {
    const value = ctx.evaluateExpr(leaf);
    return value.unknown ? null : value.offset;
  } catch {
    return null;
  }
}

/**
 * AVX-512 decorators pass to the encoder unchanged (the property stays absent when there are none,
 * and the common operand is the plain literal: no spread on the hot path).
 */
function withDecorators<O extends Operand>(operand: O, op: OperandAst): O {
  return op.decorators ? { ...operand, decorators: op.decorators } : operand;
}

/**
 * A symbol that is a plain number already (an EQU defined before): a register may be scaled by it.
 * Not yet an EQU whose value is not known in pass one (`n equ (b-a)/4`, b ahead), which nasm takes.
 */
function scalarSymbol(ctx: AssemblyContext, name: string): Value | null {
  const value = ctx.symbols.get(name)?.value ?? null;
  return value !== null && isPlainNumber(value) ? value : null;
}

/** A memory operand's address split into registers and the rest, once per operand. */
function preparedMemory(ctx: AssemblyContext, op: Extract<OperandAst, { kind: 'mem' }>): PreparedMemory {
  let prepared = ctx.preparedMemory.get(op);
  if (prepared) return prepared;
  // A scale read from a symbol (`[ecx*x]`) is read again in each pass, in case the symbol's value moves.
  const scaledBySymbol = { seen: false };
  const scalar = (name: string): Value | null => {
    const value = scalarSymbol(ctx, name);
    scaledBySymbol.seen ||= value !== null;
    return value;
  };
  // An index not known yet (pass one): this pass's reading only, not kept.
  let unknownIndex = false;
  try {
    const split: SplitAddress = op.address ? splitAddress(op.address, scalar) : { registers: [], rest: null };
    // Reported each time the address is split (pass one, which such an error ends).
    for (const message of split.reported ?? []) ctx.errorNow(message);
    const registers: PreparedMemory['registers'] = split.registers;
    if (op.splitIndex) {
      // The base, before the comma, is one unscaled register at most: nasm refuses `[ebx+ecx, edx]`,
      // `[ebx*2, edx]` and `[ebx+ebx, edx]` in pass one, before it looks at the index; `[ebx*1, edx]`
      // and `[ebx-ebx+ecx, edx]` are fine (measured).
      const baseRegisters = registers.filter((r) => r.scale !== 0);
      if (baseRegisters.length > 1 || baseRegisters.some((r) => r.scale !== 1))
        throw new EvalError('invalid mib expression');
      const index = splitAddress(op.splitIndex);
      // The index is one register, scaled or not, plus nothing but a zero (`[ebx, ecx+x]`, x equ 0).
      // nasm reads its value before it judges it: a symbol defined nowhere is that symbol's error
      // in the final pass, not a bad mib (measured: `[ebx, x]`, `[ebx, ecx+x-x]`; with x defined,
      // even after the line, `[ebx, x]` is "invalid mib expression"). In pass one an index not yet
      // known is taken as its register: nasm judges the rest of the address then (`[spl, ecx+x]`
      // in BITS 32 is "invalid 32-bit effective address" in pass one, x defined below).
      const rest = index.rest === null ? null : ctx.evaluateExpr(index.rest);
      if (rest !== null && (rest.unknown || ctx.missingSymbol !== null)) {
        if (ctx.finalPass && ctx.missingSymbol !== null) ctx.undefinedSymbolError();
        if (ctx.pass !== 1) ctx.reportError('invalid mib expression');
        unknownIndex = true;
      }
      if (
        index.registers.length > 1 ||
        (rest !== null && !unknownIndex && !(isPlainNumber(rest) && rest.offset === 0n))
      ) {
        // Known only after pass one (`[ebx, x]`, x equ 16 below): nasm reports it in that pass and stops.
        if (ctx.pass > 1 && !ctx.finalPass) ctx.stopAfterThisPass('invalid mib expression');
        throw new EvalError('invalid mib expression');
      }
      // `[ebx, 0]` has no index at all (measured: FF 33 for `push dword [ebx, 0]`).
      if (index.registers.length === 1) registers.push({ ...index.registers[0]!, index: true });
    }
    // Kept for the whole run.
    const kept = fitted(registers);
    prepared = {
      ast: op,
      registers: kept,
      rest: split.rest,
      orderMayChange: registerOrderMayChange(kept),
      unknownIndex,
    };
  } catch (e) {
    if (e instanceof EvalError) ctx.reportEvalError(e);
    throw e;
  }
  if (!scaledBySymbol.seen && !unknownIndex) ctx.preparedMemory.set(op, prepared);
  return prepared;
}
