/**
 * Memory addresses: the registers of an address expression taken out of it,
 * leaving the part the evaluator can give a value (`[ebx+esi*4+label+8]` gives
 * ebx, esi×4 and `label+8`).
 */
import type { Register } from '../encoder/registers.js';
import { constantValue, isPlainNumber, type Value } from '../core/value.js';
import { dependsOnLayout, evaluate, EvalError, someLeaf, type EvalEnv } from '../core/expressions.js';
import { registerSum } from '../core/register-terms.js';
import type { Expr } from '../parse/ast.js';

/** A memory address split into its register terms and the rest. */
export interface SplitAddress {
  /**
   * `multiplied`: written with a `*` (`ebx*1`), which changes nasm's choice of base; `bare`: written
   * alone at least once (`edx+edx` is then base+index even under `nosplit`, `edx*2` is not).
   */
  registers: Array<{ reg: Register; scale: number; multiplied: boolean; bare: boolean }>;
  /** The non-register part, or null if there is none. */
  rest: Expr | null;
  /** Errors nasm reports and goes on from (`[ebx&1]` is [0] after the `&' error). */
  reported?: string[];
}

/**
 * Takes the registers out of an address expression: `ebx+esi*4+label+8` gives
 * ebx×1, esi×4 and `label+8`. Registers may be added, subtracted (NASM rejects
 * negative scales later) and multiplied by constants.
 */
export function splitAddress(expr: Expr, scalarSymbol: ScalarSymbol = () => null): SplitAddress {
  // `[ebx + sym wrt ..gotoff]` parses as `(ebx + sym) wrt ..gotoff`: the WRT applies to the non-register part.
  if (expr.kind === 'binary' && expr.op === 'wrt' && containsRegister(expr.left)) {
    const inner = splitAddress(expr.left, scalarSymbol);
    const rest: Expr = {
      kind: 'binary',
      op: 'wrt',
      left: inner.rest ?? { kind: 'number', value: 0n },
      right: expr.right,
    };
    return { registers: inner.registers, rest };
  }
  const registers: SplitAddress['registers'] = [];
  const restTerms: Array<{ expr: Expr; negative: boolean }> = [];
  const reported: string[] = [];

  const addRegister = (reg: Register, scale: number, multiplied = false): void => {
    const existing = registers.find((r) => r.reg === reg);
    if (existing) {
      existing.scale += scale;
      existing.multiplied ||= multiplied;
      existing.bare ||= !multiplied;
    } else registers.push({ reg, scale, multiplied, bare: !multiplied });
  };

  // `sign` is the constant factor the term is multiplied by: nasm distributes a constant over a
  // parenthesised sum (`[esi + (ecx - 1) * 4]` is esi + ecx*4 - 4).
  const walk = (e: Expr, sign: number): void => {
    if (e.kind === 'register') {
      addRegister(e.reg, sign, Math.abs(sign) !== 1);
      return;
    }
    if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
      if (containsRegister(e)) {
        walk(e.left, sign);
        walk(e.right, e.op === '+' ? sign : -sign);
        return;
      }
    }
    if (e.kind === 'binary' && e.op === '*' && containsRegister(e)) {
      const [regSide, constSide] = containsRegister(e.left) ? [e.left, e.right] : [e.right, e.left];
      if (!containsRegister(constSide)) {
        const factor = constantOf(constSide, scalarSymbol);
        // A register times a label or a symbol not known yet (nasm's pass 1 message, measured).
        if (factor === null) throw new EvalError('unable to multiply two non-scalar objects');
        if (regSide.kind === 'register') addRegister(regSide.reg, sign * factor, true);
        else walk(regSide, sign * factor);
        return;
      }
    }
    if (e.kind === 'unary' && e.op === '+') {
      walk(e.operand, sign);
      return;
    }
    if (e.kind === 'unary' && e.op === '-' && containsRegister(e.operand)) {
      walk(e.operand, -sign);
      return;
    }
    if (containsRegister(e)) {
      // Registers under another operator: nasm still sums them (`[ebx==1]` is [0]; `[(ebx+4)<<1]`
      // is [ebx+4] after the shift's error); an operator that cannot take one is its error.
      const sum = registerSum(e, scalarEnv(scalarSymbol));
      reported.push(...sum.reported);
      for (const [reg, coefficient] of sum.registers) addRegister(reg, sign * Number(coefficient), coefficient !== 1n);
      pushRest(sum.rest, sign);
      return;
    }
    pushRest(e, sign);
  };
  const pushRest = (e: Expr, sign: number): void => {
    const magnitude = Math.abs(sign);
    const scaled: Expr =
      magnitude === 1 ? e : { kind: 'binary', op: '*', left: e, right: { kind: 'number', value: BigInt(magnitude) } };
    restTerms.push({ expr: scaled, negative: sign < 0 });
  };
  walk(expr, 1);
  let rest: Expr | null = null;
  for (const term of restTerms) {
    if (rest === null) {
      rest = term.negative ? { kind: 'unary', op: '-', operand: term.expr } : term.expr;
    } else {
      rest = { kind: 'binary', op: term.negative ? '-' : '+', left: rest, right: term.expr };
    }
  }
  const split: SplitAddress = { registers: withCancelledRegisters(registers), rest };
  if (reported.length > 0) split.reported = reported;
  return split;
}

type RegisterTerm = SplitAddress['registers'][number];

/**
 * Registers that cancel out (`[eax+ecx+ebx-eax]`) leave nasm 2.16.01's evaluator with the others
 * in its register order, which is alphabetical by name (`ebx` before `ecx`, `r10` before `r9`
 * before `rax`), and the first register written is its pick for the base. So when that first
 * register cancelled out, the rest come in name order; otherwise in written order (measured).
 */
function withCancelledRegisters(registers: RegisterTerm[]): RegisterTerm[] {
  if (!registers.some((r) => r.scale === 0)) return registers;
  const kept = registers.filter((r) => r.scale !== 0);
  if (registers[0]!.scale !== 0) return kept;
  return kept.sort((a, b) => (a.reg.name < b.reg.name ? -1 : a.reg.name > b.reg.name ? 1 : 0));
}

function containsRegister(e: Expr): boolean {
  return someLeaf(e, isRegisterLeaf);
}

export const isRegisterLeaf = (leaf: { kind: string }): boolean => leaf.kind === 'register';
const isHereLeaf = (leaf: { kind: string }): boolean => leaf.kind === 'here' || leaf.kind === 'sectionStart';

/** A symbol's value when it is a plain number already (`x equ 4` before `[ecx*x]`), else null. */
export type ScalarSymbol = (name: string) => Value | null;

/** Where a register's factor is worked out: symbols that are plain numbers already, no `$`. */
function scalarEnv(scalarSymbol: ScalarSymbol): EvalEnv {
  return { symbolValue: scalarSymbol, here: constantValue(0), sectionStart: constantValue(0) };
}

/** The value of a constant expression (its symbols plain numbers already), or null. */
function constantOf(e: Expr, scalarSymbol: ScalarSymbol): number | null {
  if (someLeaf(e, isHereLeaf)) return null;
  try {
    const v = evaluate(e, scalarEnv(scalarSymbol));
    return isPlainNumber(v) ? Number(v.offset) : null;
  } catch {
    return null;
  }
}

/**
 * The constant term nasm's evaluator keeps for a sub-expression, or null when there is none (a
 * register alone). A symbol (or `$`, `$$`) whose offset is not known yet is kept by name with
 * its coefficient: only such a symbol taken from itself is known to give 0.
 */
interface ConstantTerm {
  constant: bigint;
  symbols: Map<string, bigint>;
}

function isZero(t: ConstantTerm): boolean {
  return t.constant === 0n && [...t.symbols.values()].every((c) => c === 0n);
}

function combine(a: ConstantTerm, b: ConstantTerm, factor: bigint): ConstantTerm {
  const symbols = new Map(a.symbols);
  for (const [name, c] of b.symbols) symbols.set(name, (symbols.get(name) ?? 0n) + factor * c);
  return { constant: a.constant + factor * b.constant, symbols };
}

const NO_SYMBOLS: ReadonlyMap<string, bigint> = new Map();

/**
 * Whether evaluating the address adds two constant terms with a non-zero sum anywhere in it
 * (`4 + 1`, `X + 4` with X not -4, `(5 - 1)`; not `4 - 4`, not `2 * 2`). Measured with nasm
 * 2.16.01: a symbol always brings a constant term (its offset: an EQU of 0 and a label at offset 0
 * too), a number even when 0. `leafOffset` gives a symbol's (or `$`'s) offset when it is known.
 */
export function mergesConstants(expr: Expr, leafOffset: (leaf: Expr) => bigint | null): boolean {
  let merged = false;
  const symbolic = (leaf: Expr, name: string): ConstantTerm => {
    const offset = leafOffset(leaf);
    return offset === null
      ? { constant: 0n, symbols: new Map([[name, 1n]]) }
      : { constant: offset, symbols: new Map() };
  };
  const term = (e: Expr): ConstantTerm | null => {
    switch (e.kind) {
      case 'number':
        return { constant: e.value, symbols: new Map(NO_SYMBOLS) };
      case 'register':
        return null;
      case 'symbol':
        return symbolic(e, e.name);
      case 'here':
        return symbolic(e, '$');
      case 'sectionStart':
        return symbolic(e, '$$');
      case 'unary': {
        const t = term(e.operand);
        if (t === null || e.op === '+') return t;
        if (e.op === '-') return combine({ constant: 0n, symbols: new Map() }, t, -1n);
        return opaque(e, t);
      }
      case 'binary': {
        const left = term(e.left);
        const right = term(e.right);
        if (e.op === '+' || e.op === '-') {
          const factor = e.op === '+' ? 1n : -1n;
          if (left === null || right === null)
            return right === null ? left : combine({ constant: 0n, symbols: new Map() }, right, factor);
          const sum = combine(left, right, factor);
          if (isZero(sum)) return null;
          merged = true;
          return sum;
        }
        // A register times a constant (`r11*1`) scales the register's vector: no constant term.
        if (left === null || right === null) return null;
        return opaque(e, left, right);
      }
    }
  };
  term(expr);
  return merged;
}

/** Any other operator: a known number when its operands are numbers, else an unknown symbolic value. */
function opaque(e: Expr, ...operands: ConstantTerm[]): ConstantTerm {
  const value = operands.every((t) => t.symbols.size === 0) && !dependsOnLayout(e) ? constantOf(e, () => null) : null;
  return value === null
    ? { constant: 0n, symbols: new Map([['?', 1n]]) }
    : { constant: BigInt(value), symbols: new Map() };
}

/**
 * Whether base and index may follow nasm's register order rather than the written order: only an
 * address with two unscaled registers can tell (see mergesConstants).
 */
export function registerOrderMayChange(registers: SplitAddress['registers']): boolean {
  return registers.filter((r) => r.scale === 1).length >= 2;
}

/**
 * nasm forgets which register was written first once its evaluator has added two constant terms
 * (see mergesConstants): base and index then follow its register order, which is alphabetical by
 * name, and `reg*1` no longer marks an index (measured with nasm 2.16.01: `[r9 + r11 - (5-1)]`
 * is base r11, `[r9 + r11 - 4]` base r9; found in intel/isa-l).
 */
export function inNasmRegisterOrder<T extends SplitAddress['registers'][number]>(registers: readonly T[]): T[] {
  return [...registers]
    .sort((a, b) => (a.reg.name < b.reg.name ? -1 : a.reg.name > b.reg.name ? 1 : 0))
    .map((r) => ({ ...r, multiplied: false }));
}
