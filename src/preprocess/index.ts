/**
 * The NASM preprocessor's public face: `preprocess` streams the lines the
 * assembler parses; `preprocessToText` produces what `nasm -E` prints.
 *
 * File map (read in this order):
 *   types.ts          the contract with the parser (PreprocessedLine) and the options
 *   model.ts          the data model: macros, input frames, conditionals, output lines, limits
 *   lexed.ts          the parser's tokens made from the preprocessor's (no second lexing)
 *   location.ts       macro lines' locations: the macro trail built when asked for, not stored
 *   tokenize.ts       the preprocessor's tokens (white space and %-forms kept); lexical
 *                     rules shared with the parser's lexer in grammar/tokens.ts
 *   toklist.ts        stateless helpers on token lists (commas, braces, argument lists, pasting)
 *   reader.ts         the line reader: logical lines, the next line of each input frame
 *   state.ts          PreprocessorState: everything handlers share (tables, frames, contexts,
 *                     diagnostics at the current location, constant expressions)
 *   tables.ts         the macro tables (single-line and multi-line, case-sensitive and %i…)
 *   engine.ts         Preprocessor: the line loop — read, dispatch directives, expand, emit
 *   expand.ts         the single-line expansion engine (hide sets, %[…], %!env, %+)
 *   functions.ts      %eval(), %str(), %cond() … inside lines
 *   mmacro-call.ts    multi-line macro calls and %1/%{1:2}/%00/%%local substitution
 *   predefined.ts     __?FILE?__, __?NASM_VER?__, dates … and the standard macro package
 *   stdmac.ts         the text of the standard macros and %use packages
 *   expr.ts           the constant-expression evaluator for %if, %assign …
 *   deps.ts           -M dependency output (and the -M option parsing, see below)
 *   directives/       one handler per directive, by family, merged into one map:
 *     index.ts          DIRECTIVES: name -> handler; types.ts: the handler signature
 *     conditionals.ts   %if/%elif/%else/%endif and all %if… forms
 *     singleline.ts     %define %xdefine %undef %defalias %assign %defstr %deftok %clear %aliases
 *     strings.ts        %strcat %strlen %substr
 *     multiline.ts      %macro … %endmacro, %unmacro %rotate %exitmacro
 *     rep.ts            %rep … %endrep, %exitrep
 *     include.ts        %include %require %use %pathsearch %depend
 *     context.ts        %push %pop %repl %stacksize %arg %local
 *     messages.ts       %error %warning %fatal %pragma %line
 *     args.ts           argument readers the families share
 *
 * To add a directive: write `(pp, { name, args, frame }) => …` in its family's
 * module and add it to that module's table; directives/index.ts merges it.
 */
import type { IToken } from 'chevrotain';
import { lexLine } from '../../grammar/tokens.js';
import type { SourceLocation } from '../core/diagnostics.js';
import { utf8AsBytes } from '../core/latin1.js';
import { Preprocessor, logicalLines, type OutputLine } from './engine.js';
import { hasControlCharacter } from './tokenize.js';
import { parserTokens } from './lexed.js';
import { MacroLineLocation, MacroReportLocation } from './location.js';
import type { PreprocessedLine, PreprocessOptions } from './types.js';

export type { PreprocessedLine, PreprocessOptions, SourceLineEvent } from './types.js';
export { logicalLines };
export { makeDependencyText, quoteForMake } from './deps.js';

/**
 * A line for the parser, whose tokens are made the first time they are read: the parser reuses
 * what it built for an earlier line of the same text without reading them, and most lines of
 * macro expansions and %rep bodies repeat one.
 */
class Line implements PreprocessedLine {
  /** What the tokens are made from, until they are (then null, so it can be freed). */
  private source: OutputLine | null;
  private made: IToken[] | null = null;
  declare report?: SourceLocation;

  constructor(
    out: OutputLine,
    readonly text: string,
    readonly location: SourceLocation,
    readonly macroDepth: number,
    readonly listed: boolean,
  ) {
    this.source = out;
  }

  /** The same array at every read: the parser re-types keywords in it in place. */
  get tokens(): IToken[] {
    if (this.made === null) {
      const out = this.source!;
      this.made = (out.toks && parserTokens(out.toks, out.expanded === true)) ?? lexLine(out.text).tokens;
      this.source = null;
    }
    return this.made;
  }
}

function toPreprocessedLine(out: OutputLine): PreprocessedLine {
  const where = out.where;
  const call = out.call;
  const location =
    call === undefined ? { file: where.file, line: where.line } : new MacroLineLocation(where.file, where.line, call);
  const line = new Line(out, out.text, location, out.macroDepth, out.listed);
  if (out.reportAt) line.report = new MacroReportLocation(out.reportAt.file, out.reportAt.line, call ?? null, where);
  return line;
}

/** Yields, lazily, every line the assembler should see. */
export function* preprocess(source: string, options: PreprocessOptions): Generator<PreprocessedLine> {
  const pp = new Preprocessor(source, options);
  for (const out of pp.lines()) yield toPreprocessedLine(out);
}

/** Quotes a file name for a `%line` directive only when nasm would. */
function quoteFileName(name: string): string {
  if (name === '') return '""';
  const first = name.charCodeAt(0);
  const last = name.charCodeAt(name.length - 1);
  const isQuote = (c: number): boolean => c === 34 || c === 39 || c === 96;
  const needs =
    first <= 32 ||
    isQuote(first) ||
    last <= 32 ||
    isQuote(last) ||
    hasControlCharacter(name, false) ||
    name.includes('  ');
  if (!needs) return name;
  if (!name.includes("'")) return `'${name}'`;
  if (!name.includes('"')) return `"${name}"`;
  return '`' + name.replace(/[`\\]/g, (c) => '\\' + c) + '`';
}

/**
 * What `nasm -E` prints for the source: expanded lines, with `%line`
 * directives (or single blank lines) wherever the line numbering jumps.
 */
export function preprocessToText(source: string, options: PreprocessOptions): string {
  const pp = new Preprocessor(source, { ...options, mode: options.mode ?? 'preprocess' });
  const parts: string[] = [];
  let fileName: string | null = null;
  let quoted = '';
  let linnum = 0;
  let lineinc = 0;
  for (const out of pp.lines()) {
    const where = out.where;
    if (where.file !== fileName) {
      fileName = where.file;
      // The main file's name is command-line text; included files' names are source bytes.
      quoted = quoteFileName(fileName === options.fileName ? utf8AsBytes(fileName) : fileName);
      linnum = -1;
      lineinc = 1;
    } else if (lineinc !== 0) {
      if (linnum + lineinc === where.line) {
        // One skipped line is cheaper as a blank line than as a %line.
        parts.push('');
        linnum += lineinc;
      } else if (linnum - lineinc === where.line) {
        // Standing still: probably a macro expansion.
        lineinc = 0;
      }
    } else if (linnum + 1 === where.line) {
      lineinc = 1;
    }
    if (linnum === -1 && out.text === '') continue;
    if (linnum !== where.line) parts.push(`%line ${where.line}+${lineinc} ${quoted}`);
    linnum = where.line + lineinc;
    parts.push(out.text);
  }
  return parts.length ? parts.join('\n') + '\n' : '';
}
