/**
 * The macros nasm defines before reading the source: version and format
 * names, __?FILE?__/__?LINE?__/__?BITS?__/__?PASS?__ (computed at each use),
 * dates and times (SOURCE_DATE_EPOCH honoured), then the standard macro
 * package and the output format's macros.
 */
import { NASM_VERSION } from '../core/version.js';
import { utf8AsBytes } from '../core/latin1.js';
import type { PreprocessorState } from './state.js';
import { FORMAT_MACROS, STANDARD_MACROS, TOKEN_ALIASES } from './stdmac.js';
import { K, type Tok, quoteString } from './tokenize.js';

export function definePredefined(pp: PreprocessorState): void {
  const o = pp.options;
  const dyn = (name: string, fn: () => Tok[]): void => {
    pp.macros.addSmacro({ name, casesense: true, params: null, greedy: false, body: [], dynamic: fn });
  };
  // The main file's name comes from the command line as text; included files' names from the source, as bytes.
  dyn('__?FILE?__', () => {
    const file = pp.currentWhere.file;
    return [{ k: K.STR, s: quoteString(file === pp.options.fileName ? utf8AsBytes(file) : file) }];
  });
  dyn('__?LINE?__', () => [{ k: K.NUM, s: String(pp.currentWhere.line) }]);
  dyn('__?BITS?__', () => [{ k: K.NUM, s: String(pp.mode !== 'assemble' ? 0 : (o.bits?.() ?? 16)) }]);
  // nasm -E runs as pass 3, nasm -M as pass 0.
  const passNumber = (): number => (pp.mode === 'preprocess' ? 3 : pp.mode === 'dependencies' ? 0 : (o.pass?.() ?? 2));
  dyn('__?PASS?__', () => [{ k: K.NUM, s: String(passNumber()) }]);
  pp.macros.defineText('__?NASM_MAJOR?__', String(NASM_VERSION.major));
  pp.macros.defineText('__?NASM_MINOR?__', String(NASM_VERSION.minor));
  pp.macros.defineText('__?NASM_SUBMINOR?__', String(NASM_VERSION.subminor));
  pp.macros.defineText('__?NASM_PATCHLEVEL?__', String(NASM_VERSION.patch));
  pp.macros.defineText('__?NASM_VERSION_ID?__', '0' + NASM_VERSION.id.toString(16).padStart(8, '0') + 'h');
  pp.macros.defineText('__?NASM_VER?__', `"${NASM_VERSION.string}"`);
  pp.macros.defineText('__?OUTPUT_FORMAT?__', o.outputFormat);
  defineTimes(pp);

  // The standard package, then the format's own macros, then -D/-U.
  pp.runSetupText(STANDARD_MACROS, 'standard.mac');
  const aliasLines = TOKEN_ALIASES.map((n) => `%idefine __?${n}?__ %?`).concat(
    TOKEN_ALIASES.map((n) => `%idefalias __${n}__ __?${n}?__`),
  );
  pp.runSetupText(aliasLines.join('\n'), 'standard.mac');
  const fmt = FORMAT_MACROS[o.outputFormat];
  if (fmt) pp.runSetupText(fmt, 'format.mac');
  // The output format starts in its default section; nasm records it in __?SECT?__.
  pp.macros.defineText('__?SECT?__', '[section .text]');
  // -D/-U/-P are applied in lines(), in command-line order, once the main file is open.
  // Setup must not disturb the label counter users see… except that nasm's own
  // standard macros do not consume numbers at definition time either.
}

function defineTimes(pp: PreprocessorState): void {
  const epochText = pp.env['SOURCE_DATE_EPOCH'];
  const epoch = epochText !== undefined && /^\d+$/.test(epochText) ? Number(epochText) : null;
  const now = epoch !== null ? new Date(epoch * 1000) : new Date();
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const local = {
    y: now.getFullYear(),
    mo: now.getMonth() + 1,
    d: now.getDate(),
    h: now.getHours(),
    mi: now.getMinutes(),
    s: now.getSeconds(),
  };
  const utc = {
    y: now.getUTCFullYear(),
    mo: now.getUTCMonth() + 1,
    d: now.getUTCDate(),
    h: now.getUTCHours(),
    mi: now.getUTCMinutes(),
    s: now.getUTCSeconds(),
  };
  for (const [prefix, t] of [
    ['', local],
    ['UTC_', utc],
  ] as const) {
    pp.macros.defineText(`__?${prefix}DATE?__`, `"${t.y}-${p2(t.mo)}-${p2(t.d)}"`);
    pp.macros.defineText(`__?${prefix}DATE_NUM?__`, `${t.y}${p2(t.mo)}${p2(t.d)}`);
    pp.macros.defineText(`__?${prefix}TIME?__`, `"${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}"`);
    pp.macros.defineText(`__?${prefix}TIME_NUM?__`, `${p2(t.h)}${p2(t.mi)}${p2(t.s)}`);
  }
  pp.macros.defineText('__?POSIX_TIME?__', String(Math.floor(now.getTime() / 1000)));
}
