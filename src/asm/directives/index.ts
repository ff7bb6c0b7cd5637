/**
 * The directive handler map: one entry per directive name, grouped by family
 * in the modules beside this one. `align`/`alignb` are standard macros (sectalign plus a
 * TIMES fill); in brackets nasm 2.16.01 knows no such directive (`[align 8]` is unrecognized). Adding a directive is one handler in its
 * family's module (and its argument syntax in src/parse/directives.ts).
 */
import type { AssemblyContext } from '../context.js';
import { list } from './list.js';
import { map } from './map.js';
import { MESSAGE_DIRECTIVES } from './messages.js';
import { MODE_DIRECTIVES } from './mode.js';
import { SECTION_DIRECTIVES } from './sections.js';
import { SYMBOL_DIRECTIVES } from './symbols.js';
import type { DirectiveHandler, DirectiveStatement } from './types.js';

const HANDLERS: ReadonlyMap<string, DirectiveHandler> = new Map(
  Object.entries({
    ...SECTION_DIRECTIVES,
    ...SYMBOL_DIRECTIVES,
    ...MODE_DIRECTIVES,
    ...MESSAGE_DIRECTIVES,
    map,
    list,
  }),
);

export function runDirective(ctx: AssemblyContext, directive: DirectiveStatement): void {
  const handler = HANDLERS.get(directive.name);
  if (!handler) ctx.reportError(`unrecognized directive [${directive.spelled ?? directive.name}]`, true);
  handler(ctx, directive);
}
