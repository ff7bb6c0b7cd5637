/**
 * SSE/SSE2 arithmetic on xmm registers (the moves are in sse.ts): bitwise
 * logic, packed integer lanes (add/subtract with wrap or saturation,
 * compares, min/max, averages, multiplies, shifts, byte shifts, shuffles,
 * unpacks, packs, mask extraction, word insert/extract), and float
 * arithmetic, compares and conversions in scalar (ss/sd) and packed (ps/pd)
 * forms. Float32 results are computed in double and rounded once on store,
 * which gives the correctly rounded single-precision result for + - * / sqrt.
 */
import type { Cpu } from './cpu.js';
import type { Instr } from './decode.js';
import { unsupported } from './fault.js';
import type { SseState } from './fpstate.js';
import { loadSource, src, src32, srcF32, srcF64 } from './source.js';

const srcI8 = new Int8Array(src.buffer);
const src16 = new Uint16Array(src.buffer);
const srcI16 = new Int16Array(src.buffer);
const srcI32 = new Int32Array(src.buffer);
/** The destination's old value, for shuffles and unpacks that read it while writing it. */
const old = new Uint8Array(16);
const old32 = new Uint32Array(old.buffer);

type Width = 1 | 2 | 4;

function element(s: SseState, reg: number, i: number, width: Width, signed: boolean): number {
  if (width === 1) return signed ? (s.i8[reg * 16 + i] as number) : (s.bytes[reg * 16 + i] as number);
  if (width === 2) return signed ? (s.i16[reg * 8 + i] as number) : (s.u16[reg * 8 + i] as number);
  return signed ? (s.i32[reg * 4 + i] as number) : (s.lanes[reg * 4 + i] as number);
}

function sourceElement(i: number, width: Width, signed: boolean): number {
  if (width === 1) return signed ? (srcI8[i] as number) : (src[i] as number);
  if (width === 2) return signed ? (srcI16[i] as number) : (src16[i] as number);
  return signed ? (srcI32[i] as number) : (src32[i] as number);
}

function setElement(s: SseState, reg: number, i: number, width: Width, v: number): void {
  if (width === 1) s.bytes[reg * 16 + i] = v;
  else if (width === 2) s.u16[reg * 8 + i] = v;
  else s.lanes[reg * 4 + i] = v;
}

/** dest[i] = fn(dest[i], src[i]) over 16 / width lanes. */
function lanes(cpu: Cpu, ins: Instr, width: Width, signed: boolean, fn: (a: number, b: number) => number): void {
  loadSource(cpu, ins, 16);
  const s = cpu.sse;
  for (let i = 0; i < 16 / width; i++)
    setElement(s, ins.reg, i, width, fn(element(s, ins.reg, i, width, signed), sourceElement(i, width, signed)));
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** Quadword add or subtract on two 32-bit halves per lane. */
function quadwords(cpu: Cpu, ins: Instr, subtract: boolean): void {
  loadSource(cpu, ins, 16);
  const l = cpu.sse.lanes;
  for (let q = 0; q < 2; q++) {
    const d = ins.reg * 4 + q * 2;
    const lo = subtract ? (l[d] as number) - (src32[q * 2] as number) : (l[d] as number) + (src32[q * 2] as number);
    const carry = subtract ? (lo < 0 ? -1 : 0) : lo > 0xffffffff ? 1 : 0;
    const hi = subtract
      ? (l[d + 1] as number) - (src32[q * 2 + 1] as number)
      : (l[d + 1] as number) + (src32[q * 2 + 1] as number);
    l[d] = lo;
    l[d + 1] = hi + carry;
  }
}

const WIDTH_OF: Record<string, Width> = { b: 1, w: 2, d: 4 };

function integerLanes(cpu: Cpu, ins: Instr): boolean {
  const m = ins.mnemonic;
  const w = WIDTH_OF[m.slice(-1)] ?? 1;
  const bits = w * 8;
  switch (m.replace(/[bwd]$/, '')) {
    case 'padd':
      lanes(cpu, ins, w, false, (a, b) => a + b);
      return true;
    case 'psub':
      lanes(cpu, ins, w, false, (a, b) => a - b);
      return true;
    case 'paddus':
      lanes(cpu, ins, w, false, (a, b) => clamp(a + b, 0, 2 ** bits - 1));
      return true;
    case 'psubus':
      lanes(cpu, ins, w, false, (a, b) => clamp(a - b, 0, 2 ** bits - 1));
      return true;
    case 'padds':
      lanes(cpu, ins, w, true, (a, b) => clamp(a + b, -(2 ** (bits - 1)), 2 ** (bits - 1) - 1));
      return true;
    case 'psubs':
      lanes(cpu, ins, w, true, (a, b) => clamp(a - b, -(2 ** (bits - 1)), 2 ** (bits - 1) - 1));
      return true;
    case 'pcmpeq':
      lanes(cpu, ins, w, false, (a, b) => (a === b ? -1 : 0));
      return true;
    case 'pcmpgt':
      lanes(cpu, ins, w, true, (a, b) => (a > b ? -1 : 0));
      return true;
    case 'pminu':
    case 'pmaxu':
      lanes(cpu, ins, w, false, (a, b) => (m.startsWith('pmin') === a < b ? a : b));
      return true;
    case 'pmins':
    case 'pmaxs':
      lanes(cpu, ins, w, true, (a, b) => (m.startsWith('pmin') === a < b ? a : b));
      return true;
    case 'pavg':
      lanes(cpu, ins, w, false, (a, b) => (a + b + 1) >> 1);
      return true;
    default:
      return false;
  }
}

function multiplies(cpu: Cpu, ins: Instr): boolean {
  switch (ins.mnemonic) {
    case 'pmullw':
      lanes(cpu, ins, 2, true, (a, b) => a * b);
      return true;
    case 'pmulhw':
      lanes(cpu, ins, 2, true, (a, b) => (a * b) >> 16);
      return true;
    case 'pmulhuw':
      lanes(cpu, ins, 2, false, (a, b) => (a * b) >>> 16);
      return true;
    case 'pmuludq': {
      loadSource(cpu, ins, 16);
      const l = cpu.sse.lanes;
      for (const q of [0, 2]) {
        const big = BigInt(l[ins.reg * 4 + q] as number) * BigInt(src32[q] as number);
        l[ins.reg * 4 + q] = Number(big & 0xffffffffn);
        l[ins.reg * 4 + q + 1] = Number(big >> 32n);
      }
      return true;
    }
    case 'pmaddwd': {
      loadSource(cpu, ins, 16);
      const s = cpu.sse;
      for (let i = 0; i < 4; i++) {
        const p0 = (s.i16[ins.reg * 8 + 2 * i] as number) * (srcI16[2 * i] as number);
        const p1 = (s.i16[ins.reg * 8 + 2 * i + 1] as number) * (srcI16[2 * i + 1] as number);
        s.lanes[ins.reg * 4 + i] = p0 + p1;
      }
      return true;
    }
    default:
      return false;
  }
}

function logic(cpu: Cpu, ins: Instr): boolean {
  const kind = ins.mnemonic.replace(/^p/, '').replace(/(ps|pd)$/, '');
  if (!['and', 'andn', 'or', 'xor'].includes(kind)) return false;
  loadSource(cpu, ins, 16);
  const l = cpu.sse.lanes;
  for (let i = 0; i < 4; i++) {
    const a = l[ins.reg * 4 + i] as number;
    const b = src32[i] as number;
    l[ins.reg * 4 + i] = kind === 'and' ? a & b : kind === 'andn' ? ~a & b : kind === 'or' ? a | b : a ^ b;
  }
  return true;
}

/** Bit shifts by an immediate (0F 71-73, destination in ModR/M rm) or by an xmm/m128 count. */
function shifts(cpu: Cpu, ins: Instr): boolean {
  const m = ins.mnemonic;
  const match = /^ps(ll|rl|ra)(w|d|q|dq)$/.exec(m);
  if (!match) return false;
  const [, kind, unit] = match as unknown as [string, string, string];
  const byImmediate = ins.op >= 0x171 && ins.op <= 0x173;
  const reg = byImmediate ? ins.rmReg : ins.reg;
  let count: number;
  if (byImmediate) count = ins.immRaw & 0xff;
  else {
    loadSource(cpu, ins, 16);
    count = src32[1] !== 0 ? 0xffff : (src32[0] as number);
  }
  const s = cpu.sse;
  if (unit === 'dq') {
    old.set(s.bytes.subarray(reg * 16, reg * 16 + 16));
    const n = Math.min(count, 16);
    for (let i = 0; i < 16; i++) {
      const from = kind === 'll' ? i - n : i + n;
      s.bytes[reg * 16 + i] = from >= 0 && from < 16 ? (old[from] as number) : 0;
    }
    return true;
  }
  if (unit === 'q') {
    for (const q of [0, 2]) {
      const v = (BigInt(s.lanes[reg * 4 + q + 1] as number) << 32n) | BigInt(s.lanes[reg * 4 + q] as number);
      const r = count > 63 ? 0n : kind === 'll' ? BigInt.asUintN(64, v << BigInt(count)) : v >> BigInt(count);
      s.lanes[reg * 4 + q] = Number(r & 0xffffffffn);
      s.lanes[reg * 4 + q + 1] = Number(r >> 32n);
    }
    return true;
  }
  const w: Width = unit === 'w' ? 2 : 4;
  const bits = w * 8;
  for (let i = 0; i < 16 / w; i++) {
    const v = element(s, reg, i, w, kind === 'ra');
    let r: number;
    if (kind === 'ra') r = v >> Math.min(count, bits - 1);
    else if (count >= bits) r = 0;
    else r = kind === 'll' ? v << count : v >>> count;
    setElement(s, reg, i, w, r);
  }
  return true;
}

function shuffles(cpu: Cpu, ins: Instr): boolean {
  const s = cpu.sse;
  const d = ins.reg;
  const imm = ins.immRaw & 0xff;
  const m = ins.mnemonic;
  if (!/^(pshuf|shuf|punpck|unpck|pack|movmsk|pmovmskb|pextrw|pinsrw)/.test(m)) return false;
  if (m === 'pinsrw') {
    const v = ins.rmReg >= 0 ? cpu.getReg(ins.rmReg, 2, ins.rex) : cpu.memory.read16(cpu.address(ins));
    s.u16[d * 8 + (imm & 7)] = v;
    return true;
  }
  loadSource(cpu, ins, 16);
  old.set(s.bytes.subarray(d * 16, d * 16 + 16));
  const l = s.lanes;
  switch (m) {
    case 'pshufd':
      for (let i = 0; i < 4; i++) l[d * 4 + i] = src32[(imm >> (2 * i)) & 3] as number;
      return true;
    case 'pshuflw':
    case 'pshufhw': {
      const base = m === 'pshuflw' ? 0 : 4;
      for (let i = 0; i < 8; i++) s.u16[d * 8 + i] = src16[i] as number;
      for (let i = 0; i < 4; i++) s.u16[d * 8 + base + i] = src16[base + ((imm >> (2 * i)) & 3)] as number;
      return true;
    }
    case 'shufps':
      for (let i = 0; i < 4; i++) l[d * 4 + i] = (i < 2 ? old32 : src32)[(imm >> (2 * i)) & 3] as number;
      return true;
    case 'shufpd':
      l[d * 4] = old32[(imm & 1) * 2] as number;
      l[d * 4 + 1] = old32[(imm & 1) * 2 + 1] as number;
      l[d * 4 + 2] = src32[((imm >> 1) & 1) * 2] as number;
      l[d * 4 + 3] = src32[((imm >> 1) & 1) * 2 + 1] as number;
      return true;
    case 'pmovmskb': {
      let mask = 0;
      for (let i = 0; i < 16; i++) if ((src[i] as number) & 0x80) mask |= 1 << i;
      cpu.setReg(ins.reg, 4, mask, ins.rex);
      return true;
    }
    case 'movmskps':
      cpu.setReg(
        ins.reg,
        4,
        [0, 1, 2, 3].reduce((mask, i) => mask | (((src32[i] as number) >>> 31) << i), 0),
        ins.rex,
      );
      return true;
    case 'movmskpd':
      cpu.setReg(ins.reg, 4, ((src32[1] as number) >>> 31) | (((src32[3] as number) >>> 31) << 1), ins.rex);
      return true;
    case 'pextrw':
      cpu.setReg(ins.reg, 4, src16[imm & 7] as number, ins.rex);
      return true;
    default:
      return interleave(s, d, m);
  }
}

/** PUNPCKL/H*, UNPCKL/H*, PACK*: combine the old destination with the source. */
function interleave(s: SseState, d: number, m: string): boolean {
  const unpack = /^p?unpck([lh])(bw|wd|dq|qdq|ps|pd)$/.exec(m);
  if (unpack) {
    const high = unpack[1] === 'h';
    const w = { bw: 1, wd: 2, dq: 4, qdq: 8, ps: 4, pd: 8 }[unpack[2] as 'bw'];
    const half = high ? 8 : 0;
    for (let i = 0; i < 16 / (2 * w); i++)
      for (let b = 0; b < w; b++) {
        s.bytes[d * 16 + 2 * i * w + b] = old[half + i * w + b] as number;
        s.bytes[d * 16 + (2 * i + 1) * w + b] = src[half + i * w + b] as number;
      }
    return true;
  }
  const pack = /^pack(ss|us)(wb|dw)$/.exec(m);
  if (!pack) return false;
  const wordsToBytes = pack[2] === 'wb';
  const [lo, hi] = pack[1] === 'us' ? [0, 255] : wordsToBytes ? [-128, 127] : [-32768, 32767];
  const n = wordsToBytes ? 8 : 4;
  const read = (buffer: Uint8Array, i: number): number =>
    wordsToBytes ? (new Int16Array(buffer.buffer)[i] as number) : (new Int32Array(buffer.buffer)[i] as number);
  const copy = Uint8Array.from(src);
  for (let i = 0; i < 2 * n; i++) {
    const v = clamp(i < n ? read(old, i) : read(copy, i - n), lo, hi);
    if (wordsToBytes) s.bytes[d * 16 + i] = v;
    else s.u16[d * 8 + i] = v;
  }
  return true;
}

export function executePacked(cpu: Cpu, ins: Instr): boolean {
  switch (ins.mnemonic) {
    case 'paddq':
    case 'psubq':
      quadwords(cpu, ins, ins.mnemonic === 'psubq');
      return true;
  }
  if (logic(cpu, ins) || integerLanes(cpu, ins) || multiplies(cpu, ins) || shifts(cpu, ins) || shuffles(cpu, ins))
    return true;
  return executeFloat(cpu, ins);
}

const FLOAT_OPS: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  min: (a, b) => (a < b ? a : b),
  max: (a, b) => (a > b ? a : b),
  sqrt: (_a, b) => Math.sqrt(b),
};

/** CMPccSS/SD/PS/PD predicates 0-7: EQ LT LE UNORD NEQ NLT NLE ORD. */
function comparePredicate(p: number, a: number, b: number): boolean {
  const unordered = Number.isNaN(a) || Number.isNaN(b);
  switch (p & 7) {
    case 0:
      return a === b;
    case 1:
      return a < b;
    case 2:
      return a <= b;
    case 3:
      return unordered;
    case 4:
      return a !== b;
    case 5:
      return !(a < b);
    case 6:
      return !(a <= b);
    default:
      return !unordered;
  }
}

function executeFloat(cpu: Cpu, ins: Instr): boolean {
  const match = /^(add|sub|mul|div|min|max|sqrt|cmp)(ss|sd|ps|pd)$/.exec(ins.mnemonic);
  if (!match) return executeConversion(cpu, ins);
  const [, name, form] = match as unknown as [string, string, string];
  const double = form.endsWith('d');
  const count = form.startsWith('s') ? 1 : double ? 2 : 4;
  loadSource(cpu, ins, form.startsWith('s') ? (double ? 8 : 4) : 16);
  const s = cpu.sse;
  for (let i = 0; i < count; i++) {
    const a = double ? (s.f64[ins.reg * 2 + i] as number) : (s.f32[ins.reg * 4 + i] as number);
    const b = double ? (srcF64[i] as number) : (srcF32[i] as number);
    if (name === 'cmp') {
      const all = comparePredicate(ins.immRaw, a, b) ? 0xffffffff : 0;
      s.lanes[ins.reg * 4 + i * (double ? 2 : 1)] = all;
      if (double) s.lanes[ins.reg * 4 + i * 2 + 1] = all;
      continue;
    }
    const r = (FLOAT_OPS[name] as (a: number, b: number) => number)(a, b);
    if (double) s.f64[ins.reg * 2 + i] = r;
    else s.f32[ins.reg * 4 + i] = r;
  }
  return true;
}

/** A float to a signed integer of `bits` (32 or 64): out of range or NaN gives the "integer indefinite". */
function toInteger(cpu: Cpu, ins: Instr, v: number, truncate: boolean): void {
  const bits = ins.osize === 8 ? 64 : 32;
  const rc = (cpu.sse.mxcsr >> 13) & 3;
  let r = truncate
    ? Math.trunc(v)
    : rc === 1
      ? Math.floor(v)
      : rc === 2
        ? Math.ceil(v)
        : rc === 3
          ? Math.trunc(v)
          : roundEven(v);
  const limit = 2 ** (bits - 1);
  if (!(r >= -limit && r < limit)) r = -limit;
  if (bits === 32) cpu.setReg(ins.reg, 4, r >>> 0, ins.rex);
  else {
    const big = BigInt.asUintN(64, BigInt(r));
    cpu.setReg(ins.reg, 8, Number(big & 0xffffffffn), ins.rex, Number(big >> 32n));
  }
}

function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function executeConversion(cpu: Cpu, ins: Instr): boolean {
  const s = cpu.sse;
  const d = ins.reg;
  const m = ins.mnemonic;
  switch (m) {
    case 'cvtsi2sd':
    case 'cvtsi2ss': {
      const size = ins.osize === 8 ? 8 : 4;
      const lo = cpu.readRm(ins, size);
      const v = size === 8 ? Number(BigInt.asIntN(64, (BigInt(cpu.hiOut) << 32n) | BigInt(lo))) : lo | 0;
      if (m === 'cvtsi2sd') s.f64[d * 2] = v;
      else s.f32[d * 4] = v;
      return true;
    }
    case 'cvttsd2si':
    case 'cvtsd2si':
    case 'cvttss2si':
    case 'cvtss2si': {
      const double = m.includes('sd');
      loadSource(cpu, ins, double ? 8 : 4);
      toInteger(cpu, ins, double ? (srcF64[0] as number) : (srcF32[0] as number), m.startsWith('cvtt'));
      return true;
    }
    case 'cvtss2sd':
      loadSource(cpu, ins, 4);
      s.f64[d * 2] = srcF32[0] as number;
      return true;
    case 'cvtsd2ss':
      loadSource(cpu, ins, 8);
      s.f32[d * 4] = srcF64[0] as number;
      return true;
    case 'cvtdq2pd':
      loadSource(cpu, ins, 8);
      s.f64[d * 2] = srcI32[0] as number;
      s.f64[d * 2 + 1] = srcI32[1] as number;
      return true;
    case 'cvtdq2ps':
      loadSource(cpu, ins, 16);
      for (let i = 0; i < 4; i++) s.f32[d * 4 + i] = srcI32[i] as number;
      return true;
    case 'cvtps2pd':
      loadSource(cpu, ins, 8);
      s.f64[d * 2] = srcF32[0] as number;
      s.f64[d * 2 + 1] = srcF32[1] as number;
      return true;
    case 'cvtpd2ps':
      loadSource(cpu, ins, 16);
      s.f32[d * 4] = srcF64[0] as number;
      s.f32[d * 4 + 1] = srcF64[1] as number;
      s.lanes[d * 4 + 2] = 0;
      s.lanes[d * 4 + 3] = 0;
      return true;
    case 'cvttps2dq':
      loadSource(cpu, ins, 16);
      for (let i = 0; i < 4; i++) {
        const t = Math.trunc(srcF32[i] as number);
        s.i32[d * 4 + i] = t >= -(2 ** 31) && t < 2 ** 31 ? t : -(2 ** 31);
      }
      return true;
    default:
      if (ins.mnemonic === 'emms') return true;
      unsupported(ins);
  }
}
