/** `global`, `static`, `extern` and `common`: symbols declared rather than defined here. */
import { readNumber } from '../../core/numbers.js';
import type { Expr, SymbolDeclaration } from '../../parse/ast.js';
import { StatementError, type AssemblyContext } from '../context.js';
import { declarationOf, declare, type SymbolEntry, type SymbolDeclaration as SymbolAttributes } from '../symbols.js';
import { argumentsOf, type DirectiveHandler, type DirectiveStatement } from './types.js';

/** `global`/`static` mark names (and give elf32 types and sizes); the definition comes with the label. */
const globalOrStatic: DirectiveHandler = (ctx, directive) => {
  for (const item of readableSymbols(ctx, directive)) {
    const sym = ctx.symbols.symbol(item.name);
    if (directive.name === 'static') ctx.nameMangling.staticNames.add(item.name);
    if (directive.name === 'global') {
      if (declarationOf(sym).commonDeclared) {
        if (ctx.pass === 1)
          ctx.diagnostics.error(`symbol \`${item.name}' declared both as common and global`, ctx.currentLocation);
        continue;
      }
      if (sym.kind === 'extern') declare(sym).globalAfterExtern = true;
      sym.global = true;
    }
    if (item.special === null) continue;
    const earlier = declarationOf(sym).elfSpecial;
    if (earlier !== null && earlier !== item.special) {
      if (ctx.pass === 1)
        ctx.diagnostics.error(
          `symbol \`${item.name}' has inconsistent attributes \`${earlier}' and \`${item.special}'`,
          ctx.currentLocation,
        );
      continue;
    }
    const declared = declare(sym);
    declared.elfSpecial = item.special;
    if (item.type) declared.elfType = item.type;
    if (item.visibility) declared.elfVisibility = item.visibility;
    if (item.weak !== null) declared.elfWeak = item.weak;
    if (item.sizeText !== null) declared.elfSize = { expr: item.size, text: item.sizeText, report: item.sizeReport };
  }
};

/**
 * Where a label with an ELF special is defined, in the final pass: its size expression is worked
 * out there (nasm's messages point at the label's line, whichever came first). A common's size is
 * worked out at its `common` line.
 */
export function defineSpecialSymbol(ctx: AssemblyContext, sym: SymbolEntry): void {
  const declared = sym.declared;
  if (!sym.global || declared?.elfSpecial == null || declared.elfSize === null || ctx.options.format === 'bin') return;
  workOutSize(ctx, declared);
}

/** The size expression of a symbol's special: refused if relocatable after pass one, worked out in the final pass. */
function workOutSize(ctx: AssemblyContext, attributes: SymbolAttributes): void {
  const { expr, text, report } = attributes.elfSize!;
  if (ctx.pass === 1) {
    // A size that does not parse is a pass-one error (an empty one, `global x:name`, the final pass's).
    if (expr === null && text.trim() !== '') ctx.diagnostics.error('expression syntax error', ctx.currentLocation);
    // A relocatable size is refused one pass after pass one (nasm then stops before its final pass).
    if (expr !== null && isRelocatable(ctx, expr))
      ctx.reportAfterPassOne('cannot use relocatable expression as symbol size');
    return;
  }
  if (!ctx.finalPass) return;
  const size = elfSize(ctx, expr, report);
  if (typeof size === 'string') ctx.diagnostics.error(size, ctx.currentLocation);
  else if (size !== null) attributes.elfSizeValue = size;
}

function isRelocatable(ctx: AssemblyContext, expr: Expr): boolean {
  try {
    const value = ctx.evaluateExpr(expr);
    return !value.unknown && (value.base !== null || value.complex === true);
  } catch (e) {
    if (e instanceof StatementError) return false;
    throw e;
  }
}

/**
 * The size; nasm's message for a size it cannot use; or null when the size has an undefined
 * symbol that nasm does not see: it looks for the name in `report` (the expression after the
 * special's first word), and where that has none (` 8 data zz` after a common's colon: `8`), it
 * says nothing and the symbol keeps its size.
 */
function elfSize(ctx: AssemblyContext, expr: Expr | null, report: Expr | null): number | string | null {
  if (expr === null) return 'expression syntax error';
  let value;
  try {
    value = ctx.evaluateExpr(expr);
  } catch (e) {
    if (e instanceof StatementError) return 0; // evaluateExpr reported it
    throw e;
  }
  if (value.unknown) {
    const missing = ctx.missingSymbol;
    if (report === null || report === expr) return `symbol \`${missing ?? '?'}' not defined`;
    return ctx.hasValue(report) ? null : `symbol \`${ctx.missingSymbol ?? missing ?? '?'}' not defined`;
  }
  if (value.base !== null || value.complex) return 'cannot use relocatable expression as symbol size';
  return Number(BigInt.asUintN(64, value.offset));
}

/** `extern`, and `required`: an extern that goes into the symbol table even when nothing refers to it. */
const extern: DirectiveHandler = (ctx, directive) => {
  for (const item of readableSymbols(ctx, directive)) {
    declareExtern(ctx, item.name);
    // `extern x:weak object` (measured: type, visibility and binding reach the undefined symbol).
    const sym = ctx.symbols.symbol(item.name);
    if (sym.kind !== 'extern') continue;
    if (item.type || item.visibility || item.weak !== null) {
      const attributes = declare(sym);
      if (item.type) attributes.elfType = item.type;
      if (item.visibility) attributes.elfVisibility = item.visibility;
      if (item.weak !== null) attributes.elfWeak = item.weak;
    }
    if (directive.name === 'required') sym.referenced = true;
  }
};

/** The names of a `global`/`static`/`extern` line; a list nasm cannot read is its pass-one error. */
function readableSymbols(ctx: AssemblyContext, directive: DirectiveStatement): SymbolDeclaration[] {
  const args = argumentsOf(directive, 'symbols');
  if (args.syntaxError !== undefined) ctx.reportError(args.syntaxError, true);
  return args.symbols;
}

/**
 * `common` after `global` or `extern` of the same name: nasm's pass-one errors (in bin too); a
 * later `extern` of a common is accepted and changes nothing (measured).
 */
function commonFitsEarlierDeclaration(ctx: AssemblyContext, sym: SymbolEntry): boolean {
  if ((sym.kind === 'label' || sym.kind === 'equ') && sym.value !== null && sym.definedInPass === ctx.pass) {
    // Defined earlier in this pass (`x:` or `x equ 5`, then `common x 4`): nasm's label
    // redefinition, after which the common takes over (the same `common` again is no error).
    if (ctx.pass === 1) ctx.redefinitionError(sym);
    sym.definedAt = ctx.currentLocation;
    sym.kind = 'common';
    sym.definedInPass = 0;
    declare(sym).commonDeclared = true;
    ctx.stream.addSymbolSegment(sym);
    return true;
  }
  if (sym.kind === 'extern') {
    if (ctx.pass === 1) ctx.redefinitionError(sym);
    return false;
  }
  if (sym.global && !declarationOf(sym).commonDeclared) {
    if (ctx.pass === 1)
      ctx.diagnostics.error(`symbol \`${sym.name}' declared both as global and common`, ctx.currentLocation);
    return false;
  }
  declare(sym).commonDeclared = true;
  return true;
}

function declareExtern(ctx: AssemblyContext, name: string): void {
  const sym = ctx.symbols.symbol(name);
  if (declarationOf(sym).commonDeclared) return;
  if ((sym.kind === 'label' || sym.kind === 'equ') && sym.value !== null) {
    // Defined in this file (before or after the `extern`): nasm makes it a global symbol. After the
    // definition, nasm's `extern` redefines the name at offset 0 of a new segment: an error unless
    // the value's offset is 0 too, or `global` came first (measured).
    if (!sym.global && sym.value.offset !== 0n) {
      if (ctx.pass === 1) ctx.redefinitionError(sym);
      return;
    }
    sym.global = true;
    return;
  }
  if (sym.kind !== 'extern') {
    sym.kind = 'extern';
    if (sym.segment === null) ctx.stream.addSymbolSegment(sym);
  }
  if (ctx.pass === 1) sym.definedAt ??= ctx.currentLocation;
  // A repeated `extern` keeps the symbol's first place in the output symbol table.
  if (ctx.finalPass && sym.outputOrder < 0) ctx.symbols.markOutput(sym);
}

/**
 * A `common` of a symbol declared common before in this pass: the size must be the same (else
 * nasm's label redefinition, and the new size takes over: a third `common x` with it is fine), and
 * a text after the colon the same as the first one's, which stays in force (`4:16` then `4:8` is an
 * error; `4:8` then `4` keeps the alignment). Both are pass-one errors, in bin too (measured).
 * True when the declaration is to be applied, false when it changes nothing.
 */
function repeatedCommon(ctx: AssemblyContext, sym: SymbolEntry, size: number, special: string | null): boolean {
  const earlier = declarationOf(sym);
  if (earlier.commonSize !== size) {
    if (ctx.pass === 1) ctx.redefinitionError(sym);
    sym.definedAt = ctx.currentLocation;
    return true;
  }
  if (special === null) return false;
  if (earlier.elfSpecial === null || earlier.elfSpecial === special) return true;
  if (ctx.pass === 1)
    ctx.diagnostics.error(
      `symbol \`${sym.name}' has inconsistent attributes \`${earlier.elfSpecial}' and \`${special}'`,
      ctx.currentLocation,
    );
  return false;
}

const BIN_COMMON = 'binary output format does not support common variables';
const BIN_SPECIAL = 'binary format does not support any special symbol types';
/** bin's refusal of each common symbol, queued in pass one: a later `x size:…` makes it the specials one. */
const binRefusals = new WeakMap<SymbolEntry, { message: string }>();

/**
 * nasm's bin output refuses a common symbol in its second pass, once, at its first declaration,
 * as a "special symbol type" when any declaration of it had a text after the colon (measured).
 */
function binCommon(ctx: AssemblyContext, sym: SymbolEntry, again: boolean, special: string | null): void {
  if (ctx.pass !== 1) return;
  const message = special === null ? BIN_COMMON : BIN_SPECIAL;
  const queued = binRefusals.get(sym);
  if (again && queued !== undefined) {
    if (special !== null) queued.message = BIN_SPECIAL;
    return;
  }
  ctx.reportAfterPassOne(message);
  const entry = ctx.afterPassOneErrors[ctx.afterPassOneErrors.length - 1];
  if (entry !== undefined) binRefusals.set(sym, entry);
}

const common: DirectiveHandler = (ctx, directive) => {
  const args = argumentsOf(directive, 'common');
  if (args.common && !commonFitsEarlierDeclaration(ctx, ctx.symbols.symbol(args.common.name))) return;
  const declared = args.common;
  if (!declared) return ctx.reportError('no size specified in common declaration', true);
  const size = leadingNumber(declared.size);
  if (size === null) return ctx.reportError('invalid size specified in common declaration', true);
  const sym = ctx.symbols.symbol(declared.name);
  const commonSize = Number(BigInt.asUintN(32, size));
  const again = sym.kind === 'common' && sym.definedInPass === ctx.pass;
  if (again && !repeatedCommon(ctx, sym, commonSize, declared.special)) return;
  if (ctx.pass === 1) sym.definedAt ??= ctx.currentLocation;
  if (ctx.options.format === 'bin') {
    binCommon(ctx, sym, again, declared.special);
    sym.kind = 'common';
    sym.definedInPass = ctx.pass;
    const attributes = declare(sym);
    attributes.commonSize = commonSize;
    if (!again || declared.special !== null) attributes.elfSpecial = declared.special;
    return;
  }
  let align = 0n;
  if (declared.align !== null) {
    const value = leadingNumber(declared.align);
    if (value === null) return ctx.reportError(`alignment constraint \`${declared.align}' is not a valid number`, true);
    if (value <= 0n || (value & (value - 1n)) !== 0n)
      return ctx.reportError(`alignment constraint \`${declared.align}' is not a power of two`, true);
    align = value;
  }
  if (sym.kind !== 'common') {
    sym.kind = 'common';
    sym.global = true;
    ctx.stream.addSymbolSegment(sym);
  }
  sym.definedInPass = ctx.pass;
  const attributes = declare(sym);
  attributes.commonSize = commonSize;
  // A repeated `common` with no text after the colon keeps the first one's alignment and specials.
  if (!again || declared.special !== null) {
    attributes.commonAlign = Number(align);
    attributes.elfSpecial = declared.special;
  }
  if (declared.type) attributes.elfType = declared.type;
  if (declared.visibility) attributes.elfVisibility = declared.visibility;
  if (declared.weak !== null) attributes.elfWeak = declared.weak;
  if (declared.sizeText !== null) {
    // `common x 8:8 data 2`: the size after the type words is the symbol's size (st_size), as for `global`.
    attributes.elfSize = { expr: declared.symbolSize, text: declared.sizeText, report: declared.sizeReport };
    workOutSize(ctx, attributes);
  }
  // A repeated `common` keeps the symbol's first place in the output symbol table.
  if (ctx.finalPass && sym.outputOrder < 0) ctx.symbols.markOutput(sym);
};

/** After pass one in bin: every global label with a special (`global x:hidden`) is refused at its definition. */
export function refuseBinSpecials(ctx: AssemblyContext): void {
  if (ctx.options.format !== 'bin') return;
  for (const sym of ctx.symbols.values()) {
    if (sym.kind !== 'label' || !sym.global || declarationOf(sym).elfSpecial === null || sym.definedStatement < 0)
      continue;
    ctx.reportAfterPassOne('binary format does not support any special symbol types', {
      ...ctx.afterPassOnePlace(),
      statement: sym.definedStatement,
      location: sym.definedAt,
    });
  }
}

/** nasm reads a common's size and alignment as the number at the start of the text (`4+4` is 4, `1<<40` is 1). */
function leadingNumber(text: string): bigint | null {
  const m = /^(-?)([0-9][0-9A-Za-z_]*)/.exec(text);
  if (!m) return null;
  const r = readNumber(m[2]!);
  if (r.kind !== 'integer') return null;
  return m[1] === '-' ? -r.value : r.value;
}

export const SYMBOL_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  global: globalOrStatic,
  static: globalOrStatic,
  extern,
  required: extern,
  common,
};
