/**
 * The symbol table: every name the source defines or declares, with the one
 * value it has at this point of the current pass (NASM's pass rules: a
 * forward reference sees the previous pass's value).
 */
import type { SourceLocation } from '../core/diagnostics.js';
import type { Value } from '../core/value.js';
import type { Expr, SymbolVisibility } from '../parse/ast.js';

export type SymbolKind = 'label' | 'equ' | 'extern' | 'common';

export interface SymbolEntry {
  name: string;
  kind: SymbolKind;
  /** Current value (labels: section-relative with base = section segment). */
  value: Value | null;
  /** Pass number in which the value was last set. */
  definedInPass: number;
  definedAt: SourceLocation | null;
  global: boolean;
  /** For externs and commons: the segment id standing for the symbol. */
  segment: number | null;
  /** What `global`, `extern` and `common` said of it beyond its kind (null: nothing; see declarationOf). */
  declared: SymbolDeclaration | null;
  /** Order in which the final pass defined it (ELF symbol order). */
  outputOrder: number;
  referenced: boolean;
  /** Index of the statement whose label this is (-1 for other symbols). */
  definedStatement: number;
}

/**
 * The attributes a declaration gives a symbol. Few symbols have any, so they live apart from the
 * entry (a million labels would otherwise carry ten empty fields each: 80 MB).
 */
export interface SymbolDeclaration {
  /** `common x size:align`: its size and alignment. */
  commonSize: number;
  commonAlign: number;
  /** ELF symbol type from `global x:function` / `:data`. */
  elfType: 'function' | 'object' | null;
  /**
   * ELF symbol size expression from `global x:function (x.end - x)` or `common x 4:4 data 2` (expr
   * null: it did not parse; `text` is what was written); `report`: where nasm finds the name of an
   * undefined symbol in it.
   */
  elfSize: { expr: Expr | null; text: string; report: Expr | null } | null;
  /** ELF visibility from `global x:hidden` (st_other). */
  elfVisibility: SymbolVisibility | null;
  /** ELF weak binding from `global x:weak` / `extern x:weak`. */
  elfWeak: boolean;
  /** The special text of the first `global x:…` or `common x size:…` (a second, different one is an error). */
  elfSpecial: string | null;
  /** `-f elf*`: the size worked out where the label (or the common) is defined in the final pass; null: none. */
  elfSizeValue: number | null;
  /** `global` came after `extern` (nasm then refuses a definition of the name). */
  globalAfterExtern: boolean;
  /** Named by `common` (in bin too, where the directive is otherwise refused after pass one). */
  commonDeclared: boolean;
}

const NO_DECLARATION: Readonly<SymbolDeclaration> = Object.freeze(newDeclaration());

function newDeclaration(): SymbolDeclaration {
  return {
    commonSize: 0,
    commonAlign: 0,
    elfType: null,
    elfSize: null,
    elfVisibility: null,
    elfWeak: false,
    elfSpecial: null,
    elfSizeValue: null,
    globalAfterExtern: false,
    commonDeclared: false,
  };
}

/** A symbol's declared attributes, to read (the defaults when nothing was declared). */
export function declarationOf(sym: SymbolEntry): Readonly<SymbolDeclaration> {
  return sym.declared ?? NO_DECLARATION;
}

/** A symbol's declared attributes, to change. */
export function declare(sym: SymbolEntry): SymbolDeclaration {
  return (sym.declared ??= newDeclaration());
}

export class SymbolTable {
  private readonly entries = new Map<string, SymbolEntry>();
  /** The symbols defined in the final pass, in that order (SymbolEntry.outputOrder is the index). */
  private readonly outputList: SymbolEntry[] = [];

  get(name: string): SymbolEntry | undefined {
    return this.entries.get(name);
  }

  values(): IterableIterator<SymbolEntry> {
    return this.entries.values();
  }

  /** The entry for a name, created (as an undefined label) on first mention. */
  symbol(name: string): SymbolEntry {
    let s = this.entries.get(name);
    if (!s) {
      s = {
        name,
        kind: 'label',
        value: null,
        definedInPass: 0,
        definedAt: null,
        global: false,
        segment: null,
        declared: null,
        outputOrder: -1,
        referenced: false,
        definedStatement: -1,
      };
      this.entries.set(name, s);
    }
    return s;
  }

  /** Marks a symbol as defined now in the final pass (its place in the output symbol table). */
  markOutput(sym: SymbolEntry): void {
    sym.outputOrder = this.outputList.length;
    this.outputList.push(sym);
  }

  /** The symbols defined in the final pass, in definition order (a symbol marked twice counts at its last place). */
  *inOutputOrder(): IterableIterator<SymbolEntry> {
    const list = this.outputList;
    for (let i = 0; i < list.length; i++) if (list[i]!.outputOrder === i) yield list[i]!;
  }

  /** The global label of a segment that `wrt ..sym` (at or below `offset`) or `..got` (exactly at it) refers to. */
  globalSymbolFor(segment: number, offset: bigint, exact: boolean): SymbolEntry | undefined {
    let best: SymbolEntry | undefined;
    for (const s of this.entries.values()) {
      if (!s.global || s.kind !== 'label' || s.value?.base !== segment) continue;
      const v = s.value.offset;
      if (exact ? v !== offset : v > offset) continue;
      if (!best || v > best.value!.offset) best = s;
    }
    return best;
  }
}
