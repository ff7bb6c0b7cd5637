/**
 * Deeply nested operands without deep recursion.
 *
 * The Chevrotain grammar recurses a dozen rule frames per parenthesis and one
 * per unary operator, so `db ((((…3…))))` with a hundred levels overflowed the
 * JavaScript stack. nasm 2.16.01 accepts far more (measured): an expression may
 * hold up to 8,192 "unary-level" items (primaries plus unary operators, each
 * parenthesised group counting once), so 8,191 nested parentheses, a chain of
 * 8,192 terms or 8,191 unary minus signs before a number assemble, and one
 * more gives `error: expression too long`.
 *
 * Before the grammar sees an operand, this pass replaces every parenthesised
 * group nested deeper than GROUP_DEPTH, innermost first, by a placeholder
 * token standing for the group's already parsed tree, and long runs of unary
 * operators by the tree they build. What reaches the grammar is then shallow,
 * and the trees are the same the grammar would have built (parentheses make
 * no node of their own). Ordinary operands skip the pass after one scan.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';
import type { Expr, UnaryOperator } from '../src/parse/ast.js';
import { scalarBinary, scalarUnary } from '../src/core/expressions.js';

/** nasm's evaluator limit (`--limit-eval`, default 8192) on unary-level items per expression. */
export const EVAL_LIMIT = 8192;
/** Groups nested deeper than this are parsed ahead of the grammar. */
const GROUP_DEPTH = 12;
/** Runs of unary operators longer than this are built ahead of the grammar. */
const UNARY_RUN = 16;

export class ExpressionTooLong extends Error {
  constructor() {
    super('expression too long');
  }
}

/** Parses a flat token list as one expression (the grammar, injected to keep imports one-way). */
export type GroupParser = (tokens: IToken[]) => Expr;

export interface Flattened {
  tokens: IToken[];
  /** Placeholder image → the tree it stands for (read by the grammar's primary rule). */
  trees: Map<string, Expr>;
  /** For each token of `tokens`, the index of the first original token it stands for. */
  origin: number[];
}

const UNARY_OPS = new Map<TokenType, UnaryOperator>([
  [T.Minus, '-'],
  [T.Plus, '+'],
  [T.Tilde, '~'],
  [T.Bang, '!'],
  [T.Seg, 'seg'],
]);

const FUNCTION_NAME = /^__\??(float(8|16|32|64|80m|80e|128l|128h)|bfloat16|ilog2[ewfc]|utf(16|32)(le|be)?)\??__$/i;

/** Tokens after which a `+`/`-` is binary (they end an operand). */
function endsOperand(t: IToken | undefined): boolean {
  if (t === undefined) return false;
  const tt = t.tokenType;
  if (tt === T.Identifier) return t.image !== '?';
  return (
    tt === T.NumberLiteral ||
    tt === T.StringLiteral ||
    tt === T.Register ||
    tt === T.Here ||
    tt === T.SectionStart ||
    tt === T.RParen ||
    tt === T.RBracket
  );
}

function isUnaryAt(tokens: IToken[], i: number): boolean {
  const tt = tokens[i]!.tokenType;
  if (tt === T.Minus || tt === T.Plus) return !endsOperand(tokens[i - 1]);
  return tt === T.Tilde || tt === T.Bang || tt === T.Seg;
}

/** One scan: is the operand too long for nasm, and does it need flattening? */
function measure(tokens: IToken[]): { items: number; deep: boolean } {
  let items = 0;
  let depth = 0;
  let run = 0;
  let deep = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const tt = t.tokenType;
    if (tt === T.LParen) {
      if (!(i > 0 && FUNCTION_NAME.test(tokens[i - 1]!.image))) items++;
      if (++depth > GROUP_DEPTH) deep = true;
    } else if (tt === T.RParen) {
      depth--;
    } else if (UNARY_OPS.has(tt) && isUnaryAt(tokens, i)) {
      items++;
      if (++run > UNARY_RUN) deep = true;
      continue;
    } else if (endsOperand(t) && tt !== T.RBracket) {
      items++;
    }
    run = 0;
  }
  return { items, deep };
}

/** Checks nasm's length limit and returns the tokens the grammar can parse without deep recursion. */
export function flattenDeepNesting(tokens: IToken[], parseGroup: (trees: Map<string, Expr>) => GroupParser): Flattened {
  const { items, deep } = measure(tokens);
  if (items > EVAL_LIMIT) throw new ExpressionTooLong();
  if (!deep) return { tokens, origin: tokens.map((_, i) => i), trees: new Map() };
  const trees = new Map<string, Expr>();
  return new Flattener(parseGroup(trees), trees).run(tokens);
}

interface Frame {
  tokens: IToken[];
  origin: number[];
}

class Flattener {
  constructor(
    private readonly parseGroup: GroupParser,
    /** Placeholder image → the tree it stands for. */
    private readonly trees: Map<string, Expr>,
  ) {}

  run(input: IToken[]): Flattened {
    const stack: Frame[] = [{ tokens: [], origin: [] }];
    for (let i = 0; i < input.length; i++) {
      const t = input[i]!;
      if (t.tokenType === T.LParen) {
        stack.push({ tokens: [t], origin: [i] });
        continue;
      }
      const top = stack[stack.length - 1]!;
      top.tokens.push(t);
      top.origin.push(i);
      if (t.tokenType === T.RParen && stack.length > 1) {
        stack.pop();
        this.closeGroup(top, stack[stack.length - 1]!, stack.length > GROUP_DEPTH);
      } else if (endsOperand(t) && t.tokenType !== T.RParen) {
        this.reduceUnaryRun(top);
      }
    }
    // Unbalanced `(`: hand the tokens over as they are, the grammar reports the error.
    const out: Flattened = { tokens: [], origin: [], trees: this.trees };
    for (const frame of stack) {
      out.tokens.push(...frame.tokens);
      out.origin.push(...frame.origin);
    }
    return out;
  }

  /** Appends a closed group to its parent: as a placeholder when it is deep, else as its tokens. */
  private closeGroup(group: Frame, parent: Frame, nestedDeep: boolean): void {
    const callee = parent.tokens[parent.tokens.length - 1];
    const isCall = callee !== undefined && FUNCTION_NAME.test(callee.image);
    const before = parent.tokens.length - (isCall ? 1 : 0);
    const deep = nestedDeep || unaryRunBefore(parent.tokens, before) > UNARY_RUN;
    if (!deep) {
      parent.tokens.push(...group.tokens);
      parent.origin.push(...group.origin);
    } else if (isCall) {
      const tree = this.parseGroup([callee, ...group.tokens]);
      parent.tokens.pop();
      const start = parent.origin.pop()!;
      this.pushTree(parent, tree, callee, start);
    } else {
      this.pushTree(parent, this.parseGroup(group.tokens.slice(1, -1)), group.tokens[0]!, group.origin[0]!);
    }
    if (deep) this.reduceUnaryRun(parent);
  }

  private pushTree(frame: Frame, tree: Expr, at: IToken, origin: number): void {
    frame.tokens.push(this.placeholder(foldConstant(tree), at));
    frame.origin.push(origin);
  }

  /** An identifier token the grammar's primary rule resolves through `trees`. */
  private placeholder(tree: Expr, at: IToken): IToken {
    const image = `\u0001${this.trees.size}`;
    this.trees.set(image, tree);
    return { ...at, image, tokenType: T.Identifier, tokenTypeIdx: T.Identifier.tokenTypeIdx! };
  }

  /** If the frame ends with a long run of unary operators and one operand, builds their tree. */
  private reduceUnaryRun(frame: Frame): void {
    const tokens = frame.tokens;
    const last = tokens.length - 1;
    if (tokens[last]!.tokenType === T.RBracket || FUNCTION_NAME.test(tokens[last]!.image)) return;
    const start = last - unaryRunBefore(tokens, last);
    if (last - start <= UNARY_RUN) return;
    const ops = tokens.slice(start, last).map((t) => UNARY_OPS.get(t.tokenType)!);
    const operand = this.trees.get(tokens[last]!.image) ?? this.parseGroup([tokens[last]!]);
    const tree = applyUnaryChain(ops, operand);
    const origin = frame.origin[start]!;
    const at = tokens[start]!;
    tokens.length = start;
    frame.origin.length = start;
    this.pushTree(frame, tree, at, origin);
  }
}

/**
 * A deep group's tree with its top node computed when its operands are numbers
 * (inner groups are folded first), so `-(-(-(…3…)))` stays one number deep.
 */
function foldConstant(tree: Expr): Expr {
  if (tree.kind === 'unary' && tree.op === '+') return tree.operand;
  if (tree.kind === 'unary' && tree.op === '-' && tree.operand.kind === 'unary' && tree.operand.op === '-')
    return tree.operand.operand;
  try {
    if (tree.kind === 'unary' && tree.operand.kind === 'number' && tree.op !== 'seg' && !tree.op.startsWith('ilog2'))
      return { kind: 'number', value: scalarUnaryOrSame(tree.op, tree.operand.value) };
    if (tree.kind === 'binary' && tree.left.kind === 'number' && tree.right.kind === 'number' && tree.op !== 'wrt')
      return { kind: 'number', value: scalarBinary(tree.op, tree.left.value, tree.right.value) };
  } catch {
    // Division by zero and the like: left for the evaluator to report.
  }
  return tree;
}

function scalarUnaryOrSame(op: UnaryOperator, value: bigint): bigint {
  return op === '+' ? value : scalarUnary(op, value);
}

/** How many unary operators stand right before index `end`. */
function unaryRunBefore(tokens: IToken[], end: number): number {
  let start = end;
  while (start > 0 && UNARY_OPS.has(tokens[start - 1]!.tokenType) && isUnaryAt(tokens, start - 1)) start--;
  return end - start;
}

/**
 * `ops` (outermost first) applied to `operand`, with what changes no value
 * taken out: unary `+`, and pairs of `-` (negation keeps a relocatable base, so
 * `- -x` is `x` for any x). A number operand is folded to a number.
 */
export function applyUnaryChain(ops: UnaryOperator[], operand: Expr): Expr {
  const kept: UnaryOperator[] = [];
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op === '+') continue;
    if (op === '-' && kept[kept.length - 1] === '-') kept.pop();
    else kept.push(op);
  }
  let tree = operand;
  for (const op of kept) {
    if (tree.kind === 'number' && op !== 'seg' && !op.startsWith('ilog2'))
      tree = { kind: 'number', value: scalarUnary(op, tree.value) };
    else tree = { kind: 'unary', op, operand: tree };
  }
  return tree;
}
