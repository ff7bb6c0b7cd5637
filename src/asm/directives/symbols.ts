/** `global`, `static`, `extern` and `common`: symbols declared rather than defined here. */
import { readNumber } from '../../core/numbers.js';
import type { AssemblyContext } from '../context.js';
import { argumentsOf, type DirectiveHandler } from './types.js';

/** `global`/`static` mark names (and give elf32 types and sizes); the definition comes with the label. */
const globalOrStatic: DirectiveHandler = (ctx, directive) => {
  for (const item of argumentsOf(directive, 'symbols').symbols) {
    const sym = ctx.symbols.symbol(item.name);
    if (directive.name === 'global') sym.global = true;
    if (item.type) sym.elfType = item.type;
    if (item.sizeText !== null) sym.elfSize = { expr: item.size };
  }
};

const extern: DirectiveHandler = (ctx, directive) => {
  for (const item of argumentsOf(directive, 'symbols').symbols) declareExtern(ctx, item.name);
};

function declareExtern(ctx: AssemblyContext, name: string): void {
  const sym = ctx.symbols.symbol(name);
  if (sym.kind === 'label' && sym.value !== null && sym.segment === null) return; // already defined locally
  if (sym.kind !== 'extern') {
    sym.kind = 'extern';
    ctx.stream.addSymbolSegment(sym);
  }
  if (ctx.finalPass) ctx.symbols.markOutput(sym);
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
