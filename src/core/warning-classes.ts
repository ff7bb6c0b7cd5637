/**
 * nasm 2.16.01's warning classes (`nasm -h` lists them), with their default
 * state, and the older names nasm still accepts for some of them. Group
 * names (`pp`, `obsolete`, `pp-macro` …) need no entry: a `-w` name selects
 * every class or alias it is a dash-separated prefix of, as in nasm.
 */

/** `on`: reported; `off`: silent until enabled; `error`: reported as an error. */
export type WarningDefault = 'on' | 'off' | 'error';

export const WARNING_CLASSES: Readonly<Record<string, WarningDefault>> = {
  'db-empty': 'on',
  'ea-absolute': 'on',
  'ea-dispsize': 'on',
  'float-denorm': 'off',
  'float-overflow': 'on',
  'float-toolong': 'on',
  'float-underflow': 'off',
  forward: 'on',
  'label-orphan': 'on',
  'label-redef': 'off',
  'label-redef-late': 'error',
  'number-overflow': 'on',
  'obsolete-nop': 'on',
  'obsolete-removed': 'on',
  'obsolete-valid': 'on',
  phase: 'off',
  'pp-else-elif': 'on',
  'pp-else-else': 'on',
  'pp-empty-braces': 'on',
  'pp-environment': 'on',
  'pp-macro-def-case-single': 'on',
  'pp-macro-def-greedy-single': 'on',
  'pp-macro-def-param-single': 'error',
  'pp-macro-defaults': 'on',
  'pp-macro-params-legacy': 'on',
  'pp-macro-params-multi': 'on',
  'pp-macro-params-single': 'on',
  'pp-macro-redef-multi': 'on',
  'pp-open-braces': 'on',
  'pp-open-brackets': 'on',
  'pp-open-string': 'on',
  'pp-rep-negative': 'on',
  'pp-sel-range': 'on',
  'pp-trailing': 'on',
  'pragma-bad': 'off',
  'pragma-empty': 'off',
  'pragma-na': 'off',
  'pragma-unknown': 'off',
  'prefix-bnd': 'on',
  'prefix-hle': 'on',
  'prefix-lock': 'on',
  'prefix-opsize': 'on',
  'prefix-seg': 'on',
  ptr: 'on',
  regsize: 'on',
  'unknown-warning': 'off',
  user: 'on',
  'warn-stack-empty': 'on',
  zeroing: 'on',
  'zext-reloc': 'on',
  other: 'on',
};

/** Names from older nasm versions that nasm 2.16.01 still accepts, and the class each selects. */
export const WARNING_ALIASES: Readonly<Record<string, string>> = {
  bnd: 'prefix-bnd',
  environment: 'pp-environment',
  hle: 'prefix-hle',
  lock: 'prefix-lock',
  'bad-pragma': 'pragma-bad',
  'macro-def-case-single': 'pp-macro-def-case-single',
  'macro-def-greedy-single': 'pp-macro-def-greedy-single',
  'macro-def-param-single': 'pp-macro-def-param-single',
  'macro-defaults': 'pp-macro-defaults',
  'macro-params-legacy': 'pp-macro-params-legacy',
  'macro-params-multi': 'pp-macro-params-multi',
  'macro-params-single': 'pp-macro-params-single',
  'negative-rep': 'pp-rep-negative',
  'not-my-pragma': 'pragma-na',
  'orphan-labels': 'label-orphan',
  'unknown-pragma': 'pragma-unknown',
};

/**
 * The classes a `-w` name selects: every class or alias that equals the name
 * or starts with it followed by a dash (case-insensitive); null for `all`.
 */
export function selectWarningClasses(name: string): string[] | null {
  const wanted = name.toLowerCase();
  if (wanted === 'all') return null;
  const matches = (candidate: string): boolean =>
    candidate.startsWith(wanted) && (candidate.length === wanted.length || candidate[wanted.length] === '-');
  const out = new Set<string>();
  for (const cls of Object.keys(WARNING_CLASSES)) if (matches(cls)) out.add(cls);
  for (const [alias, cls] of Object.entries(WARNING_ALIASES)) if (matches(alias)) out.add(cls);
  return [...out];
}
