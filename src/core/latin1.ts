/**
 * Source text as nasm reads it: one character per byte (ISO 8859-1), so every byte of a source or
 * included file, UTF-8 sequences included, reaches strings, listings and messages unchanged.
 * Not TextDecoder('latin1'): the Encoding Standard makes that label windows-1252, which browsers
 * follow (byte 0x80 would become U+20AC, and `db` would write it back as UTF-8).
 */
export function latin1(bytes: Uint8Array): string {
  // Node's Buffer decodes natively (milliseconds for megabytes); spreading bytes into fromCharCode took seconds.
  const nodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (nodeBuffer !== undefined)
    return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let text = '';
  const chunk = 0x1000;
  for (let i = 0; i < bytes.length; i += chunk) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  }
  return text;
}

/**
 * The name to open for a file name written in the source (one character per byte): its bytes
 * read as UTF-8, the encoding file names have on the systems nasm users run (`%include "µ.inc"`
 * names the file whose name is those two bytes). Plain ASCII names are returned as they are.
 */
export function fileNameFromSource(written: string): string {
  if (!/[\u0080-\u00ff]/.test(written)) return written;
  return new TextDecoder().decode(Uint8Array.from(written, (c) => c.charCodeAt(0) & 0xff));
}

/**
 * Text as one character per byte of its UTF-8 form: a name from outside the source (the command
 * line's file name) in the source's convention, for the places that write it as bytes (__FILE__,
 * ELF string tables, messages).
 */
export function utf8AsBytes(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  if (ascii) return text;
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}
