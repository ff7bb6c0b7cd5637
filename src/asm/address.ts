/**
 * Memory addresses: the registers of an address expression taken out of it,
 * leaving the part the evaluator can give a value (`[ebx+esi*4+label+8]` gives
 * ebx, esi×4 and `label+8`).
 */
import type { Register } from '../encoder/registers.js';
import { constantValue } from '../core/value.js';
import { dependsOnLayout, evaluate, EvalError, someLeaf } from '../core/expressions.js';
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
}

/**
 * Takes the registers out of an address expression: `ebx+esi*4+label+8` gives
 * ebx×1, esi×4 and `label+8`. Registers may be added, subtracted (NASM rejects
 * negative scales later) and multiplied by constants.
 */
export function splitAddress(expr: Expr): SplitAddress {
  // `[ebx + sym wrt ..gotoff]` parses as `(ebx + sym) wrt ..gotoff`: the WRT applies to the non-register part.
  if (expr.kind === 'binary' && expr.op === 'wrt' && containsRegister(expr.left)) {
    const inner = splitAddress(expr.left);
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
        const factor = constantOf(constSide);
        if (factor === null) throw new EvalError('invalid effective address: impossible segment base multiplier');
        if (regSide.kind === 'register') addRegister(regSide.reg, sign * factor, true);
        else walk(regSide, sign * factor);
        return;
      }
      throw new EvalError('invalid effective address');
    }
    if (e.kind === 'unary' && e.op === '+') {
      walk(e.operand, sign);
      return;
    }
    if (e.kind === 'unary' && e.op === '-' && containsRegister(e.operand)) {
      walk(e.operand, -sign);
      return;
    }
    if (containsRegister(e)) throw new EvalError('invalid effective address');
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
  return { registers: withCancelledRegisters(registers), rest };
}

type RegisterTerm = SplitAddress['registers'][number];

/**
 * Registers that cancel out (`[eax+ecx+ebx-eax]`) still take a place in nasm 2.16.01's choice of
 * base and index (measured): in written order, the first register takes the base slot, the next
 * the index slot, and a later one replaces a base that cancelled out; cancelled ones then go.
 */
function withCancelledRegisters(registers: RegisterTerm[]): RegisterTerm[] {
  if (!registers.some((r) => r.scale === 0)) return registers;
  let base: RegisterTerm | null = null;
  let index: RegisterTerm | null = null;
  const extra: RegisterTerm[] = [];
  for (const r of registers) {
    if (base === null) base = r;
    else if (index === null) index = r;
    else if (base.scale === 0) base = r;
    else if (r.scale !== 0) extra.push(r);
  }
  return [base, index, ...extra].filter((r): r is RegisterTerm => r !== null && r.scale !== 0);
}

function containsRegister(e: Expr): boolean {
  return someLeaf(e, (leaf) => leaf.kind === 'register');
}

/** The value of a constant expression with no symbols, or null. */
function constantOf(e: Expr): number | null {
  if (dependsOnLayout(e)) return null;
  try {
    const v = evaluate(e, { symbolValue: () => null, here: constantValue(0), sectionStart: constantValue(0) });
    return Number(v.offset);
  } catch {
    return null;
  }
}
