/**
 * The x87 floating-point unit (opcodes D8-DF): loads and stores of single,
 * double and extended reals and 16/32/64-bit integers, the arithmetic in its
 * memory, ST(i) and popping forms, compares (FCOM/FUCOM to C0-C3, FCOMI/
 * FUCOMI to EFLAGS), FXCH, FCMOVcc, constants, the transcendental set, and
 * the control/status words. Arithmetic is in double precision (fpstate.ts).
 */
import { CF, PF, ZF } from './alu.js';
import { RAX, type Cpu } from './cpu.js';
import type { Instr } from './decode.js';
import { condition, unsupported } from './fault.js';
import { fromExtended, toExtended, type FpuState } from './fpstate.js';

const view = new DataView(new ArrayBuffer(8));

const C0 = 0x100;
const C1 = 0x200;
const C2 = 0x400;
const C3 = 0x4000;

type Format = 'f32' | 'f64' | 'f80' | 'i16' | 'i32' | 'i64';

function load(cpu: Cpu, address: number, format: Format): number {
  const m = cpu.memory;
  switch (format) {
    case 'f32':
      view.setUint32(0, m.read32(address), true);
      return view.getFloat32(0, true);
    case 'f64':
      view.setUint32(0, m.read32(address), true);
      view.setUint32(4, m.read32(address + 4), true);
      return view.getFloat64(0, true);
    case 'f80':
      return fromExtended(m.readBytes(address, 10));
    case 'i16':
      return (m.read16(address) << 16) >> 16;
    case 'i32':
      return m.read32(address) | 0;
    case 'i64':
      return (m.read32(address + 4) | 0) * 4294967296 + m.read32(address);
  }
}

/** Integer store: rounded per the control word (or truncated, for FISTTP); out of range gives the "integer indefinite". */
function storeInteger(cpu: Cpu, address: number, format: Format, v: number): void {
  const bits = format === 'i16' ? 16 : format === 'i32' ? 32 : 64;
  const limit = 2 ** (bits - 1);
  const fits = Number.isFinite(v) && v >= -limit && v < limit;
  const m = cpu.memory;
  if (bits === 64) {
    const big = fits ? BigInt.asUintN(64, BigInt(v)) : 0x8000000000000000n;
    m.write64(address, Number(big & 0xffffffffn), Number(big >> 32n));
  } else m.write(address, bits / 8, fits ? v : limit);
}

function store(cpu: Cpu, address: number, format: Format, v: number): void {
  const m = cpu.memory;
  if (format === 'f32') {
    view.setFloat32(0, v, true);
    m.write32(address, view.getUint32(0, true));
  } else if (format === 'f64') {
    view.setFloat64(0, v, true);
    m.write64(address, view.getUint32(0, true), view.getUint32(4, true));
  } else if (format === 'f80') m.writeBytes(address, toExtended(v));
  else storeInteger(cpu, address, format, cpu.fpu.round(v));
}

/** The eight arithmetic forms by ModR/M digit: ADD MUL COM COMP SUB SUBR DIV DIVR (dest op src). */
function arithmetic(digit: number, dest: number, src: number): number {
  switch (digit) {
    case 0:
      return dest + src;
    case 1:
      return dest * src;
    case 4:
      return dest - src;
    case 5:
      return src - dest;
    case 6:
      return dest / src;
    default:
      return src / dest;
  }
}

/** FCOM-style result in C0, C2, C3. */
function compareStatus(fpu: FpuState, a: number, b: number): void {
  let c = 0;
  if (Number.isNaN(a) || Number.isNaN(b)) c = C0 | C2 | C3;
  else if (a < b) c = C0;
  else if (a === b) c = C3;
  fpu.status = (fpu.status & ~(C0 | C1 | C2 | C3)) | c;
}

/** FCOMI-style result in ZF, PF, CF (OF, SF, AF cleared). */
function compareFlags(cpu: Cpu, a: number, b: number): void {
  let f = 0;
  if (Number.isNaN(a) || Number.isNaN(b)) f = ZF | PF | CF;
  else if (a < b) f = CF;
  else if (a === b) f = ZF;
  cpu.flags = (cpu.flags & ~0x8d5) | f;
}

/** FXAM's class in C3, C2, C0 and the sign in C1. */
function examine(fpu: FpuState): void {
  const v = fpu.get(0);
  let c: number;
  if (fpu.empty[fpu.index(0)]) c = C3 | C0;
  else if (Number.isNaN(v)) c = C0;
  else if (!Number.isFinite(v)) c = C2 | C0;
  else if (v === 0) c = C3;
  else if (Math.abs(v) < 2.2250738585072014e-308) c = C3 | C2;
  else c = C2;
  if (v < 0 || Object.is(v, -0)) c |= C1;
  fpu.status = (fpu.status & ~(C0 | C1 | C2 | C3)) | c;
}

function memoryForm(cpu: Cpu, ins: Instr, op: number, digit: number): void {
  const fpu = cpu.fpu;
  const a = cpu.address(ins);
  if (op === 0xd8 || op === 0xdc || op === 0xda || op === 0xde) {
    const format: Format = op === 0xd8 ? 'f32' : op === 0xdc ? 'f64' : op === 0xda ? 'i32' : 'i16';
    const src = load(cpu, a, format);
    if (digit === 2 || digit === 3) {
      compareStatus(fpu, fpu.get(0), src);
      if (digit === 3) fpu.pop();
    } else fpu.set(0, arithmetic(digit, fpu.get(0), src));
    return;
  }
  const key = (op << 4) | digit;
  switch (key) {
    case 0xd90: // fld m32
    case 0xdd0: // fld m64
    case 0xdb5: // fld m80
    case 0xdb0: // fild m32
    case 0xdf0: // fild m16
    case 0xdf5: // fild m64
      fpu.push(load(cpu, a, LOAD_FORMAT[key] as Format));
      return;
    case 0xd92:
    case 0xd93:
    case 0xdd2:
    case 0xdd3:
    case 0xdb2:
    case 0xdb3:
    case 0xdf2:
    case 0xdf3:
    case 0xdf7:
    case 0xdb7:
      store(cpu, a, STORE_FORMAT[key] as Format, fpu.get(0));
      if (digit === 3 || digit === 7) fpu.pop();
      return;
    case 0xdb1: // fisttp: truncating stores
    case 0xdd1:
    case 0xdf1:
      storeInteger(cpu, a, key === 0xdb1 ? 'i32' : key === 0xdd1 ? 'i64' : 'i16', Math.trunc(fpu.pop()));
      return;
    case 0xd95:
      fpu.control = cpu.memory.read16(a);
      return;
    case 0xd97:
      cpu.memory.write16(a, fpu.control);
      return;
    case 0xdd7:
      cpu.memory.write16(a, fpu.statusWord());
      return;
    case 0xd96: // fnstenv: control, status, tag words (the pointers are left zero)
      storeEnvironment(cpu, ins, a);
      return;
    case 0xd94:
      fpu.control = cpu.memory.read16(a);
      fpu.status = cpu.memory.read16(a + (ins.osize === 2 ? 2 : 4));
      fpu.top = (fpu.status >> 11) & 7;
      return;
    default:
      unsupported(ins);
  }
}

const LOAD_FORMAT: Record<number, Format> = {
  0xd90: 'f32',
  0xdd0: 'f64',
  0xdb5: 'f80',
  0xdb0: 'i32',
  0xdf0: 'i16',
  0xdf5: 'i64',
};
const STORE_FORMAT: Record<number, Format> = {
  0xd92: 'f32',
  0xd93: 'f32',
  0xdd2: 'f64',
  0xdd3: 'f64',
  0xdb2: 'i32',
  0xdb3: 'i32',
  0xdf2: 'i16',
  0xdf3: 'i16',
  0xdf7: 'i64',
  0xdb7: 'f80',
};

function storeEnvironment(cpu: Cpu, ins: Instr, a: number): void {
  const fpu = cpu.fpu;
  const step = ins.osize === 2 ? 2 : 4;
  const words = [fpu.control, fpu.statusWord(), fpu.tagWord(), 0, 0, 0, 0];
  words.forEach((w, i) => {
    cpu.memory.write(a + i * step, step, w);
  });
  fpu.control |= 0x3f; // FNSTENV masks all exceptions afterwards
}

const CONSTANTS: Record<number, number> = {
  0xe8: 1,
  0xe9: Math.log2(10),
  0xea: Math.LOG2E,
  0xeb: Math.PI,
  0xec: Math.log10(2),
  0xed: Math.LN2,
  0xee: 0,
};

/** D9 E0-FF: the forms without operands. */
function noOperandForm(cpu: Cpu, ins: Instr, b: number): void {
  const fpu = cpu.fpu;
  const st0 = fpu.get(0);
  const constant = CONSTANTS[b];
  if (constant !== undefined) {
    fpu.push(constant);
    return;
  }
  switch (b) {
    case 0xe0: {
      fpu.set(0, -st0);
      return;
    }
    case 0xe1: {
      fpu.set(0, Math.abs(st0));
      return;
    }
    case 0xe4: {
      compareStatus(fpu, st0, 0);
      return;
    }
    case 0xe5: {
      examine(fpu);
      return;
    }
    case 0xf0: {
      fpu.set(0, 2 ** st0 - 1);
      return;
    }
    case 0xf1:
      fpu.set(1, fpu.get(1) * Math.log2(st0));
      fpu.pop();
      return;
    case 0xf2:
      fpu.set(0, Math.tan(st0));
      {
        fpu.push(1);
        return;
      }
    case 0xf3:
      fpu.set(1, Math.atan2(fpu.get(1), st0));
      fpu.pop();
      return;
    case 0xf4: {
      const e = st0 === 0 ? -Infinity : Math.floor(Math.log2(Math.abs(st0)));
      fpu.set(0, e);
      fpu.push(st0 === 0 ? st0 : st0 / 2 ** e);
      return;
    }
    case 0xf5:
    case 0xf8: {
      const d = fpu.get(1);
      const r = b === 0xf8 ? st0 % d : st0 - Math.round(st0 / d) * d;
      fpu.status &= ~(C0 | C1 | C2 | C3);
      fpu.set(0, r);
      return;
    }
    case 0xf6:
      fpu.top = (fpu.top - 1) & 7;
      return;
    case 0xf7:
      fpu.top = (fpu.top + 1) & 7;
      return;
    case 0xf9:
      fpu.set(1, fpu.get(1) * Math.log2(st0 + 1));
      fpu.pop();
      return;
    case 0xfa: {
      fpu.set(0, Math.sqrt(st0));
      return;
    }
    case 0xfb:
      fpu.set(0, Math.sin(st0));
      {
        fpu.push(Math.cos(st0));
        return;
      }
    case 0xfc: {
      fpu.set(0, fpu.round(st0));
      return;
    }
    case 0xfd: {
      fpu.set(0, st0 * 2 ** Math.trunc(fpu.get(1)));
      return;
    }
    case 0xfe: {
      fpu.set(0, Math.sin(st0));
      return;
    }
    case 0xff: {
      fpu.set(0, Math.cos(st0));
      return;
    }
    default:
      unsupported(ins);
  }
}

const FCMOV_CONDITION = [2, 4, 6, 10]; // B, E, BE, U (the NB/NE/NBE/NU forms negate)

function registerForm(cpu: Cpu, ins: Instr, op: number, b: number): void {
  const fpu = cpu.fpu;
  const i = b & 7;
  const digit = (b >> 3) & 7;
  if (op === 0xd8 || op === 0xdc || op === 0xde) {
    if (digit === 2 || digit === 3) {
      compareStatus(fpu, fpu.get(0), fpu.get(i));
      if (digit === 3 || op === 0xde) fpu.pop();
      if (op === 0xde) fpu.pop();
      return;
    }
    if (op === 0xd8) {
      fpu.set(0, arithmetic(digit, fpu.get(0), fpu.get(i)));
      return;
    }
    // DC and DE write ST(i); their SUB/SUBR and DIV/DIVR encodings are the other way round.
    fpu.set(i, arithmetic(digit ^ (digit >= 4 ? 1 : 0), fpu.get(i), fpu.get(0)));
    if (op === 0xde) fpu.pop();
    return;
  }
  const key = (op << 8) | (b & 0xf8);
  switch (key) {
    case 0xd9c0: {
      fpu.push(fpu.get(i));
      return;
    }
    case 0xd9c8: {
      const t = fpu.get(0);
      fpu.set(0, fpu.get(i));
      fpu.set(i, t);
      return;
    }
    case 0xd9d0:
      return; // fnop
    case 0xdac0:
    case 0xdac8:
    case 0xdad0:
    case 0xdad8:
    case 0xdbc0:
    case 0xdbc8:
    case 0xdbd0:
    case 0xdbd8: {
      const cc = (FCMOV_CONDITION[digit & 3] as number) | (op === 0xdb ? 1 : 0);
      if (condition(cpu, cc)) fpu.set(0, fpu.get(i));
      return;
    }
    case 0xdde0:
    case 0xdde8:
      compareStatus(fpu, fpu.get(0), fpu.get(i));
      if (digit === 5) fpu.pop();
      return;
    case 0xdae8:
      if (i !== 1) unsupported(ins);
      compareStatus(fpu, fpu.get(0), fpu.get(1));
      fpu.pop();
      fpu.pop();
      return;
    case 0xdbe8:
    case 0xdbf0:
    case 0xdfe8:
    case 0xdff0:
      compareFlags(cpu, fpu.get(0), fpu.get(i));
      if (op === 0xdf) fpu.pop();
      return;
    case 0xddc0:
      fpu.empty[fpu.index(i)] = true;
      return;
    case 0xddd0:
    case 0xddd8:
      fpu.set(i, fpu.get(0));
      if (digit === 3) fpu.pop();
      return;
    case 0xdbe0:
      if (b === 0xe2)
        fpu.status &= 0x3800; // fnclex
      else if (b === 0xe3)
        fpu.reset(); // fninit
      else unsupported(ins);
      return;
    case 0xdfe0:
      if (b !== 0xe0) unsupported(ins);
      cpu.setReg(RAX, 2, fpu.statusWord(), 0); // fnstsw ax
      return;
    default:
      if (op === 0xd9 && b >= 0xe0) {
        noOperandForm(cpu, ins, b);
        return;
      }
      unsupported(ins);
  }
}

export function executeX87(cpu: Cpu, ins: Instr): void {
  const b = ins.x87;
  if (b >= 0xc0) registerForm(cpu, ins, ins.op, b);
  else memoryForm(cpu, ins, ins.op, (b >> 3) & 7);
}
