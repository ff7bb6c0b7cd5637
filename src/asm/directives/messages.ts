/** `[warning ±class]`, `%pragma` and the directives nasm accepts and ignores here (`float`). */
import { argumentsOf, type DirectiveHandler } from './types.js';

/**
 * `[warning -x]`, `+x`, `*x` (back to the command line's state), `push`, `pop`
 * (the standard `alignb` silences `zeroing` this way). As in nasm, `push` and
 * `pop` then also go through the name lookup, so with `unknown-warning` on
 * they are reported as unknown names too; popping an empty stack warns and
 * returns to the command line's state.
 */
const warning: DirectiveHandler = (ctx, directive) => {
  for (const word of argumentsOf(directive, 'words').words) {
    if (word === 'push') ctx.warningStack.push(ctx.warnings.copy());
    else if (word === 'pop') {
      const top = ctx.warningStack.pop();
      if (top) ctx.warnings = top;
      else {
        ctx.warnings = ctx.diagnostics.warningSwitches.snapshot();
        ctx.warn('warning stack empty', 'warn-stack-empty', true);
      }
    }
    const unknown = ctx.warnings.apply(word);
    if (unknown !== null) ctx.warn(`unknown warning name: ${unknown}`, 'unknown-warning', true);
  }
};

const ignored: DirectiveHandler = () => undefined;

export const MESSAGE_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  warning,
  float: ignored,
  // `%pragma limit …` already acted on in the preprocessor; nasm ignores namespaces it does not know.
  pragma: ignored,
};
