/**
 * nasm's symbol name affixes: `--gprefix`/`--lprefix`/`--gpostfix`/`--lpostfix` on the command line,
 * `%pragma output gprefix _` (or the output format's own namespace, `%pragma elf lprefix .L.`).
 * The first setting of each affix wins (the command line's come first), so a file lists the most
 * specific namespace first. The affixes apply to the names the object file's symbol table gets.
 */

export type NameAffix = 'gprefix' | 'gsuffix' | 'lprefix' | 'lsuffix';

export type NameAffixes = Partial<Record<NameAffix, string>>;

/** The pragma words that set an affix (`prefix`/`suffix` are the global ones). */
export const AFFIX_PRAGMAS: Readonly<Record<string, NameAffix>> = {
  prefix: 'gprefix',
  gprefix: 'gprefix',
  suffix: 'gsuffix',
  gsuffix: 'gsuffix',
  lprefix: 'lprefix',
  lsuffix: 'lsuffix',
};

export class NameMangling {
  private readonly affixes: NameAffixes = {};
  /** Names declared `static`: mangled as globals (measured: nasm gives them the global affixes). */
  readonly staticNames = new Set<string>();

  constructor(commandLine: NameAffixes = {}) {
    for (const [which, text] of Object.entries(commandLine) as Array<[NameAffix, string]>) this.set(which, text);
  }

  /** Sets an affix unless it was set before. */
  set(which: NameAffix, text: string): void {
    if (this.affixes[which] === undefined) this.affixes[which] = text;
  }

  get active(): boolean {
    return Object.values(this.affixes).some((text) => text !== '');
  }

  /**
   * The name written for a symbol: globals, statics and externs get the global affixes; everything
   * else (labels, `.local` names, `..@` names and, as in nasm 2.16.01, commons) the local ones.
   */
  mangle(name: string, global: boolean): string {
    const [prefix, suffix] = global
      ? [this.affixes.gprefix, this.affixes.gsuffix]
      : [this.affixes.lprefix, this.affixes.lsuffix];
    return `${prefix ?? ''}${name}${suffix ?? ''}`;
  }
}
