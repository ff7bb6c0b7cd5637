/**
 * A listing's text written as bytes into a buffer, decoded into a string each
 * time the buffer is full (ndisasm.ts). Addresses and hex columns go in as
 * digits, with no string per line, per address or per byte column; built as
 * strings, a long listing's lines were most of its garbage, and being kept to
 * the end, every young-generation collection copied them. One buffer serves the
 * whole listing (growing one to the listing's size cost more, in copies and
 * fresh memory, than decoding it in pieces); its 256 KB pieces are large enough
 * for V8 to put them straight into its large-object space, where collections do
 * not copy them.
 */

const HEX_DIGIT = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const SPACE = 0x20;
const NEWLINE = 0x0a;

export class TextBuffer {
  private bytes = new Uint8Array(1 << 18);
  private length = 0;
  /** The text of the buffers filled so far. */
  private written = '';
  private readonly decoder = new TextDecoder();

  /** Room for `n` more bytes: the buffer's text is set aside when it is full. */
  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    this.flush();
    if (n > this.bytes.length) this.bytes = new Uint8Array(n);
  }

  private flush(): void {
    // Joined with `+`, which links the pieces (V8 copies them once, when the text is read);
    // Array.prototype.join copied 5 MB of them at a few ns a byte.
    this.written += this.decoder.decode(this.bytes.subarray(0, this.length));
    this.length = 0;
  }

  /** Appends `text`. The disassembler's text is ASCII; anything else goes in as UTF-8. */
  text(text: string): void {
    this.reserve(text.length);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        this.utf8(text);
        return;
      }
      bytes[at++] = c;
    }
    this.length = at;
  }

  /** Appends `text` (from its start again: `text` stopped at a non-ASCII character) as UTF-8. */
  private utf8(text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.reserve(encoded.length);
    this.bytes.set(encoded, this.length);
    this.length += encoded.length;
  }

  /** Appends `count` spaces. */
  spaces(count: number): void {
    this.reserve(count);
    // A loop: a call to fill() for a handful of bytes cost more than the bytes.
    for (let i = 0; i < count; i++) this.bytes[this.length++] = SPACE;
  }

  newline(): void {
    this.reserve(1);
    this.bytes[this.length++] = NEWLINE;
  }

  /** Appends `bytes[start..end)` in hex, two upper-case digits each. */
  hexBytes(bytes: Uint8Array, start: number, end: number): void {
    this.reserve(2 * (end - start));
    const out = this.bytes;
    let at = this.length;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      out[at++] = HEX_DIGIT[b >> 4]!;
      out[at++] = HEX_DIGIT[b & 15]!;
    }
    this.length = at;
  }

  /** Appends `value` (below 2^53) in upper-case hex, at least `width` digits. */
  hexNumber(value: number, width: number): void {
    // Digits of the high part (above 32 bits) first; the low 32 bits are exact with >>>.
    const high = Math.floor(value / 0x100000000);
    const low = value >>> 0;
    let digits = 8;
    for (let h = high; h > 0; h = Math.floor(h / 16)) digits++;
    const total = Math.max(width, digits);
    this.reserve(total);
    const out = this.bytes;
    let at = this.length + total;
    for (let i = 0, l = low; i < 8; i++, l >>>= 4) out[--at] = HEX_DIGIT[l & 15]!;
    for (let h = high; h > 0; h = Math.floor(h / 16)) out[--at] = HEX_DIGIT[h % 16]!;
    while (at > this.length) out[--at] = HEX_DIGIT[0]!;
    this.length += total;
  }

  /** Everything written, as a string. */
  toString(): string {
    this.flush();
    return this.written;
  }
}
