/**
 * Brace groups in a data line, as nasm 2.16.01's scanner reads them (measured): a `{` and the
 * word that touches it (letters, digits and `_.$@#~?-`) are one token wherever they stand, with
 * the `}` when only blanks come before it. A decorator or prefix word (`{k1}`, `{z}`, `{1to8}`,
 * `{rn-sae}`, `{evex}`) is a plain token to a data list (`db 5 {k1}, 6` drops it as the one stray
 * token after an item); any other word is "`foo' is not a valid decorator with braces", and a
 * group that does not close right after its word (`{`, `{ k1 }`, `{k1,6`, `{a b}`) is "invalid
 * decorator token inside braces": the scanner says so when it reaches the group, and hands on a
 * token that the expression reader skips when it comes first (`db {foo} 5` is `db 5`).
 */
import type { IToken } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { braceWordError, INVALID_TOKEN } from './decorators.js';

export interface BraceGroups {
  /** The line's tokens with each group as one token (typed `{`: no expression takes it). */
  readonly tokens: IToken[];
  /** The groups nasm's scanner complains about, with its message. */
  readonly invalid: ReadonlyMap<IToken, string>;
  /** Each group to the last of our tokens it stands for (where a message says nasm stopped reading). */
  readonly last: ReadonlyMap<IToken, IToken>;
}

const NO_GROUPS: ReadonlyMap<IToken, never> = new Map<IToken, never>();
const BRACE_WORD = /^[\w.$@#~?-]+$/;

const touching = (a: IToken, b: IToken): boolean => a.startOffset + a.image.length === b.startOffset;

/** The tokens of a data line's operands with their brace groups read as nasm's scanner reads them. */
export function mergeBraceGroups(tokens: IToken[]): BraceGroups {
  if (!tokens.some((t) => t.tokenType === T.LBrace)) return { tokens, invalid: NO_GROUPS, last: NO_GROUPS };
  const out: IToken[] = [];
  const invalid = new Map<IToken, string>();
  const last = new Map<IToken, IToken>();
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.tokenType !== T.LBrace) {
      out.push(open);
      continue;
    }
    let word = '';
    let end = i;
    while (
      end + 1 < tokens.length &&
      touching(tokens[end]!, tokens[end + 1]!) &&
      BRACE_WORD.test(tokens[end + 1]!.image)
    )
      word += tokens[++end]!.image;
    let message: string | null = INVALID_TOKEN;
    if (tokens[end + 1]?.tokenType === T.RBrace) {
      end++;
      message = braceWordError(word);
    }
    const through = tokens[end]!;
    const group: IToken = {
      ...open,
      image: tokens
        .slice(i, end + 1)
        .map((t) => t.image)
        .join(''),
    };
    if (through.endOffset !== undefined) group.endOffset = through.endOffset;
    if (message !== null) invalid.set(group, message);
    last.set(group, through);
    out.push(group);
    i = end;
  }
  return { tokens: out, invalid, last };
}
