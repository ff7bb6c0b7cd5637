/** %rep … %endrep (the body is collected like a macro's, then run as a frame that repeats) and %exitrep. */

import { expandSmacros } from '../expand.js';
import type { Definition, RepFrame } from '../model.js';
import type { PreprocessorState } from '../state.js';
import { findLastIndex } from '../toklist.js';
import { K, trimWs } from '../tokenize.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

/** Starts the %rep frame once its body is complete. */
export function finishRep(pp: PreprocessorState, def: Definition): void {
  const count = def.repCount ?? 0;
  if (count <= 0 || def.lines.length === 0) return;
  const parent = pp.frames[pp.frames.length - 1]!;
  const frame: RepFrame = {
    kind: 'rep',
    lines: def.lines,
    index: 0,
    remaining: count,
    conds: parent.conds,
    condCount: 0,
    reportAt: parent.reportAt,
    nolistWhere: parent.nolistWhere,
    macroDepth: parent.macroDepth,
    listed: parent.listed,
  };
  pp.frames.push(frame);
}

function repDirective(pp: PreprocessorState, { name, args, frame }: DirectiveCall): undefined {
  const countToks = trimWs(
    expandSmacros(
      pp,
      args.filter((t) => !(t.k === K.ID && t.s.toLowerCase() === '.nolist')),
    ),
  );
  let count = 0n;
  if (countToks.length === 0) pp.error("`%rep' expects a repeat count");
  else {
    const v = pp.evalExpr(countToks, name);
    // A count nasm could not evaluate opens no block: its %endrep then has no %rep.
    if (v === null) return;
    count = v;
  }
  if (count > BigInt(pp.repLimit)) {
    pp.error(`\`%rep' count ${count} exceeds limit (currently ${pp.repLimit})`);
    count = 0n;
  }
  if (count < 0n) {
    pp.warning(`negative \`%rep' count: ${count}`, 'pp-rep-negative');
    count = 0n;
  }
  pp.defining.push({
    kind: 'rep',
    repCount: Number(count),
    lines: [],
    depth: 0,
    where: pp.currentWhere,
    openedIn: frame,
  });
}

function endrepDirective(pp: PreprocessorState): undefined {
  pp.error("`%endrep': no matching `%rep'");
}

function exitrepDirective(pp: PreprocessorState): undefined {
  const idx = findLastIndex(pp.frames, (f) => f.kind === 'rep');
  const macroIdx = findLastIndex(pp.frames, (f) => f.kind === 'macro' || f.kind === 'file');
  if (idx < 0 || idx < macroIdx) {
    pp.error("`%exitrep' not within `%rep' block");
    return;
  }
  // nasm still reads the rest of this repetition (its listing shows those lines), then stops.
  pp.popFramesTo(idx + 1);
  const repFrame = pp.frames[idx] as RepFrame;
  repFrame.exiting = true;
  repFrame.remaining = 1;
}

export const repDirectives: DirectiveTable = {
  rep: repDirective,
  endrep: endrepDirective,
  exitrep: exitrepDirective,
};
