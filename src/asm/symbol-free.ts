/**
 * Identical symbol-free instructions (`mov eax, ecx`, `push ebp`, `add esp, 8`, `ret` …) encode
 * the same wherever they are, in one mode: the first one's bytes, kept in
 * `AssemblyContext.savedBytes` for the final pass anyway, serve every later one. Pass 1 then
 * encodes each distinct line once instead of every line.
 *
 * The key is short on purpose (an earlier cache with a generic, reflective key cost more than the
 * encodings it saved): the mode, the mnemonic and prefixes, then every property of every operand
 * in a few characters. The tables below make the compiler refuse an operand property added later
 * until it is part of the key.
 */
import { isPlainNumber, type Value } from '../core/value.js';
import type { ImmediateOperand, MemoryOperand, Operand, RegisterOperand } from '../encoder/types.js';
import type { AssemblyContext } from './context.js';

/**
 * Every property of each operand kind that the key writes (the compiler refuses an operand type
 * with a property missing here; the tests check built operands against it).
 */
export const KEYED_PROPERTIES: {
  reg: Record<keyof RegisterOperand, true>;
  imm: Record<keyof ImmediateOperand, true>;
  mem: Record<keyof MemoryOperand, true>;
} = {
  reg: { kind: true, reg: true, size: true, to: true, decorators: true },
  imm: {
    kind: true,
    value: true,
    size: true,
    strict: true,
    distance: true,
    farSegment: true,
    to: true,
    decorators: true,
  },
  mem: {
    kind: true,
    size: true,
    strict: true,
    segment: true,
    registers: true,
    displacement: true,
    hasDisplacement: true,
    displacementSize: true,
    nosplit: true,
    relative: true,
    distance: true,
    decorators: true,
  },
};

/**
 * The key of an instruction whose operands hold only numbers and registers, or null when the
 * line is not one to share (decorators, a far pointer, a value that is not a plain number).
 */
export function symbolFreeKey(
  ctx: AssemblyContext,
  mnemonic: string,
  prefixes: readonly string[],
  operands: readonly Operand[],
): string | null {
  let key = `${ctx.bits}${ctx.defaultRel ? 'r' : ''}${ctx.defaultBnd ? 'b' : ''} ${ctx.cpu} ${mnemonic}`;
  for (const prefix of prefixes) key += ' ' + prefix;
  for (const op of operands) {
    if (op.decorators !== undefined) return null;
    const part = op.kind === 'reg' ? registerKey(op) : op.kind === 'imm' ? immediateKey(op) : memoryKey(op);
    if (part === null) return null;
    key += part;
  }
  return key;
}

function registerKey(op: RegisterOperand): string {
  return `,%${op.reg.name}/${op.size}${op.to === true ? '^' : ''}`;
}

function immediateKey(op: ImmediateOperand): string | null {
  if (op.farSegment !== null || !isPlain(op.value)) return null;
  return `,#${op.value.offset}/${op.size}/${op.strict ? 's' : ''}/${op.distance}${op.to ? '^' : ''}`;
}

function memoryKey(op: MemoryOperand): string | null {
  if (!isPlain(op.displacement)) return null;
  let key = `,[${op.size}/${op.strict ? 's' : ''}/${op.segment?.name}/${op.displacement.offset}`;
  key += `/${op.hasDisplacement ? 'd' : ''}/${op.displacementSize}/${op.nosplit ? 'n' : ''}/${op.relative}/${op.distance}`;
  for (const r of op.registers)
    key += `/${r.reg.name}*${r.scale}${r.multiplied === true ? 'm' : ''}${r.bare === true ? 'b' : ''}${r.index === true ? 'i' : ''}`;
  return key;
}

function isPlain(v: Value): boolean {
  return isPlainNumber(v) && v.scaled !== true && v.complex !== true;
}
