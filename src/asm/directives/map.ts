/**
 * `[map options [file]]` (bin only): asks for nasm's map file. Words that are
 * options (`all`, `brief`, `sections`, `segments`, `symbols`) add to the
 * request; the first other word of any `map` line names the file (kept as
 * written, quotes too); the rest is ignored. No option at all means `brief`.
 * Measured on nasm 2.16.01; other formats know no such directive.
 */
import type { MapOption } from '../object.js';
import { argumentsOf, type DirectiveHandler } from './types.js';

const OPTIONS: readonly MapOption[] = ['all', 'brief', 'sections', 'segments', 'symbols'];

export const map: DirectiveHandler = (ctx, directive) => {
  if (ctx.options.format !== 'bin')
    ctx.reportError(`unrecognized directive [${directive.spelled ?? directive.name}]`, true);
  if (ctx.pass !== 1) return;
  const request = (ctx.mapRequest ??= { options: [], file: null });
  const words = argumentsOf(directive, 'text')
    .text.split(/\s+/)
    .filter((w) => w.length > 0);
  for (const word of words) {
    const option = OPTIONS.find((o) => o === word.toLowerCase());
    if (option !== undefined) {
      if (!request.options.includes(option)) request.options.push(option);
    } else if (request.file === null) {
      request.file = word;
    }
  }
};
