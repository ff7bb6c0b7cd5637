/**
 * What a directive handler looks like. Each family module (conditionals.ts,
 * singleline.ts, …) exports a table of handlers; index.ts merges them into
 * the one map the line loop looks directive names up in.
 */
import type { Frame, OutputLine } from '../model.js';
import type { PreprocessorState } from '../state.js';
import type { Tok } from '../tokenize.js';

/** One directive line: its lower-case name without `%`, the tokens after it, and the frame it was read from. */
export interface DirectiveCall {
  name: string;
  args: Tok[];
  frame: Frame;
}

/** Carries out a directive; returns a line only when the directive produces one (%pragma). */
export type DirectiveHandler = (pp: PreprocessorState, call: DirectiveCall) => OutputLine | undefined;

export interface Directive {
  run: DirectiveHandler;
  /** The %if family runs even inside a skipped %if branch (to track nesting); every other directive is skipped. */
  whileSkipping?: boolean;
}

/** A family's directives by name; several names usually share one handler and tell themselves apart by `call.name`. */
export type DirectiveTable = Record<string, DirectiveHandler>;
