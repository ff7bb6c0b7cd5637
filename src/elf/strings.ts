/** ELF string tables: building one (writers) and reading a name out of one (readers). */

/**
 * How a table's names are held as JavaScript strings: `utf8` (text, written as UTF-8, as the
 * linker's names read by stringAt are) or `bytes` (one character per byte, as the assembler reads
 * its source: a label spelt in UTF-8 or Latin-1 keeps its bytes, as in nasm).
 */
export type NameEncoding = 'utf8' | 'bytes';

/** A string table built in insertion order; offset 0 is the empty string. */
export class StringTableBuilder {
  /** The table so far (bytes [0, length)); grows by doubling. */
  private buffer = new Uint8Array(256);
  private readonly interned = new Map<string, number>();
  private length = 1;
  private readonly encoder = new TextEncoder();

  constructor(private readonly encoding: NameEncoding = 'utf8') {}

  /** Appends `s` (even when already present, as nasm does) and returns its offset. */
  add(s: string): number {
    const at = this.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit; plus the NUL.
    this.reserve(s.length * 3 + 1);
    let end = at;
    const buffer = this.buffer;
    const bytes = this.encoding === 'bytes';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80 && !(bytes && c <= 0xff)) {
        // Not ASCII: let TextEncoder do UTF-8 (names are rarely anything else, so no table of our own).
        end = at + this.encoder.encodeInto(s, buffer.subarray(at)).written;
        break;
      }
      buffer[end++] = c;
    }
    buffer[end] = 0;
    this.length = end + 1;
    return at;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Returns the offset of `s`, appending it only the first time (as strip writes .shstrtab). */
  intern(s: string): number {
    const known = this.interned.get(s);
    if (known !== undefined) return known;
    const at = this.add(s);
    this.interned.set(s, at);
    return at;
  }

  get size(): number {
    return this.length;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The NUL-terminated string at `start`, or undefined when `start` is outside
 * the table. Names are bytes: decoded as UTF-8 when they are valid UTF-8 (so
 * non-ASCII names print sensibly), else byte for byte.
 */
export function stringAt(table: Uint8Array, start: number): string | undefined {
  if (start >= table.length) return undefined;
  let end = start;
  while (end < table.length && table[end] !== 0) end++;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(table.subarray(start, end));
  } catch {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(table[i]!);
    return s;
  }
}

export { utf8AsBytes } from '../core/latin1.js';
