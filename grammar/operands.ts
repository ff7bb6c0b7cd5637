/**
 * Operands and expressions from tokens: the entry points the statement
 * builder calls. Each tries fast-operands.ts first (the common shapes, without
 * a parser) and falls back to the Chevrotain grammar of operand-parser.ts.
 * One parser instance is reused for every operand (`parser.input = tokens`
 * resets it), which is what Chevrotain's performance guide asks for; it is
 * built on first use. Groups nested too deep for the grammar are parsed ahead
 * of it (deep-nesting.ts), and the parser's errors become nasm's messages.
 */
import type { IToken } from 'chevrotain';
import type { Expr, OperandAst } from '../src/parse/ast.js';
import { ExpressionError } from './literals.js';
import { ExpressionTooLong, flattenDeepNesting, type Flattened } from './deep-nesting.js';
import { fastExpression, fastExpressionPrefix, fastOperand } from './fast-operands.js';
import { OperandParser, type RecoveredError, type SymbolNamer } from './operand-parser.js';
import { hasMasmWord, rewriteMasmOperand } from './masm-operand.js';

export { ExpressionError };
export type { RecoveredError, SymbolNamer };

/**
 * Built on first use: most files never need it (fast-operands.ts parses their
 * operands), and building it costs tens of milliseconds of start-up.
 */
let builtParser: OperandParser | null = null;
function grammarParser(): OperandParser {
  builtParser ??= new OperandParser();
  return builtParser;
}

export interface ParseOutcome<T> {
  value: T | null;
  /** First syntax error, if any: message and the offending token. */
  error: { message: string; token: IToken | null } | null;
  /** Errors nasm reports while reading the operand and then reads on past (its `value` stands). */
  recovered?: readonly RecoveredError[];
}

/**
 * Checks nasm's expression length limit and parses deep groups ahead of the
 * grammar; the returned tokens are what the grammar parses.
 */
function prepare(tokens: IToken[], namer: SymbolNamer): Flattened {
  const parser = grammarParser();
  const flat = flattenDeepNesting(tokens, (trees) => (group) => {
    parser.input = group;
    parser.namer = namer;
    parser.preParsed = trees;
    // A group holds no `wrt` (see the grammar's `(` rule): `((…(x wrt ..gotpc)…))` nested deep is
    // "expecting `)'" as it is when shallow, not an accepted WRT (measured).
    const tree = parser.conditional();
    // Left-over tokens inside a group (`(3,4)`, `(x wrt y)`) are nasm's missing `)`.
    if (parser.errors.some((e) => e.name !== 'NotAllInputParsedException'))
      throw new ExpressionError('expression syntax error');
    if (!parser.atEnd()) throw new ExpressionError("expecting `)'");
    return tree;
  });
  parser.input = flat.tokens;
  parser.namer = namer;
  parser.preParsed = flat.trees;
  if (parser.readPast.length > 0) parser.readPast = [];
  return flat;
}

/** Expression errors (and a stack overflow, as a last resort) as nasm messages. */
function expressionFailure(e: unknown): { message: string; token: null } {
  if (e instanceof ExpressionError || e instanceof ExpressionTooLong) return { message: e.message, token: null };
  if (e instanceof RangeError && /call stack/.test(e.message)) return { message: 'expression too long', token: null };
  throw e;
}

/**
 * The parser reports a mismatch with an Error whose stack nobody reads. Capturing the stack took
 * most of the time of lines whose parse ends early on purpose (a `times` count stops at its
 * instruction: a NotAllInputParsedException each time).
 */
function withoutStackTraces<T>(parse: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function run<R>(tokens: IToken[], namer: SymbolNamer, rule: (parser: OperandParser) => R): ParseOutcome<R> {
  const parser = grammarParser();
  let value: R;
  try {
    value = withoutStackTraces(() => {
      prepare(tokens, namer);
      return rule(parser);
    });
  } catch (e) {
    return { value: null, error: expressionFailure(e) };
  }
  if (parser.errors.length > 0) {
    const first = parser.errors[0]!;
    return { value: null, error: { message: first.message, token: first.token } };
  }
  return { value, error: null };
}

/** Parses the tokens of one operand. All tokens must be consumed. */
export function parseOperand(tokens: IToken[], namer: SymbolNamer): ParseOutcome<OperandAst> {
  if (hasMasmWord(tokens)) {
    const rewritten = rewriteMasmOperand(tokens);
    if (typeof rewritten === 'string') return { value: null, error: { message: rewritten, token: null } };
    tokens = rewritten;
  }
  const fast = fastOperand(tokens, namer);
  return fast !== null ? { value: fast, error: null } : parseOperandByGrammar(tokens, namer);
}

/** parseOperand without the fast path (the reference the fast path is tested against). */
export function parseOperandByGrammar(tokens: IToken[], namer: SymbolNamer): ParseOutcome<OperandAst> {
  const outcome = run(tokens, namer, (parser) => parser.operand());
  // Tokens after a whole operand (`4 5`, `[ebx]4`): the statement words nasm's message for them.
  // (An error the grammar's actions threw, such as a string function's, carries no token: it is not one of these.)
  if (
    outcome.error?.message !== undefined &&
    outcome.error.token !== null &&
    grammarParser().errors[0]?.name === 'NotAllInputParsedException'
  ) {
    return { value: null, error: { message: 'trailing tokens', token: outcome.error.token } };
  }
  if (outcome.error === null && !grammarParser().atEnd()) {
    return { value: null, error: { message: 'trailing tokens', token: remainingToken() } };
  }
  // What nasm reported before it read on: with the operand it read, or before the error that ended it.
  const readPast = grammarParser().readPast;
  return readPast.length === 0 ? outcome : { ...outcome, recovered: [...readPast] };
}

/** Parses a complete expression. All tokens must be consumed. */
export function parseExpression(tokens: IToken[], namer: SymbolNamer): ParseOutcome<Expr> {
  const fast = fastExpression(tokens, namer);
  return fast !== null ? { value: fast, error: null } : parseExpressionByGrammar(tokens, namer);
}

/** parseExpression without the fast path (the reference the fast path is tested against). */
export function parseExpressionByGrammar(tokens: IToken[], namer: SymbolNamer): ParseOutcome<Expr> {
  const outcome = run(tokens, namer, (parser) => parser.expression());
  if (outcome.error === null && !grammarParser().atEnd()) {
    return { value: null, error: { message: 'trailing tokens', token: remainingToken() } };
  }
  return outcome;
}

function remainingToken(): IToken | null {
  return grammarParser().nextToken();
}

/**
 * Parses the longest expression at the start of `tokens` and says how many
 * tokens it used: `times 510-($-$$) db 0` needs the count expression and then
 * the rest of the line.
 */
export function parseExpressionPrefix(tokens: IToken[], namer: SymbolNamer): ParseOutcome<Expr> & { consumed: number } {
  const fast = fastExpressionPrefix(tokens, namer);
  if (fast !== null) return { value: fast.expr, error: null, consumed: fast.consumed };
  return parseExpressionPrefixByGrammar(tokens, namer);
}

/** parseExpressionPrefix without the fast path (the reference the fast path is tested against). */
export function parseExpressionPrefixByGrammar(
  tokens: IToken[],
  namer: SymbolNamer,
): ParseOutcome<Expr> & { consumed: number } {
  let value: Expr;
  let flat: Flattened;
  const parser = grammarParser();
  try {
    [flat, value] = withoutStackTraces(() => {
      const prepared = prepare(tokens, namer);
      return [prepared, parser.expression()] as const;
    });
  } catch (e) {
    return { value: null, error: expressionFailure(e), consumed: 0 };
  }
  // Tokens left over are the rest of the statement, not an error here.
  const errors = parser.errors.filter((err) => err.name !== 'NotAllInputParsedException');
  if (errors.length > 0)
    return { value: null, error: { message: errors[0]!.message, token: errors[0]!.token }, consumed: 0 };
  const used = parser.consumedCount(flat.tokens);
  return { value, error: null, consumed: used >= flat.tokens.length ? tokens.length : flat.origin[used]! };
}
