/**
 * The contract between the preprocessor and the parser: the preprocessor turns
 * source files into a stream of logical lines, each a list of tokens (from the
 * shared token set in grammar/tokens.ts) with the location it came from.
 */
import type { IToken } from 'chevrotain';
import type { DiagnosticSink, SourceLocation } from '../core/diagnostics.js';
import type { FloatMode } from '../core/float.js';

export interface PreprocessedLine {
  /** Tokens after macro expansion, comments removed. Keyword re-typing is the parser's job. */
  tokens: IToken[];
  /**
   * The text the tokens were lexed from (one string per line). Token offsets
   * index into it unless the token was synthesised by an expansion; the
   * parser uses it only for messages and the listing.
   */
  text: string;
  /** Where the line came from; for lines produced by macros, `expansion` holds the chain of uses. */
  location: SourceLocation;
  /** Macro nesting depth for the listing (`<1>`, `<2>` …); 0 for plain source lines. */
  macroDepth: number;
  /** False for lines of a `.nolist` macro body (the listing hides them). */
  listed: boolean;
  /**
   * For lines produced inside multi-line macros: where nasm reports an error
   * on this line (the outermost macro call), with, as `macroTrail`, the chain
   * it then prints, outermost first, as `file:line: ... from macro `name' defined here`.
   */
  report?: SourceLocation;
}

export interface PreprocessOptions {
  fileName: string;
  includePaths: string[];
  /**
   * -D/-U and -P (pre-include) in command-line order, as nasm keeps them in
   * one list: `{ name }` / `{ name, value }` define, `undefine` removes, and
   * `include` pre-includes the file `name` (its lines count as line 0 of the
   * main file, as in nasm).
   */
  predefines: Array<{ name: string; value?: string | undefined; undefine?: boolean; include?: boolean }>;
  /**
   * `-a`: run without the preprocessor's directives and macros, as nasm does:
   * directive lines are dropped unprocessed (only `%line` still counts), and
   * no macro is defined; `%[…]`, `%!VAR` and `%+` still work.
   */
  noDirectives?: boolean;
  /** Returns the file's bytes, or null when it does not exist. */
  readFile: (path: string) => Uint8Array | null;
  diagnostics: DiagnosticSink;
  /** Output format name as NASM spells it (`bin`, `elf32`) for __?OUTPUT_FORMAT?__. */
  outputFormat: string;
  /** Include files read, in order (for -M dependency output). */
  dependencies?: string[];
  /**
   * Told of each dependency as it is recorded: the main file, an %include'd
   * file, or a %depend name (nasm's -MD during assembly lists only the main
   * file and the %depend names).
   */
  onDependency?: (path: string, kind: 'main' | 'include' | 'depend') => void;
  /**
   * `preprocess` for `nasm -E` semantics (__?PASS?__ is 3, __?BITS?__ is 0,
   * symbols in %if are errors); `dependencies` for `nasm -M` (the same, but
   * __?PASS?__ is 0 and %error/%warning are silent); `assemble` (default)
   * for a normal run.
   */
  mode?: 'assemble' | 'preprocess' | 'dependencies';
  /** Environment for %!VAR, %ifenv and SOURCE_DATE_EPOCH; defaults to process.env when it exists. */
  env?: Record<string, string | undefined>;
  /** Current BITS setting, for __?BITS?__ (asked at each use; default 16). */
  bits?: () => number;
  /**
   * The `[float]` mode the assembler is in, for the float functions (`__?float32?__(0.1)` in
   * `%assign`): nasm reads and assembles line by line (asked at each use; default: nearest, no DAZ).
   */
  floatMode?: () => FloatMode;
  /**
   * What a symbol in `%if`/`%assign` stands for when assembling: nasm reads and assembles line by
   * line, so a symbol defined on an earlier line is known (an EQU constant gives its value, a
   * label is not constant), and any other is an error (absent: every symbol is not constant).
   */
  symbolValue?: (name: string) => PreprocessorSymbol;
  /**
   * What `$` and `$$` stand for when assembling (absent or null: a position, which is not constant
   * but cancels in `$ - $`). Given when the preprocessor runs inside each pass (see symbolValue).
   */
  position?: (which: '$' | '$$') => PreprocessorSymbol | null;
  /** Current pass number, for __?PASS?__ (default 2, nasm's final pass). */
  pass?: () => number;
  /**
   * Called for every line the preprocessor reads (source files, macro and
   * %rep bodies), before the lines it produces are yielded: the `-l` listing
   * is built from these.
   */
  onSourceLine?: (line: SourceLineEvent) => void;
}

/** One line read by the preprocessor, as the listing shows it. */
export interface SourceLineEvent {
  /** The raw line text (macro body lines before parameter substitution). */
  text: string;
  file: string;
  line: number;
  /** Nesting level shown as `<n>` in the listing: 0 for the main file, +1 per include, macro call or %rep. */
  level: number;
  /**
   * `generated`: a line the preprocessor made (the label split off a macro call), listed as is;
   * `macro-call`: a multi-line macro call with its parameters, listed only with `-Lm`.
   */
  kind: 'file' | 'macro' | 'rep' | 'generated' | 'macro-call';
  /** False inside `.nolist` macros. */
  listed: boolean;
}

/** A symbol as the preprocessor sees it (see `PreprocessOptions.symbolValue`). */
export type PreprocessorSymbol =
  | { kind: 'constant'; value: bigint }
  | { kind: 'not-constant' }
  /**
   * An address: `base` stands for its section (or extern), so two addresses of one section
   * subtract to a number (`end - start`, `$ - $$`), as in nasm.
   */
  | { kind: 'address'; base: number; offset: bigint }
  /**
   * Not defined on an earlier line; `name` is qualified (`.x` → `main.x`) for nasm's message,
   * which says "not defined before use" in pass 1 and "not defined" in later passes (`later`).
   */
  | { kind: 'undefined'; name: string; later?: boolean };
