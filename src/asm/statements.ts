/**
 * Statements that take space: instructions, data, reservations, `incbin`,
 * and `times`, which repeats one of them.
 */
import { encodeInstruction } from '../encoder/index.js';
import type { Expr, StatementBody } from '../parse/ast.js';
import { NON_CONSTANT_TIMES, StatementError, type AssemblyContext } from './context.js';
import {
  checkIncbinFile,
  data,
  dataSize,
  hasSymbolicDup,
  incbin,
  readSkippedData,
  readSkippedReservation,
  reserve,
} from './data.js';
import { buildOperands, encodeContext, instruction, readSkippedInstruction } from './instructions.js';
import { operandDependsOnLayout } from './layout.js';
import { smartalign } from './smartalign.js';
import { defineEqu } from './definitions.js';

type TimesBody = Extract<StatementBody, { kind: 'times' }>;

export function emitBody(ctx: AssemblyContext, body: StatementBody, index: number): void {
  switch (body.kind) {
    case 'times':
      times(ctx, body, index);
      return;
    case 'instruction':
      instruction(ctx, body, index);
      return;
    case 'data':
      data(ctx, body, index);
      return;
    case 'reserve':
      reserve(ctx, body);
      return;
    case 'incbin':
      incbin(ctx, body);
      return;
    case 'smartalign':
      smartalign(ctx, body);
      return;
    case 'equ-refused':
      // A pass-1 error that leaves the line going: one per TIMES repetition (measured), after the
      // operands' own errors (`equ x/0` is "division by zero" alone).
      buildOperands(ctx, body.operands);
      if (ctx.pass === 1 || ctx.finalPass) ctx.diagnostics.error(body.message, ctx.currentLocation);
      return;
    case 'equ':
      // `x: times 2 equ 5`: the label was defined as the line began; each copy defines the EQU.
      defineEqu(ctx, ctx.statements[ctx.currentIndex]!.label!, body.value);
      return;
    default:
      return;
  }
}

/**
 * The repeat count, with errors reported. A count that is not a number yet counts 1 (nasm then
 * assembles the line once: its pass-1 layout counts it); a count whose evaluation failed (`1/0`,
 * an undefined symbol in the final pass) counts 0 (nasm's listing shows no bytes for it).
 */
function timesCount(ctx: AssemblyContext, count: Expr): bigint {
  try {
    return ctx.criticalCount(count, NON_CONSTANT_TIMES);
  } catch (e) {
    if (!(e instanceof StatementError)) throw e;
    return e.message === NON_CONSTANT_TIMES ? 1n : 0n;
  }
}

/** A TIMES count as nasm checks it: its errors reported, kept in 32 bits. */
function checkedTimesCount(ctx: AssemblyContext, countExpr: Expr): number {
  const count = timesCount(ctx, countExpr);
  // A final-pass error in nasm (the count may still change): earlier passes skip the line, and the
  // listing of the final pass has the lines before it.
  if (count < 0n) ctx.reportError(`TIMES value ${count} is negative`);
  // nasm keeps the count in 32 bits: `times 0x100000001 nop` is one nop, `times 0x100000000 nop`
  // none. A count whose low 32 bits read negative trips an assertion in nasm (exit 3): an error here.
  const n = Number(BigInt.asIntN(32, count));
  if (n < 0) ctx.reportError(`TIMES value ${count} is too large`);
  return n;
}

function times(ctx: AssemblyContext, body: TimesBody, index: number): void {
  const diagnostics = ctx.diagnostics.list;
  const firstRepetitionEnd = { at: Number.POSITIVE_INFINITY };
  try {
    repeat(ctx, body, index, firstRepetitionEnd);
  } finally {
    for (let d = firstRepetitionEnd.at; d < diagnostics.length; d++) diagnostics[d]!.laterRepetition = true;
  }
}

/**
 * A line TIMES repeats no times is still read, values and all, as nasm's parser reads every line
 * before TIMES repeats it: an undefined symbol is an error, a float warns (measured: `times 0 dd
 * zz`, `times 0 mov eax, [zz]`, `times 0 resd zz`, `times 0 dd 1e99`). It gives no output and no
 * encoding (`times 0 mov eax, bl` is no error).
 */
function readSkippedLine(ctx: AssemblyContext, inner: StatementBody): void {
  if (inner.kind === 'data') readSkippedData(ctx, inner);
  else if (inner.kind === 'instruction' && ctx.finalPass) readSkippedInstruction(ctx, inner);
  else if (inner.kind === 'reserve' && ctx.finalPass) readSkippedReservation(ctx, inner);
}

/** The repetitions of a TIMES line; `firstRepetitionEnd.at` gets where the first one's messages end. */
function repeat(ctx: AssemblyContext, body: TimesBody, index: number, firstRepetitionEnd: { at: number }): void {
  // `times 2 times 3 nop`: nasm checks the earlier counts and repeats by the last one, even after
  // an earlier one's error (`times -1 times 2 nop` lists two nops under its error).
  for (const earlier of body.overridden ?? []) {
    try {
      checkedTimesCount(ctx, earlier);
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
    }
  }
  let n: number;
  try {
    n = checkedTimesCount(ctx, body.count);
  } catch (e) {
    // Refused after it was read: the line's own messages follow (`times -1 dd 1e99` warns too).
    if (e instanceof StatementError && ctx.finalPass) readSkippedLine(ctx, body.body);
    throw e;
  }
  ctx.lastTimesCount = n;
  const memos = ctx.memos;
  if (n === 0) {
    // The layout model needs the unit size of `align`-style padding even while it is zero.
    if (!ctx.finalPass && memos.fixedSize[index]! < 0) measureTimesUnit(ctx, body.body, index);
    readSkippedLine(ctx, body.body);
    return;
  }
  const inner = body.body;
  if (inner.kind === 'incbin') checkIncbinFile(ctx, inner, n);
  const diagnosticsBefore = ctx.diagnostics.list.length;
  // `$` as a number: in `absolute` space (a struc) the counter moves, not the section.
  const start = ctx.stream.hereOffset();
  // Data and reservations have the same size every time: one evaluation, then copies.
  for (let i = 0; i < n; i++) {
    if (i === 1) {
      firstRepetitionEnd.at = ctx.diagnostics.list.length;
      const unit = ctx.stream.hereOffset() - start;
      ctx.checkOutputRoom(unit * (n - 1));
      if (inner.kind === 'reserve') {
        repeatReservation(ctx, unit, n - 1);
        return;
      }
    }
    const fixed = memos.fixedSize[index]!;
    if (i > 0 && !ctx.finalPass && fixed >= 0 && (inner.kind === 'data' || inner.kind === 'instruction')) {
      ctx.stream.advance(fixed * (n - i));
      return;
    }
    if (inner.kind === 'data' && i > 0 && !ctx.finalPass) {
      ctx.stream.advance(memos.lastSize[index]! * (n - i));
      return;
    }
    if (i === 1 && ctx.finalPass && repeatPlainData(ctx, inner, n - 1, diagnosticsBefore)) return;
    ctx.timesRepetition = i;
    try {
      emitBody(ctx, inner, index);
    } finally {
      ctx.timesRepetition = 0;
    }
  }
}

/** The other repetitions of a reservation: one evaluation (and one `zeroing` warning, as nasm), then space. */
function repeatReservation(ctx: AssemblyContext, unit: number, copies: number): void {
  if (ctx.finalPass && !ctx.stream.inBss()) ctx.stream.current.bytes.fill(0, unit * copies);
  ctx.stream.advance(unit * copies);
}

/**
 * Final pass, TIMES of data: `$` is the same in every repetition, so when the
 * first one needed no relocation, the others are byte copies of it.
 */
function repeatPlainData(
  ctx: AssemblyContext,
  inner: StatementBody,
  copies: number,
  diagnosticsBefore: number,
): boolean {
  const size = ctx.memos.lastSize[ctx.currentIndex]!;
  // Instructions whose operands hold no label and no `$` encode the same every time, like data.
  const sameEveryTime =
    inner.kind === 'data' || (inner.kind === 'instruction' && !inner.operands.some(operandDependsOnLayout));
  if (!sameEveryTime || ctx.stream.inBss() || size <= 0) return false;
  const firstDiagnostics = ctx.diagnostics.list.slice(diagnosticsBefore);
  if (firstDiagnostics.some((d) => d.severity !== 'warning')) return false;
  const section = ctx.stream.current;
  const relocations = section.relocations;
  if (relocations.length > 0 && relocations[relocations.length - 1]!.offset >= section.offset - size) return false;
  section.bytes.repeatTail(size, copies);
  section.offset += size * copies;
  // nasm's output stage warns once per repetition (`times 3 db 300`: three overflow warnings); a
  // float constant is converted once, as the line is read (`times 3 dd 1e99`: one warning), and
  // so are its expressions (`times 3 mov eax, 'abcde'`: one "character constant too long").
  const perCopy = firstDiagnostics.filter(
    (d) => d.warningClass?.startsWith('float-') !== true && !ctx.warnedAsRead.has(d),
  );
  for (let i = 0; i < copies; i++) {
    for (const d of perCopy) ctx.diagnostics.warningChecked(d.message, d.location, d.warningClass ?? 'other');
  }
  return true;
}

/** Records the size of one repetition of a TIMES body without emitting it (data, or an instruction that does not depend on layout). */
function measureTimesUnit(ctx: AssemblyContext, inner: StatementBody, index: number): void {
  const memos = ctx.memos;
  if (inner.kind === 'data') {
    if (!hasSymbolicDup(inner)) memos.fixedSize[index] = dataSize(inner);
  } else if (inner.kind === 'instruction' && inner.mnemonic !== '' && !inner.operands.some(operandDependsOnLayout)) {
    const operands = buildOperands(ctx, inner.operands);
    const result = encodeInstruction(
      { mnemonic: inner.mnemonic, prefixes: inner.prefixes, operands },
      encodeContext(ctx),
    );
    if (result.ok && !result.finalPassError) memos.fixedSize[index] = result.bytes.length;
  }
}
