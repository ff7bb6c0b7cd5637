/** `global`, `static`, `extern` and `common`: symbols declared rather than defined here. */
import { readNumber } from '../../core/numbers.js';
import type { Expr, SymbolDeclaration } from '../../parse/ast.js';
import { StatementError, type AssemblyContext } from '../context.js';
import type { SymbolEntry } from '../symbols.js';
import { argumentsOf, type DirectiveHandler, type DirectiveStatement } from './types.js';

/** `global`/`static` mark names (and give elf32 types and sizes); the definition comes with the label. */
const globalOrStatic: DirectiveHandler = (ctx, directive) => {
  for (const item of readableSymbols(ctx, directive)) {
    const sym = ctx.symbols.symbol(item.name);
    if (directive.name === 'static') ctx.nameMangling.staticNames.add(item.name);
    if (directive.name === 'global') {
      if (sym.commonDeclared) {
        if (ctx.pass === 1)
          ctx.diagnostics.error(`symbol \`${item.name}' declared both as common and global`, ctx.currentLocation);
        continue;
      }
      if (sym.kind === 'extern') sym.globalAfterExtern = true;
      sym.global = true;
    }
    if (item.special === null) continue;
    if (sym.elfSpecial !== null && sym.elfSpecial !== item.special) {
      if (ctx.pass === 1)
        ctx.diagnostics.error(
          `symbol \`${item.name}' has inconsistent attributes \`${sym.elfSpecial}' and \`${item.special}'`,
          ctx.currentLocation,
        );
      continue;
    }
    sym.elfSpecial = item.special;
    if (item.type) sym.elfType = item.type;
    if (item.visibility) sym.elfVisibility = item.visibility;
    if (item.weak !== null) sym.elfWeak = item.weak;
    if (item.sizeText !== null) sym.elfSize = { expr: item.size };
  }
};

/**
 * Where a label with an ELF special is defined, in the final pass: its size expression is worked
 * out there (nasm's messages point at the label's line, whichever came first).
 */
export function defineSpecialSymbol(ctx: AssemblyContext, sym: SymbolEntry): void {
  if (!sym.global || sym.elfSpecial === null || sym.elfSize === null || ctx.options.format === 'bin') return;
  if (ctx.pass === 1) {
    // A relocatable size is refused one pass after pass one (nasm then stops before its final pass).
    if (sym.elfSize.expr !== null && isRelocatable(ctx, sym.elfSize.expr))
      ctx.reportAfterPassOne('cannot use relocatable expression as symbol size');
    return;
  }
  if (!ctx.finalPass) return;
  const problem = elfSizeProblem(ctx, sym.elfSize.expr);
  if (typeof problem === 'string') ctx.diagnostics.error(problem, ctx.currentLocation);
  else sym.elfSizeValue = problem;
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

/** The size, or nasm's message for a size it cannot use. */
function elfSizeProblem(ctx: AssemblyContext, expr: Expr | null): number | string {
  if (expr === null) return 'expression syntax error';
  let value;
  try {
    value = ctx.evaluateExpr(expr);
  } catch (e) {
    if (e instanceof StatementError) return 0; // evaluateExpr reported it
    throw e;
  }
  if (value.unknown) return `symbol \`${ctx.missingSymbol ?? '?'}' not defined`;
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
    if (item.type) sym.elfType = item.type;
    if (item.visibility) sym.elfVisibility = item.visibility;
    if (item.weak !== null) sym.elfWeak = item.weak;
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
  if (sym.kind === 'extern') {
    if (ctx.pass === 1) ctx.redefinitionError(sym);
    return false;
  }
  if (sym.global && !sym.commonDeclared) {
    if (ctx.pass === 1)
      ctx.diagnostics.error(`symbol \`${sym.name}' declared both as global and common`, ctx.currentLocation);
    return false;
  }
  sym.commonDeclared = true;
  return true;
}

function declareExtern(ctx: AssemblyContext, name: string): void {
  const sym = ctx.symbols.symbol(name);
  if (sym.commonDeclared) return;
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

const common: DirectiveHandler = (ctx, directive) => {
  const args = argumentsOf(directive, 'common');
  if (args.common && !commonFitsEarlierDeclaration(ctx, ctx.symbols.symbol(args.common.name))) return;
  if (ctx.options.format === 'bin') {
    // nasm's bin output refuses these in its second pass; an alignment (`name size:align`) is a
    // "special symbol type" to it.
    ctx.reportAfterPassOne(
      args.hasColon
        ? 'binary format does not support any special symbol types'
        : 'binary output format does not support common variables',
    );
    return;
  }
  const declared = args.common;
  if (!declared) return ctx.reportError('no size specified in common declaration', true);
  const size = leadingNumber(declared.size);
  if (size === null) return ctx.reportError('invalid size specified in common declaration', true);
  let align = 0n;
  if (declared.align !== null) {
    const value = leadingNumber(declared.align);
    if (value === null) return ctx.reportError(`alignment constraint \`${declared.align}' is not a valid number`, true);
    if (value <= 0n || (value & (value - 1n)) !== 0n)
      return ctx.reportError(`alignment constraint \`${declared.align}' is not a power of two`, true);
    align = value;
  }
  const sym = ctx.symbols.symbol(declared.name);
  if (ctx.pass === 1) sym.definedAt ??= ctx.currentLocation;
  if (sym.kind !== 'common') {
    sym.kind = 'common';
    sym.global = true;
    ctx.stream.addSymbolSegment(sym);
  }
  sym.commonSize = Number(BigInt.asUintN(32, size));
  sym.commonAlign = Number(align);
  if (declared.type) sym.elfType = declared.type;
  if (declared.visibility) sym.elfVisibility = declared.visibility;
  if (ctx.finalPass) ctx.symbols.markOutput(sym);
};

/** After pass one in bin: every global label with a special (`global x:hidden`) is refused at its definition. */
export function refuseBinSpecials(ctx: AssemblyContext): void {
  if (ctx.options.format !== 'bin') return;
  for (const sym of ctx.symbols.values()) {
    if (sym.kind !== 'label' || !sym.global || sym.elfSpecial === null || sym.definedStatement < 0) continue;
    ctx.reportAfterPassOne(
      'binary format does not support any special symbol types',
      sym.definedStatement,
      sym.definedAt,
    );
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
