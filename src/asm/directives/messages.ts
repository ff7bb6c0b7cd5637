/** `[warning ±class]`, `%pragma` and `[float]`. */
import { applyWarningDirective } from '../../core/diagnostics.js';
import { DEFAULT_FLOAT_MODE } from '../../core/float.js';
import type { AssemblyContext } from '../context.js';
import { AFFIX_PRAGMAS } from '../name-mangling.js';
import { argumentsOf, type DirectiveHandler } from './types.js';

/**
 * `[warning -x]`, `+x`, `*x` (back to the command line's state), `push`, `pop` (the standard
 * `alignb` silences `zeroing` this way): see applyWarningDirective. The assembler reports what the
 * preprocessor's reading of the same directive keeps quiet.
 */
const warning: DirectiveHandler = (ctx, directive) => {
  const words = argumentsOf(directive, 'words').words;
  const outcome = applyWarningDirective(words, ctx.warnings, ctx.warningStack, ctx.diagnostics.warningSwitches);
  ctx.warnings = outcome.switches;
  if (outcome.emptyPop) ctx.warn('warning stack empty', 'warn-stack-empty', true);
  if (outcome.unknown !== null) ctx.warn(`unknown warning name: ${outcome.unknown}`, 'unknown-warning', true);
};

/**
 * `[float word]` (also the standard macro `float word`, which gives one directive per word):
 * nasm 2.16.01 takes one word, in any case, and reports anything else, as written, in pass one
 * (`float f`, `[float up daz]`, `[float up,]`). `near`/`up`/`down`/`zero` set the rounding,
 * `daz`/`nodaz` whether denormal results become zero, `default` both back to `near`, `nodaz`.
 * The mode applies from the next line on, to data constants and to the float functions (the
 * evaluator's `floatCall` leaves, and the preprocessor's through PreprocessOptions.floatMode).
 */
const float: DirectiveHandler = (ctx, directive) => {
  const text = argumentsOf(directive, 'text').text.trim();
  const word = text.toLowerCase();
  const mode = ctx.floatMode;
  if (word === 'near' || word === 'up' || word === 'down' || word === 'zero') ctx.floatMode = { ...mode, round: word };
  else if (word === 'daz' || word === 'nodaz') ctx.floatMode = { ...mode, daz: word === 'daz' };
  else if (word === 'default') ctx.floatMode = DEFAULT_FLOAT_MODE;
  else ctx.reportError(`unknown 'float' directive: ${text}`, true);
};

/** nasm's pragma facilities that have no directive tsnasm (or nasm 2.16.01 for these formats) knows. */
const SILENT_FACILITIES = new Set(['asm', 'list', 'file', 'input', 'debug']);

/**
 * `%pragma FACILITY DIRECTIVE [value]`: `output` and the output format's namespaces (`elf`, `elf32`)
 * set the symbol name affixes; the value is the first word after the directive. Facilities of
 * other formats are ignored, as nasm ignores them; `limit` was the preprocessor's.
 */
const pragma: DirectiveHandler = (ctx, directive) => {
  const [facility = '', keyword = '', value = ''] = argumentsOf(directive, 'text').text.trim().split(/\s+/);
  const ns = facility.toLowerCase();
  const own = ns === 'output' || outputNamespaces(ctx).includes(ns);
  if (!own && !SILENT_FACILITIES.has(ns)) return;
  if (keyword === '') {
    ctx.warn(`empty %pragma ${facility}`, 'pragma-bad');
    return;
  }
  const affix = own ? AFFIX_PRAGMAS[keyword.toLowerCase()] : undefined;
  if (affix === undefined) ctx.warn(`unknown %pragma ${facility} ${keyword}`, 'pragma-unknown');
  else ctx.nameMangling.set(affix, value);
};

/** The pragma namespaces of the output format: its name and, for elf32/elf64, `elf` (not for elfx32: measured). */
function outputNamespaces(ctx: AssemblyContext): string[] {
  const format = ctx.options.format;
  return format === 'elf32' || format === 'elf64' ? [format, 'elf'] : [format];
}

export const MESSAGE_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  warning,
  float,
  pragma,
};
