/**
 * Registers inside expressions that are not addresses: `mov eax, ebx*2`, `db ecx`, `times edx nop`.
 *
 * The evaluator (expressions.ts) has no register in its value model and stops at a register leaf
 * (RegisterLeafError). nasm instead treats a register as one more term of its linear sums, like a
 * label: `ebx - ebx` is the number 0, `2*ebx - ebx` is the register ebx, `ebx == ebx` is 1, and
 * only an operator that needs numbers (`/`, `<<`, `&`, `~` …) or a use that cannot take a register
 * (data, a TIMES count, an immediate) is an error, each with its own message (all measured on
 * nasm 2.16.01). This module, asked only after the evaluator met a register, computes those terms:
 * the registers with their coefficients, and the rest of the value with every register taken as 0.
 */
import {
  BITWISE_MESSAGES,
  DIVISION_MESSAGE,
  DIVISIONS,
  evaluate,
  EvalError,
  SHIFT_MESSAGE,
  SHIFTS,
  type EvalEnv,
  type Expr,
} from './expressions.js';
import { isPlainNumber, type Value } from './value.js';

/** An expression's registers (coefficient by register, none zero) and the value of everything else. */
export interface RegisterTerms<Reg = unknown> {
  registers: Map<Reg, bigint>;
  rest: Value;
  /**
   * Errors nasm reports and goes on from (its listing still sizes the line): a shift of a register
   * sum keeps the sum as it was before the shift (`dd ebx<<1` then also says the sum is not simple);
   * `&`, `|`, `^` (and `&&`, `||`, `^^`) and an ordering of sums that differ by a register give 0.
   */
  reported: string[];
  /** A register was multiplied by 0 (`ebx*0`): nasm's TIMES then repeats nothing, whatever the rest. */
  zeroedRegister: boolean;
}

/**
 * Where a value with register terms was used, for nasm's message about it: a count (TIMES, RESx)
 * says its own message; a directive its own, or null when nasm skips the directive silently.
 */
export type RegisterUse = 'operand' | 'data' | 'equ' | 'reserve' | { count: string } | { directive: string | null };

const ORDERING = new Set(['<', '<=', '>', '>=', '<=>']);
const EQUALITY = new Set(['==', '!=']);

/** Deeper trees than this are not analysed (the evaluator's own message stands). */
const MAX_DEPTH = 512;

const ZERO_LEAF: Expr = { kind: 'number', value: 0n };

/**
 * The register terms of `expr` (which names a register), or an EvalError with nasm's message for
 * the operator that cannot take one. `rest` is evaluated in `env`, registers counting as 0.
 */
export function registerTerms<Reg>(expr: Expr<Reg>, env: EvalEnv): RegisterTerms<Reg> {
  const zeroed = { register: false };
  const sum = registerSum(expr, env, zeroed);
  return {
    registers: sum.registers,
    rest: evaluate(sum.rest, env),
    reported: sum.reported,
    zeroedRegister: zeroed.register,
  };
}

/**
 * The same terms with the rest left as an expression (an address evaluates it in every pass):
 * `[ebx==1]` is no register and the rest `0`, `[(ebx+4)<<1]` is ebx and the rest `0+4`.
 */
export function registerSum<Reg>(
  expr: Expr<Reg>,
  env: EvalEnv,
  zeroed = { register: false },
): { registers: Map<Reg, bigint>; rest: Expr<Reg>; reported: string[] } {
  const reported: string[] = [];
  const { registers, rewritten } = analyse(expr, { env, reported, zeroed }, 0);
  return { registers: registers as Map<Reg, bigint>, rest: rewritten as Expr<Reg>, reported };
}

/**
 * The sizes nasm accepts for a register group (`zmm4+3` is 4 registers; `+0` and `-1` are the
 * register alone): another size is "invalid register set size" wherever it is written (measured).
 */
export function isRegisterGroupSize(size: number | bigint): boolean {
  const n = BigInt(size);
  return n === 2n || n === 4n || n === 8n || n === 16n;
}

/**
 * nasm's messages for a value with registers left in it, where it was used, and whether nasm gives
 * them only in its final pass (a RESx count that is a register operand is refused by the
 * instruction, not by the parser: another line's pass-one error hides it).
 */
export function registerUseError(
  terms: RegisterTerms,
  use: Exclude<RegisterUse, { directive: string | null }>,
): { messages: string[]; finalPassOnly: boolean } {
  const early = (message: string): { messages: string[]; finalPassOnly: boolean } => ({
    messages: [message],
    finalPassOnly: false,
  });
  if (typeof use === 'object') return early(use.count);
  // `ebx + 4`: what nasm's parser reads as a register (a register group when the number is not 0).
  const operand = registerOperand(terms);
  switch (use) {
    case 'data':
      return early('expression is not simple or relocatable');
    case 'equ':
      return early(operand !== null ? 'bad syntax for EQU' : 'invalid operand type');
    case 'reserve': {
      if (operand === null) return early('invalid operand type');
      const plus = operand.plus;
      const badGroup = plus !== 0n && plus !== -1n && !isRegisterGroupSize(plus + 1n);
      const messages = ['invalid combination of opcode and operands'];
      return { messages: badGroup ? ['invalid register set size', ...messages] : messages, finalPassOnly: true };
    }
    case 'operand':
      return early('invalid operand type');
  }
}

/** The register a value is when it is exactly one register (coefficient 1, nothing else), else null. */
export function loneRegister<Reg>(terms: RegisterTerms<Reg>): Reg | null {
  const operand = registerOperand(terms);
  return operand !== null && operand.plus === 0n ? operand.register : null;
}

/**
 * One register (coefficient 1) plus a number: what nasm's parser reads as a register operand,
 * and, when the number is not 0, as a register group of `plus + 1` registers (`zmm4+3`).
 */
export function registerOperand<Reg>(terms: RegisterTerms<Reg>): { register: Reg; plus: bigint } | null {
  if (terms.registers.size !== 1 || !isPlainNumber(terms.rest)) return null;
  for (const [register, coefficient] of terms.registers)
    return coefficient === 1n ? { register, plus: terms.rest.offset } : null;
  return null;
}

interface Analysed {
  registers: Map<unknown, bigint>;
  /** The expression with every register replaced by 0 and register comparisons by their result. */
  rewritten: Expr;
}

/** What one analysis shares: where symbols get values, the errors reported, whether a register met a 0. */
interface Analysis {
  env: EvalEnv;
  reported: string[];
  zeroed: { register: boolean };
}

function analyse(expr: Expr, state: Analysis, depth: number): Analysed {
  if (depth > MAX_DEPTH) throw new EvalError('invalid use of register in expression');
  switch (expr.kind) {
    case 'register':
      return { registers: new Map([[expr.reg, 1n]]), rewritten: ZERO_LEAF };
    case 'unary':
      return analyseUnary(expr, state, depth);
    case 'binary':
      return analyseBinary(expr, state, depth);
    default:
      return { registers: new Map(), rewritten: expr };
  }
}

function analyseUnary(expr: Extract<Expr, { kind: 'unary' }>, state: Analysis, depth: number): Analysed {
  const operand = analyse(expr.operand, state, depth + 1);
  const rewritten: Expr = { ...expr, operand: operand.rewritten };
  if (operand.registers.size === 0 || expr.op === '+') return { registers: operand.registers, rewritten };
  if (expr.op === '-') return { registers: scaled(operand.registers, -1n), rewritten };
  if (expr.op === 'seg') throw new EvalError('cannot apply SEG to a non-relocatable value');
  if (expr.op === '~' || expr.op === '!')
    throw new EvalError(`\`${expr.op}' operator may only be applied to scalar values`);
  throw new EvalError('function may only be applied to scalar values');
}

function analyseBinary(expr: Extract<Expr, { kind: 'binary' }>, state: Analysis, depth: number): Analysed {
  const { env, reported, zeroed } = state;
  const left = analyse(expr.left, state, depth + 1);
  const right = analyse(expr.right, state, depth + 1);
  const rewritten: Expr = { ...expr, left: left.rewritten, right: right.rewritten };
  const op = expr.op;
  if (left.registers.size === 0 && right.registers.size === 0) return { registers: left.registers, rewritten };
  if (op === '+' || op === '-') {
    return { registers: sum(left.registers, scaled(right.registers, op === '-' ? -1n : 1n)), rewritten };
  }
  if (op === '*') {
    if (left.registers.size > 0 && right.registers.size > 0)
      throw new EvalError('unable to multiply two non-scalar objects');
    const [withRegisters, factorSide] = left.registers.size > 0 ? [left, right] : [right, left];
    const factor = evaluate(factorSide.rewritten, env);
    if (factor.unknown || !isPlainNumber(factor)) throw new EvalError('unable to multiply two non-scalar objects');
    if (factor.offset === 0n) zeroed.register = true;
    return { registers: scaled(withRegisters.registers, factor.offset), rewritten };
  }
  // A register sum WRT anything is no register and no number (`ebx wrt 5`, `ebx wrt label`): the
  // use's error is nasm's, whatever the segment; `0 wrt 0` stands for it.
  if (op === 'wrt') return { registers: left.registers, rewritten: { ...rewritten, right: ZERO_LEAF } };
  if (SHIFTS.has(op)) {
    if (left.registers.size === 0) throw new EvalError(SHIFT_MESSAGE);
    reported.push(SHIFT_MESSAGE);
    return left;
  }
  if (DIVISIONS.has(op)) throw new EvalError(DIVISION_MESSAGE);
  const bitwise = BITWISE_MESSAGES[op];
  if (bitwise !== undefined) {
    reported.push(bitwise);
    return { registers: new Map(), rewritten: ZERO_LEAF };
  }
  const differ = sum(left.registers, scaled(right.registers, -1n)).size > 0;
  if (ORDERING.has(op)) {
    if (!differ) return { registers: new Map(), rewritten };
    reported.push(`\`${op}': operands differ by a non-scalar`);
    return { registers: new Map(), rewritten: ZERO_LEAF };
  }
  if (EQUALITY.has(op)) {
    // Equal only when every term is: different registers decide without the rest.
    if (!differ) return { registers: new Map(), rewritten };
    const value = op === '==' ? 0n : 1n;
    return { registers: new Map(), rewritten: { kind: 'number', value } };
  }
  throw new EvalError('invalid use of register in expression');
}

function scaled(registers: Map<unknown, bigint>, factor: bigint): Map<unknown, bigint> {
  const out = new Map<unknown, bigint>();
  for (const [reg, coefficient] of registers) {
    const product = BigInt.asIntN(64, coefficient * factor);
    if (product !== 0n) out.set(reg, product);
  }
  return out;
}

function sum(a: Map<unknown, bigint>, b: Map<unknown, bigint>): Map<unknown, bigint> {
  const out = new Map(a);
  for (const [reg, coefficient] of b) {
    const total = BigInt.asIntN(64, (out.get(reg) ?? 0n) + coefficient);
    if (total === 0n) out.delete(reg);
    else out.set(reg, total);
  }
  return out;
}
