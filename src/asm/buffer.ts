/** A growable byte buffer: a section's contents in the final pass. */
export class ByteBuffer {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  push(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  fill(value: number, count: number): void {
    this.ensure(count);
    this.buf.fill(value, this.length, this.length + count);
    this.length += count;
  }

  patch(at: number, bytes: Uint8Array): void {
    this.buf.set(bytes, at);
  }

  /**
   * Writes a little-endian field at `at` (the end appends; anything before overwrites), without
   * the Uint8Array a `push` or `patch` would take: the final pass stores one per relocated field.
   */
  writeField(at: number, size: number, value: bigint): void {
    if (at + size > this.length) {
      this.ensure(at + size - this.length);
      this.length = at + size;
    }
    let v = BigInt.asUintN(size * 8, value);
    if (size <= 4) {
      // One Number for a field of up to 4 bytes: no BigInt per byte.
      let n = Number(v);
      for (let i = 0; i < size; i++, n = Math.floor(n / 256)) this.buf[at + i] = n & 0xff;
      return;
    }
    for (let i = 0; i < size; i++, v >>= 8n) this.buf[at + i] = Number(v & 0xffn);
  }

  /** Appends `length` bytes of another buffer from `from` (the bytes saved for an instruction). */
  pushFrom(source: ByteBuffer, from: number, length: number): void {
    this.ensure(length);
    const to = this.length;
    const bytes = source.buf;
    // Instructions are at most 15 bytes: a loop costs less than the subarray `set` would need.
    for (let i = 0; i < length; i++) this.buf[to + i] = bytes[from + i]!;
    this.length += length;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Appends `copies` more copies of the last `length` bytes. */
  repeatTail(length: number, copies: number): void {
    this.ensure(length * copies);
    const from = this.length - length;
    const end = this.length + length * copies;
    // Doubling copies: O(log copies) calls even for `times 100000000 db 0`.
    let filled = length;
    while (from + filled < end) {
      const chunk = Math.min(filled, end - (from + filled));
      this.buf.copyWithin(from + filled, from, from + chunk);
      filled += chunk;
    }
    this.length = end;
  }

  /** A view of bytes already pushed (valid until the next push). */
  view(from: number, length: number): Uint8Array {
    return this.buf.subarray(from, from + length);
  }

  slice(from: number): Uint8Array {
    return this.buf.slice(from, this.length);
  }
}
