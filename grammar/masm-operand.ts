/**
 * The two words nasm 2.16.01's parser keeps for the masm package (`%use masm` defines `ptr` and
 * `flat` as them): `dword __?masm_ptr?__ x` is the memory at x (as `dword [x]`; an operand already
 * in brackets stays as it is), and `[__?masm_flat?__:x]` is `[x]` (a flat segment is none).
 * Measured elsewhere: either word is an expression syntax error (`[ptr x]`, `ptr ptr x`, `flat:x`
 * outside brackets).
 */
import type { IToken } from 'chevrotain';
import { Colon, LBracket, RBracket, makeToken } from './tokens.js';

const MASM_PTR = '__?masm_ptr?__';
const MASM_FLAT = '__?masm_flat?__';

/**
 * The words that may stand before `ptr`: sizes (`long` too, as nasm reads it: a dword; not `fword`,
 * which nasm refuses there), distances and `strict`.
 */
const BEFORE_PTR = new Set([
  'byte',
  'word',
  'dword',
  'long',
  'qword',
  'tword',
  'oword',
  'yword',
  'zword',
  'far',
  'near',
  'short',
  'strict',
]);

/** True if the operand holds a masm word (the rare case: most operands pay one scan). */
export function hasMasmWord(tokens: readonly IToken[]): boolean {
  return tokens.some((t) => t.image.length >= 14 && t.image.startsWith('__?masm_'));
}

/** The operand in nasm's own notation, or nasm's message when the masm words stand where nasm refuses them. */
export function rewriteMasmOperand(tokens: readonly IToken[]): IToken[] | string {
  const withPtr = withoutPtr(tokens);
  return typeof withPtr === 'string' ? withPtr : withoutFlat(withPtr);
}

/** `dword ptr x` → `dword [x]`: one `ptr`, after nothing but sizes, distances and `strict`. */
function withoutPtr(tokens: readonly IToken[]): IToken[] | string {
  const at = tokens.findIndex((t) => t.image.toLowerCase() === MASM_PTR);
  if (at < 0) return [...tokens];
  const before = tokens.slice(0, at);
  const rest = tokens.slice(at + 1);
  if (!before.every((t) => BEFORE_PTR.has(t.image.toLowerCase()))) return 'expression syntax error';
  if (rest.some((t) => t.image.toLowerCase() === MASM_PTR)) return 'expression syntax error';
  return [...before, ...asMemory(rest)];
}

/**
 * `[flat:x]` → `[x]`: `flat:` only as the memory reference's first segment override or right after
 * another one (`[ds:flat:x]`), once (measured: `flat:x` outside brackets, `[eax+flat:x]` and
 * `[flat:flat:x]` are nasm's expression syntax errors).
 */
function withoutFlat(tokens: IToken[]): IToken[] | string {
  const out: IToken[] = [];
  let open = -1; // where the current `[` is in out
  let flatSeen = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === LBracket) {
      open = out.length;
      flatSeen = false;
    } else if (t.tokenType === RBracket) open = -1;
    if (t.image.toLowerCase() !== MASM_FLAT) {
      out.push(t);
      continue;
    }
    const since = out.length - open - 1;
    const segmentOnly = since === 0 || (since === 2 && out[out.length - 1]!.tokenType === Colon);
    if (open < 0 || flatSeen || !segmentOnly || tokens[i + 1]?.tokenType !== Colon) return 'expression syntax error';
    flatSeen = true;
    i++; // the colon
  }
  return out;
}

/**
 * `x` → `[x]`, `gs:x` → `[gs:x]`; `[x]` and `gs:[x]` are memory already. Size words after `ptr`
 * go inside the brackets, where they are the displacement's size (measured: `dword ptr word [foo]`
 * is `dword [word foo]`, `tbyte ptr qword [foo]` is `tword [qword foo]`, `dword ptr byte gs:[ebx+4]`
 * is `dword [byte gs:ebx+4]`).
 */
function asMemory(tokens: IToken[]): IToken[] {
  const first = tokens[0];
  if (first === undefined) return tokens;
  let words = 0;
  while (words < tokens.length && BEFORE_PTR.has(tokens[words]!.image.toLowerCase())) words++;
  const body = tokens.slice(words);
  const last = tokens[tokens.length - 1]!;
  const bracketAt = body[0]?.tokenType === LBracket ? 0 : body[1]?.tokenType === Colon ? 2 : -1;
  if (bracketAt >= 0 && body[bracketAt]?.tokenType === LBracket && last.tokenType === RBracket) {
    if (words === 0) return tokens;
    // The brackets' own inside, with the segment written before them.
    const inside = [...body.slice(0, bracketAt), ...body.slice(bracketAt + 1, -1)];
    return [makeToken('[', first.startOffset, LBracket), ...tokens.slice(0, words), ...inside, last];
  }
  return [
    makeToken('[', first.startOffset, LBracket),
    ...tokens,
    makeToken(']', (last.endOffset ?? last.startOffset) + 1, RBracket),
  ];
}
