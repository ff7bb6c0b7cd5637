/**
 * The leaves and helpers of the operand grammar (grammar/operands.ts): number
 * tokens, nasm's float functions, the `?:` operator as a tree, and constant
 * folding of long chains.
 */
import type { IToken } from 'chevrotain';
import type { BinaryOperator, Expr } from '../src/parse/ast.js';
import {
  isFloatToken,
  isPackedBcd,
  readNumber,
  STRING_FUNCTION,
  StringFunctionError,
  stringBytes,
  stringFunctionName,
  utfBytes,
} from '../src/core/numbers.js';
import * as T from './tokens.js';
import { DEFAULT_FLOAT_MODE, floatFunctionBits, FloatError, specialFloatName } from '../src/core/float.js';
import { characterLeaf, scalarBinary } from '../src/core/expressions.js';
import { numberLeaf } from './leaves.js';

export class ExpressionError extends Error {}

/** Chains longer than this fold their constant terms while parsing. */
export const LONG_CHAIN = 32;

/** `a op b` on two numbers as the evaluator computes it, or null (not two numbers, or an error to keep). */
export function foldNumbers(op: BinaryOperator, left: Expr, right: Expr): Expr | null {
  if (left.kind !== 'number' || right.kind !== 'number') return null;
  try {
    return { kind: 'number', value: scalarBinary(op, left.value, right.value) };
  } catch {
    return null;
  }
}

export function ternary(cond: Expr, whenTrue: Expr, whenFalse: Expr): Expr {
  // (c != 0) * a + (c == 0) * b, kept as a tree so it can still hold symbols.
  const zero: Expr = { kind: 'number', value: 0n };
  return {
    kind: 'binary',
    op: '+',
    left: { kind: 'binary', op: '*', left: { kind: 'binary', op: '!=', left: cond, right: zero }, right: whenTrue },
    right: { kind: 'binary', op: '*', left: { kind: 'binary', op: '==', left: cond, right: zero }, right: whenFalse },
  };
}

/** nasm's integer log2 functions, either spelling. */
export const ILOG2_FUNCTION = /^__\??ilog2([ewfc])\??__$/i;

/** nasm's float functions; the preprocessor's aliases also deliver the spelling without `?`. */
export const FLOAT_FUNCTION =
  /^__(?:\?(float(?:8|16|32|64|80m|80e|128l|128h)|bfloat16)\?|(float(?:8|16|32|64|80m|80e|128l|128h)))__$/i;

/** The bit pattern of a float as an integer; `80m`/`128l` are the low 64 bits, `80e` and `128h` the rest. */
export function floatFunction(name: string, literal: string, negative: boolean): Expr {
  const match = FLOAT_FUNCTION.exec(name)!;
  const kind = (match[1] ?? match[2]!).toLowerCase().replace(/^float/, '');
  const text = specialFloatName(literal) ?? literal;
  if (!isFloatToken(text) && !isPackedBcd(text) && specialFloatName(literal) === null)
    throw new ExpressionError('expecting floating-point number');
  try {
    // The bits in the default rounding; the evaluator redoes them in the mode `[float]` sets, and
    // where the conversion warns (so its warnings are given where the line is assembled).
    const warnings: string[] = [];
    const value = floatFunctionBits(kind, text, negative, DEFAULT_FLOAT_MODE, (message) => {
      warnings.push(message);
    });
    const warns = warnings.length > 0 ? { warns: true } : {};
    return { kind: 'number', value, floatCall: { kind, text, negative, ...warns } };
  } catch (e) {
    if (e instanceof FloatError) throw new ExpressionError(e.message);
    throw e;
  }
}

/** `__?utf16?__` wants a string next (after its optional parenthesis). */
export function stringArgumentExpected(name: string, next: IToken): void {
  if (next.tokenType !== T.StringLiteral)
    throw new ExpressionError(`expecting string as argument to ${stringFunctionName(name)}`);
}

/** A name read as a symbol must not be a string function (nasm wants its string). */
/** The words `%use masm` defines `flat` and `ptr` as: nasm's scanner never reads them as names. */
export const MASM_WORD = /^__\?masm_(flat|ptr)\?__$/i;

export function notStringFunction(name: string): void {
  if (!name.startsWith('__')) return;
  if (STRING_FUNCTION.test(name))
    throw new ExpressionError(`expecting string as argument to ${stringFunctionName(name)}`);
  // `__?NaN?__` and the other special floats are float constants: no term of an expression;
  // nor are the masm package's words (`flat`, `ptr`) where its operand forms do not take them.
  if (specialFloatName(name) !== null || MASM_WORD.test(name)) throw new ExpressionError('expression syntax error');
}

/** `__?utf16?__("a",1)`: the parenthesis must close right after the string. */
export function closingParenthesisExpected(next: IToken): void {
  if (next.tokenType !== T.RParen) throw new ExpressionError("expecting `)'");
}

/** A string function's value in an expression: the converted string as a character constant. */
export function stringFunction(name: string, text: string): Expr {
  try {
    // A character constant like a quoted string: longer than the code's width (4 bytes, 8 in BITS
    // 64) it is cut with nasm's "character constant too long" (`mov eax, __utf32__("ab")`, measured).
    return characterLeaf(utfBytes(name, stringBytes(text)));
  } catch (e) {
    if (e instanceof StringFunctionError) throw new ExpressionError(e.message);
    throw e;
  }
}

export function numberExpr(tok: IToken): Expr {
  return numberLeaf(tok.image, readNumberImage);
}

/** The tree of a number token's text (uncached: numberExpr shares the trees). */
export function readNumberImage(image: string): Expr {
  // `$1e+16` is one token to the lexer, but to nasm the hex number `$1e` plus 16.
  const hexSum = /^(\$[0-9a-f_]*e)([+-])([0-9][0-9a-z_]*)$/i.exec(image);
  if (hexSum !== null) {
    const left = readNumberImage(hexSum[1]!);
    const right = readNumberImage(hexSum[3]!);
    return { kind: 'binary', op: hexSum[2] as '+' | '-', left, right };
  }
  const reading = readNumber(image);
  if (reading.kind === 'integer')
    return reading.overflows === true
      ? { kind: 'number', value: reading.value, overflowed: image }
      : { kind: 'number', value: reading.value };
  // A float where a number is expected (`mov ax, 1.5`, `dd 1+1.5`) is a syntax error to nasm.
  throw new ExpressionError('expression syntax error');
}
