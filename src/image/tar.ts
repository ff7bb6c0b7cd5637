/**
 * Tar archives through tar-stream (ustar headers, no hand-written format code).
 * Writing is deterministic: entries are sorted by path, owners are 0/0 with no
 * user or group names, and every entry gets the same mtime.
 */
import { extract, pack, type Header } from 'tar-stream';
import { ImageError } from './errors.js';
import { concatBytes } from '../elf/strings.js';

export interface TarEntry {
  /** Path inside the archive; directories end with `/`. */
  path: string;
  /** File contents (empty for directories). */
  data: Uint8Array;
  /** Permission bits, e.g. 0o755. */
  mode: number;
}

export interface ReadEntry extends TarEntry {
  type: Header['type'];
  uid: number;
  gid: number;
  mtime: number;
}

function byPath(a: TarEntry, b: TarEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Builds a tar archive of `entries` (sorted here) with every mtime set to `mtimeSeconds`. */
export async function writeTar(entries: readonly TarEntry[], mtimeSeconds: number): Promise<Uint8Array> {
  const archive = pack();
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (chunk: unknown) => {
      if (chunk instanceof Uint8Array) chunks.push(chunk);
    });
    archive.on('end', () => {
      resolve();
    });
    archive.on('error', reject);
  });
  const mtime = new Date(mtimeSeconds * 1000);
  for (const entry of [...entries].sort(byPath)) {
    const isDirectory = entry.path.endsWith('/');
    const header: Header = {
      name: entry.path,
      size: isDirectory ? 0 : entry.data.length,
      mode: entry.mode,
      mtime,
      type: isDirectory ? 'directory' : 'file',
      linkname: '',
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      devmajor: 0,
      devminor: 0,
    };
    archive.entry(header, isDirectory ? new Uint8Array(0) : entry.data);
  }
  archive.finalize();
  await done;
  return concatBytes(chunks);
}

/** Reads every entry of a tar archive; a damaged archive is an ImageError naming `what`. */
export async function readTar(bytes: Uint8Array, what: string): Promise<ReadEntry[]> {
  const reader = extract();
  const entries: ReadEntry[] = [];
  const done = (async () => {
    for await (const source of reader) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of source) if (chunk instanceof Uint8Array) chunks.push(chunk);
      const h = source.header;
      const data = concatBytes(chunks);
      if (data.length !== h.size) throw new ImageError(`${what}: entry ${h.name} is truncated`);
      entries.push({
        path: h.name,
        data,
        mode: h.mode,
        type: h.type,
        uid: h.uid,
        gid: h.gid,
        mtime: Math.floor(h.mtime.getTime() / 1000),
      });
    }
  })();
  reader.end(bytes);
  try {
    await done;
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new ImageError(`${what}: not a valid tar archive (${e instanceof Error ? e.message : String(e)})`);
  }
  return entries;
}
