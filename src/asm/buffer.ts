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
