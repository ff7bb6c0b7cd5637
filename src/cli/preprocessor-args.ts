// The preprocessor's command-line options (-M family, -P/-p, -a, -D/-U, -I, -d/-u/-i/-e), picked
// out of argv before commander sees the rest, kept in command-line order as nasm applies them.
import { quoteForMake } from '../preprocess/index.js';

/** The preprocessor's command-line options that commander cannot read (`-MD`, `-MF`, … are not single letters). */
export interface PreprocessorArgs {
  /** `-M`/`-MG`: write the dependency rule instead of assembling. */
  dependenciesOnly: boolean;
  /**
   * `-MG`: missing files are taken as generated ones. nasm 2.16.01 then does
   * not search the -I paths at all (measured): a file is found in the
   * current directory or listed as written.
   */
  generatedDependencies: boolean;
  /** `-MD file`: assemble and also write the rule to this file. */
  alongsideFile?: string;
  /** `-MD` followed by another option: the rule goes to the output name plus `.d`. */
  alongsideDerived: boolean;
  /** `-MF file`: where `-M` writes the rule (stdout otherwise). */
  dependencyFile?: string;
  /** `-MT`/`-MQ` (the last one wins, as in nasm), already quoted for -MQ. */
  target?: string;
  /** `-MP` */
  phony: boolean;
  /** `-P file` / `-p file`, each also kept in `ordered` with -D/-U. */
  preIncludes: string[];
  /** `-a`: no preprocessing. */
  noPreprocess: boolean;
  /** -D/-d, -U/-u and -P/-p in command-line order (nasm applies them in that order). */
  ordered: Array<{ name: string; value?: string | undefined; undefine?: boolean; include?: boolean }>;
  /** -I/-i directories in order (read here: commander's variadic -I would swallow the file name). */
  includePaths: string[];
  /** Everything else, for commander. */
  rest: string[];
}

/** Pulls the -M family, -P/-p, -a, -D/-U, -I and nasm's lowercase spellings (-d, -u, -i, -e) out of argv. */
export function extractPreprocessorArgs(args: readonly string[]): PreprocessorArgs | { error: string } {
  const out: PreprocessorArgs = {
    dependenciesOnly: false,
    generatedDependencies: false,
    alongsideDerived: false,
    phony: false,
    preIncludes: [],
    noPreprocess: false,
    ordered: [],
    includePaths: [],
    rest: [],
  };
  const define = (text: string, undefine: boolean): void => {
    const eq = text.indexOf('=');
    if (undefine) out.ordered.push({ name: text, undefine: true });
    else out.ordered.push(eq < 0 ? { name: text } : { name: text.slice(0, eq), value: text.slice(eq + 1) });
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const needValue = (): string | null => {
      const v = args[i + 1];
      if (v === undefined) return null;
      i++;
      return v;
    };
    switch (a) {
      case '-M':
        out.dependenciesOnly = true;
        continue;
      case '-MG':
        out.dependenciesOnly = true;
        out.generatedDependencies = true;
        continue;
      case '-MP':
        out.phony = true;
        continue;
      case '-a':
        out.noPreprocess = true;
        continue;
      case '-MD': {
        const v = args[i + 1];
        if (v === undefined) return { error: "option `-MD' requires a parameter" };
        if (v.startsWith('-')) out.alongsideDerived = true;
        else {
          out.alongsideFile = v;
          i++;
        }
        continue;
      }
      case '-MF':
      case '-MT':
      case '-MQ': {
        const v = needValue();
        if (v === null) return { error: `option \`${a}' requires a parameter` };
        if (a === '-MF') out.dependencyFile = v;
        else out.target = a === '-MQ' ? quoteForMake(v) : v;
        continue;
      }
      default:
    }
    // The value of an option commander reads is not an option here (`-w-ptr` reaches us as `-w -ptr`).
    if (/^-[foOXwWlL]$/.test(a) && i + 1 < args.length) {
      out.rest.push(a, args[++i]!);
      continue;
    }
    // Single-letter options with a value, glued (`-pfile`) or separate (`-p file`).
    const m = /^-([PpDdUuIi])(.*)$/.exec(a);
    if (m) {
      const v = m[2] !== '' ? m[2]! : needValue();
      if (v === null) return { error: `option \`-${m[1]}' requires an argument` };
      const letter = m[1]!.toUpperCase();
      if (letter === 'I') out.includePaths.push(v);
      else if (letter === 'P') {
        out.preIncludes.push(v);
        out.ordered.push({ name: v, include: true });
      } else define(v, letter === 'U');
      continue;
    }
    // nasm's other lowercase spelling: -e (preprocess only).
    out.rest.push(a === '-e' ? '-E' : a);
  }
  return out;
}
