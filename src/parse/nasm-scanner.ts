/**
 * What nasm's scanner says about the tokens of a line, beside the grammar: the numbers of its
 * token types, which it prints raw after a memory operand (`mov eax, [ebx]4`: "comma, decorator
 * or end of line expected, got 269"), and its `ptr` warning. Single characters are their
 * character code; the rest were measured one token at a time on nasm 2.16.01.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { isFloatToken, isPackedBcd } from '../core/numbers.js';
import { isInstructionPrefix, isMnemonic } from '../encoder/index.js';
import type { Expr, OperandAst, StatementBody } from './ast.js';
import type { Register } from '../encoder/registers.js';
import { parseOperand, type RecoveredError } from '../../grammar/operands.js';

const NUMBER = 269;
const STRING = 271;
const IDENTIFIER = 273;
const FLOAT = 274;
const INSTRUCTION = 291;

const BY_TYPE: ReadonlyMap<TokenType, number> = new Map<TokenType, number>([
  [T.ShiftLeft, 256],
  [T.SignedShiftLeft, 256],
  [T.ShiftRight, 257],
  [T.SignedShiftRight, 258],
  [T.SignedDivide, 259],
  [T.SignedModulo, 260],
  [T.GreaterEqual, 261],
  [T.LessEqual, 262],
  [T.NotEqual, 263],
  [T.Spaceship, 264],
  [T.LogicalAnd, 265],
  [T.LogicalOr, 266],
  [T.LogicalXor, 267],
  [T.EqualEqual, 61],
  [T.StringLiteral, STRING],
  [T.Here, 275],
  [T.SectionStart, 276],
  [T.Seg, 278],
  [T.Wrt, 279],
  [T.SizeKeyword, 287],
  [T.Strict, 288],
  [T.Distance, 288],
  [T.To, 288],
  [T.Nosplit, 288],
  [T.RelAbs, 288],
  [T.Register, 290],
]);

/** Names nasm's scanner reads as something other than a plain identifier. */
const SPECIAL_NAMES: ReadonlyArray<[RegExp, number]> = [
  [/^__\?float(8|16|32|64|80m|80e|128l|128h)\?__$/, 280],
  [/^__\?utf(16|16le|16be|32|32le|32be)\?__$/, 281],
  [/^__\?ilog2[ewfc]\?__$/, 282],
  [/^__\?masm_ptr\?__$/, 284],
  [/^__\?masm_flat\?__$/, 285],
  [/^__\?(infinity|nan|qnan|snan)\?__$/, FLOAT],
];

/** Pseudo-instructions nasm's scanner reads as instructions (`db`, `resb`, `equ`, `incbin`). */
const PSEUDO_INSTRUCTION = /^(d[bwdqtoyz]|res[bwdqtoyz]|equ|incbin)$/;

function identifierCode(image: string): number {
  const lower = image.toLowerCase();
  for (const [pattern, code] of SPECIAL_NAMES) if (pattern.test(lower)) return code;
  if (isInstructionPrefix(lower) || lower === 'times') return 289;
  if (isMnemonic(lower) || PSEUDO_INSTRUCTION.test(lower)) return INSTRUCTION;
  return IDENTIFIER;
}

/** The number nasm 2.16.01 gives the token's type. */
export function nasmTokenCode(t: IToken): number {
  const known = BY_TYPE.get(t.tokenType);
  if (known !== undefined) return known;
  if (t.tokenType === T.NumberLiteral) return isFloatToken(t.image) || isPackedBcd(t.image) ? FLOAT : NUMBER;
  if (t.tokenType === T.Identifier) return identifierCode(t.image);
  return t.image.length === 1 ? t.image.charCodeAt(0) : IDENTIFIER;
}

/** The warning nasm's scanner gives for each `ptr` it reads (any case), kept from MASM habits. */
export interface ScannerWarning {
  message: string;
  warningClass: string;
  /**
   * Said while nasm reads the line's label, before it defines it: the label word's `ptr` and
   * `label-orphan`. They come before the label's own messages (`inconsistently redefined`), the
   * other words' `ptr` after them.
   */
  ofLabel?: true;
}

/**
 * One `ptr` warning per `ptr` word in `tokens` (nasm 2.16.01 warns in pass 1, once per word:
 * `dword ptr [eax]`, `ptr:`, `dd ptr, ptr`). Null when there is none, the usual case.
 */
export function ptrWarnings(tokens: readonly IToken[]): ScannerWarning[] | null {
  let found: ScannerWarning[] | null = null;
  for (const t of tokens) {
    if (!isPtrWord(t)) continue;
    found ??= [];
    found.push({ message: `\`${t.image}' is not a NASM keyword`, warningClass: 'ptr' });
  }
  return found;
}

function isPtrWord(t: IToken): boolean {
  return t.image.length === 3 && t.tokenType === T.Identifier && t.image.toLowerCase() === 'ptr';
}

/**
 * What nasm makes of an operand it reports an error in but still assembles: tokens left after it
 * (`[ebx]4` is `[ebx]`; the message names the token's number after a memory reference, asks for
 * a comma or colon after anything else) or a segment override that is no segment register
 * (`4:[ebx]` and `[eax:ebx]` are `[ebx]`). `operand` is null when not even that part can be read.
 */
export function readableOperand(
  tokens: readonly IToken[],
  error: 'trailing tokens' | 'invalid segment override',
  next: IToken | null,
  namer: (written: string) => string,
): { message: string; operand: OperandAst | null; recovered?: readonly RecoveredError[] | undefined } {
  if (error === 'invalid segment override') {
    const colon = tokens.findIndex((t) => t.tokenType === T.Colon);
    const start = tokens.findIndex((t) => !OPERAND_KEYWORDS.has(t.tokenType));
    // Inside the brackets (`[eax:foo]`) only the register and its colon go: `[foo]`.
    const inBrackets = colon > 0 && tokens.slice(0, colon).some((t) => t.tokenType === T.LBracket);
    const kept = inBrackets
      ? [...tokens.slice(0, colon - 1), ...tokens.slice(colon + 1)]
      : [...tokens.slice(0, start), ...tokens.slice(colon + 1)];
    const rest = colon < 0 || start < 0 ? null : parseOperand(kept, namer);
    return { message: error, operand: rest?.value ?? null };
  }
  const at = next === null ? -1 : tokens.indexOf(next);
  const read = at > 0 ? parseOperand(tokens.slice(0, at), namer) : null;
  const operand = read?.value ?? null;
  const message =
    operand?.kind === 'mem'
      ? `comma, decorator or end of line expected, got ${nasmTokenCode(next!)}`
      : 'comma, colon, decorator or end of line expected after operand';
  return { message, operand, recovered: read?.recovered };
}

/** Keywords that come before an operand's expression (`dword`, `strict`, `far`, `to`). */
const OPERAND_KEYWORDS: ReadonlySet<TokenType> = new Set([T.SizeKeyword, T.Strict, T.Distance, T.To]);

const ORPHAN_WARNING: ScannerWarning = {
  message: 'label alone on a line without a colon might be in error',
  warningClass: 'label-orphan',
  ofLabel: true,
};

/** Directives whose arguments nasm reads with its scanner (measured: `global ptr`, `cpu ptr` do not warn). */
const SCANNED_DIRECTIVES: ReadonlySet<string> = new Set(['org', 'absolute', 'default']);

/**
 * The pass-1 warnings of a statement, in nasm's order: its `ptr` words (not in directives that
 * take words rather than expressions), then `label-orphan` when the line is a lone label.
 * `labelled`: the first token is the line's label.
 */
export function scannerWarnings(
  tokens: readonly IToken[],
  body: StatementBody,
  orphan: boolean,
  labelled: boolean,
): ScannerWarning[] | null {
  const scanned = body.kind !== 'directive' || SCANNED_DIRECTIVES.has(body.name);
  let warnings = scanned ? ptrWarnings(tokens) : null;
  if (warnings !== null && labelled && tokens[0] !== undefined && isPtrWord(tokens[0]))
    warnings[0] = { ...warnings[0]!, ofLabel: true };
  if (body.kind === 'instruction') {
    const farBranch = FAR_BRANCHES.has(body.mnemonic.toLowerCase());
    for (const op of body.operands) if (ignoresSizeKeyword(op, farBranch)) (warnings ??= []).push(REGSIZE_WARNING);
  }
  if (!orphan) return warnings;
  return warnings === null ? [ORPHAN_WARNING] : [...warnings, ORPHAN_WARNING];
}

/** The instructions with far forms, where `far` on a register is only a dropped size. */
export const FAR_BRANCHES: ReadonlySet<string> = new Set(['jmp', 'call']);

const REGSIZE_WARNING: ScannerWarning = {
  message: 'invalid register size specification ignored',
  warningClass: 'regsize',
};

/**
 * A size keyword on a general, segment, control, debug or test register that is not the
 * register's own size (`div byte si`): nasm warns and drops it. On the other registers (x87,
 * MMX, vector, mask) it keeps the size, so the instruction fails to match instead (measured).
 */
function ignoresSizeKeyword(op: OperandAst, farBranch: boolean): boolean {
  const reg = sizedRegister(op, farBranch);
  if (reg === null) return false;
  // `near eax`, `short eax`, `far eax` (in jmp/call; elsewhere `far` is an error): nasm counts
  // the distance as a size it drops (measured).
  const distance = op.distance !== undefined && op.distance !== null && (op.distance !== 'far' || farBranch);
  if (op.size === null && !distance) return false;
  return SIZE_DROPPING_CLASSES.has(reg.cls) && (distance || op.size !== reg.size);
}

/**
 * The register an operand's size or distance keyword applies to, if any: the register itself;
 * `+ebx` (nasm reads it as the register); in JMP/CALL's `far eax:5` or `dword es:[ebx]`, which are
 * refused later as far pointers, the register before the colon (measured: `jmp word eax:ebx`
 * warns, `jmp word 1:ebx` does not).
 */
function sizedRegister(op: OperandAst, farBranch: boolean): Register | null {
  if (op.kind === 'reg') return op.reg;
  if (op.kind === 'mem') return farBranch && op.segmentOutside === true ? op.segment : null;
  if (op.farSegment !== null) return op.farSegment.kind === 'register' ? op.farSegment.reg : null;
  return registerUnderPluses(op.expr);
}

/** `+ebx`, `++si`, `+(ebx)`: a register under unary pluses, which nasm reads as the register itself. */
function registerUnderPluses(expr: Expr): Register | null {
  if (expr.kind !== 'unary' || expr.op !== '+') return null;
  let inner: Expr = expr;
  while (inner.kind === 'unary' && inner.op === '+') inner = inner.operand;
  return inner.kind === 'register' ? inner.reg : null;
}

/** The register classes on which nasm drops a wrong size keyword with a warning (the others keep it). */
export const SIZE_DROPPING_CLASSES: ReadonlySet<string> = new Set([
  'gpr8',
  'gpr16',
  'gpr32',
  'gpr64',
  'sreg',
  'creg',
  'dreg',
  'treg',
]);

/** nasm's message for an operand or expression the grammar could not read (from the grammar's own message). */
export function expressionErrorMessage(chevrotainMessage: string | undefined): string {
  if (chevrotainMessage && chevrotainMessage.startsWith('floating-point')) return chevrotainMessage;
  if (chevrotainMessage === 'expecting floating-point number') return chevrotainMessage;
  if (chevrotainMessage === 'expression too long') return chevrotainMessage;
  if (chevrotainMessage === 'invalid segment override') return chevrotainMessage;
  if (chevrotainMessage === 'conflicting address size specifications') return chevrotainMessage;
  if (chevrotainMessage === 'invalid size specification in effective address') return chevrotainMessage;
  // The float code's own messages (a float function's argument).
  if (/^(packed BCD|invalid character|too many periods|overflow)/.test(chevrotainMessage ?? ''))
    return chevrotainMessage!;
  // A string function without its string (`__utf16__ 33`) or with input that is not UTF-8.
  if (/^(expecting string as argument|invalid input string) to /.test(chevrotainMessage ?? ''))
    return chevrotainMessage!;
  // Only `a ? b : c` expects a colon without looking ahead for it (measured: `mov eax, 1 ? 2`).
  if (chevrotainMessage?.includes('--> Colon <--')) return "`?' without matching `:'";
  if (chevrotainMessage?.includes('--> RParen <--') || chevrotainMessage === "expecting `)'") return "expecting `)'";
  return 'expression syntax error';
}
