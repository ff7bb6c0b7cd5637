/** `[warning ±class]`, `%pragma` and the directives nasm accepts and ignores here (`float`, `required`). */
import { argumentsOf, type DirectiveHandler } from './types.js';

/** `[warning -x]`, `+x`, `*x` (back to the default: on), `push`, `pop` (the standard `alignb` silences `zeroing` this way). */
const warning: DirectiveHandler = (ctx, directive) => {
  for (const word of argumentsOf(directive, 'words').words) {
    if (word === 'push') ctx.warningStack.push(ctx.warnings.copy());
    else if (word === 'pop') ctx.warnings = ctx.warningStack.pop() ?? ctx.diagnostics.warningSwitches.copy();
    else if (word.startsWith('-') || word.startsWith('+') || word.startsWith('*')) ctx.warnings.apply(word);
  }
};

const ignored: DirectiveHandler = () => undefined;

export const MESSAGE_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  warning,
  float: ignored,
  required: ignored,
  // `%pragma limit …` already acted on in the preprocessor; nasm ignores namespaces it does not know.
  pragma: ignored,
};
