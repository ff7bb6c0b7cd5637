/**
 * Effective-address encoding (ModR/M + SIB + displacement) for 16- and 32-bit
 * addressing, following the base/index choices NASM 2.16.01 makes (observed
 * with the real assembler: first-written register is the base unless it was
 * written multiplied, `eax*3` → `eax+eax*2`, `eax*2` → `eax+eax` unless
 * `nosplit`, `esp` is never an index, `[ebp]`/`[bp]` get a zero disp8).
 */
import { plainNumberOf, type Value } from '../core/value.js';
import type { MemoryOperand } from './types.js';

type AddressRegister = MemoryOperand['registers'][number];

/** The computed pieces of an effective address; reused between calls to avoid allocation. */
export interface EffectiveAddress {
  /** mod (bits 7-6) and r/m (bits 2-0) of the ModR/M byte; the reg field is filled in by the caller. */
  modRm: number;
  /** SIB byte, or -1 when there is none. */
  sib: number;
  /** Displacement field size in bytes (0, 1, 2 or 4). */
  dispSize: 0 | 1 | 2 | 4;
  addrSize: 16 | 32 | 64;
  disp: Value;
  /** REX bits the address needs: X (2) for an index r8…r15, B (1) for a base r8…r15. */
  rex: number;
  /** RIP-relative (mod 00, r/m 101 in BITS 64): the disp32 is the target minus the end of the instruction. */
  ripRelative: boolean;
}

export function newEffectiveAddress(disp: Value): EffectiveAddress {
  return { modRm: 0, sib: -1, dispSize: 0, addrSize: 32, disp, rex: 0, ripRelative: false };
}

/** Whether an address uses a register (one of scale 0 cancelled out: `[ebx-ebx+5]`). */
export function hasAddressRegister(mem: MemoryOperand): boolean {
  for (const r of mem.registers) if (r.scale !== 0) return true;
  return false;
}

/** nasm's message for an address the mode cannot encode (made once: it is passed along on every address). */
const BAD_EA: Record<number, string> = {
  16: 'invalid 16-bit effective address',
  32: 'invalid 32-bit effective address',
  64: 'invalid 64-bit effective address',
};

const RM16: Record<string, number> = { 'bx+si': 0, 'bx+di': 1, 'bp+si': 2, 'bp+di': 3, si: 4, di: 5, bp: 6, bx: 7 };

/**
 * Address size implied by the registers / displacement size of a memory
 * operand, or 0 if none is implied; -1 for registers of two sizes, -3 for a
 * displacement size that contradicts the registers or a register no address
 * can hold ("invalid N-bit effective address").
 */
export function impliedAddressSize(mem: MemoryOperand, bits: number): 0 | 16 | 32 | 64 | -1 | -3 {
  let size = 0;
  for (const r of mem.registers) {
    if (r.scale === 0) continue;
    const s = r.reg.cls === 'gpr16' ? 16 : r.reg.cls === 'gpr32' ? 32 : r.reg.cls === 'gpr64' ? 64 : -2;
    if (s === -2) return -3; // no general register (`[al]`, `[es]`, `[cr0]`): no address of any size
    if (size !== 0 && size !== s) return -1;
    size = s;
  }
  // An explicit displacement size of the other width (`[word eax+1]`) makes the address invalid;
  // 64-bit addresses take a dword displacement (`[dword rax+1]`), never a word or qword one
  // (measured: `add eax,[qword rbx]` in BITS 64 is "invalid 64-bit effective address").
  const ds = mem.displacementSize;
  if (bits === 64 && size === 16) return -1; // no 16-bit addressing in BITS 64
  const fits = size === 64 ? ds === 4 : ds !== null && ds * 8 === size;
  if (size !== 0 && (ds === 2 || ds === 4 || ds === 8) && !fits) return -3;
  if (size !== 0) return size as 16 | 32 | 64;
  // With no register, BITS 64 keeps its 64-bit address for `[dword x]` and
  // takes `[qword x]` as a 64-bit address (the A0-A3 moffs64 forms).
  if (bits === 64) return ds === 8 ? 64 : ds === 2 ? -1 : 0;
  if (ds === 2) return 16;
  if (ds === 4) return 32;
  // `[qword x]` outside BITS 64 asks for a 64-bit address (measured: "impossible combination of address sizes").
  if (ds === 8) return 64;
  return 0;
}

function dispFitsByte(v: Value, addrSize: 16 | 32): boolean {
  const n = plainNumberOf(v) ?? selfRelativeNumber(v);
  if (n === null) return false;
  const t = BigInt.asIntN(addrSize, n);
  return t >= -128n && t <= 127n;
}

/**
 * A self-relative displacement with no positive base (`[ebx-label]`): nasm sizes it by its
 * number, as if absolute, then relocates it PC-relative (measured: disp8 with R_386_PC8).
 */
function selfRelativeNumber(v: Value): bigint | null {
  const selfRelative = v.base === null && (v.minusBase ?? null) !== null && v.wrt === null;
  return selfRelative && !v.unknown && !v.segmentOf && !v.complex && !v.scaled ? v.offset : null;
}

/**
 * Whether the displacement is no displacement at all: zero, or a self-relative one whose number
 * is zero (measured: `mov eax,[ebx-$]` at offset 0 is 8B 03, its relocation dropped with it).
 */
function dispIsZero(v: Value, addrSize: 16 | 32): boolean {
  const n = plainNumberOf(v) ?? selfRelativeNumber(v);
  return n !== null && BigInt.asIntN(addrSize, n) === 0n;
}

/**
 * Fills `ea` for `mem` at address size `addrSize`. Returns an error message
 * (NASM's wording) or null.
 */
export function encodeEffectiveAddress(
  mem: MemoryOperand,
  addrSize: 16 | 32 | 64,
  bits: number,
  ea: EffectiveAddress,
  ripRelative = false,
): string | null {
  ea.addrSize = addrSize;
  ea.disp = mem.displacement;
  ea.sib = -1;
  ea.rex = 0;
  ea.ripRelative = false;
  const regs = mem.registers;
  let count = 0;
  for (const r of regs) if (r.scale !== 0) count++;
  if (count > 2) return 'invalid effective address: too many registers';
  const badEa = BAD_EA[bits] ?? `invalid ${bits}-bit effective address`;
  if (addrSize === 16) return encode16(mem, ea, badEa);
  if (count === 0 && ripRelative) {
    ea.ripRelative = true;
    ea.modRm = 0x05;
    ea.dispSize = 4;
    return null;
  }
  return encode32(mem, ea, count, badEa, addrSize, bits === 64);
}

function encode16(mem: MemoryOperand, ea: EffectiveAddress, badEa: string): string | null {
  const names: string[] = [];
  for (const r of mem.registers) {
    if (r.scale === 0) continue;
    if (r.scale !== 1 || r.reg.cls !== 'gpr16') return badEa;
    names.push(r.reg.name);
  }
  names.sort(); // bp/bx before di/si: the table keys are written that way
  const key = names.join('+');
  const disp = mem.displacement;
  if (names.length === 0) {
    ea.modRm = 0x06;
    ea.dispSize = 2;
    return null;
  }
  const rm = RM16[key];
  if (rm === undefined) return badEa;
  let dispSize: 0 | 1 | 2;
  if (mem.displacementSize === 1) dispSize = 1;
  else if (mem.displacementSize === 2 || mem.displacementSize === 4) dispSize = 2;
  else if (!mem.hasDisplacement || dispIsZero(disp, 16)) dispSize = rm === 6 ? 1 : 0;
  else dispSize = dispFitsByte(disp, 16) ? 1 : 2;
  ea.dispSize = dispSize;
  ea.modRm = (dispSize === 0 ? 0 : dispSize === 1 ? 0x40 : 0x80) | rm;
  return null;
}

/**
 * 32- and 64-bit addressing (registers of `addrSize`, numbers 0…15; the high
 * bit of base and index goes to REX.B / REX.X). In BITS 64 an address with no
 * register takes the SIB form (04 25), since r/m 101 there means RIP-relative.
 */
function encode32(
  mem: MemoryOperand,
  ea: EffectiveAddress,
  count: number,
  badEa: string,
  addrSize: 32 | 64,
  longMode: boolean,
): string | null {
  const cls = addrSize === 64 ? 'gpr64' : 'gpr32';
  let base = -1;
  let index = -1;
  let scale = 0;
  // The address's own register terms (read, never changed).
  let first: AddressRegister | null = null;
  let second: AddressRegister | null = null;
  let forcedIndex: AddressRegister | null = null;
  for (const r of mem.registers) {
    if (r.scale === 0) continue;
    if (r.reg.cls !== cls) return badEa;
    if (r.index === true) forcedIndex = r;
    else if (first === null) first = r;
    else second = r;
  }
  if (forcedIndex) {
    // MPX split notation: the register after the comma is the index, whatever
    // its scale, and the SIB form is used even with no base (`[disp,edi]`).
    if (second) return badEa;
    index = forcedIndex.reg.num;
    scale = forcedIndex.scale;
    if (first) {
      if (first.scale !== 1) return badEa;
      base = first.reg.num;
    }
    // An esp index trades places with the base below (nasm: `[eax,esp]` is base esp, index eax).
    if ((index === 4 && base === 4) || (scale !== 1 && scale !== 2 && scale !== 4 && scale !== 8)) return badEa;
  } else if (count === 1 && first) {
    // `nosplit` keeps a register written with `*1` an index (nasm: `[nosplit edi*1]` is SIB 3D + disp32),
    // but not one whose low bits name esp (nasm: `[nosplit r12*1]` is `[r12]`).
    const keptIndex = mem.nosplit && first.multiplied === true && (first.reg.num & 7) !== 4;
    if (first.scale === 1 && !keptIndex) base = first.reg.num;
    else {
      index = first.reg.num;
      scale = first.scale;
    }
  } else if (count === 2 && first && second) {
    if (first.scale === 1 && !(first.multiplied === true && second.scale === 1)) {
      base = first.reg.num;
      index = second.reg.num;
      scale = second.scale;
    } else if (second.scale === 1) {
      base = second.reg.num;
      index = first.reg.num;
      scale = first.scale;
    } else return 'invalid effective address: two index registers';
  }
  if (index !== -1 && base === -1 && !forcedIndex) {
    if (scale === 3 || scale === 5 || scale === 9) {
      base = index;
      scale -= 1;
    } else if (scale === 2 && !(mem.nosplit && first?.bare !== true)) {
      // `[nosplit edx*2]` stays index*2, but `[nosplit edx+edx]` was written as base and index.
      base = index;
      scale = 1;
    }
  }
  if (index === 4) {
    if (scale === 1 && base !== 4) {
      const t = base;
      base = index;
      index = t;
    } else return badEa;
  }
  if (index !== -1 && scale !== 1 && scale !== 2 && scale !== 4 && scale !== 8) return badEa;

  const disp = mem.displacement;
  ea.rex = (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0);
  index = index < 0 ? index : index & 7;
  base = base < 0 ? base : base & 7;
  if (base === -1) {
    ea.dispSize = 4;
    if (index === -1 && !longMode) {
      ea.modRm = 0x05;
    } else {
      ea.modRm = 0x04;
      ea.sib = index === -1 ? 0x25 : (scaleBits(scale) << 6) | (index << 3) | 5;
    }
    return null;
  }
  let dispSize: 0 | 1 | 4;
  if (mem.displacementSize === 1) dispSize = 1;
  else if (mem.displacementSize === 4 || mem.displacementSize === 2) dispSize = 4;
  else if (!mem.hasDisplacement || dispIsZero(disp, 32)) dispSize = base === 5 ? 1 : 0;
  else dispSize = dispFitsByte(disp, 32) ? 1 : 4;
  ea.dispSize = dispSize;
  const mod = dispSize === 0 ? 0 : dispSize === 1 ? 0x40 : 0x80;
  if (index === -1 && base !== 4) {
    ea.modRm = mod | base;
  } else {
    ea.modRm = mod | 4;
    ea.sib = index === -1 ? (0 << 6) | (4 << 3) | base : (scaleBits(scale) << 6) | (index << 3) | base;
  }
  return null;
}

/** Re-encodes a SIB-less 32/64-bit address with a SIB byte and no index (AMX's `sibmem`). */
export function forceSib(ea: EffectiveAddress): void {
  if (ea.sib >= 0 || ea.addrSize === 16) return;
  const mod = ea.modRm & 0xc0;
  const rm = ea.modRm & 7;
  if (ea.ripRelative || (mod === 0 && rm === 5)) {
    // disp32 alone (or what would be RIP-relative): SIB base 101, no index.
    ea.ripRelative = false;
    ea.modRm = 0x04;
    ea.sib = 0x25;
    return;
  }
  ea.modRm = mod | 4;
  ea.sib = (4 << 3) | rm;
}

function scaleBits(scale: number): number {
  return scale === 1 ? 0 : scale === 2 ? 1 : scale === 4 ? 2 : 3;
}
