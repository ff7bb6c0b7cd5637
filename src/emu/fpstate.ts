/**
 * Floating-point state: the x87 register stack (values held as JavaScript
 * doubles, so arithmetic is IEEE double precision rather than the x87's
 * 64-bit-mantissa extended precision; 80-bit loads and stores convert), its
 * control, status and tag words; and the SSE registers (xmm0-15 as 32-bit
 * lanes) with MXCSR.
 */

export class FpuState {
  readonly st = new Float64Array(8);
  /** One per physical register: true when empty. */
  readonly empty: boolean[] = new Array<boolean>(8).fill(true);
  top = 0;
  /** Control word: all exceptions masked, 64-bit precision, round to nearest (FNINIT's 0x037F). */
  control = 0x037f;
  /** Status word without TOP (C0-C3 and the exception bits). */
  status = 0;

  reset(): void {
    this.top = 0;
    this.empty.fill(true);
    this.control = 0x037f;
    this.status = 0;
  }

  /** Physical index of ST(i). */
  index(i: number): number {
    return (this.top + i) & 7;
  }

  get(i: number): number {
    return this.st[this.index(i)] as number;
  }

  set(i: number, v: number): void {
    const n = this.index(i);
    this.st[n] = v;
    this.empty[n] = false;
  }

  push(v: number): void {
    this.top = (this.top - 1) & 7;
    this.set(0, v);
  }

  pop(): number {
    const v = this.get(0);
    this.empty[this.index(0)] = true;
    this.top = (this.top + 1) & 7;
    return v;
  }

  /** The status word as FNSTSW stores it (TOP in bits 11-13). */
  statusWord(): number {
    return (this.status & ~0x3800) | (this.top << 11);
  }

  /** The tag word as FNSTENV stores it (00 valid, 11 empty; zero and special not told apart). */
  tagWord(): number {
    let w = 0;
    for (let i = 0; i < 8; i++) if (this.empty[i]) w |= 3 << (i * 2);
    return w;
  }

  /** Rounds to an integer the way the control word's RC field says. */
  round(v: number): number {
    switch ((this.control >> 10) & 3) {
      case 0: {
        const r = Math.round(v);
        // Math.round takes halves up; the x87 takes them to even.
        return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
      }
      case 1:
        return Math.floor(v);
      case 2:
        return Math.ceil(v);
      default:
        return Math.trunc(v);
    }
  }
}

export class SseState {
  /** xmm0-xmm15, four 32-bit lanes each (lane 0 the lowest). */
  readonly lanes = new Uint32Array(64);
  /** Float views of the same bytes (little-endian host assumed, as every JavaScript engine in use is). */
  readonly f64 = new Float64Array(this.lanes.buffer);
  readonly f32 = new Float32Array(this.lanes.buffer);
  readonly bytes = new Uint8Array(this.lanes.buffer);
  readonly u16 = new Uint16Array(this.lanes.buffer);
  readonly i8 = new Int8Array(this.lanes.buffer);
  readonly i16 = new Int16Array(this.lanes.buffer);
  readonly i32 = new Int32Array(this.lanes.buffer);
  mxcsr = 0x1f80;
}

const scratch = new DataView(new ArrayBuffer(16));

/** A double from the 10 bytes of an x87 extended-precision value. */
export function fromExtended(bytes: Uint8Array): number {
  for (let i = 0; i < 10; i++) scratch.setUint8(i, bytes[i] as number);
  const mantissa = scratch.getBigUint64(0, true);
  const se = scratch.getUint16(8, true);
  const sign = se & 0x8000 ? -1 : 1;
  const exponent = se & 0x7fff;
  if (exponent === 0x7fff) return mantissa << 1n === 0n ? sign * Infinity : NaN;
  if (exponent === 0 && mantissa === 0n) return sign * 0;
  return sign * Number(mantissa) * 2 ** (exponent - 16383 - 63);
}

/** The 10 bytes of an x87 extended-precision value holding `v` exactly. */
export function toExtended(v: number): Uint8Array {
  const out = new Uint8Array(10);
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  let exponent = 0;
  let mantissa = 0n;
  if (Number.isNaN(v)) {
    exponent = 0x7fff;
    mantissa = 0xc000000000000000n;
  } else if (!Number.isFinite(v)) {
    exponent = 0x7fff;
    mantissa = 0x8000000000000000n;
  } else if (v !== 0) {
    let a = Math.abs(v);
    let e = Math.floor(Math.log2(a));
    // Correct log2's rounding so that 1 <= a / 2^e < 2.
    if (a / 2 ** e >= 2) e++;
    if (a / 2 ** e < 1) e--;
    a = a / 2 ** e; // exact: a power-of-two scaling
    exponent = e + 16383;
    mantissa = BigInt(a * 2 ** 52) << 11n;
  }
  scratch.setBigUint64(0, mantissa, true);
  scratch.setUint16(8, exponent | sign, true);
  for (let i = 0; i < 10; i++) out[i] = scratch.getUint8(i);
  return out;
}
