/**
 * The symbols a preprocessor expression can see. nasm reads and assembles line by line, so in
 * `%if`/`%assign` a symbol defined on an earlier line is known: an EQU whose value is a constant
 * gives that value, a label or an extern is not constant, and anything else is "not defined before
 * use" (measured with nasm 2.16.01). Our preprocessor runs ahead of the passes, so this keeps the
 * statements built so far, which are exactly the earlier lines.
 */
import { evaluate } from '../core/expressions.js';
import { constantValue, isPlainNumber, UNKNOWN_VALUE } from '../core/value.js';
import { lookupRegister } from '../encoder/registers.js';
import type { PreprocessorSymbol } from '../preprocess/types.js';
import type { Expr, Statement } from '../parse/ast.js';

export class PassOneSymbols {
  private readonly equs = new Map<string, Expr>();
  private readonly others = new Set<string>();
  private base = '';
  /**
   * Statements added and not read yet: most files never ask (a `%if` on a symbol, a register
   * group `zmm4+x`), so their labels are put in the tables only when a question comes.
   */
  private readonly unread: Statement[] = [];

  /** Takes note of what a statement defines (call in source order, after building it). */
  add(statement: Statement): void {
    this.unread.push(statement);
  }

  private readUnread(): void {
    for (const statement of this.unread) this.read(statement);
    this.unread.length = 0;
  }

  private read(statement: Statement): void {
    const label = statement.label;
    if (label !== null) {
      if (statement.body.kind === 'equ') this.equs.set(label, statement.body.value);
      else this.others.add(label);
      // Labels arrive qualified (`.x` after `main` is `main.x`): only a new non-local one is a base.
      if (!label.startsWith('..@') && !label.startsWith(`${this.base}.`)) this.base = label;
    }
    const body = statement.body;
    if (body.kind !== 'directive') return;
    const args = body.arguments;
    if (args.kind === 'symbols' && (body.name === 'extern' || body.name === 'required'))
      for (const s of args.symbols) this.others.add(s.name);
    else if (args.kind === 'common' && args.common) this.others.add(args.common.name);
  }

  /** What `name` stands for in a preprocessor expression on the next line. */
  valueOf(name: string): PreprocessorSymbol {
    if (this.unread.length > 0) this.readUnread();
    if (lookupRegister(name.toLowerCase())) return { kind: 'not-constant' };
    const qualified = name.startsWith('.') && !name.startsWith('..') ? this.base + name : name;
    const value = this.constantOf(qualified, new Set());
    if (value !== null) return { kind: 'constant', value };
    return this.equs.has(qualified) || this.others.has(qualified)
      ? { kind: 'not-constant' }
      : { kind: 'undefined', name: qualified };
  }

  /** An EQU's value when it is built from numbers and earlier constant EQUs only. */
  private constantOf(name: string, seen: Set<string>): bigint | null {
    const expr = this.equs.get(name);
    if (expr === undefined || seen.has(name)) return null;
    seen.add(name);
    try {
      const value = evaluate(expr, {
        symbolValue: (other) => {
          const known = this.constantOf(other, seen);
          return known === null ? null : constantValue(known);
        },
        here: UNKNOWN_VALUE,
        sectionStart: UNKNOWN_VALUE,
      });
      return isPlainNumber(value) ? value.offset : null;
    } catch {
      return null; // an error in the EQU is the assembler's to report
    }
  }
}
