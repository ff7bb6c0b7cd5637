/**
 * Statements that declare data or space: `db`… lists, `resb`… reservations
 * and `incbin`.
 */
import { DIRECTORY_CONTENTS } from '../core/files.js';
import { convertFloat, type FloatConversion } from '../core/float.js';
import { warnsWhenEvaluated } from '../core/expressions.js';
import { isCriticalNumber, type Value } from '../core/value.js';
import { itemUnit, type DataItem, type DataUnit, type Expr, type StatementBody } from '../parse/ast.js';
import { StatementError, type AssemblyContext } from './context.js';
import { writeField } from './fields.js';
import { dataItemPieces } from './output-pieces.js';
import { ItemList, repeatedReservation } from '../parse/data-list.js';

type DataBody = Extract<StatementBody, { kind: 'data' }>;

export function reserve(ctx: AssemblyContext, body: Extract<StatementBody, { kind: 'reserve' }>): void {
  if (body.operandErrors !== undefined) {
    const messages = body.operandErrors;
    if (ctx.finalPass) for (const message of messages.slice(0, -1)) ctx.errorNow(message);
    ctx.reportError(messages[messages.length - 1]!);
  }
  const count = reserveCount(ctx, body.count);
  // nasm moves on by the whole byte count (`resd 0x40000001` in elf64's .bss makes it 0x100000004
  // bytes; elf32 writes sizes in 32 bits), but a negative count, or one whose low 32 bits read
  // negative, trips an assertion in nasm's final pass (exit 3); we report it instead (measured).
  // Only in the final pass, as nasm: an error in pass one ends the run before it, with no word
  // about the count (`resw -1` then `foo bar` is only `parser: instruction expected`).
  if (count < 0n) ctx.reportError(`invalid negative size in reserve`);
  const total = count * BigInt(body.unitSize);
  if (BigInt.asIntN(32, total) < 0n) ctx.reportError(`reservation of ${total} bytes is too large`);
  const size = Number(total);
  ctx.checkOutputRoom(size);
  if (!ctx.stream.inBss()) {
    if (size > 0) ctx.zeroingWarning(); // nasm: nothing to zero, no warning
    if (ctx.finalPass) ctx.stream.current.bytes.fill(0, size);
  }
  ctx.stream.advance(size);
}

/** A TIMES 0 reservation in the final pass: its count computed (an undefined symbol is an error), nothing reserved. */
export function readSkippedReservation(ctx: AssemblyContext, body: Extract<StatementBody, { kind: 'reserve' }>): void {
  if (body.operandErrors === undefined) reserveCount(ctx, body.count);
}

/**
 * A reservation's count. Not a critical expression in nasm 2.16.01: a forward reference reserves
 * nothing in pass one and gets its value later (`resb N` / `N equ 4`); a count that turns out to
 * be an address is refused in the pass after pass one, and nasm stops there.
 */
function reserveCount(ctx: AssemblyContext, expr: Expr): bigint {
  let value: Value;
  let gaveUp = false;
  try {
    value = ctx.evaluateExpr(expr, 'reserve');
  } catch (e) {
    // `resb x/0`: nasm's evaluator gives up on the divisor, and leaves no forward reference to warn of.
    gaveUp = e instanceof StatementError && e.message === 'division by zero';
    throw e;
  } finally {
    // nasm warns after evaluating, so after an error the evaluation itself reported (`alignb fwd`).
    if (ctx.missingSymbol !== null && !gaveUp)
      ctx.warnIfPassOneFails('forward reference in RESx can have unpredictable results', 'forward');
  }
  if (value.unknown) {
    if (ctx.finalPass) ctx.undefinedSymbolError();
    return 0n;
  }
  if (!isCriticalNumber(value)) {
    const message = 'attempt to reserve non-constant quantity of BSS space';
    if (ctx.pass === 1 || ctx.finalPass) ctx.reportError(message, true);
    ctx.stopAfterThisPass(message);
  }
  return value.offset;
}

type IncbinBody = Extract<StatementBody, { kind: 'incbin' }>;

function incbinData(ctx: AssemblyContext, body: IncbinBody): Uint8Array | null {
  let data = ctx.incbinCache.get(body.file);
  if (data === undefined) {
    data = ctx.options.readBinary(body.file);
    ctx.incbinCache.set(body.file, data);
  }
  return data;
}

/**
 * An unreadable file is an error per repetition in nasm (`times 3 incbin "x"`: three). The
 * include path is searched by the standard `incbin` macro, which a `times` prefix hides: then
 * the name is read as written.
 */
export function checkIncbinFile(ctx: AssemblyContext, body: IncbinBody, copies = 1): void {
  const data = incbinData(ctx, body);
  if (data === DIRECTORY_CONTENTS) {
    refuseDirectory(ctx, body);
    return;
  }
  if (data !== null) return;
  const message = `\`incbin': unable to get length of file \`${body.file}'`;
  if (ctx.pass === 1 || ctx.finalPass)
    for (let i = 1; i < copies; i++) ctx.diagnostics.error(message, ctx.currentLocation);
  ctx.reportError(message, true);
}

/**
 * A directory: nasm finds its length to be the largest file offset (ext4's answer) and fails at its
 * first read, in the final pass, once for all TIMES copies; nothing is placed in any pass (the
 * listing's next address is unchanged). Asked for no bytes (`incbin ".", 0, 0`), it reads none.
 */
function refuseDirectory(ctx: AssemblyContext, body: IncbinBody): void {
  if (body.length !== null && ctx.criticalNumber(body.length, 'non-constant incbin length') <= 0n) return;
  const name = `\`${body.file}'`;
  if (ctx.finalPass) ctx.diagnostics.error(`\`incbin': unexpected EOF while reading file ${name}`, ctx.currentLocation);
  ctx.reportError(`\`incbin': error while reading file ${name}`);
}

export function incbin(ctx: AssemblyContext, body: IncbinBody): void {
  checkIncbinFile(ctx, body);
  const data = incbinData(ctx, body) ?? new Uint8Array();
  const start = body.offset ? Number(ctx.criticalNumber(body.offset, 'non-constant incbin offset')) : 0;
  let slice = data.subarray(Math.min(start, data.length));
  if (body.length) slice = slice.subarray(0, Number(ctx.criticalNumber(body.length, 'non-constant incbin length')));
  if (ctx.finalPass && !ctx.stream.inBss()) ctx.stream.current.bytes.push(slice);
  else if (ctx.stream.inBss() && ctx.stream.absoluteOffset === null) ctx.warn(nobitsInitMessage(ctx), 'other');
  ctx.stream.advance(slice.length);
}

/** More repetitions than this are refused instead of filling memory (as the parser's own `dup`). */
const MAX_EXPANDED_ITEMS = 1 << 26;

export function hasSymbolicDup(body: DataBody): boolean {
  // Asked of every data line in every pass: a plain loop, no callback.
  for (const item of body.items) if (item.kind === 'dup') return true;
  return false;
}

/** The line with its symbolic `dup` counts expanded for this pass (nasm evaluates them in every pass). */
function expandDups(ctx: AssemblyContext, items: DataItem[], unit: DataUnit): DataItem[] {
  // Rebuilt operand by operand, so that `db ?, N dup (?)` is one reservation as it is in nasm.
  const out = new ItemList(unit);
  for (const item of items) {
    if (item.kind !== 'dup') {
      out.add([item]);
      continue;
    }
    const count = ctx.criticalCount(item.count, 'non-constant argument supplied to DUP');
    if (count < 0n) ctx.reportError('negative argument supplied to DUP', true);
    const once = expandDups(ctx, item.items, unit);
    const reservation = repeatedReservation(once, Number(count));
    if (reservation !== undefined) {
      out.add(reservation);
      continue;
    }
    if (Number(count) * once.length > MAX_EXPANDED_ITEMS) ctx.reportError('DUP expansion too large', true);
    const repeated: DataItem[] = [];
    for (let i = 0n; i < count; i++) repeated.push(...once);
    out.add(repeated);
  }
  return out.items;
}

/** The line with its symbolic `dup`s expanded for this pass (their counts may change from pass to pass). */
function withDupsExpanded(ctx: AssemblyContext, written: DataBody): DataBody {
  return { ...written, items: expandDups(ctx, written.items, written.unitSize) };
}

export function data(ctx: AssemblyContext, written: DataBody, index: number): void {
  const symbolic = hasSymbolicDup(written);
  const body = symbolic ? withDupsExpanded(ctx, written) : written;
  const memos = ctx.memos;
  if (ctx.stream.absoluteOffset !== null) dataInAbsoluteSpace(ctx, body);
  if (ctx.stream.inBss()) {
    // The values are still computed, the whole line before any output (nasm's parser does): an
    // impossible one is a pass-1 error, an undefined one drops the line, an extern named is kept.
    if (ctx.pass === 1) checkDataValues(ctx, body, true);
    // Floats are converted as the line is read, their warnings first (as in other sections).
    if (ctx.finalPass && ctx.timesRepetition === 0) warnFloats(ctx, body);
    if (ctx.finalPass)
      for (const item of body.items)
        if (item.kind === 'expr' && ctx.evaluateExpr(item.expr).unknown) ctx.undefinedSymbolError();
    for (const item of body.items) {
      // nasm refuses an integer wider than a qword as ever; the rest warns once per piece its
      // output stage is handed (an item; a string's padding).
      const unit = itemUnit(item, body.unitSize);
      if (item.kind === 'expr' && unit > 8) {
        if (ctx.finalPass) ctx.diagnostics.error(wideIntegerMessage(unit), ctx.currentLocation);
        continue;
      }
      // A number that does not fit its field is still checked as nasm's output stage is handed it
      // (its expression's own warnings were given above).
      if (item.kind === 'expr' && ctx.finalPass)
        ctx.evaluatedAgain(() => {
          warnIfNumberOutOfBounds(ctx, item.expr, unit);
        });
      warnNobits(ctx, dataItemPieces(item, unit));
    }
    ctx.stream.advance(dataSize(body));
    return;
  }
  if (!ctx.finalPass) {
    // A symbolic `dup` count may change from pass to pass: its size is never fixed.
    if (memos.fixedSize[index]! < 0 && !symbolic) memos.fixedSize[index] = dataSize(body);
    // Values are only needed in the final pass, but nasm already rejects impossible ones in pass 1.
    // A value that cannot be computed (division by zero …) drops the line, which then takes no
    // space; a scaled address still takes its bytes (as nasm's -Lp listing of pass 1 shows).
    const check = valuesToCheck(ctx, index) ? checkDataValues(ctx, body, ctx.pass === 1) : DataCheck.Fine;
    const size = symbolic ? dataSize(body) : memos.fixedSize[index]!;
    memos.lastSize[index] = size;
    ctx.stream.advance(size);
    if (check === DataCheck.Unknown && ctx.pass === 1) ctx.dataKnownLater.add(index);
    if (check !== DataCheck.Unknown) ctx.dataKnownLater.delete(index);
    if (check === DataCheck.Refused) {
      // nasm refuses the value in the first pass that knows it, and stops after that pass.
      if (ctx.pass === 1) ctx.reportError(NOT_SIMPLE, true);
      ctx.stopAfterThisPass(NOT_SIMPLE);
    }
    return;
  }
  const start = ctx.stream.current.offset;
  // Converted as the line is read: once, however often TIMES repeats the line.
  if (ctx.timesRepetition === 0) warnFloats(ctx, body);
  // Only a line whose values no earlier pass knew can name a symbol defined nowhere (dataKnownLater
  // keeps those; a source read anew in every pass may renumber its lines).
  if (body.items.length > 1 && (ctx.dataKnownLater.has(index) || ctx.options.statementSource !== undefined))
    refuseUndefinedFirst(ctx, body);
  // Then, item by item as nasm's output stage is handed them: each `?` run's zeroing warning, and
  // each number that overflows its field (`db 300, 400`: two warnings).
  for (const item of body.items) dataItem(ctx, item, itemUnit(item, body.unitSize));
  memos.lastSize[index] = ctx.stream.current.offset - start;
}

/**
 * A TIMES 0 data line is still read, as nasm's parser reads every line before TIMES repeats it:
 * in pass one an impossible value is an error, in the final pass each value is computed and each
 * float converted in order (warnFloats). It gives no output.
 */
export function readSkippedData(ctx: AssemblyContext, written: DataBody): void {
  if (ctx.pass !== 1 && !ctx.finalPass) return;
  const body = hasSymbolicDup(written) ? withDupsExpanded(ctx, written) : written;
  if (ctx.pass === 1 && checkDataValues(ctx, body, true) === DataCheck.Refused) ctx.reportError(NOT_SIMPLE, true);
  if (ctx.finalPass) warnFloats(ctx, body, true);
}

/**
 * nasm converts floats as it parses the line, so their warnings come before those of the
 * line's output, once per float written (`dd 2 dup (1e99)`: one warning; a `dup` repeats the
 * same item). The same walk computes the line's values: the first one that fails ends it, and
 * no float after it warns (`dd zz, 1e99` is "symbol not defined" alone). That value's error is
 * the output stage's (dataItem), or with `report` given here (a TIMES 0 line: no output stage).
 * A float that fails is reported where dataItem meets it.
 */
function warnFloats(ctx: AssemblyContext, body: DataBody, report = false): void {
  let seen: Set<DataItem> | null = null;
  const items = body.items;
  // Without `report`, the walk ends at the last float: nothing after it warns here.
  let end = items.length;
  if (!report) while (end > 0 && items[end - 1]!.kind !== 'float') end--;
  for (let k = 0; k < end; k++) {
    const item = items[k]!;
    if (item.kind === 'expr') {
      if (!report && !ctx.hasValue(item.expr)) return;
      if (report && ctx.evaluateExpr(item.expr).unknown) ctx.undefinedSymbolError();
      continue;
    }
    if (item.kind !== 'float') continue;
    if ((seen ??= new Set()).has(item)) continue;
    seen.add(item);
    const conversion = convertFloat(item.text, item.negative, itemUnit(item, body.unitSize), ctx.floatMode);
    for (const w of conversion.warnings) ctx.warn(w.message, w.warningClass);
    if (conversion.error !== null) return;
  }
}

/**
 * nasm computes a line's values before its output stage takes any: a symbol defined nowhere is the
 * line's only message (`db 300, zz`: no overflow warning for the 300, measured).
 */
function refuseUndefinedFirst(ctx: AssemblyContext, body: DataBody): void {
  const items = body.items;
  const undefinedAt = items.findIndex(
    (item) => item.kind === 'expr' && plainNumber(item.expr) === null && !ctx.hasValue(item.expr),
  );
  if (undefinedAt < 0) return;
  // The values before it are still read, with their own warnings (`'Hello'` as a number is too long).
  for (let k = 0; k <= undefinedAt; k++) {
    const item = items[k]!;
    if (item.kind === 'expr' && ctx.evaluateExpr(item.expr).unknown) ctx.undefinedSymbolError();
  }
}

const NOT_SIMPLE = 'expression is not simple or relocatable';

/** What checkDataValues found in a data line's values. */
const enum DataCheck {
  Fine,
  /** A value no relocation can express: nasm refuses it in the first pass that knows it. */
  Refused,
  /** Some value is not known yet (and none is refused): looked at again in the next pass. */
  Unknown,
}

/**
 * Whether this pass looks at the line's values: pass one, and later passes until they are known
 * (every pass when each reads the source anew, whose line numbers may change).
 */
function valuesToCheck(ctx: AssemblyContext, index: number): boolean {
  if (ctx.pass === 1 || ctx.options.statementSource !== undefined) return true;
  return ctx.dataKnownLater.size > 0 && ctx.dataKnownLater.has(index);
}

/**
 * Errors in data values that no later pass can change: a scaled or complex address, or one less
 * another section's address (`dd text_label - data_label` in .data, `dd -text_label`); nasm
 * refuses them as soon as it knows them (measured: in pass one, or in pass two for a forward
 * reference, after which it stops, before any final-pass error). `floats`: pass one, where float
 * errors are reported too. Evaluation errors are reported here.
 */
function checkDataValues(ctx: AssemblyContext, body: DataBody, floats: boolean): DataCheck {
  let check = DataCheck.Fine;
  for (const item of body.items) {
    // nasm converts floats as it parses the line: their errors are pass-one errors.
    if (item.kind === 'float' && floats) checkFloat(ctx, item, itemUnit(item, body.unitSize));
    // A number written as such is neither scaled nor complex: nothing to evaluate.
    if (item.kind !== 'expr' || plainNumber(item.expr) !== null) continue;
    const value = ctx.evaluateExpr(item.expr);
    // A difference of two symbols not defined yet is a known 0 before the final pass (unknowns
    // cancel): still a value to look at again.
    if (value.unknown || ctx.missingSymbol !== null) check = DataCheck.Unknown;
    else if (value.scaled || value.complex || otherSectionSubtracted(ctx, value)) return DataCheck.Refused;
  }
  return check;
}

/** A value less the address of a section other than the one it is written into. */
function otherSectionSubtracted(ctx: AssemblyContext, value: Value): boolean {
  const minusBase = value.minusBase ?? null;
  return minusBase !== null && minusBase !== ctx.stream.hereBase();
}

/**
 * Data in `absolute` space (a struc without its end): refused in the final pass, an undefined
 * value first; earlier passes size it like a reservation (an -Lp listing shows its length).
 */
function dataInAbsoluteSpace(ctx: AssemblyContext, body: DataBody): void {
  if (!ctx.finalPass) return;
  const message = 'attempt to assemble code in [ABSOLUTE] space';
  for (const item of body.items) {
    if (item.kind === 'expr' && ctx.evaluateExpr(item.expr).unknown) ctx.undefinedSymbolError();
  }
  // One error per piece nasm's output stage is handed (a string and its padding; an empty string is
  // none), each number's overflow warning before its own.
  let handed = 0;
  for (const item of body.items) handed += dataItemPieces(item, itemUnit(item, body.unitSize));
  if (handed === 0) return;
  let said = 0;
  for (const item of body.items) {
    const unit = itemUnit(item, body.unitSize);
    if (item.kind === 'expr') {
      ctx.evaluatedAgain(() => {
        warnIfNumberOutOfBounds(ctx, item.expr, unit);
      });
    }
    for (let piece = dataItemPieces(item, unit); piece > 0; piece--) {
      if (++said === handed) ctx.reportError(message);
      ctx.diagnostics.error(message, ctx.currentLocation);
    }
  }
}

function wideIntegerMessage(unit: number): string {
  return `integer supplied as ${unit * 8}-bit data`;
}

/** The nobits warning, `pieces` times (once per piece nasm's output stage is handed). */
export function warnNobits(ctx: AssemblyContext, pieces: number): void {
  for (let i = 0; i < pieces; i++) ctx.warn(nobitsInitMessage(ctx), 'other');
}

/** nasm's wording for data or code in a nobits section: bin and ELF say it differently. */
export function nobitsInitMessage(ctx: AssemblyContext): string {
  return ctx.options.format === 'bin'
    ? 'attempt to initialize memory in a nobits section: ignored'
    : `attempt to initialize memory in BSS section \`${ctx.stream.current.name}': ignored`;
}

export function dataSize(body: DataBody): number {
  let size = 0;
  for (const item of body.items) {
    const unit = itemUnit(item, body.unitSize);
    if (item.kind === 'string') size += Math.ceil(item.bytes.length / unit) * unit;
    else if (item.kind === 'uninit') size += unit * item.count;
    else size += unit;
  }
  return size;
}

/** The field sizes nasm checks a number against, with the bound: it fits from -bound to bound - 1. */
const FIELD_BOUNDS: ReadonlyMap<number, bigint> = new Map([
  [1, 1n << 8n],
  [2, 1n << 16n],
  [4, 1n << 32n],
]);
const SIZE_NAMES: Readonly<Record<number, string>> = { 1: 'byte', 2: 'word', 4: 'dword' };
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * The value of an item written as a plain number (`5`, `-3`), which the evaluator would only
 * copy; null for any other expression (and for the numbers that warn when evaluated).
 */
function plainNumber(expr: Expr): bigint | null {
  let negative = false;
  let leaf = expr;
  if (leaf.kind === 'unary' && leaf.op === '-') {
    negative = true;
    leaf = leaf.operand;
  }
  if (leaf.kind !== 'number' || warnsWhenEvaluated(leaf)) return null;
  const value = leaf.value >= INT64_MIN && leaf.value <= INT64_MAX ? leaf.value : BigInt.asIntN(64, leaf.value);
  if (!negative) return value;
  return value === INT64_MIN ? value : -value;
}

/** A value that is just a number: no base, no `wrt`, nothing for a relocation to express. */
function isPlainNumber(value: Value): boolean {
  return (
    value.base === null &&
    value.wrt === null &&
    !value.unknown &&
    !value.segmentOf &&
    (value.minusBase ?? null) === null &&
    value.scaled !== true &&
    value.complex !== true
  );
}

/**
 * A plain number straight into its field. nasm warns when it is outside -2^bits .. 2^bits - 1
 * (`db -256` and `db 255` fit, `db -257` and `db 256` do not; a qword always fits).
 */
function writeNumber(ctx: AssemblyContext, value: bigint, unit: number): void {
  const section = ctx.stream.current;
  warnIfOutOfBounds(ctx, value, unit);
  section.bytes.writeField(section.offset, unit, value);
  section.offset += unit;
}

/** The overflow warning of an item whose value is a plain number (a relocated value is not checked here). */
function warnIfNumberOutOfBounds(ctx: AssemblyContext, expr: Expr, unit: number): void {
  const value = ctx.evaluateExpr(expr);
  if (isPlainNumber(value)) warnIfOutOfBounds(ctx, value.offset, unit);
}

function warnIfOutOfBounds(ctx: AssemblyContext, value: bigint, unit: number): void {
  const bound = FIELD_BOUNDS.get(unit);
  if (bound !== undefined && (value < -bound || value >= bound))
    ctx.warn(`${SIZE_NAMES[unit]} data exceeds bounds`, 'number-overflow');
}

function dataItem(ctx: AssemblyContext, item: DataItem, unit: number): void {
  const section = ctx.stream.current;
  const out = section.bytes;
  switch (item.kind) {
    case 'string': {
      const padded = Math.ceil(item.bytes.length / unit) * unit;
      out.push(item.bytes);
      out.fill(0, padded - item.bytes.length);
      section.offset += padded;
      return;
    }
    case 'uninit':
      ctx.zeroingWarning();
      out.fill(0, unit * item.count);
      section.offset += unit * item.count;
      return;
    case 'float': {
      const conversion = convertFloat(item.text, item.negative, unit, ctx.floatMode);
      if (conversion.error !== null) ctx.reportError(conversion.error.message);
      out.writeField(section.offset, unit, conversion.bits!);
      section.offset += unit;
      return;
    }
    case 'expr': {
      const number = unit <= 8 ? plainNumber(item.expr) : null;
      if (number !== null) {
        writeNumber(ctx, number, unit);
        return;
      }
      const value = ctx.evaluateExpr(item.expr);
      if (value.unknown) ctx.undefinedSymbolError();
      if (unit > 8) {
        // dt / do with an integer, an address too (`dt label`, `do ext+1`: measured): nasm rejects
        // each integer wider than 8 bytes and goes on with the line; the refused item takes no room
        // (its listing moves on without it).
        ctx.diagnostics.error(wideIntegerMessage(unit), ctx.currentLocation);
        return;
      }
      if (isPlainNumber(value)) {
        writeNumber(ctx, value.offset, unit);
        return;
      }
      const place = { at: section.offset, size: unit as 1 | 2 | 4 | 8, relative: false, distanceToEnd: unit };
      writeField(ctx, place, value, true);
      section.offset += unit;
      return;
    }
  }
}

/**
 * Converts a float item once for the errors nasm gives in pass one (its warnings come with the
 * final pass's bytes). A bad significand character is reported in the final pass only (measured).
 * Called in pass one only.
 */
function checkFloat(ctx: AssemblyContext, item: Extract<DataItem, { kind: 'float' }>, unit: number): void {
  const { error }: FloatConversion = convertFloat(item.text, item.negative, unit, ctx.floatMode);
  if (error === null || error.message.includes('floating-point constant significand')) return;
  // A bad exponent character still leaves the item its bytes (nasm's -Lp listing of pass one).
  if (error.message.includes('floating-point constant exponent'))
    ctx.diagnostics.error(error.message, ctx.currentLocation);
  else ctx.reportError(error.message, true);
}
