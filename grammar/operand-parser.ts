/**
 * The Chevrotain parser behind grammar/operands.ts: one rule per NASM
 * construct (operand, memory reference, expression) and one per precedence
 * level of the binary operators (lowest first, NASM manual §3.5):
 *
 *   ?:  ||  ^^  &&  comparisons  |  ^  &  shifts  + -  * / // % %%  unary
 *
 * plus `wrt` (lowest, binds `expr wrt segment`). It builds the AST of
 * src/parse/ast.ts directly (embedded actions); the entry points that feed it
 * tokens and word its errors are in operands.ts.
 */
import { EmbeddedActionsParser, EOF, type IToken, type TokenType } from 'chevrotain';
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
import {
  ExpressionError,
  FLOAT_FUNCTION,
  floatFunction,
  foldNumbers,
  ILOG2_FUNCTION,
  LONG_CHAIN,
  numberExpr,
  closingParenthesisExpected,
  notStringFunction,
  stringArgumentExpected,
  stringFunction,
  ternary,
} from './literals.js';
import { isPrefixKeyword, registerLeaf, symbolLeaf, withPrefixDisplacement } from './leaves.js';

/** A word before a memory operand's address (see the memoryModifier rule). */
/** An error nasm reports and reads on past, and the token it had just read then (null: not known). */
export interface RecoveredError {
  message: string;
  token: IToken | null;
}

export const CONFLICTING_OVERRIDES = 'instruction has conflicting segment overrides';
const INVALID_ADDRESS_SIZE = 'invalid size specification in effective address';

type MemoryModifier =
  | { kind: 'size'; size: number; word: IToken }
  | { kind: 'nosplit' }
  | { kind: 'relative'; value: 'rel' | 'abs' }
  | { kind: 'addressSize'; word: IToken };

/** Resolves a symbol name as written (e.g. qualifies `.local` labels); injected by the statement builder. */
export type SymbolNamer = (written: string) => string;

const BINARY_LEVELS: ReadonlyArray<ReadonlyArray<[TokenType, BinaryOperator]>> = [
  [[T.LogicalOr, '||']],
  [[T.LogicalXor, '^^']],
  [[T.LogicalAnd, '&&']],
  [
    [T.EqualEqual, '=='],
    [T.Equal, '=='],
    [T.NotEqual, '!='],
    [T.LessEqual, '<='],
    [T.GreaterEqual, '>='],
    [T.Spaceship, '<=>'],
    [T.Less, '<'],
    [T.Greater, '>'],
  ],
  [[T.Pipe, '|']],
  [[T.Caret, '^']],
  [[T.Ampersand, '&']],
  [
    [T.ShiftLeft, '<<'],
    [T.ShiftRight, '>>'],
    [T.SignedShiftLeft, '<<<'],
    [T.SignedShiftRight, '>>>'],
  ],
  [
    [T.Plus, '+'],
    [T.Minus, '-'],
  ],
  [
    [T.Star, '*'],
    [T.Slash, '/'],
    [T.SignedDivide, '//'],
    [T.Percent, '%'],
    [T.SignedModulo, '%%'],
  ],
];

/** What the memory rule gives: a memory operand before the size, strict and distance keywords around it. */
type MemoryBody = Pick<
  MemoryOperandAst,
  'kind' | 'segment' | 'address' | 'displacementSize' | 'nosplit' | 'relative' | 'addressSize'
> & { splitIndex: Expr | null };

export class OperandParser extends EmbeddedActionsParser {
  namer: SymbolNamer = (s) => s;
  /** Deeply nested groups parsed ahead of the grammar (deep-nesting.ts), by placeholder image. */
  preParsed: ReadonlyMap<string, Expr> = new Map();
  /**
   * Errors nasm reports while reading the operand and then reads on past, in order, reset per
   * parse: segment overrides beyond the first (`es:fs:[ebx]`, `es:[fs:ebx]`: nasm keeps the last),
   * a word before an address that is no size for it (`[strict x]`, `[tword x]`: ignored), `rel`,
   * `abs` or `nosplit` before an operand with no brackets (ignored).
   */
  readPast: RecoveredError[] = [];

  /** True once every input token has been consumed. */
  atEnd(): boolean {
    return this.LA(1).tokenType === EOF;
  }

  /** How many of `tokens` (the current input) the last rule consumed. */
  consumedCount(tokens: IToken[]): number {
    const next = this.LA(1);
    return next.tokenType === EOF ? tokens.length : tokens.indexOf(next);
  }

  /** The next unconsumed token, for error messages. */
  nextToken(): IToken | null {
    const t = this.LA(1);
    return t.tokenType === EOF ? null : t;
  }

  constructor() {
    super(T.allTokenTypes, { maxLookahead: 2, recoveryEnabled: false, skipValidations: !T.CHECK_GRAMMAR });
    this.performSelfAnalysis();
  }

  /** A whole operand: size/strict/distance keywords, then a memory reference or an expression (or `seg:off`). */
  public operand = this.RULE('operand', (): OperandAst => {
    let size: OperandSize | null = null;
    let strict = false;
    let distance: 'short' | 'near' | 'far' | null = null;
    let distanceConflict = false;
    let farWritten = false;
    let to = false;
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const written = T.SIZE_KEYWORDS.get(this.CONSUME(T.SizeKeyword).image.toLowerCase()) as OperandSize;
            // nasm keeps the first size written (`yword qword [rsi]` is a yword).
            size ??= written;
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Strict);
            strict = true;
          },
        },
        {
          ALT: () => {
            const written = this.CONSUME(T.Distance).image.toLowerCase() as 'short' | 'near' | 'far';
            if (distance !== null && distance !== written) distanceConflict = true;
            if (written === 'far') farWritten = true;
            distance = written;
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.To);
            to = true;
          },
        },
        {
          // Words of an address only (`abs 5`, `nosplit [ebx]`): nasm reports them and reads on.
          ALT: () => {
            const word = this.OR4([{ ALT: () => this.CONSUME(T.RelAbs) }, { ALT: () => this.CONSUME(T.Nosplit) }]);
            this.ACTION(() => this.readPast.push({ message: 'invalid operand size specification', token: word }));
          },
        },
      ]);
    });
    const operand = this.OR2<OperandAst>([
      {
        ALT: () => {
          const mem = this.SUBRULE(this.memory);
          return { ...mem, size, strict, distance };
        },
      },
      {
        ALT: () => {
          const expr = this.SUBRULE(this.expression);
          // Assigned in the alternatives below (the `as` keeps TypeScript from narrowing them to null).
          let offset = null as Expr | null;
          let segmentedMemory = null as MemoryBody | null;
          let outerSegment = null as Register | null;
          this.OPTION(() => {
            this.CONSUME2(T.Colon);
            this.MANY2({
              GATE: () => this.LA(1).tokenType === T.Register && this.LA(2).tokenType === T.Colon,
              DEF: () => {
                const segTok = this.CONSUME(T.Register);
                this.CONSUME3(T.Colon);
                this.ACTION(() => {
                  outerSegment = lookupRegister(segTok.image) ?? null;
                  this.readPast.push({ message: CONFLICTING_OVERRIDES, token: segTok });
                });
              },
            });
            this.OR3([
              // `es:[bx]`: a segment register prefix outside the brackets.
              {
                ALT: () => {
                  segmentedMemory = this.SUBRULE2(this.memory);
                },
              },
              {
                ALT: () => {
                  offset = this.SUBRULE2(this.expression);
                },
              },
            ]);
          });
          // `4[ebx]`, `es:x[bx]`: nasm adds a displacement written before the brackets to the address.
          let displaced = null as MemoryBody | null;
          this.OPTION2({
            GATE: () => segmentedMemory === null,
            DEF: () => {
              displaced = this.SUBRULE3(this.memory);
            },
          });
          if (displaced !== null) {
            const mem: MemoryBody = displaced;
            const prefix = offset ?? expr;
            const address = this.ACTION(() => withPrefixDisplacement(mem.address, prefix));
            if (offset === null) return { ...mem, address, size, strict, distance };
            segmentedMemory = { ...mem, address };
          }
          if (segmentedMemory !== null) {
            const mem: MemoryBody = segmentedMemory;
            const segment = this.ACTION(() => outerSegment ?? segmentOverride(expr));
            if (mem.segment !== null)
              this.ACTION(() => this.readPast.push({ message: CONFLICTING_OVERRIDES, token: null }));
            return { ...mem, size, strict, distance, segment: mem.segment ?? segment, segmentOutside: true };
          }
          if (offset === null && expr.kind === 'register')
            return { kind: 'reg', reg: expr.reg, size, to, ...(distance !== null && { distance }) };
          if (offset !== null && expr.kind === 'register' && expr.reg.cls === 'sreg') {
            // `es:5`, `es:ebx`: without brackets nasm still reads a segment register prefix as memory.
            return {
              kind: 'mem',
              size,
              strict,
              distance,
              segment: outerSegment ?? expr.reg,
              address: offset,
              splitIndex: null,
              displacementSize: null,
              nosplit: false,
              relative: null,
              segmentOutside: true,
              unbracketed: true,
            };
          }
          if (offset !== null) {
            return { kind: 'imm', expr: offset, size, strict, distance, farSegment: expr, to };
          }
          return { kind: 'imm', expr, size, strict, distance, farSegment: null, to };
        },
      },
    ]);
    // `jmp short near x`: nasm's operand has both distances and matches no row (its error comes from the encoder).
    // A `far` among them (`far near x`) is still a FAR written: nasm's pass-one misuse check sees it.
    return this.ACTION(() =>
      distanceConflict && operand.kind !== 'reg'
        ? { ...operand, distanceConflict: true as const, ...(farWritten ? { farWritten: true as const } : {}) }
        : operand,
    );
  });

  /** One word before a memory operand's address: a size, `nosplit`, `rel`/`abs`, `a16`/`a32`/`a64`. */
  private memoryModifier = this.RULE('memoryModifier', (): MemoryModifier =>
    this.OR([
      {
        ALT: (): MemoryModifier => {
          const word = this.CONSUME(T.SizeKeyword);
          return { kind: 'size', size: T.SIZE_KEYWORDS.get(word.image.toLowerCase()) ?? 0, word };
        },
      },
      {
        ALT: (): MemoryModifier => {
          this.CONSUME(T.Nosplit);
          return { kind: 'nosplit' };
        },
      },
      {
        ALT: (): MemoryModifier => ({
          kind: 'relative',
          value: this.CONSUME(T.RelAbs).image.toLowerCase() as 'rel' | 'abs',
        }),
      },
      {
        GATE: () => T.addressSizeWord(this.LA(1)) !== null,
        ALT: (): MemoryModifier => ({ kind: 'addressSize', word: this.CONSUME(T.Identifier) }),
      },
      // `[near x]`, `[strict x]`, `[to x]`, `[rep ebx]`: words nasm reads here only to refuse them
      // (the prefixes and `times` too, as sizes of no size).
      {
        ALT: (): MemoryModifier => {
          const word = this.OR2([
            { ALT: () => this.CONSUME(T.Distance) },
            { ALT: () => this.CONSUME(T.Strict) },
            { ALT: () => this.CONSUME(T.To) },
            { GATE: () => isPrefixKeyword(this.LA(1).image), ALT: () => this.CONSUME2(T.Identifier) },
          ]);
          return { kind: 'size', size: 0, word };
        },
      },
    ]),
  );

  /** `[` modifiers* (segreg `:`)? expression `]` */
  private memory = this.RULE('memory', (): MemoryBody => {
    this.CONSUME(T.LBracket);
    let displacementSize: 1 | 2 | 4 | 8 | null = null;
    let nosplit = false;
    let relative: RelativeWords | null = null;
    let addressSize = null as 16 | 32 | 64 | null;
    let segment = null as ReturnType<typeof lookupRegister> | null;
    const apply = (m: MemoryModifier): void => {
      if (m.kind === 'size') displacementSize = this.displacementSizeOf(m, displacementSize);
      else if (m.kind === 'nosplit') nosplit = true;
      else if (m.kind === 'relative') relative = withRelativeWord(relative, m.value);
      else addressSize = this.sameAddressSize(addressSize, m.word);
    };
    this.MANY({
      GATE: () => this.memoryModifierAhead(),
      DEF: () => {
        const m = this.SUBRULE(this.memoryModifier);
        this.ACTION(() => {
          apply(m);
        });
      },
    });
    // `[es:ebx]`; a second override (`[es:fs:ebx]`) is nasm's conflict, and the last one stands.
    this.MANY3({
      GATE: () => this.LA(1).tokenType === T.Register && this.LA(2).tokenType === T.Colon,
      DEF: () => {
        const segTok = this.CONSUME(T.Register);
        this.CONSUME(T.Colon);
        if (segment !== null) this.ACTION(() => this.readPast.push({ message: CONFLICTING_OVERRIDES, token: segTok }));
        segment = lookupRegister(segTok.image) ?? null;
        // `[eax:x]`, `[abs dr7:x]`: only a segment register overrides.
        this.ACTION(() => {
          if (segment?.cls !== 'sreg') throw new ExpressionError('invalid segment override');
        });
      },
    });
    // The same modifiers may also follow the segment: `[es:dword 0x1234]`.
    this.MANY2({
      GATE: () => this.memoryModifierAhead(),
      DEF: () => {
        const m = this.SUBRULE2(this.memoryModifier);
        this.ACTION(() => {
          apply(m);
        });
      },
    });
    let address: Expr | null = null;
    let splitIndex: Expr | null = null;
    this.OPTION3(() => {
      address = this.SUBRULE(this.expression);
    });
    // MPX's split form `[base+disp, index]`: the part after the comma is always the index.
    this.OPTION4(() => {
      this.CONSUME(T.Comma);
      splitIndex = this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.RBracket);
    // `[]`, `[dword]`, `[es:]`: nasm wants an address (MPX's `[, ecx]` has one after the comma).
    this.ACTION(() => {
      if (address === null && splitIndex === null) throw new ExpressionError('expression syntax error');
    });
    return {
      kind: 'mem' as const,
      segment: segment ?? null,
      address: address,
      splitIndex: splitIndex,
      displacementSize: displacementSize,
      nosplit,
      relative: relative,
      ...(addressSize !== null && { addressSize }),
    };
  });

  /** A size, `nosplit`, `rel`/`abs` or address-size word next (an identifier is one only as `a16`/`a32`/`a64`). */
  private memoryModifierAhead(): boolean {
    const next = this.LA(1);
    const type = next.tokenType;
    return (
      type === T.SizeKeyword ||
      type === T.Nosplit ||
      type === T.RelAbs ||
      type === T.Distance ||
      type === T.Strict ||
      type === T.To ||
      T.addressSizeWord(next) !== null ||
      (type === T.Identifier && isPrefixKeyword(next.image))
    );
  }

  /**
   * A size word in brackets: byte to qword only. Any other (`[tword x]`, `[near x]`, `[strict x]`:
   * size 0) nasm reports and ignores, reading on (measured: `[strict]` is that error and then
   * "expression syntax error"; `[byte near 5]` keeps the byte).
   */
  private displacementSizeOf(m: { size: number; word: IToken }, before: 1 | 2 | 4 | 8 | null): 1 | 2 | 4 | 8 | null {
    const size = m.size;
    if (size === 1 || size === 2 || size === 4 || size === 8) return size;
    this.readPast.push({ message: INVALID_ADDRESS_SIZE, token: m.word });
    return before;
  }

  /** `[a32 a64 x]`: nasm refuses two different address sizes. */
  private sameAddressSize(before: 16 | 32 | 64 | null, word: IToken): 16 | 32 | 64 | null {
    const size = T.addressSizeWord(word);
    if (before !== null && size !== before && !this.RECORDING_PHASE)
      throw new ExpressionError('conflicting address size specifications');
    return size;
  }

  /** expression := conditional (`wrt` primary)? */
  public expression = this.RULE('expression', (): Expr => {
    let e = this.SUBRULE(this.conditional);
    this.OPTION(() => {
      this.CONSUME(T.Wrt);
      const right = this.SUBRULE(this.unary);
      e = { kind: 'binary', op: 'wrt', left: e, right };
    });
    return e;
  });

  /**
   * `a ? b : c`; `?` is lexed as an identifier, so it is recognised by image. Also what a group in
   * parentheses holds (no `wrt`), parsed ahead of the grammar when nested deep (deep-nesting.ts).
   */
  public conditional = this.RULE('conditional', (): Expr => {
    const cond = this.SUBRULE(this.binary0);
    return this.OR([
      {
        GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image === '?',
        ALT: () => {
          this.CONSUME(T.Identifier);
          const whenTrue = this.SUBRULE(this.expression);
          this.CONSUME(T.Colon);
          const whenFalse = this.SUBRULE2(this.expression);
          return this.ACTION(() => ternary(cond, whenTrue, whenFalse));
        },
      },
      { ALT: () => cond },
    ]);
  });

  private binaryLevel(level: number, next: (occurrence: 1 | 2) => Expr): Expr {
    let left = next(1);
    const ops = BINARY_LEVELS[level]!;
    let terms = 1;
    this.MANY({
      DEF: () => {
        const tok = this.OR(ops.map(([tt]) => ({ ALT: () => this.CONSUME(tt) })));
        const right = next(2);
        this.ACTION(() => {
          const op = ops.find(([tt]) => tt === tok.tokenType)![1];
          // Long constant chains (`1+1+…`, up to nasm's 8,192 terms) are folded as they are read,
          // so no later walk of the tree recurses thousands of levels deep.
          const folded = ++terms > LONG_CHAIN ? foldNumbers(op, left, right) : null;
          left = folded ?? { kind: 'binary', op, left, right };
        });
      },
    });
    return left;
  }

  // One rule per precedence level (Chevrotain needs distinct rule names).
  private binary0 = this.RULE('binary0', (): Expr =>
    this.binaryLevel(0, (n) => (n === 1 ? this.SUBRULE(this.binary1) : this.SUBRULE2(this.binary1))),
  );
  private binary1 = this.RULE('binary1', (): Expr =>
    this.binaryLevel(1, (n) => (n === 1 ? this.SUBRULE(this.binary2) : this.SUBRULE2(this.binary2))),
  );
  private binary2 = this.RULE('binary2', (): Expr =>
    this.binaryLevel(2, (n) => (n === 1 ? this.SUBRULE(this.binary3) : this.SUBRULE2(this.binary3))),
  );
  private binary3 = this.RULE('binary3', (): Expr =>
    this.binaryLevel(3, (n) => (n === 1 ? this.SUBRULE(this.binary4) : this.SUBRULE2(this.binary4))),
  );
  private binary4 = this.RULE('binary4', (): Expr =>
    this.binaryLevel(4, (n) => (n === 1 ? this.SUBRULE(this.binary5) : this.SUBRULE2(this.binary5))),
  );
  private binary5 = this.RULE('binary5', (): Expr =>
    this.binaryLevel(5, (n) => (n === 1 ? this.SUBRULE(this.binary6) : this.SUBRULE2(this.binary6))),
  );
  private binary6 = this.RULE('binary6', (): Expr =>
    this.binaryLevel(6, (n) => (n === 1 ? this.SUBRULE(this.binary7) : this.SUBRULE2(this.binary7))),
  );
  private binary7 = this.RULE('binary7', (): Expr =>
    this.binaryLevel(7, (n) => (n === 1 ? this.SUBRULE(this.binary8) : this.SUBRULE2(this.binary8))),
  );
  private binary8 = this.RULE('binary8', (): Expr =>
    this.binaryLevel(8, (n) => (n === 1 ? this.SUBRULE(this.binary9) : this.SUBRULE2(this.binary9))),
  );
  private binary9 = this.RULE('binary9', (): Expr =>
    this.binaryLevel(9, (n) => (n === 1 ? this.SUBRULE(this.unary) : this.SUBRULE2(this.unary))),
  );

  private unary = this.RULE('unary', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          return this.unaryNode('-', this.SUBRULE(this.unary));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Plus);
          return this.unaryNode('+', this.SUBRULE2(this.unary));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Tilde);
          return this.unaryNode('~', this.SUBRULE3(this.unary));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Bang);
          return this.unaryNode('!', this.SUBRULE4(this.unary));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Seg);
          return this.unaryNode('seg', this.SUBRULE5(this.unary));
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  private unaryNode(op: UnaryOperator, operand: Expr): Expr {
    return { kind: 'unary', op, operand };
  }

  private primary = this.RULE('primary', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const tok = this.CONSUME(T.NumberLiteral);
          return this.ACTION(() => numberExpr(tok));
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(T.StringLiteral);
          return this.ACTION((): Expr => characterLeaf(stringBytes(tok.image)));
        },
      },
      {
        // `__?float32?__(1.5)` (what `%use fp`'s float32() expands to): the number whose bits are that float.
        GATE: () => FLOAT_FUNCTION.test(this.LA(1).image) && this.LA(2).tokenType === T.LParen,
        ALT: () => {
          const name = this.CONSUME3(T.Identifier).image;
          this.CONSUME3(T.LParen);
          let negative = false;
          this.OPTION5(() => {
            this.OR4([
              {
                ALT: () => {
                  this.CONSUME2(T.Minus);
                  negative = true;
                },
              },
              {
                ALT: () => {
                  this.CONSUME2(T.Plus);
                },
              },
            ]);
          });
          const literal = this.OR5([
            { ALT: () => this.CONSUME2(T.NumberLiteral).image },
            { ALT: () => this.CONSUME4(T.Identifier).image },
          ]);
          this.CONSUME3(T.RParen);
          return this.ACTION(() => floatFunction(name, literal, negative));
        },
      },
      {
        // `__?utf16?__("ab")` / `__?utf16?__ "ab"` and friends: in an expression, the converted string
        // as a character constant (nasm's own messages when the string is not there).
        GATE: () => STRING_FUNCTION.test(this.LA(1).image),
        ALT: () => {
          const name = this.CONSUME5(T.Identifier).image;
          let parenthesised = false;
          this.OPTION6(() => {
            this.CONSUME4(T.LParen);
            parenthesised = true;
          });
          this.ACTION(() => {
            stringArgumentExpected(name, this.LA(1));
          });
          const text = this.CONSUME2(T.StringLiteral).image;
          this.OPTION7({
            GATE: () => parenthesised,
            DEF: () => {
              this.ACTION(() => {
                closingParenthesisExpected(this.LA(1));
              });
              this.CONSUME4(T.RParen);
            },
          });
          return this.ACTION((): Expr => stringFunction(name, text));
        },
      },
      {
        // nasm's integer log2 functions: `__?ilog2e?__(x)`, `…w`, `…f`, `…c`.
        GATE: () => ILOG2_FUNCTION.test(this.LA(1).image) && this.LA(2).tokenType === T.LParen,
        ALT: () => {
          const name = this.CONSUME2(T.Identifier).image.toLowerCase();
          this.CONSUME2(T.LParen);
          const argument = this.SUBRULE2(this.expression);
          this.CONSUME2(T.RParen);
          return this.unaryNode(`ilog2${ILOG2_FUNCTION.exec(name)?.[1] ?? 'e'}` as UnaryOperator, argument);
        },
      },
      {
        // `times` and the prefixes are keywords to nasm, never names: in an expression a syntax error.
        GATE: () => this.LA(1).image !== '?' && !isPrefixKeyword(this.LA(1).image),
        ALT: () => {
          const tok = this.CONSUME(T.Identifier);
          // A string function with neither string nor parenthesis after it (`__utf16__ 33`).
          this.ACTION(() => {
            notStringFunction(tok.image);
          });
          return this.ACTION((): Expr => this.preParsed.get(tok.image) ?? symbolLeaf(this.namer(tok.image)));
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(T.Register);
          return this.ACTION((): Expr => registerLeaf(lookupRegister(tok.image)!));
        },
      },
      {
        // A context-local name the preprocessor could not resolve (`%$x` with no context: it has
        // reported that). nasm then reads it as a name; so do we, to add no second error.
        GATE: () => /^%\$+[A-Za-z_.?@$#~]/.test(this.LA(1).image),
        ALT: () => {
          const tok = this.CONSUME(T.PreprocessorToken);
          return this.ACTION((): Expr => ({ kind: 'symbol', name: tok.image }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Here);
          return { kind: 'here' };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.SectionStart);
          return { kind: 'sectionStart' };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          // No `wrt` inside parentheses: nasm reads it only at the top of an expression, so
          // `(g wrt ..sym)` is "expecting `)'" (measured).
          const e = this.SUBRULE(this.conditional);
          this.CONSUME(T.RParen);
          return e;
        },
      },
    ]);
  });
}

/** The segment register of `es:[bx]`; nasm refuses anything else before the colon (`4:[bx]`, `eax:[bx]`). */
function segmentOverride(expr: Expr): Register {
  if (expr.kind === 'register' && expr.reg.cls === 'sreg') return expr.reg;
  throw new ExpressionError('invalid segment override');
}
