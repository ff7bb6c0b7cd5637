/**
 * Shared expression leaves and register operands. Every statement keeps its
 * operand trees for all passes, and most leaves repeat: the same registers,
 * the same label names, the same small numbers. Trees are never modified
 * after parsing (the assembler evaluates them, it does not annotate them), so
 * one object per distinct leaf serves every statement: less memory kept, less
 * for the garbage collector to copy, and numbers are read once.
 *
 * The tables hold values only (a name, a number's text, a register), never
 * anything of one assembly, and are emptied when they grow large, so a long
 * run in one process (tests, the playground) cannot grow them without bound.
 */
import type { DataItem, Expr, ImmediateOperandAst, RegisterOperandAst } from '../src/parse/ast.js';
import type { Register } from '../src/encoder/registers.js';
import { isInstructionPrefix } from '../src/encoder/index.js';

/** Entries kept per table before it is emptied and starts again. */
const LIMIT = 1 << 16;

function remember<K, V>(table: Map<K, V>, key: K, value: V): V {
  if (table.size >= LIMIT) table.clear();
  table.set(key, value);
  return value;
}

const symbols = new Map<string, Expr>();
/**
 * `times` and the instruction prefixes (`lock`, `rep`, `o16`, `a32`, `bnd`, `wait` …) in any case:
 * nasm's scanner reads them as keywords, never as names, so no expression may hold them
 * (`mov eax, nobnd` is an expression syntax error, measured). Mnemonics are names there.
 */
export function isPrefixKeyword(image: string): boolean {
  if (image.length < 3 || image.length > 8) return false;
  return isInstructionPrefix(image) || image.toLowerCase() === 'times';
}

/** `{ kind: 'symbol', name }` for a (qualified) symbol name. */
export function symbolLeaf(name: string): Expr {
  return symbols.get(name) ?? remember(symbols, name, { kind: 'symbol', name });
}

const registers = new Map<Register, Expr>();
/** `{ kind: 'register', reg }`. */
export function registerLeaf(reg: Register): Expr {
  return registers.get(reg) ?? remember(registers, reg, { kind: 'register', reg });
}

const registerOperands = new Map<Register, RegisterOperandAst>();
/** A register operand with no size, no `to` and no decorators (`eax` in `mov eax, 1`). */
export function plainRegisterOperand(reg: Register): RegisterOperandAst {
  return registerOperands.get(reg) ?? remember(registerOperands, reg, { kind: 'reg', reg, size: null, to: false });
}

const numbers = new Map<string, Expr>();
/** The tree of a number token, by its text: `read` parses it the first time (and may throw: nothing is kept then). */
export function numberLeaf(image: string, read: (image: string) => Expr): Expr {
  return numbers.get(image) ?? remember(numbers, image, read(image));
}

export const HERE: Expr = { kind: 'here' };
export const SECTION_START: Expr = { kind: 'sectionStart' };

/** Leaves that are themselves shared (above), so a table keyed by them stays small. */
function isSharedLeaf(expr: Expr): boolean {
  return expr.kind === 'symbol' || expr.kind === 'number' || expr === HERE || expr === SECTION_START;
}

const immediates = new Map<Expr, ImmediateOperandAst>();
/** An immediate operand with nothing but its value (`call f_4`, `mov eax, 5`): shared when the value is a shared leaf. */
export function plainImmediate(expr: Expr): ImmediateOperandAst {
  const known = immediates.get(expr);
  if (known !== undefined) return known;
  const operand: ImmediateOperandAst = {
    kind: 'imm',
    expr,
    size: null,
    strict: false,
    distance: null,
    farSegment: null,
    to: false,
  };
  return isSharedLeaf(expr) ? remember(immediates, expr, operand) : operand;
}

const exprItems = new Map<Expr, DataItem>();
/** A data item holding an expression: shared when the expression is a shared leaf. */
export function exprItem(expr: Expr): DataItem {
  const known = exprItems.get(expr);
  if (known !== undefined) return known;
  const item: DataItem = { kind: 'expr', expr };
  return isSharedLeaf(expr) ? remember(exprItems, expr, item) : item;
}

const numberItems = new Map<string, DataItem>();
/** The data item of a number token (`db 0`), by its text, in one look-up: `read` as for numberLeaf. */
export function numberItem(image: string, read: (image: string) => Expr): DataItem {
  return numberItems.get(image) ?? remember(numberItems, image, exprItem(numberLeaf(image, read)));
}

const stringItems = new Map<string, DataItem>();
/** A string data item by the token's text (the assembler copies the bytes out, it never writes them). */
export function stringItem(image: string, bytes: (image: string) => Uint8Array): DataItem {
  return stringItems.get(image) ?? remember(stringItems, image, { kind: 'string', bytes: bytes(image) });
}

/** The prefixes of an instruction that has none (most): one array for all, never written to. */
export const NO_PREFIXES: string[] = [];

/**
 * nasm's `disp[regs]` form (`4[ebx]`, `x[ebx+2]`, `dword ptr [eax]`): the expression written
 * before the brackets is added to the address inside them. It goes after the inside so the
 * registers written inside keep nasm's choice of base (`ebx[ecx]` is base ecx, index ebx:
 * measured), and inside a `wrt` so `4[ebx+x wrt ..gotoff]` stays one relocated displacement.
 */
export function withPrefixDisplacement(address: Expr | null, written: Expr): Expr {
  const prefix = registersInNasmOrder(written);
  if (address === null) return prefix; // MPX's `4[, ecx]`
  if (address.kind === 'binary' && address.op === 'wrt') {
    return { ...address, left: { kind: 'binary', op: '+', left: address.left, right: prefix } };
  }
  return { kind: 'binary', op: '+', left: address, right: prefix };
}

/** The one register a term mentions (`ecx`, `ecx*2`, `4*ecx`), null for none; undefined for more than one. */
function termRegister(expr: Expr): Register | null | undefined {
  switch (expr.kind) {
    case 'register':
      return expr.reg;
    case 'binary': {
      const left = termRegister(expr.left);
      const right = termRegister(expr.right);
      if (left === undefined || right === undefined || (left !== null && right !== null)) return undefined;
      return left ?? right;
    }
    case 'unary':
      return termRegister(expr.operand);
    default:
      return null;
  }
}

/** The terms of a sum as written, with their signs (`a-b+c`: +a, -b, +c). */
function sumTerms(expr: Expr, negative: boolean, into: Array<{ term: Expr; negative: boolean }>): void {
  if (expr.kind === 'binary' && (expr.op === '+' || expr.op === '-')) {
    sumTerms(expr.left, negative, into);
    sumTerms(expr.right, expr.op === '-' ? !negative : negative, into);
  } else {
    into.push({ term: expr, negative });
  }
}

/**
 * The registers of a displacement written before the brackets (`ecx+ebx[0]`), in nasm's order.
 * nasm evaluates that part as an ordinary expression, whose terms its evaluator keeps sorted by
 * register (alphabetically by name: `ecx+ebx[0]` and `ebx+ecx[0]` are both base ebx, index ecx;
 * `rax+r8[0]` is base r8: measured), so the first register in that order is the base; inside
 * the brackets the written order stands. Other terms keep their place after the registers.
 */
function registersInNasmOrder(prefix: Expr): Expr {
  if (prefix.kind !== 'binary' || (prefix.op !== '+' && prefix.op !== '-')) return prefix;
  const terms: Array<{ term: Expr; negative: boolean }> = [];
  sumTerms(prefix, false, terms);
  const registers = terms.map((t) => termRegister(t.term));
  if (registers.some((r) => r === undefined) || registers.filter((r) => r !== null).length < 2) return prefix;
  const order = terms.map((t, i) => ({ ...t, reg: registers[i] ?? null }));
  const nameOf = (r: Register | null): string => (r === null ? '\uffff' : r.name);
  order.sort((a, b) => (nameOf(a.reg) < nameOf(b.reg) ? -1 : nameOf(a.reg) > nameOf(b.reg) ? 1 : 0));
  let sum: Expr | null = null;
  for (const { term, negative } of order) {
    if (sum === null) sum = negative ? { kind: 'unary', op: '-', operand: term } : term;
    else sum = { kind: 'binary', op: negative ? '-' : '+', left: sum, right: term };
  }
  return sum ?? prefix;
}
