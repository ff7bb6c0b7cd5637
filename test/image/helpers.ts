/** Shared by the tsimage tests: fixture programs and an independent look inside archives. */
import { spawnSync } from '../helpers/spawn.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES = join(ROOT, 'fixtures/image');
/** The post's hello, linked by real ld for i386 (392 bytes, same bytes tsld writes). */
export const HELLO32 = new Uint8Array(readFileSync(join(FIXTURES, 'hello32')));
/** hello64.asm linked by real ld for x86-64. */
export const HELLO64 = new Uint8Array(readFileSync(join(FIXTURES, 'hello64')));

export interface Member {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  data: Buffer;
}

/** Lists a tar archive with tar-stream directly (not through src/image), in archive order. */
export async function untar(bytes: Uint8Array): Promise<Member[]> {
  const reader = extract();
  const members: Member[] = [];
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(Buffer.from(chunk as Uint8Array));
      const h = entry.header;
      members.push({
        name: h.name,
        type: h.type,
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        uname: h.uname,
        gname: h.gname,
        mtime: h.mtime.getTime() / 1000,
        data: Buffer.concat(chunks),
      });
    }
  })();
  reader.end(Buffer.from(bytes));
  await done;
  return members;
}

export function member(members: Member[], name: string): Member {
  const found = members.find((m) => m.name === name);
  if (found === undefined) throw new Error(`${name} not in archive: ${members.map((m) => m.name).join(', ')}`);
  return found;
}

export function sha256(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function json(data: Buffer): Record<string, unknown> {
  return JSON.parse(data.toString('utf8')) as Record<string, unknown>;
}

export function gunzip(data: Uint8Array): Buffer {
  return gunzipSync(data);
}

/** Whether `tool` runs here (for skipping live tests with a visible message). */
export function hasTool(tool: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}
