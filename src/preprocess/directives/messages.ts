/** %error, %warning, %fatal, %pragma and %line. */

import { applyWarningDirective } from '../../core/diagnostics.js';
import { readNumber } from '../../core/numbers.js';
import { expandSmacros } from '../expand.js';
import type { OutputLine } from '../model.js';
import { nextLineNumber } from '../reader.js';
import type { PreprocessorState } from '../state.js';
import { collapseWs, trimStart } from '../toklist.js';
import { K, type Tok, detokenize, isString, skipWs, trimWs, unquote } from '../tokenize.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

/**
 * `[pragma limit NAME N]` (or `nasm limit`): during assembly nasm applies it
 * to the lines after it; nasm -E never runs the assembler's pragma, so it
 * has no effect there.
 */
function applyLimitPragma(pp: PreprocessorState, words: Tok[]): void {
  const i = words[0]?.s.toLowerCase() === 'nasm' ? 1 : 0;
  if (words[i]?.s.toLowerCase() !== 'limit') return;
  // The name is read back from its tokens (`macro-tokens` is `macro` `-` `tokens`), the value is last.
  const name = words
    .slice(i + 1, -1)
    .map((t) => t.s)
    .join('')
    .toLowerCase();
  const value = words[words.length - 1];
  if (!name || !value || value.k !== K.NUM) return;
  const n = Number(value.s);
  if (!Number.isSafeInteger(n) || n < 0) return;
  if (name === 'rep') pp.repLimit = n;
  else if (name === 'macro-levels') pp.macroLevelLimit = n;
  else if (name === 'macro-tokens') pp.macroTokenLimit = n;
}

function lineDirective(pp: PreprocessorState, { args, frame }: DirectiveCall): undefined {
  lineDirectiveAtOnce(pp, args, frame, true);
}

/** A number token read as nasm's 32-bit line counter, or null when the token is no integer. */
function lineCounter(tok: Tok | undefined): number | null {
  const reading = tok?.k === K.NUM ? readNumber(tok.s) : null;
  return reading?.kind === 'integer' ? Number(BigInt.asIntN(32, reading.value)) : null;
}

/**
 * `%line N[+M|-M] [file]`, run where it is read (see the engine); `report`: its error is not
 * silenced (a branch not taken). Inside a macro or %rep expansion nasm ignores it, errors and all.
 * The sign must touch the number and the increment the sign (`%line 7 +` names the file `+`).
 */
export function lineDirectiveAtOnce(
  pp: PreprocessorState,
  args: Tok[],
  frame: DirectiveCall['frame'],
  report: boolean,
): void {
  if (frame.kind !== 'file') return;
  const first = skipWs(args, 0);
  const line = lineCounter(args[first]);
  if (line === null) {
    if (report) pp.error("`%line' expects a line number");
    return;
  }
  let step = 1;
  let next = first + 1;
  const sign = args[next];
  if (sign?.s === '+' || sign?.s === '-') {
    const increment = lineCounter(args[next + 1]);
    if (increment === null) {
      if (report) pp.error("`%line' expects a line increment");
      return;
    }
    step = sign.s === '-' ? -increment : increment;
    next += 2;
  }
  // A quoted name is taken alone (text after it is dropped); an unquoted one is the rest of the line.
  const rest = trimWs(args.slice(next));
  const keep = frame.lineMap?.file ?? frame.name;
  const file = rest[0]?.k === K.STR ? unquote(rest[0].s) : rest.length > 0 ? detokenize(rest) : keep;
  const physNext = nextLineNumber(frame);
  // nasm counts the %line directive itself as line N, so the next line is N+step.
  frame.lineMap = { from: physNext, to: line + step, step, file };
}

/**
 * A C preprocessor line marker at the start of a line, `# 42 "file.c"` (the
 * file may be unquoted or missing; anything after it is ignored): nasm 2.16.01
 * treats it as `%line 42 "file.c"`, and anything else after `#` as an error.
 */
export function lineMarker(pp: PreprocessorState, args: Tok[], frame: DirectiveCall['frame']): void {
  const list = args.filter((t) => t.k !== K.WS);
  const reading = list[0]?.k === K.NUM ? readNumber(list[0].s) : null;
  if (reading?.kind !== 'integer') {
    pp.error("`#' expects a line number");
    return;
  }
  if (frame.kind !== 'file') return;
  const name = list[1];
  const file = name ? (name.k === K.STR ? unquote(name.s) : name.s) : (frame.lineMap?.file ?? frame.name);
  const physNext = nextLineNumber(frame);
  frame.lineMap = { from: physNext, to: Number(reading.value) + 1, step: 1, file };
}

/**
 * A `[warning ±class]` line on its way to the assembler also switches the preprocessor's own
 * warnings for the lines after it (`%warning` is class `user`); `push`/`pop` as the assembler's.
 * (`%pragma warning` changes nothing in nasm 2.16.01, and neither does `[warning]` under -E: measured.)
 */
export function noteWarningDirective(pp: PreprocessorState, toks: Tok[]): void {
  if (pp.mode !== 'assemble') return; // nasm -E has no assembler to read it
  const words = toks.filter((t) => t.k !== K.WS);
  if (words[0]?.s !== '[' || words[1]?.s.toLowerCase() !== 'warning' || words[words.length - 1]?.s !== ']') return;
  const text = detokenize(toks).trim().slice(1, -1).trim().slice('warning'.length);
  const commandLine = pp.options.diagnostics.warningSwitches;
  pp.warningSwitches ??= commandLine.snapshot();
  // Read as the assembler reads it; what to report is the assembler's to say.
  pp.warningSwitches = applyWarningDirective(
    text.split(/\s+/),
    pp.warningSwitches,
    pp.warningStack,
    commandLine,
  ).switches;
}

function errorDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  // nasm keeps one space where empty macro parameters ended the message (`%warning %1 %2`).
  const list = collapseWs(trimStart(expandSmacros(pp, args)));
  const bare = trimWs(list);
  const msg = bare.length === 1 && isString(bare[0]!) ? unquote(bare[0]!.s) : detokenize(list);
  // nasm -M (pass 0) stays silent about %error and %warning; %fatal still stops it.
  if (pp.mode === 'dependencies' && name !== 'fatal') return;
  // nasm reports %error in its final pass and keeps assembling until then.
  if (name === 'error')
    pp.options.diagnostics.report({ severity: 'error', message: msg, location: pp.loc(), deferred: true });
  else if (name === 'warning') pp.warning(msg, 'user');
  else pp.fatal(msg);
}

function pragmaDirective(pp: PreprocessorState, { args }: DirectiveCall): OutputLine | undefined {
  // `%pragma preproc …` is the preprocessor's own (and silent); the rest go
  // to the assembler in bracket form, which is what nasm -E shows.
  // Expanded once: a second expansion would repeat its messages (an unterminated macro call).
  const expanded = trimWs(expandSmacros(pp, args));
  const words = expanded.filter((t) => t.k !== K.WS);
  if (words[0]?.s.toLowerCase() === 'preproc') return;
  if (pp.mode === 'assemble') applyLimitPragma(pp, words);
  return pp.makeOutput(`[pragma ${detokenize(collapseWs(expanded))}]`);
}

/** Accepted and ignored (nasm -E passes `%warning_push` through as text; kept as it was). */
function ignoredDirective(): undefined {
  return;
}

export const messageDirectives: DirectiveTable = {
  line: lineDirective,
  error: errorDirective,
  warning: errorDirective,
  fatal: errorDirective,
  pragma: pragmaDirective,
  warning_push: ignoredDirective,
  // `%null …` is a line that says nothing (the masm package ends `ends`/`endp` with one to use their labels).
  null: ignoredDirective,
};
