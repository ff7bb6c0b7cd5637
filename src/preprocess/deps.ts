/**
 * Dependency output for `-M`, `-MG`, `-MF`, `-MD`, `-MT`, `-MQ`, `-MP`: the
 * text nasm 2.16.01 writes, built from the list of files the preprocessor
 * read (the main file first, then every %include / %depend in order).
 */

/**
 * Escapes a file name for a Makefile the way nasm's -MQ does: spaces and tabs
 * get a backslash (and double any backslashes before them), `$` becomes `$$`,
 * `#` becomes `\#`, trailing backslashes are doubled.
 */
export function quoteForMake(name: string): string {
  let out = '';
  let backslashes = 0;
  for (const ch of name) {
    if (ch === ' ' || ch === '\t') {
      out += '\\'.repeat(backslashes) + '\\' + ch;
      backslashes = 0;
    } else if (ch === '$') {
      out += '$$';
      backslashes = 0;
    } else if (ch === '#') {
      out += '\\#';
      backslashes = 0;
    } else if (ch === '\\') {
      out += ch;
      backslashes++;
    } else {
      out += ch;
      backslashes = 0;
    }
  }
  return out + '\\'.repeat(backslashes);
}

export interface DependencyOptions {
  /** The rule's target, already quoted as wanted (-MT verbatim, -MQ through quoteForMake). */
  target: string;
  /** Every file the run depends on, in the order nasm lists them (main file first). */
  files: readonly string[];
  /** -MP: an empty rule for every file so deleted headers do not break make. */
  phony?: boolean;
}

/** The text nasm writes for -M / -MF: `target : a b \` with lines wrapped near 62 columns. */
export function makeDependencyText(opts: DependencyOptions): string {
  let text = `${opts.target} :`;
  let column = text.length;
  const seen = new Set<string>();
  const files = opts.files.filter((f) => (seen.has(f) ? false : (seen.add(f), true)));
  for (const f of files) {
    const q = quoteForMake(f);
    if (column + q.length > 62 && column > 1) {
      text += ' \\\n ';
      column = 1;
    }
    text += ' ' + q;
    column += q.length + 1;
  }
  text += '\n\n';
  if (opts.phony) for (const f of files) text += `${quoteForMake(f)} :\n\n`;
  return text;
}
