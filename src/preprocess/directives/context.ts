/**
 * The context stack and stack frames: %push, %pop, %repl, %stacksize, %arg
 * and %local.
 */

import { expandSmacros } from '../expand.js';
import { FRAME_SIZES, STACK_MODELS } from '../model.js';
import type { PreprocessorState } from '../state.js';
import { stripHide } from '../toklist.js';
import { K, type Tok, numberTokens, skipWs, tokenize, trimWs } from '../tokenize.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

/**
 * `%stacksize flat|flat64|large|small`: picks the frame register, the slot
 * size and where arguments start, and resets both running offsets (as nasm
 * does; an invalid size leaves everything as it was).
 */
function stackSizeDirective(pp: PreprocessorState, { args }: DirectiveCall): undefined {
  const t = args[skipWs(args, 0)];
  if (!t || t.k !== K.ID) {
    pp.error("`%stacksize' missing size parameter");
    return;
  }
  const model = STACK_MODELS[t.s.toLowerCase()];
  if (!model) {
    pp.error("`%stacksize' invalid size type");
    return;
  }
  pp.stackModel = model;
  pp.argOffset = model.argStart;
  pp.localOffset = 0;
}

/**
 * `%arg name:size, …` and `%local name:size, …` define each name as
 * `(ebp+N)` / `(ebp-N)`, every slot rounded up to the stack size. The offsets
 * only advance when the whole line parses; `%local` then adds the line's
 * total to `%$localsize` — which, as in nasm 2.16.01, is an "expression
 * syntax error" unless the program assigned `%$localsize` first.
 */
function frameVariableDirective(pp: PreprocessorState, { name: directive, args }: DirectiveCall): undefined {
  const model = pp.stackModel;
  const isLocal = directive === 'local';
  let offset = isLocal ? pp.localOffset : pp.argOffset;
  let total = 0;
  let i = skipWs(args, 0);
  for (;;) {
    const item = readFrameVariable(pp, args, i, directive);
    if (!item) return;
    const slot = Math.ceil(item.size / model.slot) * model.slot;
    const where = isLocal ? -(offset + slot) : offset;
    offset += slot;
    total += slot;
    const body = `(${model.base}${where < 0 ? '-' : '+'}${Math.abs(where)})`;
    pp.macros.removeSmacros(item.name, 0, true);
    pp.macros.addSmacro({ name: item.name, casesense: true, params: null, greedy: false, body: tokenize(body) });
    i = skipWs(args, item.next);
    const next = args[i];
    if (!next || next.k !== K.OP || next.s !== ',') break;
    i = skipWs(args, i + 1);
  }
  if (isLocal) {
    pp.localOffset = offset;
    addToLocalSize(pp, total);
  } else {
    pp.argOffset = offset;
  }
}

/** Reads `name:size` at args[i]; null after nasm's complaint. */
function readFrameVariable(
  pp: PreprocessorState,
  args: Tok[],
  i: number,
  directive: string,
): { name: string; size: number; next: number } | null {
  const nameTok = args[i];
  if (!nameTok || nameTok.k !== K.ID) {
    pp.error(`\`%${directive}' missing argument parameter`);
    return null;
  }
  const colon = args[i + 1];
  if (!colon || colon.k !== K.OP || colon.s !== ':') {
    pp.error(`syntax error processing \`%${directive}' directive`);
    return null;
  }
  const sizeTok = args[i + 2];
  if (!sizeTok || sizeTok.k !== K.ID) {
    pp.error(`\`%${directive}' missing size type parameter`);
    return null;
  }
  const size = FRAME_SIZES[sizeTok.s.toLowerCase()];
  if (size === undefined) {
    pp.error(`invalid size type for \`%${directive}' missing directive`);
    return null;
  }
  return { name: nameTok.s, size, next: i + 3 };
}

/** `%$localsize += total`, which nasm 2.16.01 can only do once the program has assigned `%$localsize`. */
function addToLocalSize(pp: PreprocessorState, total: number): void {
  const key = pp.ctxKey('%$localsize');
  const current = key === null ? undefined : pp.macros.findSmacros(key)?.find((d) => !d.params);
  if (key === null || !current) {
    pp.error('expression syntax error');
    return;
  }
  const v = pp.evalExpr(
    [...expandSmacros(pp, current.body.map(stripHide)), { k: K.OP, s: '+' }, { k: K.NUM, s: String(total) }],
    'assign',
  );
  if (v !== null) pp.macros.setSimple(key, true, numberTokens(v));
}

function pushDirective(pp: PreprocessorState, { args }: DirectiveCall): undefined {
  const list = trimWs(args);
  pp.contexts.push({ name: list[0]?.s ?? '', number: pp.unique++ });
}

function popDirective(pp: PreprocessorState, { args }: DirectiveCall): undefined {
  if (pp.contexts.length === 0) {
    pp.error("`%pop': context stack is empty");
    return;
  }
  const list = trimWs(args);
  const top = pp.contexts[pp.contexts.length - 1]!;
  if (list[0] && list[0].s.toLowerCase() !== top.name.toLowerCase()) {
    pp.error(`\`%pop' in wrong context: ${top.name}, expected ${list[0].s}`);
  }
  pp.contexts.pop();
}

function replDirective(pp: PreprocessorState, { args }: DirectiveCall): undefined {
  const top = pp.contexts[pp.contexts.length - 1];
  if (!top) {
    pp.error("`%repl': context stack is empty");
    return;
  }
  top.name = trimWs(args)[0]?.s ?? '';
}

export const contextDirectives: DirectiveTable = {
  push: pushDirective,
  pop: popDirective,
  repl: replDirective,
  stacksize: stackSizeDirective,
  arg: frameVariableDirective,
  local: frameVariableDirective,
};
