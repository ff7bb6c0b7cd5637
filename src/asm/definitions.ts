/** Defining a name: an EQU, and a definition's claim on a name declared `extern` or `common`. */
import type { Expr } from '../parse/ast.js';
import { constantValue, withFields } from '../core/value.js';
import { StatementError, type AssemblyContext } from './context.js';
import { declarationOf, type SymbolEntry } from './symbols.js';

export function defineEqu(ctx: AssemblyContext, name: string, expr: Expr): void {
  const sym = ctx.symbols.symbol(name);
  claimDeclaredSymbol(ctx, sym);
  sym.kind = 'equ';
  let value = ctx.evaluateExpr(expr, 'equ');
  // After pass one, every EQU whose line ran has a value in nasm: one left unknown only by other
  // EQUs (a cycle such as `a equ b` / `b equ a`) is the number it gives, and passes go on until
  // it settles (nasm 2.16.01: `a equ b*2+1` / `b equ a` ends at -1) or stall.
  if (value.unknown && ctx.pass > 1 && !ctx.finalPass && ctx.missingSymbol === null)
    value = withFields(value, { unknown: false });
  if (value.complex) ctx.reportError('invalid operand type', true);
  // nasm defines a symbol from a number or an address, never from one with WRT (`x equ 3 wrt 5`,
  // `x equ e wrt ..gotoff`); the symbol stays undefined and assembly stops after this pass.
  if (value.wrt !== null && !value.unknown) {
    if (ctx.pass === 1 || ctx.finalPass) ctx.reportError('bad syntax for EQU', true);
    ctx.stopAfterThisPass('bad syntax for EQU');
  }
  ctx.refuseOtherSectionSubtracted(value);
  // A forward reference in an equ is fine in later passes; keep it unknown for now.
  if (value.unknown && ctx.pass > 1) {
    if (ctx.missingSymbol === null) {
      if (ctx.finalPass) ctx.undefinedSymbolError();
    } else {
      // A symbol defined nowhere (`x equ zz`): nasm makes x the number 0 from the second pass
      // on, so its uses assemble (`db 300, x` warns only of the 300) and the EQU's line alone
      // names the missing symbol, in the final pass.
      if (ctx.finalPass) ctx.errorNow(`symbol \`${ctx.missingSymbol}' not defined`);
      value = constantValue(0n);
    }
  }
  // The symbol keeps a base and an offset only: `x equ -label` is a plain number to nasm, and
  // `x equ text_label - data_label` (in .data) is text_label's section plus the difference.
  if ((value.minusBase ?? null) !== null) {
    ctx.setSymbolValue(sym, withFields(value, { minusBase: null }));
    return;
  }
  ctx.setSymbolValue(sym, value);
}

/**
 * A definition of a name declared `extern` or `common`. nasm turns an extern
 * defined here into a global symbol of this file, unless `global` was said
 * after `extern`; a common cannot be defined. Both refusals are its
 * "inconsistently redefined", pointing at the declaration.
 */
export function claimDeclaredSymbol(ctx: AssemblyContext, sym: SymbolEntry): void {
  if (sym.kind === 'common' || (sym.kind === 'extern' && declarationOf(sym).globalAfterExtern)) {
    if (ctx.pass === 1) ctx.redefinitionError(sym);
    throw new StatementError('label redefined');
  }
  if (sym.kind === 'extern') {
    sym.global = true;
    sym.definedInPass = 0; // the declaration is not a definition
  }
}
