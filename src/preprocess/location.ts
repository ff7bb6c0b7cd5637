/**
 * Locations of lines made by multi-line macros, kept small: every statement
 * keeps its location for all passes, and a macro-heavy file has hundreds of
 * thousands of them. A line holds its innermost macro call (a chain shared by
 * every line of that call, model.ts `MacroCall`) and the body line it came from;
 * the macro trail nasm prints after an error, and the expansion chain, are
 * built from those when asked for (errors, listings), not stored per line.
 */
import type { SourceLocation } from '../core/diagnostics.js';
import type { MacroCall, Where } from './model.js';

type Trail = Array<{ macro: string; location: SourceLocation }>;

/**
 * Where nasm reports a problem on a macro line (the outermost call, `file:line`)
 * and, as `macroTrail`, each named macro (outermost first) with the line inside
 * it being processed: the next call, or for the innermost macro this line.
 */
export class MacroReportLocation implements SourceLocation {
  readonly #call: MacroCall | null;
  readonly #inner: Where;

  constructor(
    readonly file: string,
    readonly line: number,
    call: MacroCall | null,
    inner: Where,
  ) {
    this.#call = call;
    this.#inner = inner;
  }

  get macroTrail(): Trail {
    const named: MacroCall[] = [];
    for (let c = this.#call; c !== null; c = c.parent) if (c.named) named.push(c);
    named.reverse();
    return named.map((c, i) => ({ macro: c.macro, location: named[i + 1]?.invokeWhere ?? this.#inner }));
  }

  /** The plain object a location used to be (`--dump=statements --json`). */
  toJSON(): SourceLocation {
    return { file: this.file, line: this.line, macroTrail: this.macroTrail };
  }
}

/** A macro line's own location, with the calls it came out of (innermost first) as `expansion`. */
export class MacroLineLocation implements SourceLocation {
  readonly #call: MacroCall | null;

  constructor(
    readonly file: string,
    readonly line: number,
    call: MacroCall | null,
  ) {
    this.#call = call;
  }

  get expansion(): Where[] {
    const chain: Where[] = [];
    for (let c = this.#call; c !== null; c = c.parent) chain.push(c.invokeWhere);
    return chain;
  }

  toJSON(): SourceLocation {
    return { file: this.file, line: this.line, expansion: this.expansion };
  }
}
