/**
 * MPX's "mib" addresses (BNDLDX, BNDSTX, BNDMK), as nasm 2.16.01 encodes them
 * (measured): the address is never split (`[eax*2]` stays index*2 with no base,
 * `[eax*1]` is an index). In the three-operand forms (`bndstx [eax+3], bnd0, ebx`)
 * the extra register is the index and the address keeps only its base
 * (`[eax+ebx], ecx` is base eax, index ecx; `[ebx*2+esi], ecx` base esi) — except
 * that an extra `esp` leaves an address's own index in place (`[esp+ebx], esp`); an esp
 * index trades places with the base, as anywhere (`[eax], esp` is base esp, index eax).
 */
import type { Row, TemplateOperand } from './table.js';
import type { MemoryOperand, Operand } from './types.js';

type AddressRegister = MemoryOperand['registers'][number];

/** The address to encode for a row whose r/m operand is `mib`. */
export function mibAddress(mem: MemoryOperand, row: Row, ops: readonly Operand[]): MemoryOperand {
  const extra = row.operands.findIndex((t: TemplateOperand) => t.kind === 'reg' && t.role === '-' && t.fixedReg < 0);
  const index = extra >= 0 ? ops[extra] : undefined;
  if (index?.kind !== 'reg') return { ...mem, nosplit: true, registers: mem.registers.map(keptAsIndex) };
  const [base, ownIndex] = baseAndIndex(mem.registers.filter((r) => r.scale !== 0));
  const registers: AddressRegister[] = [];
  if (base) registers.push({ reg: base.reg, scale: 1 });
  if (index.reg.num === 4 && ownIndex) registers.push({ ...ownIndex, index: true });
  else registers.push({ reg: index.reg, scale: 1, index: true });
  return { ...mem, nosplit: true, registers };
}

/** Which written register is the base (scale 1, the first unless written `*1`) and which the index. */
function baseAndIndex(regs: AddressRegister[]): [AddressRegister | undefined, AddressRegister | undefined] {
  const [first, second] = regs;
  if (!first) return [undefined, undefined];
  if (!second) return first.scale === 1 && !first.multiplied ? [first, undefined] : [undefined, first];
  if (first.scale === 1 && !(first.multiplied === true && second.scale === 1)) return [first, second];
  return second.scale === 1 ? [second, first] : [undefined, first];
}

/**
 * A lone register written `*1` stays the index, r12 included (`[1*r12+3]` is SIB index r12,
 * no base, where a plain nosplit address makes r12 the base); only rsp cannot be an index.
 */
function keptAsIndex(r: AddressRegister, _: number, all: readonly AddressRegister[]): AddressRegister {
  const lone = all.filter((x) => x.scale !== 0).length === 1;
  return lone && r.multiplied === true && r.scale === 1 && r.reg.num !== 4 ? { ...r, index: true } : r;
}
