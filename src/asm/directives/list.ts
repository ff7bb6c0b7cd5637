/**
 * `[list -]` / `[list +]`: turns the listing off and on again (the listing
 * itself is src/listing's); nasm 2.16.01 takes no other argument, and the bare
 * word outside brackets is no instruction.
 */
import { argumentsOf, type DirectiveHandler } from './types.js';

export const list: DirectiveHandler = (ctx, directive) => {
  if (directive.bracketed !== true) ctx.reportError('parser: instruction expected', true);
  const text = argumentsOf(directive, 'text').text;
  if (text !== '+' && text !== '-') ctx.reportError('invalid parameter to [list] directive', true);
};
