/**
 * The preprocessor's data model: macros, input frames (files, macro calls,
 * %rep bodies), conditional state, the lines it produces, and nasm's limits.
 */
import type { Tok } from './tokenize.js';

export interface Where {
  file: string;
  line: number;
}

export interface SrcLine {
  text: string;
  file: string;
  line: number;
  /**
   * A macro or %rep body line's tokens, made the first time the line runs and
   * shared by every later run (never changed: every consumer copies before editing).
   */
  toks?: Tok[];
  /** With `toks`: whether the line holds `%1`, `%%x`, `%?` … (macro-call substitution is needed). */
  hasParams?: boolean;
}

export interface SMacro {
  name: string;
  casesense: boolean;
  /** Parameter names, or null for a macro without parentheses. */
  params: string[] | null;
  greedy: boolean;
  /** nasm 2.15+ parameter modifiers (`=x`, `&x`, `&&x`, `!x`), one entry per parameter. */
  flags?: ParamFlags[];
  body: Tok[];
  /** `%defalias`: the name this one stands for. */
  alias?: string;
  /** Built-in macros computed at each use (__?LINE?__ …). */
  dynamic?: () => Tok[];
  /** Order of definition: a newer definition shadows an older one of the other case rule. */
  seq?: number;
  /** What expanding this definition made last time, to give again (expand.ts). */
  memo?: ExpansionMemo;
}

/**
 * Tokens are never changed once made and a definition never changes (a new one is a new SMacro),
 * so an expansion's tokens depend only on the definition and the hide set of the name replaced:
 * a macro used again and again gives the same token objects, not fresh ones each time.
 */
export interface ExpansionMemo {
  /** The hide set of tokens this macro makes from a name that had none. */
  fromSource: readonly object[];
  /** The last other hide set extended by this macro, and the extension. */
  outer?: readonly object[];
  extended?: readonly object[];
  /** A parameterless body marked with the hide set `copyHide`. */
  copyHide?: readonly object[];
  copy?: readonly Tok[];
  /** A body with parameters marked with `templateHide`: parameters as their index (null: made afresh each time). */
  templateHide?: readonly object[];
  template?: ReadonlyArray<number | Tok> | null;
}

/** How a single-line macro argument is transformed before it replaces its parameter. */
export interface ParamFlags {
  /** `=x`: the argument is evaluated and replaced by the number. */
  evaluate: boolean;
  /** `&x`: the argument becomes a quoted string. */
  stringify: boolean;
  /** `&&x`: like `&x`, but an argument that already is one string stays as it is. */
  keepString: boolean;
  /** `!x`: braces and surrounding white space are kept. */
  raw: boolean;
}

export interface MMacro {
  name: string;
  casesense: boolean;
  min: number;
  max: number;
  greedy: boolean;
  nolist: boolean;
  recursive: boolean;
  defaults: Tok[][];
  body: SrcLine[];
  usesLabel: boolean;
  inProgress: number;
  where: Where;
}

export interface Context {
  name: string;
  number: number;
}

export const enum CondState {
  /** Emitting this branch. */
  True,
  /** No branch taken yet; looking for %elif/%else. */
  False,
  /** A branch was taken; skip the rest. */
  Done,
  /** The whole %if sits inside a skipped region. */
  Never,
  ElseTrue,
  ElseFalse,
}

export interface Cond {
  state: CondState;
}

export interface FrameBase {
  /**
   * The open conditionals. As in nasm they belong to the source file: a macro or %rep
   * frame shares the array of the file it runs in, so a %if left open by an expansion
   * stays open after it (and an expansion's %endif can close the file's %if).
   */
  conds: Cond[];
  /**
   * Macro and %rep frames: %ifs opened minus %endifs run while this frame was the innermost
   * (negative when it closed outer ones); %exitmacro drops that many open conditionals.
   */
  condCount?: number;
  /** Where the outermost macro call enclosing this frame was (for diagnostics). */
  reportAt?: Where | undefined;
  /** Set when inside a .nolist macro: every line reports this location. */
  nolistWhere?: Where | undefined;
  macroDepth: number;
  listed: boolean;
}

export interface FileFrame extends FrameBase {
  kind: 'file';
  name: string;
  /** The file's text, read one logical line at a time (reader.ts): no array of lines is kept. */
  text: string;
  /** Offset in `text` where the next physical line starts. */
  pos: number;
  /** Physical line number (1-based) of the next line: at the end, just past the end of the file. */
  nextLine: number;
  /** `%line` adjustment: physical line `from` becomes `to`, increasing by `step`. */
  lineMap?: { from: number; to: number; step: number; file: string };
}

/**
 * One multi-line macro call, linked to the call it was made in (the frames
 * below it at the time). Lines of the call share it instead of each copying
 * the chain (location.ts).
 */
export interface MacroCall {
  macro: string;
  invokeWhere: Where;
  /** Named in nasm's `... from macro` trail: macros of source files, not of the standard or %use packages. */
  named: boolean;
  parent: MacroCall | null;
}

export interface MacroFrame extends FrameBase {
  kind: 'macro';
  mac: MMacro;
  call: MacroCall;
  invokedAs: string;
  params: Tok[][];
  /** %0 */
  nparams: number;
  rotate: number;
  unique: number;
  label: Tok[] | null;
  invokeWhere: Where;
  index: number;
}

export interface RepFrame extends FrameBase {
  kind: 'rep';
  lines: SrcLine[];
  index: number;
  remaining: number;
  /** After %exitrep: the rest of this repetition is still read (nasm lists it) but not processed. */
  exiting?: boolean;
}

export type Frame = FileFrame | MacroFrame | RepFrame;

/** A line ready for the assembler (before the Chevrotain lexing done by index.ts). */
export interface OutputLine {
  text: string;
  where: Where;
  /** Where nasm reports errors for this line (the outermost macro call), when inside a macro. */
  reportAt?: Where | undefined;
  /** With `reportAt`: the innermost macro call the line came out of (null when none is on the stack). */
  call?: MacroCall | null;
  macroDepth: number;
  listed: boolean;
  /** The tokens `text` was written from, when the line is ordinary text (see lexed.ts). */
  toks?: readonly Tok[];
  /** `toks` came out of macro expansion: neighbouring tokens may come from different texts. */
  expanded?: boolean;
}

export interface Definition {
  kind: 'macro' | 'rep';
  mac?: MMacro;
  repCount?: number;
  lines: SrcLine[];
  depth: number;
  where: Where;
  /** The frame whose line opened it (a %rep left open at the end of a macro expansion is fatal). */
  openedIn?: Frame;
}

export interface StackModel {
  /** Frame register the names are relative to. */
  base: string;
  /** Every slot is rounded up to a multiple of this. */
  slot: number;
  /** Offset of the first %arg from the frame register (return address and saved frame pointer). */
  argStart: number;
}
/** The %stacksize models, measured against nasm 2.16.01. */
export const STACK_MODELS: Record<string, StackModel> = {
  flat: { base: 'ebp', slot: 4, argStart: 8 },
  flat64: { base: 'rbp', slot: 8, argStart: 16 },
  large: { base: 'bp', slot: 2, argStart: 4 },
  small: { base: 'bp', slot: 2, argStart: 6 },
};
/** Sizes %arg and %local accept (zword is not among them in nasm 2.16.01). */
export const FRAME_SIZES: Record<string, number> = {
  byte: 1,
  word: 2,
  dword: 4,
  qword: 8,
  tword: 10,
  oword: 16,
  yword: 32,
};

export const REP_LIMIT = 1000000;
// nasm allows 10,000,000; a JS token array that size costs gigabytes and minutes, so we stop at 1,000,000 (documented difference).
export const MACRO_TOKEN_LIMIT = 1000000;
export const MACRO_LEVEL_LIMIT = 10000;
/** Single-line macro expansions per source line (nasm's `--limit-macro-tokens`, counted per line as nasm does). */
export const SMACRO_EXPANSION_LIMIT = 10000000;
