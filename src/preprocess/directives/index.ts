/**
 * The directive map: every preprocessor directive by lower-case name (without
 * `%`), merged from the family modules. To add a directive, write its
 * handler in the family it belongs to and add it to that family's table.
 */
import { conditionalDirectives } from './conditionals.js';
import { contextDirectives } from './context.js';
import { includeDirectives } from './include.js';
import { messageDirectives } from './messages.js';
import { multiLineDirectives } from './multiline.js';
import { repDirectives } from './rep.js';
import { singleLineDirectives } from './singleline.js';
import { smartalignDirectives } from '../smartalign.js';
import { stringDirectives } from './strings.js';
import type { Directive, DirectiveTable } from './types.js';

export type { Directive, DirectiveCall, DirectiveHandler } from './types.js';

function buildDirectiveMap(): ReadonlyMap<string, Directive> {
  const map = new Map<string, Directive>(conditionalDirectives);
  const tables: DirectiveTable[] = [
    singleLineDirectives,
    stringDirectives,
    multiLineDirectives,
    repDirectives,
    includeDirectives,
    contextDirectives,
    messageDirectives,
    smartalignDirectives,
  ];
  for (const table of tables) for (const [name, run] of Object.entries(table)) map.set(name, { run });
  return map;
}

export const DIRECTIVES = buildDirectiveMap();

/**
 * With -a nasm drops directive lines unprocessed. `%warning_push` is not
 * among the names it knows, so that line stays an ordinary line.
 */
export function droppedWithoutDirectives(name: string): boolean {
  return name !== 'warning_push' && DIRECTIVES.has(name);
}
