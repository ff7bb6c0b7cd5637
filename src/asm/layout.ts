/**
 * Layout dependence: which statements can change size when code moves, and
 * the flat layout model (relax.ts) that settles jumps without running every
 * NASM pass in full. See relax.ts for the algorithm and why it is exact.
 */
import { evaluate, someLeaf, dependsOnLayout, type EvalEnv } from '../core/expressions.js';
import { constantValue, isCriticalNumber, makeValue, type Value } from '../core/value.js';
import { encodeInstruction } from '../encoder/index.js';
import type { EncodeContext, Operand } from '../encoder/types.js';
import type { Expr, OperandAst, SmartalignFill, StatementBody } from '../parse/ast.js';
import type { AssemblyContext } from './context.js';
import { LayoutDependence } from './memos.js';
import { ItemKind, settleLayout, type LayoutModel, type RelaxDirection } from './relax.js';
import { fillPieces, fillSize, padAt } from './smartalign.js';
import type { SymbolEntry } from './symbols.js';

type InstructionBody = Extract<StatementBody, { kind: 'instruction' }>;

/** Where each statement was in the last pass: section index (-1 in absolute space), start and size. */
export interface StatementPlaces {
  section: Int32Array;
  start: Float64Array;
  size: Float64Array;
}

/** What settling on the model did, for PassReport.relaxation. */
export interface Relaxation {
  afterPass: number;
  replayedPasses: number;
  direction: RelaxDirection | null;
  jumpsChanged: number;
}

export function operandDependsOnLayout(op: OperandAst): boolean {
  if (op.kind === 'imm') return dependsOnLayout(op.expr) || (op.farSegment !== null && dependsOnLayout(op.farSegment));
  // A mib index (`[ebx, ecx+x]`) is judged again while x is not known (preparedMemory).
  if (op.kind === 'mem')
    return (
      (op.address !== null && dependsOnLayout(op.address)) || (op.splitIndex != null && dependsOnLayout(op.splitIndex))
    );
  return false;
}

/** True for expressions made only of numbers, `$` and `$$` (alignment padding). */
function positionOnly(expr: Expr): boolean {
  return !someLeaf(expr, isSymbolOrRegister);
}

const isSymbolOrRegister = (leaf: { kind: string }): boolean => leaf.kind === 'symbol' || leaf.kind === 'register';

/** What we know about a statement's layout dependence before any pass. */
export function staticLayoutDependence(ctx: AssemblyContext, body: StatementBody): LayoutDependence {
  switch (body.kind) {
    case 'directive':
      return LayoutDependence.Fixed;
    case 'reserve':
      if (!layoutDerived(ctx, body.count)) return LayoutDependence.Fixed;
      return positionOnly(body.count) ? LayoutDependence.PositionDependent : LayoutDependence.Unsafe;
    case 'times': {
      if (body.body.kind === 'instruction' && body.body.operands.some(operandDependsOnLayout))
        return LayoutDependence.Unsafe;
      if (staticLayoutDependence(ctx, body.body) !== LayoutDependence.Fixed) return LayoutDependence.Unsafe;
      if (!layoutDerived(ctx, body.count)) return LayoutDependence.Fixed;
      return positionOnly(body.count) && body.body.kind !== 'reserve'
        ? LayoutDependence.PositionDependent
        : LayoutDependence.Unsafe;
    }
    case 'smartalign':
      return layoutDerived(ctx, body.alignment) || layoutDerived(ctx, body.threshold)
        ? LayoutDependence.Unsafe
        : LayoutDependence.PositionDependent;
    case 'data':
      // `(end - start) dup (…)`: the line's size follows the layout.
      return body.items.some((item) => item.kind === 'dup' && layoutDerived(ctx, item.count))
        ? LayoutDependence.Unsafe
        : LayoutDependence.Fixed;
    case 'instruction':
      // Decided from operand values once they are known (instructionLayoutDependence).
      return body.operands.some(operandDependsOnLayout) ? LayoutDependence.Unsafe : LayoutDependence.Fixed;
    default:
      return LayoutDependence.Fixed;
  }
}

/** True when an expression's plain value can change when code moves ($, labels, EQUs of them). */
function layoutDerived(ctx: AssemblyContext, expr: Expr, depth = 0): boolean {
  switch (expr.kind) {
    case 'number':
    case 'register':
      return false;
    case 'here':
    case 'sectionStart':
      return true;
    case 'unary':
      return layoutDerived(ctx, expr.operand, depth);
    case 'binary':
      return layoutDerived(ctx, expr.left, depth) || layoutDerived(ctx, expr.right, depth);
    case 'symbol':
      return symbolLayoutDerived(ctx, expr.name, depth);
  }
}

function symbolLayoutDerived(ctx: AssemblyContext, name: string, depth: number): boolean {
  if (ctx.labelNames.has(name)) return true;
  const definition = ctx.equDefinitions.get(name);
  if (definition === undefined) return false; // extern, common or undefined: never a layout number
  const cached = ctx.layoutDerivedCache.get(name);
  if (cached !== undefined) return cached;
  if (depth > 64) return true; // deep or circular EQU chains: assume the worst
  ctx.layoutDerivedCache.set(name, true); // guards against cycles while computing
  const derived = layoutDerived(ctx, definition, depth + 1);
  ctx.layoutDerivedCache.set(name, derived);
  return derived;
}

/**
 * Classifies an instruction from the operand values of this pass. Relocatable
 * values always take full-size fields, so only plain numbers computed from
 * layout, and branches to the section being assembled, can change size.
 */
export function instructionLayoutDependence(
  ctx: AssemblyContext,
  body: InstructionBody,
  operands: Operand[],
  index: number,
  encodeCtx: EncodeContext,
  size: number,
): LayoutDependence {
  const branchOperand = findBranchOperand(ctx, body, operands);
  if (branchOperand === 'unsafe') return LayoutDependence.Unsafe;
  if (branchOperand < 0) return LayoutDependence.Fixed;
  const sizes = (ctx.memos.branch[index] ??= cachedBranchSizes(body, operands, branchOperand, encodeCtx));
  if (sizes.short === sizes.near || sizes.short < 0 || sizes.near < 0) {
    // One size only (a call, or LOOP/JCXZ with no near form: out of reach is an error, not a bigger jump).
    return size === Math.max(sizes.short, sizes.near) ? LayoutDependence.Fixed : LayoutDependence.Unsafe;
  }
  const ast = body.operands[branchOperand]!;
  const target = operands.length === 1 && ast.kind === 'imm' ? jumpTarget(ast.expr) : null;
  if (target === null || !ctx.labelNames.has(target.name) || (size !== sizes.short && size !== sizes.near))
    return LayoutDependence.Unsafe;
  ctx.memos.branch[index] = { short: sizes.short, near: sizes.near, target: target.name, addend: target.addend };
  return LayoutDependence.Jump;
}

/** The operand that is a branch into the current section (-1: none; 'unsafe': a value layout can change). */
function findBranchOperand(ctx: AssemblyContext, body: InstructionBody, operands: Operand[]): number | 'unsafe' {
  let branchOperand = -1;
  for (let i = 0; i < operands.length; i++) {
    const op = operands[i]!;
    const ast = body.operands[i]!;
    let kind: ValueKind = 'other';
    if (op.kind === 'imm' && ast.kind === 'imm') {
      kind = valueKind(ctx, op.value, ast.expr, op.farSegment === null);
      if (kind !== 'unsafe' && op.farSegment) {
        const segmentKind = valueKind(ctx, op.farSegment, ast.farSegment, false);
        if (segmentKind === 'unsafe') kind = 'unsafe';
      }
    } else if (op.kind === 'mem' && ast.kind === 'mem') {
      kind = valueKind(ctx, op.displacement, ctx.preparedMemory.get(ast)?.rest ?? null, false);
    }
    if (kind === 'unsafe') return 'unsafe';
    if (kind === 'branch') branchOperand = i;
  }
  return branchOperand;
}

type ValueKind = 'unsafe' | 'branch' | 'other';

/**
 * What one operand value means for layout: 'unsafe' when layout can change it (unknown, self-relative,
 * a number computed from labels), 'branch' for a plain target in the current section where the
 * operand can be a branch target, else 'other'.
 */
function valueKind(ctx: AssemblyContext, value: Value, expr: Expr | null, canBranch: boolean): ValueKind {
  if (value.unknown || (value.minusBase ?? null) !== null) return 'unsafe';
  if (value.base === null && !value.segmentOf && value.wrt === null)
    return expr !== null && layoutDerived(ctx, expr) ? 'unsafe' : 'other';
  // A scaled address (`x*2`) is a number to a branch: always the near form, never a jump to settle.
  const inThisSection =
    value.base === ctx.stream.current.segment && value.wrt === null && !value.segmentOf && value.scaled !== true;
  return canBranch && inThisSection ? 'branch' : 'other';
}

/** `label`, `label + n` or `label - n` with a small n: the jump targets relaxation understands. */
function jumpTarget(expr: Expr): { name: string; addend: number } | null {
  if (expr.kind === 'symbol') return { name: expr.name, addend: 0 };
  if (
    expr.kind === 'binary' &&
    (expr.op === '+' || expr.op === '-') &&
    expr.left.kind === 'symbol' &&
    expr.right.kind === 'number'
  ) {
    const n = Number(expr.right.value) * (expr.op === '-' ? -1 : 1);
    return Math.abs(n) <= 16 ? { name: expr.left.name, addend: n } : null;
  }
  return null;
}

/**
 * Everything in the encoder's context but the offset. Written field by field (a reflective
 * Object.entries key cost more than the probes it saved); MODE_KEYED makes the compiler refuse a
 * setting added to EncodeContext later until it is part of the key.
 */
export function modeKey(c: EncodeContext): string {
  return `${c.bits},${c.segment},${c.optimize},${c.cpu},${c.defaultRel},${c.defaultBnd}`;
}

/** The fields modeKey writes (and the offset, which it leaves out on purpose). */
export const MODE_KEYED: Record<keyof EncodeContext, true> = {
  bits: true,
  segment: true,
  offset: true,
  optimize: true,
  cpu: true,
  defaultRel: true,
  defaultBnd: true,
};

/**
 * Branch sizes by everything they depend on for a one-operand branch (mnemonic, prefixes, the
 * operand's keywords, the mode): a file has thousands of `jnz .label` and two probes each cost
 * two encodings. Other shapes are probed every time.
 */
const BRANCH_SIZES = new Map<string, { short: number; near: number }>();

function cachedBranchSizes(
  body: InstructionBody,
  operands: Operand[],
  branchOperand: number,
  encodeCtx: EncodeContext,
): { short: number; near: number } {
  const op = operands[0]!;
  if (operands.length !== 1 || op.kind !== 'imm' || op.decorators !== undefined)
    return probeBranchSizes(body, operands, branchOperand, encodeCtx);
  const text = `${modeKey(encodeCtx)}|${body.mnemonic}|${body.prefixes.join(' ')}|${op.size}|${op.strict}|${op.distance}|${op.to}`;
  let sizes = BRANCH_SIZES.get(text);
  if (sizes === undefined) {
    sizes = probeBranchSizes(body, operands, branchOperand, encodeCtx);
    BRANCH_SIZES.set(text, sizes);
  }
  return sizes;
}

/** Encodes a same-section branch with its target next to it and far away; -1 marks a form that cannot be encoded. */
function probeBranchSizes(
  body: InstructionBody,
  operands: Operand[],
  branchOperand: number,
  encodeCtx: EncodeContext,
): { short: number; near: number } {
  const sizeAt = (distance: bigint): number => {
    const probe = operands.slice();
    const op = probe[branchOperand]!;
    if (op.kind !== 'imm') return -1;
    probe[branchOperand] = { ...op, value: { ...op.value, offset: encodeCtx.offset + distance } };
    const r = encodeInstruction({ mnemonic: body.mnemonic, prefixes: body.prefixes, operands: probe }, encodeCtx);
    return r.ok && !r.finalPassError ? r.bytes.length : -1;
  };
  return { short: sizeAt(0n), near: sizeAt(0x4000n) };
}

/**
 * After a pass that still moved labels: if every size that depends on
 * layout belongs to a jump or to position-only padding (`align`), the rest
 * of NASM's passes are replayed on a flat model of the layout
 * (settleLayout in relax.ts), which is hundreds of times cheaper per pass and
 * finishes with the linear worklist once sizes move one way only. The labels
 * get the settled values and the normal passes resume (and confirm them).
 * Returns null when the model does not apply; `settled` false when it ran
 * out of passes (NASM's "stabilized too late").
 */
export function trySettling(
  ctx: AssemblyContext,
  places: StatementPlaces,
  afterPass: number,
  lastPass: 'grow' | 'shrink' | 'mixed',
): { settled: boolean; relaxation: Relaxation } | null {
  // Most files that cannot use the model say so early: check before allocating it.
  if (ctx.memos.layout.subarray(0, ctx.memos.length).includes(LayoutDependence.Unsafe)) return null;
  const model = buildModel(ctx, places);
  if (model === null) return null;
  const labels = labelsInSections(ctx, places);
  if (labels === null) return null;
  const maxPasses = (ctx.options.maxPasses ?? 1000) - afterPass;
  const result = settleLayout(model, maxPasses, lastPass);
  if (!result.modelled) return null;
  for (const s of labels) s.value = { ...s.value!, offset: BigInt(model.start[s.definedStatement]!) };
  const relaxation = {
    afterPass,
    replayedPasses: result.passes,
    direction: result.worklist,
    jumpsChanged: result.jumpsChanged,
  };
  return { settled: result.settled, relaxation };
}

/** The flat model of the last pass's layout, or null when a statement is of a kind it does not model. */
function buildModel(ctx: AssemblyContext, places: StatementPlaces): LayoutModel | null {
  const count = ctx.statements.length;
  const model: LayoutModel = {
    section: places.section.slice(),
    size: Int32Array.from(places.size),
    start: places.start.slice(),
    kind: new Uint8Array(count),
    target: new Int32Array(count),
    addend: new Int32Array(count),
    shortSize: new Int32Array(count),
    nearSize: new Int32Array(count),
    sizeAt: [],
    sectionCount: ctx.stream.sections.length,
  };
  for (let i = 0; i < count; i++) {
    const layout = ctx.memos.layout[i];
    if (layout === LayoutDependence.Jump) {
      const jump = ctx.memos.branch[i];
      if (jump?.target === undefined) return null;
      const target = ctx.symbols.get(jump.target);
      const section = places.section[i]!;
      if (!target || target.kind !== 'label' || target.definedStatement < 0 || section < 0) return null;
      if (places.section[target.definedStatement] !== section) return null;
      model.kind[i] = ItemKind.Jump;
      model.target[i] = target.definedStatement;
      model.addend[i] = jump.addend ?? 0;
      model.shortSize[i] = jump.short;
      model.nearSize[i] = jump.near;
    } else if (layout === LayoutDependence.PositionDependent) {
      const sizeAt = positionSizeFunction(ctx, places, i);
      if (sizeAt === null) return null;
      model.kind[i] = ItemKind.PositionDependent;
      model.sizeAt[i] = sizeAt;
    }
  }
  return model;
}

/**
 * The labels placed in sections, when the recorded layout is the one they
 * have now; null otherwise (a case this code does not model).
 */
function labelsInSections(ctx: AssemblyContext, places: StatementPlaces): SymbolEntry[] | null {
  const labels = [...ctx.symbols.values()].filter(
    (s) => s.kind === 'label' && s.definedStatement >= 0 && places.section[s.definedStatement]! >= 0,
  );
  for (const s of labels) {
    const section = ctx.stream.sections[places.section[s.definedStatement]!]!;
    if (
      s.value === null ||
      s.value.base !== section.segment ||
      Number(s.value.offset) !== places.start[s.definedStatement]
    )
      return null;
  }
  return labels;
}

/**
 * Size of a position-dependent statement (`times N-($-$$)`-style count, or
 * `resb` of one) as a function of its start offset, for the layout model.
 * Null when the repeated unit's size is not known.
 */
function positionSizeFunction(
  ctx: AssemblyContext,
  places: StatementPlaces,
  index: number,
): ((start: number) => number) | null {
  const body = ctx.statements[index]!.body;
  const section = ctx.stream.sections[places.section[index]!];
  if (!section) return null;
  if (body.kind === 'smartalign') return smartalignSizeFunction(ctx, body);
  let countExpr: Expr;
  let unit: number;
  if (body.kind === 'times') {
    countExpr = body.count;
    unit = body.body.kind === 'reserve' ? -1 : ctx.memos.fixedSize[index]!;
  } else if (body.kind === 'reserve') {
    countExpr = body.count;
    unit = body.unitSize;
  } else {
    return null;
  }
  if (unit < 0) return null;
  const segment = section.segment;
  const env: EvalEnv = {
    symbolValue: () => null,
    here: constantValue(0),
    sectionStart: makeValue(0n, segment, false, null, false),
  };
  const sizeAt = (start: number): number => {
    env.here = makeValue(BigInt(start), segment, false, null, false);
    try {
      const v = evaluate(countExpr, env);
      if (!isCriticalNumber(v) || v.offset < 0n) return -1;
      return Number(v.offset) * unit;
    } catch {
      return -1;
    }
  };
  const period = positionPeriod(countExpr);
  if (period === null) return sizeAt;
  // `align`: the count sees `$` only as `($-$$) % K`, so it is a function of start % K: a table of K sizes.
  const table = new Int32Array(period).fill(UNCOMPUTED);
  return (start: number): number => {
    const phase = start % period;
    let size = table[phase]!;
    if (size === UNCOMPUTED) table[phase] = size = sizeAt(phase);
    return size;
  };
}

/** A smartalign fill's size by its start: a table over one alignment period. */
function smartalignSizeFunction(ctx: AssemblyContext, body: SmartalignFill): ((start: number) => number) | null {
  const env: EvalEnv = { symbolValue: () => null, here: constantValue(0), sectionStart: constantValue(0) };
  const number = (expr: Expr): number | null => {
    try {
      const v = evaluate(expr, env);
      return isCriticalNumber(v) ? Number(v.offset) : null;
    } catch {
      return null;
    }
  };
  const alignment = number(body.alignment);
  if (alignment === null || alignment <= 0 || alignment > MAX_PERIOD) return null;
  const threshold = number(body.threshold) ?? -1;
  const table = new Int32Array(alignment).fill(UNCOMPUTED);
  return (start: number): number => {
    const phase = start % alignment;
    let size = table[phase]!;
    if (size === UNCOMPUTED)
      table[phase] = size = fillSize(
        fillPieces(body, padAt(phase, alignment), alignment, threshold, ctx.options.optimize),
      );
    return size;
  };
}

const UNCOMPUTED = -2;
/** Largest period kept as a table (align 4096 is common; larger ones evaluate each time). */
const MAX_PERIOD = 1 << 16;

/**
 * K when every `$` in a count (whose only position leaves are `$` and `$$`)
 * sits in `($ - $$) % K` or `$ % K` (K a positive constant, one K for all):
 * the count is then a function of the start offset modulo K (starts are
 * never negative, so nasm's unsigned and signed remainders agree). Null otherwise.
 */
function positionPeriod(expr: Expr): number | null {
  let period: bigint | null = null;
  const pending: Expr[] = [expr];
  while (pending.length > 0) {
    const e = pending.pop()!;
    if (e.kind === 'here') return null; // a `$` outside the pattern
    if (e.kind === 'unary') pending.push(e.operand);
    if (e.kind !== 'binary') continue;
    const k = e.right.kind === 'number' ? e.right.value : 0n;
    if ((e.op === '%' || e.op === '%%') && k > 0n && isOffsetInSection(e.left)) {
      if (period !== null && period !== k) return null;
      period = k;
    } else {
      pending.push(e.right, e.left);
    }
  }
  return period !== null && period <= BigInt(MAX_PERIOD) ? Number(period) : null;
}

/** `$ - $$` or `$`. */
function isOffsetInSection(expr: Expr): boolean {
  if (expr.kind === 'here') return true;
  return expr.kind === 'binary' && expr.op === '-' && expr.left.kind === 'here' && expr.right.kind === 'sectionStart';
}
