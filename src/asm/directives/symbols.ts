/** `global`, `static`, `extern` and `common`: symbols declared rather than defined here. */
import { readNumber } from '../../core/numbers.js';
import type { AssemblyContext } from '../context.js';
import { argumentsOf, type DirectiveHandler } from './types.js';

/** `global`/`static` mark names (and give elf32 types and sizes); the definition comes with the label. */
const globalOrStatic: DirectiveHandler = (ctx, directive) => {
  for (const item of argumentsOf(directive, 'symbols').symbols) {
    const sym = ctx.symbols.symbol(item.name);
    if (directive.name === 'global') {
      if (sym.kind === 'extern') sym.globalAfterExtern = true;
      sym.global = true;
    }
    if (item.type) sym.elfType = item.type;
    if (item.sizeText !== null) sym.elfSize = { expr: item.size };
  }
};

const extern: DirectiveHandler = (ctx, directive) => {
  for (const item of argumentsOf(directive, 'symbols').symbols) declareExtern(ctx, item.name);
};

function declareExtern(ctx: AssemblyContext, name: string): void {
  const sym = ctx.symbols.symbol(name);
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
  if (ctx.options.format === 'bin') {
    // Pass-1 errors in nasm's bin output; an alignment (`name size:align`) is a "special symbol type" to it.
    ctx.reportError(
      args.hasColon
        ? 'binary format does not support any special symbol types'
        : 'binary output format does not support common variables',
      true,
    );
  }
  const declared = args.common;
  if (!declared) return ctx.reportError('common directive requires a name and a size', true);
  const sym = ctx.symbols.symbol(declared.name);
  const size = readNumber(declared.size);
  const align = declared.align !== null ? readNumber(declared.align) : null;
  if (ctx.pass === 1) sym.definedAt ??= ctx.currentLocation;
  if (sym.kind !== 'common') {
    sym.kind = 'common';
    sym.global = true;
    ctx.stream.addSymbolSegment(sym);
  }
  sym.commonSize = size.kind === 'integer' ? Number(size.value) : 0;
  sym.commonAlign = align && align.kind === 'integer' ? Number(align.value) : 0;
  if (ctx.finalPass) ctx.symbols.markOutput(sym);
};

export const SYMBOL_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  global: globalOrStatic,
  static: globalOrStatic,
  extern,
  common,
};
