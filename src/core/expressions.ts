/**
 * nasm's expressions: the tree the parser builds and the one evaluator that
 * gives it a value, with NASM's value model (a number, or a number relative to
 * one segment base: a section or an extern). The preprocessor (`%if`,
 * `%assign`) uses the same operator definitions (scalarBinary, scalarUnary)
 * on plain integers.
 *
 * The tree is generic in what a register leaf holds, so this bottom layer
 * needs no register table: the parser fills it with the encoder's Register.
 * Registers are only legal inside memory operands, where the assembler takes
 * them out first (src/asm/address.ts).
 */
import { DEFAULT_FLOAT_MODE, floatFunctionBits, type FloatMode } from './float.js';
import { characterConstant } from './numbers.js';
import { constantValue, makeValue, withFields, type SegmentTerm, type Value } from './value.js';

export type BinaryOperator =
  | '||'
  | '^^'
  | '&&'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '<=>'
  | '|'
  | '^'
  | '&'
  | '<<'
  | '>>'
  | '<<<'
  | '>>>'
  | '+'
  | '-'
  | '*'
  | '/'
  | '//'
  | '%'
  | '%%'
  | 'wrt';

/** `ilog2e` … `ilog2c`: nasm's `__?ilog2e?__(x)` family (exact, warn, floor, ceiling), which `%use ifunc` names. */
export type UnaryOperator = '-' | '+' | '~' | '!' | 'seg' | 'ilog2e' | 'ilog2w' | 'ilog2f' | 'ilog2c';

/** An expression tree; `Reg` is what a register leaf carries (the encoder's Register once parsed). */
export type Expr<Reg = unknown> =
  /**
   * `characters`: a character constant of more than 4 bytes (`'hello'`), its length (see
   * characterLeaf); `overflowed`: the text of a number too big for 64 bits. Both warn when evaluated.
   * `floatCall`: the value is a float function's (`__?float32?__(0.1)`), computed in the default
   * rounding; the evaluator computes it again in the mode `[float]` set (EvalEnv.floatMode).
   */
  | { kind: 'number'; value: bigint; characters?: number; overflowed?: string; floatCall?: FloatCall }
  | { kind: 'symbol'; name: string }
  | { kind: 'here' }
  | { kind: 'sectionStart' }
  | { kind: 'register'; reg: Reg }
  | { kind: 'unary'; op: UnaryOperator; operand: Expr<Reg> }
  | { kind: 'binary'; op: BinaryOperator; left: Expr<Reg>; right: Expr<Reg> };

/** A float function's call: `kind` is `32`, `80e`, `bfloat16` … (see floatFunctionBits). */
export interface FloatCall {
  readonly kind: string;
  readonly text: string;
  readonly negative: boolean;
  /** The conversion in the default mode warns (`__?float32?__(1e99)`): it is redone for the warnings. */
  readonly warns?: boolean;
}

/** What the evaluator needs to know about the world at this point of this pass. */
export interface EvalEnv {
  /** The symbol's current value, or null when it has none yet (forward reference in pass 1 / undefined). */
  symbolValue(name: string): Value | null;
  /** `$`: the start of the current line (or of the current `times` repetition). */
  here: Value;
  /** `$$`: the start of the current section. */
  sectionStart: Value;
  /** The segment id (negative) of a special WRT target such as ELF's `..gotoff`, else null. */
  specialSegment?(name: string): number | null;
  /** Warnings an expression can raise (`__?ilog2w?__` of a non-power of two). */
  warn?(message: string, warningClass: string): void;
  /**
   * How many bytes of a character constant count (nasm: 8 in 64-bit code, else 4); 8 when absent.
   * A longer constant is cut to that with a warning.
   */
  characterBytes?(): number;
  /**
   * Before the final pass nasm counts every symbol with no value yet as one shared unknown term, so
   * `fwd2 - fwd1` cancels to a number (pass 1 sizes `[eax+fwd2-fwd1]` with no displacement). In the
   * final pass an undefined symbol is an error however it is combined, so it stays unknown there.
   */
  unknownsCancel?: boolean;
  /** Errors after which nasm still uses the value (`__?ilog2e?__` of a non-power of two); thrown when absent. */
  fail?(message: string): void;
  /**
   * A label as WRT target (`4 wrt lbl`) is refused only where nasm evaluates critically; a TIMES,
   * DUP or RESx count and an EQU take it and then refuse the value as no number (measured).
   */
  labelWrtTolerated?: boolean;
  /** The `[float]` rounding and DAZ mode in force here; the default one when absent. */
  floatMode?: FloatMode;
}

/**
 * A character constant as an expression leaf: its bytes little-endian (the first 8). One of more
 * than 4 bytes keeps its length, for the evaluator to cut it as nasm does in the code it is in.
 */
export function characterLeaf(bytes: Uint8Array): Expr<never> {
  const value = characterConstant(bytes);
  return bytes.length > 4 ? { kind: 'number', value, characters: bytes.length } : { kind: 'number', value };
}

/** nasm reads only so many bytes of a character constant as a number, and warns about the rest. */
function longCharacterValue(expr: { value: bigint; characters?: number }, env: EvalEnv): bigint {
  const limit = env.characterBytes?.() ?? 8;
  if (expr.characters! <= limit) return expr.value;
  env.warn?.('character constant too long', 'other');
  return BigInt.asUintN(8 * limit, expr.value);
}

/**
 * A leaf that warns when evaluated, or whose value depends on the `[float]` mode (see the `number`
 * case of Expr): the final pass must evaluate it, bytes saved from an earlier pass cannot stand for it.
 */
export function warnsWhenEvaluated(leaf: Expr): boolean {
  return (
    leaf.kind === 'number' &&
    (leaf.characters !== undefined || leaf.overflowed !== undefined || leaf.floatCall !== undefined)
  );
}

/**
 * A float function's bits in the current `[float]` mode (the parser computed them in the default
 * one), with its conversion's warnings (`__?float32?__(1e99)` overflows, as a `dd 1e99` does).
 */
function floatCallValue(call: FloatCall, parsedValue: bigint, env: EvalEnv): bigint {
  const mode = env.floatMode ?? DEFAULT_FLOAT_MODE;
  const defaultMode = mode.round === DEFAULT_FLOAT_MODE.round && mode.daz === DEFAULT_FLOAT_MODE.daz;
  if (defaultMode && call.warns !== true) return parsedValue;
  return floatFunctionBits(call.kind, call.text, call.negative, mode, env.warn?.bind(env));
}

/** Value.wrt for `wrt <number>`: a segment by number, which neither bin nor ELF can express. */
export const NUMBERED_SEGMENT = 0;

/** A semantic error in an expression, with NASM's message. */
export class EvalError extends Error {}

/** An error nasm reports only in its final pass: it does not end assembly after pass one. */
export class LateEvalError extends EvalError {}

/** Thrown at a register leaf: the caller may ask registerTerms (register-terms.ts) for nasm's view of the sum. */
export class RegisterLeafError extends EvalError {
  constructor() {
    super('invalid use of register in expression');
  }
}

const mask64 = (n: bigint): bigint => BigInt.asIntN(64, n);

function plain(v: Value): boolean {
  return v.base === null && v.wrt === null && !v.segmentOf && (v.minusBase ?? null) === null;
}

function unknownValue(): Value {
  return makeValue(0n, null, true, null, false);
}

/** Operators that need numbers on both sides, and nasm's message when a side holds a label or register. */
export const DIVISION_MESSAGE = 'division operator may only be applied to scalar values';
export const SHIFT_MESSAGE = 'shift operator may only be applied to scalar values';
export const DIVISIONS: ReadonlySet<string> = new Set(['/', '//', '%', '%%']);
export const SHIFTS: ReadonlySet<string> = new Set(['<<', '>>', '<<<', '>>>']);
/** nasm names the logical operators by their first character (measured). */
export const BITWISE_MESSAGES: Partial<Record<string, string>> = {
  '|': "`|' operator may only be applied to scalar values",
  '^': "`^' operator may only be applied to scalar values",
  '&': "`&' operator may only be applied to scalar values",
  '&&': "`&' operator may only be applied to scalar values",
  '||': "`|' operator may only be applied to scalar values",
  '^^': "`^' operator may only be applied to scalar values",
};

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', '<=>']);

/**
 * A comparison with an address on a side, as nasm compares its sums term by term: the same terms
 * but for the number compare as numbers (`lbl < lbl+1` is 1); otherwise `==` is 0 and `!=` is 1
 * (`lbl == dat` in another section, `lbl == 5`), and an ordering is an error after which nasm
 * goes on with 0 (measured).
 */
function compareRelocatable(op: string, left: Value, right: Value, env: EvalEnv): Value {
  const sameTerms =
    left.base === right.base &&
    left.wrt === right.wrt &&
    left.segmentOf === right.segmentOf &&
    (left.minusBase ?? null) === (right.minusBase ?? null) &&
    left.scaled !== true &&
    right.scaled !== true &&
    left.complex !== true &&
    right.complex !== true;
  if (sameTerms) return constantValue(scalarBinary(op, left.offset, right.offset));
  if (op === '==' || op === '!=') return constantValue(op === '==' ? 0n : 1n);
  return failWith(env, `\`${op}': operands differ by a non-scalar`, constantValue(0n));
}

/** An error nasm reports and goes on from with `value` (thrown where the caller takes none). */
function failWith(env: EvalEnv, message: string, value: Value): Value {
  if (!env.fail) throw new EvalError(message);
  env.fail(message);
  return value;
}

/**
 * `label * n`. By 1 it is just the label. By anything else NASM 2.16.01 keeps
 * going (measured): an instruction gets the scaled offset with no relocation
 * at all, and still the full-size field because the value is not a plain
 * number; data directives and addresses reject it. `scaled` marks that.
 * By 0 every term stays with multiplier 0: a number to an instruction or data,
 * but an address refuses it (`[x*0]`, `[0*x]`; measured).
 */
function scaleRelocatable(left: Value, right: Value, env: EvalEnv): Value {
  if (!plain(left) && !plain(right)) throw new EvalError('unable to multiply two non-scalar objects');
  const [relocatable, factor] = plain(left) ? [right, left.offset] : [left, right.offset];
  if (relocatable.wrt !== null || relocatable.segmentOf) {
    if (factor === 0n && relocatable.wrt === null) return constantValue(0n);
    throw new EvalError('expression is not simple or relocatable');
  }
  if (factor === 1n) return relocatable;
  const terms = new Map<number, bigint>();
  for (const term of termsOf(relocatable)) terms.set(term.segment, term.coefficient * factor);
  return valueOfTerms(mask64(relocatable.offset * factor), terms, null, false, env);
}

/** A value's segment bases with their multipliers (nasm's vector without the number). */
function termsOf(v: Value): readonly SegmentTerm[] {
  if (v.terms != null) return v.terms;
  const terms: SegmentTerm[] = [];
  if (v.base !== null) terms.push({ segment: v.base, coefficient: 1n });
  if ((v.minusBase ?? null) !== null) terms.push({ segment: v.minusBase!, coefficient: -1n });
  return terms;
}

/**
 * Adds a term as nasm adds two vectors: multipliers of one segment add up and a sum of 0
 * drops the term (`x*2 - x*2`); a term the other side lacks is kept as it is, a multiplier of 0
 * included (`x*0 + 5`).
 */
function addTerm(terms: Map<number, bigint>, segment: number, coefficient: bigint): void {
  const before = terms.get(segment);
  if (before === undefined) terms.set(segment, coefficient);
  else if (before + coefficient === 0n) terms.delete(segment);
  else terms.set(segment, before + coefficient);
}

/**
 * The value of a number plus segment terms, in the fields the rest of tsnasm reads: one base
 * counted once (`base`), one subtracted once (`minusBase`, which alone must be the current
 * section); one base counted another number of times is `scaled`; anything more is `complex`.
 * The terms themselves are kept when those fields do not say everything (see Value.terms).
 */
function valueOfTerms(
  offset: bigint,
  terms: ReadonlyMap<number, bigint>,
  wrt: number | null,
  segmentOf: boolean,
  env: EvalEnv,
): Value {
  const sorted = [...terms]
    .sort(([a], [b]) => a - b)
    .map(([segment, coefficient]): SegmentTerm => ({ segment, coefficient }));
  let base: number | null = null;
  let minusBase: number | null = null;
  let complex = false;
  let hasZero = false;
  const others: SegmentTerm[] = [];
  for (const term of sorted) {
    if (term.coefficient === 0n) hasZero = true;
    else if (term.coefficient === 1n && base === null) base = term.segment;
    else if (term.coefficient === -1n && minusBase === null) minusBase = term.segment;
    else if (term.coefficient === 1n || term.coefficient === -1n) complex = true;
    else others.push(term);
  }
  // Self-relative (no positive base) only counts against the current section, as in nasm.
  if (minusBase !== null && base === null && minusBase !== env.here.base) complex = true;
  if (others.length > 1 || (others.length === 1 && (base !== null || minusBase !== null))) complex = true;
  const kept = complex || others.length > 0 || hasZero ? sorted : null;
  if (complex) {
    // Left to its user, whose message depends on where it stands (see Value.complex).
    const first = sorted.find((term) => term.coefficient !== 0n)!;
    return makeValue(offset, first.segment, false, wrt, segmentOf, null, false, true, kept);
  }
  if (others.length === 1) return makeValue(offset, others[0]!.segment, false, wrt, segmentOf, null, true, false, kept);
  return makeValue(offset, base, false, wrt, segmentOf, minusBase, false, false, kept);
}

export function evaluate(expr: Expr, env: EvalEnv): Value {
  switch (expr.kind) {
    case 'number':
      if (expr.overflowed !== undefined)
        env.warn?.(`numeric constant ${expr.overflowed} does not fit in 64 bits`, 'number-overflow');
      if (expr.floatCall !== undefined) return constantValue(floatCallValue(expr.floatCall, expr.value, env));
      return constantValue(expr.characters === undefined ? expr.value : longCharacterValue(expr, env));
    case 'symbol': {
      const v = env.symbolValue(expr.name);
      return v === null ? unknownValue() : v;
    }
    case 'here':
      return env.here;
    case 'sectionStart':
      return env.sectionStart;
    case 'register':
      throw new RegisterLeafError();
    case 'unary':
      return evaluateUnary(expr.op, expr.operand, env);
    case 'binary':
      return evaluateBinary(expr, env);
  }
}

function evaluateUnary(op: string, operandExpr: Expr, env: EvalEnv): Value {
  const v = evaluate(operandExpr, env);
  if (op === 'seg') return segmentOfValue(v, env);
  if (v.unknown) return v;
  if (op === '+') return v;
  if (op.startsWith('ilog2')) return integerLog2(op, v, env);
  if (!plain(v)) {
    if (op === '-') return negateRelocatable(v, env);
    if (op === '~' || op === '!') throw new EvalError(`\`${op}' operator may only be applied to scalar values`);
    throw new EvalError('expression is not simple or relocatable');
  }
  return constantValue(scalarUnary(op, v.offset));
}

/**
 * `seg x`: the segment of the one section or symbol `x` is relative to. A number (`seg 3`, a
 * label of `absolute` space, `a - b` in one section) has none, nor has a sum no relocation can
 * express; a self-relative value (`ext - $`, `data_label - text_label` in .text) is its positive
 * symbol's, but only when what is subtracted is the current section; `seg (seg x)` is refused (all
 * measured on nasm 2.16.01). Only the segment is left: the offset goes.
 */
function segmentOfValue(v: Value, env: EvalEnv): Value {
  if (v.unknown) return v;
  if (v.segmentOf) throw new EvalError('SEG applied to something which is already a segment base');
  const minusBase = v.minusBase ?? null;
  const relocatable = v.base !== null && v.scaled !== true && v.complex !== true && v.wrt === null;
  if (!relocatable || (minusBase !== null && minusBase !== env.here.base))
    throw new EvalError('cannot apply SEG to a non-relocatable value');
  return withFields(v, { offset: 0n, segmentOf: true, minusBase: null });
}

/**
 * `-(a - b)` is `b - a`: the bases swap, so `-label` keeps the label as a subtracted base (and
 * `-(-label)` gives it back). A lone subtracted base (`-label`, `5 - label`) is what nasm calls
 * self-relative: the field writers store it PC-relative to an absolute address (see fields.ts).
 * Only a label of the current section can be self-relative; any other is a complex value.
 */
function negateRelocatable(v: Value, env: EvalEnv): Value {
  const terms = new Map<number, bigint>();
  for (const term of termsOf(v)) terms.set(term.segment, -term.coefficient);
  return valueOfTerms(mask64(-v.offset), terms, v.wrt, v.segmentOf, env);
}

/** The integer unary operators `-`, `~` and `!` (64-bit two's complement). */
export function scalarUnary(op: string, a: bigint): bigint {
  switch (op) {
    case '-':
      return mask64(-a);
    case '~':
      return mask64(~a);
    case '!':
      return a === 0n ? 1n : 0n;
    default:
      throw new EvalError('expression syntax error');
  }
}

function evaluateBinary(expr: Extract<Expr, { kind: 'binary' }>, env: EvalEnv): Value {
  if (expr.op === '+' || expr.op === '-') return evaluateSum(expr, env);
  const left = evaluate(expr.left, env);
  if (expr.op === 'wrt') {
    const special = expr.right.kind === 'symbol' && env.specialSegment ? env.specialSegment(expr.right.name) : null;
    if (special !== null) return withFields(left, { wrt: special });
    // An undefined WRT target (`..got` outside elf) is an undefined symbol like any other.
    const target = evaluate(expr.right, env);
    if (target.unknown) return unknownValue();
    // A segment number (`wrt 5`, `wrt seg a`), which the output format then refuses where it
    // matters; a label is no segment to nasm (measured: `a wrt b`, `4 wrt ext`).
    if (!plain(target) && !target.segmentOf) {
      if (env.labelWrtTolerated === true) return withFields(left, { wrt: target.base ?? NUMBERED_SEGMENT });
      throw new LateEvalError('invalid right-hand operand to WRT');
    }
    return withFields(left, { wrt: NUMBERED_SEGMENT });
  }
  const right = evaluate(expr.right, env);
  if (left.unknown || right.unknown) {
    // nasm checks the divisor before the dividend: `undefined/0` is "division by zero" (measured).
    if (!right.unknown && DIVISIONS.has(expr.op) && plain(right) && right.offset === 0n)
      throw new EvalError('division by zero');
    // The shared unknown term times a known 0 is 0 (`fwd*0`), as in nasm's vector arithmetic.
    const zeroFactor = (v: Value): boolean => !v.unknown && plain(v) && v.offset === 0n;
    if (expr.op === '*' && env.unknownsCancel === true && (zeroFactor(left) || zeroFactor(right))) {
      return constantValue(0n);
    }
    return unknownValue();
  }
  const op = expr.op;
  if (op === '*' && (!plain(left) || !plain(right))) return scaleRelocatable(left, right, env);
  if (!plain(left) || !plain(right)) {
    if (COMPARISONS.has(op)) return compareRelocatable(op, left, right, env);
    // A shift keeps its left side and `&`, `|`, `^` give 0: errors nasm goes on from (measured).
    if (SHIFTS.has(op)) return failWith(env, SHIFT_MESSAGE, left);
    const bitwise = BITWISE_MESSAGES[op];
    if (bitwise !== undefined) return failWith(env, bitwise, constantValue(0n));
    throw new EvalError(DIVISIONS.has(op) ? DIVISION_MESSAGE : 'expression is not simple or relocatable');
  }
  return constantValue(scalarBinary(op, left.offset, right.offset));
}

/**
 * A chain of `+` and `-` as NASM sees it: a linear combination of segment
 * bases. Terms may cancel anywhere in the chain, so `ext + $$ - label` is
 * fine (the two section terms cancel) although `ext + $$` alone is not. The
 * result may keep one base with coefficient +1 and one with -1 (the
 * self-relative `minusBase`).
 */
function evaluateSum(expr: Extract<Expr, { kind: 'binary' }>, env: EvalEnv): Value {
  if (isSumTerm(expr.left) && isSumTerm(expr.right)) return sumOfTwoTerms(expr, env);
  const terms: SumTerm[] = [];
  let unknownCoefficient = 0;
  // Left to right without recursion: a chain may hold thousands of terms (nasm allows 8,192).
  const pending: Array<{ e: Expr; sign: 1 | -1 }> = [{ e: expr, sign: 1 }];
  while (pending.length > 0) {
    const { e, sign } = pending.pop()!;
    if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
      pending.push({ e: e.right, sign: e.op === '+' ? sign : sign === 1 ? -1 : 1 });
      pending.push({ e: e.left, sign });
    } else if (e.kind === 'unary' && e.op === '-') {
      // `-$$ + sym` is `sym - $$` to nasm: the minus flips the term's sign, base included.
      pending.push({ e: e.operand, sign: sign === 1 ? -1 : 1 });
    } else {
      const value = evaluate(e, env);
      if (value.unknown) {
        if (!cancels(e, env)) return unknownValue();
        unknownCoefficient += sign;
        continue;
      }
      terms.push({ value, sign });
    }
  }
  if (unknownCoefficient !== 0) return unknownValue();
  return combineTerms(terms, env);
}

/** One term of a sum: a value and whether it is added or subtracted. */
interface SumTerm {
  value: Value;
  sign: 1 | -1;
}

/** A tree that is one term of a sum, not a sum or a negation itself (those the chain takes apart). */
function isSumTerm(e: Expr): boolean {
  return !((e.kind === 'binary' && (e.op === '+' || e.op === '-')) || (e.kind === 'unary' && e.op === '-'));
}

/** A symbol with no value yet is one shared term (see EvalEnv.unknownsCancel); anything else unknown stays so. */
function cancels(e: Expr, env: EvalEnv): boolean {
  return e.kind === 'symbol' && env.unknownsCancel === true;
}

/**
 * `a + b` or `a - b` of two terms (`label + 4`, `d_10 - d_6`), the commonest sum: the same
 * result as the chain above, evaluated in the same order, without its worklist.
 */
function sumOfTwoTerms(expr: Extract<Expr, { kind: 'binary' }>, env: EvalEnv): Value {
  const sign = expr.op === '+' ? 1 : -1;
  const a = evaluate(expr.left, env);
  if (a.unknown && !cancels(expr.left, env)) return unknownValue();
  const b = evaluate(expr.right, env);
  if (b.unknown && !cancels(expr.right, env)) return unknownValue();
  if (a.unknown || b.unknown) {
    // Two unknown symbols cancel in a difference only (`fwd1 - fwd2` is a known 0 before the final pass).
    return a.unknown && b.unknown && sign === -1 ? combineTerms([], env) : unknownValue();
  }
  return (
    simpleSum(a, b, sign) ??
    combineTerms(
      [
        { value: a, sign: 1 },
        { value: b, sign },
      ],
      env,
    )
  );
}

/**
 * The sum of known terms: a linear combination of segment bases. The result may keep one base
 * with coefficient +1 and one with -1 (the self-relative `minusBase`).
 */
function combineTerms(terms: readonly SumTerm[], env: EvalEnv): Value {
  if (terms.length === 2 && terms[0]!.sign === 1) {
    const sum = simpleSum(terms[0]!.value, terms[1]!.value, terms[1]!.sign);
    if (sum !== null) return sum;
  }

  let offset = 0n;
  let wrt: number | null = null;
  let segmentOf = false;
  const segmentTerms = new Map<number, bigint>();
  for (const { value, sign } of terms) {
    offset += sign === 1 ? value.offset : -value.offset;
    for (const term of termsOf(value))
      addTerm(segmentTerms, term.segment, sign === 1 ? term.coefficient : -term.coefficient);
    wrt ??= value.wrt;
    segmentOf ||= value.segmentOf;
  }
  return valueOfTerms(mask64(offset), segmentTerms, wrt, segmentOf, env);
}

/**
 * `a + b` or `a - b` in the common cases (`label + 4`, `a - b` in one section) without the
 * bookkeeping of segment terms; null when the terms need it.
 */
function simpleSum(a: Value, b: Value, sign: 1 | -1): Value | null {
  if (!isSimpleTerm(a) || !isSimpleTerm(b)) return null;
  const offset = mask64(sign === 1 ? a.offset + b.offset : a.offset - b.offset);
  const wrt = a.wrt ?? b.wrt;
  const segmentOf = a.segmentOf || b.segmentOf;
  if (b.base === null) return makeValue(offset, a.base, false, wrt, segmentOf);
  if (a.base === null && sign === 1) return makeValue(offset, b.base, false, wrt, segmentOf);
  if (sign === -1 && a.base === b.base) return makeValue(offset, null, false, wrt, segmentOf);
  return null;
}

/** A value simpleSum can add. */
function isSimpleTerm(v: Value): boolean {
  return !v.unknown && !v.scaled && !v.complex && (v.minusBase ?? null) === null && v.terms == null;
}

/**
 * nasm's `__?ilog2e?__` (exact: error unless a power of two), `…w` (floor,
 * warning unless a power of two), `…f` (floor) and `…c` (ceiling), on the
 * value as an unsigned 64-bit number; 0 gives 0 (measured on nasm 2.16.01).
 */
function integerLog2(op: string, v: Value, env: EvalEnv): Value {
  if (!plain(v)) throw new EvalError('function may only be applied to scalar values');
  const n = BigInt.asUintN(64, v.offset);
  const floor = n === 0n ? 0 : n.toString(2).length - 1;
  const exact = n !== 0n && (n & (n - 1n)) === 0n;
  switch (op) {
    case 'ilog2e':
      if (!exact) {
        if (!env.fail) throw new EvalError('ilog2 argument is not a power of two');
        env.fail('ilog2 argument is not a power of two');
      }
      return constantValue(floor);
    case 'ilog2w':
      if (!exact) env.warn?.('ilog2 argument is not a power of two', 'other');
      return constantValue(floor);
    case 'ilog2c':
      return constantValue(n <= 1n ? 0 : exact ? floor : floor + 1);
    default:
      return constantValue(floor);
  }
}

/** The integer operators, with NASM's signedness: `/` and `%` unsigned, `//` and `%%` signed. */
export function scalarBinary(op: string, a: bigint, b: bigint): bigint {
  const ua = BigInt.asUintN(64, a);
  const ub = BigInt.asUintN(64, b);
  switch (op) {
    // The assembler adds relocatable values in evaluateSum; plain numbers (the preprocessor's) come here.
    case '+':
      return mask64(a + b);
    case '-':
      return mask64(a - b);
    case '*':
      return mask64(a * b);
    case '/':
      if (ub === 0n) throw new EvalError('division by zero');
      return mask64(ua / ub);
    case '%':
      if (ub === 0n) throw new EvalError('division by zero');
      return mask64(ua % ub);
    case '//':
      if (b === 0n) throw new EvalError('division by zero');
      return mask64(a / b);
    case '%%':
      if (b === 0n) throw new EvalError('division by zero');
      return mask64(a % b);
    case '<<':
      return mask64(ua << (ub & 63n));
    case '<<<':
      return mask64(ua << (ub & 63n));
    case '>>':
      return mask64(ua >> (ub & 63n));
    case '>>>':
      return mask64(a >> (ub & 63n));
    case '|':
      return mask64(a | b);
    case '^':
      return mask64(a ^ b);
    case '&':
      return mask64(a & b);
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '<':
      return a < b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    // nasm 2.16.01 evaluates `<=>` like `>` (1 <=> 2 is 0, not -1); we follow the reference.
    case '<=>':
      return a > b ? 1n : 0n;
    case '&&':
      return a !== 0n && b !== 0n ? 1n : 0n;
    case '||':
      return a !== 0n || b !== 0n ? 1n : 0n;
    case '^^':
      return (a !== 0n) !== (b !== 0n) ? 1n : 0n;
    default:
      throw new EvalError('expression syntax error');
  }
}

/** True if the expression mentions any symbol, `$` or `$$` (its value can change between passes). */
export function dependsOnLayout(expr: Expr): boolean {
  return someLeaf(expr, isPlaceLeaf);
}

const isPlaceLeaf = (leaf: Leaf): boolean =>
  leaf.kind === 'symbol' || leaf.kind === 'here' || leaf.kind === 'sectionStart';

export type Leaf = Exclude<Expr, { kind: 'unary' } | { kind: 'binary' }>;

/** True when some leaf of the tree (number, symbol, register, `$`, `$$`) passes the test. */
export function someLeaf(expr: Expr, test: (leaf: Leaf) => boolean): boolean {
  return someLeafWithin(expr, test, 0);
}

/** Recursion for the usual shallow trees (no array per call: this runs for every operand of every line). */
function someLeafWithin(expr: Expr, test: (leaf: Leaf) => boolean, depth: number): boolean {
  if (expr.kind !== 'unary' && expr.kind !== 'binary') return test(expr);
  if (depth >= SHALLOW_DEPTH) return someLeafDeep(expr, test);
  if (expr.kind === 'unary') return someLeafWithin(expr.operand, test, depth + 1);
  return someLeafWithin(expr.left, test, depth + 1) || someLeafWithin(expr.right, test, depth + 1);
}

const SHALLOW_DEPTH = 64;

function someLeafDeep(expr: Expr, test: (leaf: Leaf) => boolean): boolean {
  // An explicit stack: trees of long chains are thousands of levels deep.
  const pending: Expr[] = [expr];
  while (pending.length > 0) {
    const e = pending.pop()!;
    if (e.kind === 'unary') pending.push(e.operand);
    else if (e.kind === 'binary') pending.push(e.right, e.left);
    else if (test(e)) return true;
  }
  return false;
}
