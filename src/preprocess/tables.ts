/**
 * The macro tables: single-line macros (%define & co) and multi-line macros
 * (%macro), each kept in two maps — one for case-sensitive names, one keyed
 * by lower case for the %i… forms — so a use is found by hash lookup, never by
 * scanning.
 */
import type { MMacro, SMacro } from './model.js';
import { type Tok, tokenize } from './tokenize.js';

export class MacroTables {
  readonly smacros = new Map<string, SMacro[]>();
  readonly ismacros = new Map<string, SMacro[]>();
  readonly mmacros = new Map<string, MMacro[]>();
  readonly immacros = new Map<string, MMacro[]>();
  /**
   * Cheap filters in front of the maps (see NameFilter): most identifiers on a line (registers,
   * mnemonics, labels) name no macro, and are ruled out without being hashed, or lower-cased for
   * the %i… tables.
   */
  private readonly smacroNames = new NameFilter();
  private readonly ismacroNames = new NameFilter();
  private readonly mmacroNames = new NameFilter();
  private readonly immacroNames = new NameFilter();

  /** True if `name` may name a single-line macro (a cheap filter for lines without any). */
  hasSmacro(name: string): boolean {
    return (
      (this.smacroNames.mayHold(name) && this.smacros.has(name)) ||
      (this.ismacroNames.mayHold(name) && this.ismacros.has(name.toLowerCase()))
    );
  }

  /** `%clear`: forgets every macro. */
  clear(): void {
    this.smacros.clear();
    this.ismacros.clear();
    this.mmacros.clear();
    this.immacros.clear();
  }

  /** Defines a parameterless macro from source text (built-ins and -D). */
  defineText(name: string, body: string, casesense = true): void {
    this.removeSmacros(name, null, casesense);
    this.addSmacro({ name, casesense, params: null, greedy: false, body: tokenize(body) });
  }

  /** `%aliases off` stops definitions and uses from following %defalias links. */
  followAliases = true;

  /**
   * The name a definition of `key` really defines: a %defalias link is
   * followed (nasm defines, and %undef removes, the aliased macro).
   */
  definitionTarget(key: string): string {
    let target = key;
    for (let hops = 0; this.followAliases && hops < 32; hops++) {
      const alias = this.findSmacros(target)?.find((d) => d.alias !== undefined)?.alias;
      if (alias === undefined) break;
      target = alias;
    }
    return target;
  }

  /** Replaces the parameterless definition of `key` (what %assign, %strlen … produce). */
  setSimple(key: string, casesense: boolean, body: Tok[]): void {
    const target = this.definitionTarget(key);
    const map = casesense ? this.smacros : this.ismacros;
    const mapKey = casesense ? target : target.toLowerCase();
    const list = map.get(mapKey);
    if (list?.length === 1 && !list[0]!.params?.length) {
      // The common case (`%assign i i+1` again): the one definition is replaced where it stands.
      map.set(mapKey, [{ name: target, casesense, params: null, greedy: false, body, seq: this.nextSeq++ }]);
      return;
    }
    this.removeSameRule(target, 0, casesense);
    this.addSmacro({ name: target, casesense, params: null, greedy: false, body });
  }

  private nextSeq = 0;

  addSmacro(m: SMacro): void {
    m.seq = this.nextSeq++;
    (m.casesense ? this.smacroNames : this.ismacroNames).add(m.name);
    const map = m.casesense ? this.smacros : this.ismacros;
    const key = m.casesense ? m.name : m.name.toLowerCase();
    const list = map.get(key);
    if (list) list.push(m);
    else map.set(key, [m]);
  }

  /** Removes definitions of `name` (all, or those taking `nparams` parameters). */
  removeSmacros(name: string, nparams: number | null, casesense: boolean): void {
    const matches = (m: SMacro): boolean => nparams === null || (m.params ? m.params.length : 0) === nparams;
    const exact = this.smacros.get(name);
    if (exact) {
      const left = exact.filter((m) => !matches(m));
      if (left.length) this.smacros.set(name, left);
      else this.smacros.delete(name);
    }
    const lower = name.toLowerCase();
    const ins = this.ismacros.get(lower);
    if (ins) {
      const left = ins.filter((m) => !matches(m) || (casesense && m.name !== name && false));
      if (left.length) this.ismacros.set(lower, left);
      else this.ismacros.delete(lower);
    }
  }

  /** The definitions a use of `name` may mean; with both case rules defined, the newest first (it shadows, as in nasm). */
  /**
   * Before a new definition: removes the ones it replaces, those of the same
   * case rule and parameter count (one of the other rule stays, shadowed).
   */
  removeSameRule(name: string, nparams: number, casesense: boolean): void {
    const map = casesense ? this.smacros : this.ismacros;
    const key = casesense ? name : name.toLowerCase();
    const list = map.get(key);
    if (!list) return;
    const left = list.filter((m) => (m.params ? m.params.length : 0) !== nparams);
    if (left.length) map.set(key, left);
    else map.delete(key);
  }

  /** Every definition whose name equals `name` ignoring case (for the %i… shadowing warning; rare, so a scan). */
  findSmacrosAnyCase(name: string): SMacro[] {
    const lower = name.toLowerCase();
    const out = [...(this.ismacros.get(lower) ?? [])];
    for (const [key, list] of this.smacros) if (key.toLowerCase() === lower) out.push(...list);
    return out.sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
  }

  findSmacros(name: string): SMacro[] | undefined {
    const exact = this.smacroNames.mayHold(name) ? this.smacros.get(name) : undefined;
    const ins = this.ismacroNames.mayHold(name) ? this.ismacros.get(name.toLowerCase()) : undefined;
    if (exact && ins) return [...exact, ...ins].sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
    return exact ?? ins;
  }

  findMmacros(name: string): MMacro[] | undefined {
    const exact = this.mmacroNames.mayHold(name) ? this.mmacros.get(name) : undefined;
    const ins = this.immacroNames.mayHold(name) ? this.immacros.get(name.toLowerCase()) : undefined;
    if (exact && ins) return [...exact, ...ins];
    return exact ?? ins;
  }

  /** Stores a finished %macro definition, replacing one with the same parameter counts. */
  addMmacro(mac: MMacro): void {
    (mac.casesense ? this.mmacroNames : this.immacroNames).add(mac.name);
    const map = mac.casesense ? this.mmacros : this.immacros;
    const key = mac.casesense ? mac.name : mac.name.toLowerCase();
    const list = (map.get(key) ?? []).filter(
      (m) => !(m.min === mac.min && m.max === mac.max && m.greedy === mac.greedy),
    );
    list.push(mac);
    map.set(key, list);
  }
}

/**
 * The lengths of the names a table was ever given, by first character (compared ignoring ASCII
 * case, so one filter serves both case rules): a name whose length no name with its first
 * character had is surely not in the table (`eax` is ruled out by `extern` and `cpu` together,
 * which a filter of lengths and one of first characters would let through). Nothing is ever
 * taken out (a stale entry only costs a look-up).
 */
class NameFilter {
  /** A bit for each length (31 and up share one), by lower-cased first character (128: past ASCII, see mayHold). */
  private readonly lengths = new Int32Array(129);

  add(name: string): void {
    this.lengths[firstCharSlot(name.toLowerCase())]! |= lengthBit(name.length);
  }

  mayHold(name: string): boolean {
    const bit = lengthBit(name.length);
    if (name.length === 0) return (this.lengths[0]! & bit) !== 0;
    const c = name.charCodeAt(0);
    // Past ASCII, lower-casing may give anything (the Kelvin sign is `k`): any name of the length may be it.
    if (c >= 128) return this.anyOfLength(bit);
    return (this.lengths[c >= 65 && c <= 90 ? c + 32 : c]! & bit) !== 0;
  }

  private anyOfLength(bit: number): boolean {
    for (const lengths of this.lengths) if ((lengths & bit) !== 0) return true;
    return false;
  }
}

/** The slot of a lower-cased key's first character in a NameFilter (128: past ASCII). */
function firstCharSlot(key: string): number {
  return key.length === 0 ? 0 : Math.min(key.charCodeAt(0), 128);
}

/** The bit standing for names of this length in the length filters. */
function lengthBit(length: number): number {
  return 1 << Math.min(length, 31);
}
