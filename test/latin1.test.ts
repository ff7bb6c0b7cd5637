/**
 * Source text is one character per byte (src/core/latin1.ts): every byte 0x00-0xFF is the
 * character of that code, not windows-1252's (0x80 is U+0080, not U+20AC), and file names
 * written in the source open the file whose name is those bytes.
 */
import { describe, expect, test } from 'vitest';
import { fileNameFromSource, latin1, utf8AsBytes } from '../src/core/latin1.js';

describe('latin1', () => {
  test('maps every byte to the character of the same code', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = latin1(bytes);
    expect(text.length).toBe(256);
    for (let i = 0; i < 256; i++) expect(text.charCodeAt(i)).toBe(i);
  });

  test('a name written in the source opens the file its bytes spell; utf8AsBytes goes back', () => {
    const written = latin1(Uint8Array.from([0xc2, 0xb5, 0x2e, 0x69, 0x6e, 0x63])); // "µ.inc" in UTF-8
    expect(fileNameFromSource(written)).toBe('µ.inc');
    expect(utf8AsBytes('µ.inc')).toBe(written);
    expect(fileNameFromSource('plain.inc')).toBe('plain.inc');
  });
});
