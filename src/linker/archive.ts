/**
 * Static `ar` archives (System V / GNU format, as `ar rcs` writes them):
 * the member list plus the archive symbol index ("/" member), which decides
 * which members get pulled, and in which order, exactly like ld.
 */
import { LinkError } from './types.js';

export interface ArchiveMember {
  name: string;
  /** Offset of the member header in the archive; the symbol index refers to it. */
  headerOffset: number;
  data: Uint8Array;
}

export interface Archive {
  members: ArchiveMember[];
  /** Symbol index in archive order: (symbol, member) pairs. Empty when the archive has none. */
  index: Array<{ symbol: string; member: ArchiveMember }>;
  hasIndex: boolean;
}

const MAGIC = '!<arch>\n';

export function isArchive(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

export function readArchive(name: string, bytes: Uint8Array): Archive {
  const fail = (msg: string): never => {
    throw new LinkError(`${name}: ${msg}`);
  };
  const members: ArchiveMember[] = [];
  const byOffset = new Map<number, ArchiveMember>();
  let symbolTable: Uint8Array | null = null;
  let longNames: Uint8Array | null = null;
  let pos = 8;
  while (pos < bytes.length) {
    if (bytes.length - pos === 1 && bytes[pos] === 0x0a) break;
    if (pos + 60 > bytes.length) fail('truncated archive member header');
    if (bytes[pos + 58] !== 0x60 || bytes[pos + 59] !== 0x0a) fail(`malformed archive member header at offset ${pos}`);
    const rawName = ascii(bytes, pos, 16).trimEnd();
    const sizeText = ascii(bytes, pos + 48, 10).trim();
    if (!/^\d+$/.test(sizeText)) fail(`malformed archive member size at offset ${pos}`);
    const size = Number(sizeText);
    const start = pos + 60;
    if (start + size > bytes.length) fail('truncated archive member');
    const data = bytes.subarray(start, start + size);
    if (rawName === '/' || rawName === '/SYM64/') {
      symbolTable = data;
    } else if (rawName === '//') {
      longNames = data;
    } else {
      let memberName = rawName;
      if (/^\/\d+$/.test(rawName)) {
        const off = Number(rawName.slice(1));
        if (!longNames || off >= longNames.length) fail('bad long member name reference');
        let end = off;
        while (end < longNames!.length && longNames![end] !== 0x0a) end++;
        memberName = ascii(longNames!, off, end - off);
      }
      if (memberName.endsWith('/')) memberName = memberName.slice(0, -1);
      const member = { name: memberName, headerOffset: pos, data };
      members.push(member);
      byOffset.set(pos, member);
    }
    pos = start + size + (size & 1);
  }

  const index: Archive['index'] = [];
  if (symbolTable) {
    const t = symbolTable;
    if (t.length < 4) fail('truncated archive symbol index');
    const view = new DataView(t.buffer, t.byteOffset, t.byteLength);
    const count = view.getUint32(0, false);
    if (4 + count * 4 > t.length) fail('truncated archive symbol index');
    let strPos = 4 + count * 4;
    for (let i = 0; i < count; i++) {
      const off = view.getUint32(4 + i * 4, false);
      let end = strPos;
      while (end < t.length && t[end] !== 0) end++;
      const symbol = ascii(t, strPos, end - strPos);
      strPos = end + 1;
      const member = byOffset.get(off);
      if (!member) fail(`archive symbol index refers to no member (offset ${off})`);
      index.push({ symbol, member: member! });
    }
  }
  return { members, index, hasIndex: symbolTable !== null };
}
