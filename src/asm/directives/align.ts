/** `align n[, fill]` pads with NOPs (0x90) like NASM's macro, and raises the section alignment; `alignb` reserves. */
import { argumentsOf, type DirectiveHandler } from './types.js';

const align: DirectiveHandler = (ctx, directive) => {
  const n = Number(ctx.directiveNumber(argumentsOf(directive, 'expression').expr));
  if (n <= 0 || (n & (n - 1)) !== 0) ctx.reportError('alignment must be a power of two', true);
  const stream = ctx.stream;
  const inSection = stream.absoluteOffset === null;
  if (directive.name === 'align' && inSection && n > stream.current.attributes.align)
    stream.current.attributes.align = n;
  const pad = (n - (stream.hereOffset() % n)) % n;
  if (pad === 0) return;
  if (ctx.finalPass && inSection && stream.current.attributes.kind !== 'nobits') {
    stream.current.bytes.fill(directive.name === 'align' ? 0x90 : 0, pad);
  }
  stream.advance(pad);
};

export const ALIGN_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = { align, alignb: align };
