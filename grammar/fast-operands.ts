/**
 * A hand-written fast path for the operands and expressions almost every line
 * has: registers, numbers, names, `$`, `$$`, strings, the binary and unary
 * operators, parentheses, size/strict/distance keywords and `[seg: …]`
 * memory references with their modifiers, also after a displacement (`4[ebx]`).
 *
 * Why: the Chevrotain grammar (operands.ts) costs tens of microseconds per
 * operand and ~40 ms to build at start-up. This parser accepts a strict subset
 * of that grammar and builds exactly the tree the grammar builds for it (same
 * node shapes, same operators, same leaves, through the same leaf helpers).
 * Whenever it meets anything else — `wrt`, `seg`, `?:`, function calls,
 * `seg:off`, MPX split addresses, long or deeply nested expressions, an error
 * of any kind — it gives up (returns null) and the grammar, which stays the
 * reference, parses the operand and words any error.
 */
import { specialFloatName } from '../src/core/float.js';
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';
import {
  withRelativeWord,
  type BinaryOperator,
  type Expr,
  type MemoryOperandAst,
  type OperandAst,
  type RelativeWords,
  type UnaryOperator,
} from '../src/parse/ast.js';
import type { OperandSize } from '../src/encoder/types.js';
import { lookupRegister, type Register } from '../src/encoder/registers.js';
import { STRING_FUNCTION, stringBytes } from '../src/core/numbers.js';
import { characterLeaf } from '../src/core/expressions.js';
import { MASM_WORD, readNumberImage } from './literals.js';
import {
  HERE,
  SECTION_START,
  numberLeaf,
  plainImmediate,
  plainRegisterOperand,
  registerLeaf,
  isPrefixKeyword,
  symbolLeaf,
  withPrefixDisplacement,
} from './leaves.js';

export type SymbolNamer = (written: string) => string;

/**
 * Longer operands go to the grammar: below this no binary chain can reach the
 * grammar's constant folding (LONG_CHAIN terms), no group nests deep enough to
 * be flattened and no expression nears nasm's length limit.
 */
const MAX_TOKENS = 40;

/** Binary operators by precedence level (0 lowest), as in operands.ts's BINARY_LEVELS. */
const BINARY: ReadonlyMap<TokenType, { level: number; op: BinaryOperator }> = new Map(
  (
    [
      [T.LogicalOr, 0, '||'],
      [T.LogicalXor, 1, '^^'],
      [T.LogicalAnd, 2, '&&'],
      [T.EqualEqual, 3, '=='],
      [T.Equal, 3, '=='],
      [T.NotEqual, 3, '!='],
      [T.LessEqual, 3, '<='],
      [T.GreaterEqual, 3, '>='],
      [T.Spaceship, 3, '<=>'],
      [T.Less, 3, '<'],
      [T.Greater, 3, '>'],
      [T.Pipe, 4, '|'],
      [T.Caret, 5, '^'],
      [T.Ampersand, 6, '&'],
      [T.ShiftLeft, 7, '<<'],
      [T.ShiftRight, 7, '>>'],
      [T.SignedShiftLeft, 7, '<<<'],
      [T.SignedShiftRight, 7, '>>>'],
      [T.Plus, 8, '+'],
      [T.Minus, 8, '-'],
      [T.Star, 9, '*'],
      [T.Slash, 9, '/'],
      [T.SignedDivide, 9, '//'],
      [T.Percent, 9, '%'],
      [T.SignedModulo, 9, '%%'],
    ] as const
  ).map(([type, level, op]) => [type, { level, op }]),
);
const LEVELS = 10;

const UNARY: ReadonlyMap<TokenType, UnaryOperator> = new Map<TokenType, UnaryOperator>([
  [T.Minus, '-'],
  [T.Plus, '+'],
  [T.Tilde, '~'],
  [T.Bang, '!'],
]);

/** Thrown inside the fast parser to hand the operand to the grammar. */
const GIVE_UP = new Error('fast operand parser: not in its subset');

class FastParser {
  private tokens: IToken[] = [];
  pos = 0;
  private namer: SymbolNamer = (s) => s;

  /** `prefix`: only the start of `tokens` need be an expression (read at most MAX_TOKENS of them). */
  reset(tokens: IToken[], namer: SymbolNamer, prefix = false): boolean {
    if (tokens.length === 0 || (tokens.length > MAX_TOKENS && !prefix)) return false;
    this.tokens = prefix && tokens.length > MAX_TOKENS ? tokens.slice(0, MAX_TOKENS) : tokens;
    this.pos = 0;
    this.namer = namer;
    return true;
  }

  atEnd(): boolean {
    return this.pos === this.tokens.length;
  }

  /** The token after what was parsed. */
  next(): IToken | undefined {
    return this.tokens[this.pos];
  }

  private peekType(): TokenType | undefined {
    return this.tokens[this.pos]?.tokenType;
  }

  private expect(type: TokenType): IToken {
    const t = this.tokens[this.pos];
    if (t === undefined || t.tokenType !== type) throw GIVE_UP;
    this.pos++;
    return t;
  }

  operand(): OperandAst {
    let size: OperandSize | null = null;
    let strict = false;
    let distance: 'short' | 'near' | 'far' | null = null;
    let to = false;
    for (;;) {
      const t = this.tokens[this.pos];
      const type = t?.tokenType;
      // nasm keeps the first size written (`yword qword [rsi]` is a yword).
      if (type === T.SizeKeyword) size ??= T.SIZE_KEYWORDS.get(t!.image.toLowerCase()) as OperandSize;
      else if (type === T.Strict) strict = true;
      else if (type === T.Distance) {
        const written = t!.image.toLowerCase() as 'short' | 'near' | 'far';
        if (distance !== null && distance !== written) throw GIVE_UP; // two distances: operand-parser.ts
        distance = written;
      } else if (type === T.To) to = true;
      else break;
      this.pos++;
    }
    if (this.peekType() === T.LBracket) return this.memory(size, strict, distance);
    const expr = this.expression();
    if (this.peekType() === T.LBracket) {
      // `4[ebx]`: the displacement written before the brackets joins the address (leaves.ts).
      const mem = this.memory(size, strict, distance);
      return { ...mem, address: withPrefixDisplacement(mem.address, expr) };
    }
    if (expr.kind === 'register')
      return size === null && !to && distance === null
        ? plainRegisterOperand(expr.reg)
        : { kind: 'reg', reg: expr.reg, size, to, ...(distance !== null && { distance }) };
    if (size === null && !strict && distance === null && !to) return plainImmediate(expr);
    return { kind: 'imm', expr, size, strict, distance, farSegment: null, to };
  }

  // Set by memoryModifiers while reading `[…]` (fields, not a closure per operand: this runs for every memory operand).
  private displacementSize: 1 | 2 | 4 | 8 | null = null;
  private nosplit = false;
  private relative: RelativeWords | null = null;
  private addressSize: 16 | 32 | 64 | null = null;

  private memoryModifiers(): void {
    for (;;) {
      const t = this.tokens[this.pos];
      const type = t?.tokenType;
      const addressSize = type === T.Identifier ? T.addressSizeWord(t) : null;
      if (addressSize !== null) {
        if (this.addressSize !== null && this.addressSize !== addressSize) throw GIVE_UP; // the grammar words it
        this.addressSize = addressSize;
      } else if (type === T.SizeKeyword) {
        const size = T.SIZE_KEYWORDS.get(t!.image.toLowerCase());
        if (size !== 1 && size !== 2 && size !== 4 && size !== 8) throw GIVE_UP; // the grammar words it
        this.displacementSize = size;
      } else if (type === T.Distance || type === T.Strict || type === T.To) throw GIVE_UP;
      else if (type === T.Nosplit) this.nosplit = true;
      else if (type === T.RelAbs)
        this.relative = withRelativeWord(this.relative, t!.image.toLowerCase() as 'rel' | 'abs');
      else return;
      this.pos++;
    }
  }

  private memory(
    size: OperandSize | null,
    strict: boolean,
    distance: 'short' | 'near' | 'far' | null,
  ): MemoryOperandAst {
    this.expect(T.LBracket);
    this.displacementSize = null;
    this.nosplit = false;
    this.relative = null;
    this.addressSize = null;
    let segment: Register | null = null;
    this.memoryModifiers();
    const first = this.tokens[this.pos];
    if (first?.tokenType === T.Register && this.tokens[this.pos + 1]?.tokenType === T.Colon) {
      segment = lookupRegister(first.image) ?? null;
      if (segment?.cls !== 'sreg') throw GIVE_UP; // `[eax:x]`: the grammar words nasm's error
      this.pos += 2;
    }
    this.memoryModifiers();
    const address = this.expression(); // `[]`: the grammar words nasm's error
    this.expect(T.RBracket);
    const addressSize = this.addressSize as 16 | 32 | 64 | null; // (set by memoryModifiers)
    return {
      kind: 'mem',
      segment,
      address,
      splitIndex: null,
      displacementSize: this.displacementSize,
      nosplit: this.nosplit,
      relative: this.relative,
      ...(addressSize !== null && { addressSize }),
      size,
      strict,
      distance,
    };
  }

  expression(): Expr {
    return this.binary(0);
  }

  /** Left-associative chains, one precedence level at a time (the grammar's binaryLevel rules). */
  private binary(level: number): Expr {
    if (level === LEVELS) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const type = this.peekType();
      const entry = type === undefined ? undefined : BINARY.get(type);
      if (entry === undefined || entry.level !== level) return left;
      this.pos++;
      const right = this.binary(level + 1);
      left = { kind: 'binary', op: entry.op, left, right };
    }
  }

  private unary(): Expr {
    const type = this.peekType();
    const op = type === undefined ? undefined : UNARY.get(type);
    if (op !== undefined) {
      this.pos++;
      return { kind: 'unary', op, operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.tokens[this.pos];
    if (t === undefined) throw GIVE_UP;
    const type = t.tokenType;
    this.pos++;
    if (type === T.NumberLiteral) return numberLeaf(t.image, readNumberImage);
    if (type === T.Identifier) {
      // `?` is the conditional operator; a name before `(` is one of nasm's functions (or an error),
      // and so is a string function's name (`__utf16__ "a"`).
      if (t.image === '?' || this.peekType() === T.LParen || maybeStringFunction(t.image) || isPrefixKeyword(t.image))
        throw GIVE_UP;
      return symbolLeaf(this.namer(t.image));
    }
    if (type === T.Register) return registerLeaf(lookupRegister(t.image)!);
    if (type === T.Here) return HERE;
    if (type === T.SectionStart) return SECTION_START;
    if (type === T.StringLiteral) return characterLeaf(stringBytes(t.image));
    if (type === T.LParen) {
      const inner = this.expression();
      this.expect(T.RParen);
      return inner;
    }
    throw GIVE_UP;
  }
}

const fast = new FastParser();

/** The operand's tree as the grammar would build it, or null when the grammar must parse it. */
export function fastOperand(tokens: IToken[], namer: SymbolNamer): OperandAst | null {
  if (!fast.reset(tokens, namer)) return null;
  try {
    const operand = fast.operand();
    return fast.atEnd() ? operand : null;
  } catch {
    return null; // GIVE_UP, or a leaf the grammar reports (a bad number): the grammar words it
  }
}

/** The expression's tree as the grammar would build it, or null when the grammar must parse it. */
export function fastExpression(tokens: IToken[], namer: SymbolNamer): Expr | null {
  if (!fast.reset(tokens, namer)) return null;
  try {
    const expr = fast.expression();
    return fast.atEnd() ? expr : null;
  } catch {
    return null;
  }
}

/**
 * The expression at the start of `tokens` (`times 3 nop`: the count) and how
 * many tokens it took, or null for the grammar. Only when a plain name follows
 * the expression: there the grammar's longest match stops too, whatever comes after.
 */
export function fastExpressionPrefix(tokens: IToken[], namer: SymbolNamer): { expr: Expr; consumed: number } | null {
  if (!fast.reset(tokens, namer, true)) return null;
  try {
    const expr = fast.expression();
    const next = fast.next();
    if (next === undefined || next.tokenType !== T.Identifier || next.image === '?') return null;
    return { expr, consumed: fast.pos };
  } catch {
    return null;
  }
}

/**
 * Fast path for the commonest operands, a lone number or name: skips the
 * Chevrotain machinery (about 10x faster), with the same result it would give.
 */
export function simpleExpression(tokens: IToken[], namer: SymbolNamer): Expr | null {
  if (tokens.length !== 1) return null;
  const t = tokens[0]!;
  if (t.tokenType === T.Identifier && t.image !== '?' && !maybeStringFunction(t.image) && !isPrefixKeyword(t.image))
    return symbolLeaf(namer(t.image));
  if (t.tokenType === T.Here) return HERE;
  if (t.tokenType === T.SectionStart) return SECTION_START;
  return null;
}

/**
 * Names the grammar reads specially, cheaply ruled out first: nasm's string functions (`__utf16__`,
 * `__?utf32be?__`) and special floats (`__?NaN?__`, an error in an expression).
 */
function maybeStringFunction(image: string): boolean {
  return (
    image.charCodeAt(0) === 95 /* _ */ &&
    image.charCodeAt(1) === 95 &&
    (STRING_FUNCTION.test(image) || specialFloatName(image) !== null || MASM_WORD.test(image))
  );
}
