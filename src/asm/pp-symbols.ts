/**
 * Answers the preprocessor's questions about assembler symbols in the middle of a pass (when the
 * source is read anew in every pass, see reread.ts), with nasm's rules (nasm 2.16.01): a symbol has
 * the value it has at this point of the pass; an EQU whose value is still unknown is 0 (nasm's
 * parser makes an unknown operand a plain 0); a label is an address in its section, so two of
 * one section subtract to a number; a symbol never defined is an error.
 */
import { isPlainNumber, type Value } from '../core/value.js';
import { lookupRegister } from '../encoder/registers.js';
import type { PreprocessorSymbol } from '../preprocess/types.js';
import type { AssemblyContext } from './context.js';
import type { LiveSymbols } from './reread.js';

function preprocessorValue(value: Value): PreprocessorSymbol {
  if (value.unknown) return { kind: 'constant', value: 0n };
  if (isPlainNumber(value)) return { kind: 'constant', value: value.offset };
  const plainAddress =
    value.base !== null &&
    value.wrt === null &&
    !value.segmentOf &&
    (value.minusBase ?? null) === null &&
    value.scaled !== true &&
    value.complex !== true;
  return plainAddress ? { kind: 'address', base: value.base!, offset: value.offset } : { kind: 'not-constant' };
}

export function liveSymbols(ctx: AssemblyContext): LiveSymbols {
  return {
    symbolValue(name) {
      if (lookupRegister(name.toLowerCase())) return { kind: 'not-constant' };
      const sym = ctx.symbols.get(name);
      if (sym === undefined || sym.value === null) return { kind: 'undefined', name, later: ctx.pass > 1 };
      return preprocessorValue(sym.value);
    },
    position(which) {
      return preprocessorValue(which === '$' ? ctx.stream.hereValue() : ctx.stream.sectionStartValue());
    },
    bits: () => ctx.bits,
    floatMode: () => ctx.floatMode,
  };
}
