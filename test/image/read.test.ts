/**
 * readImage and --explain: reading back what buildImage wrote, and refusing
 * archives whose digests, sizes or references do not hold.
 */
import { describe, expect, it } from 'vitest';
import { pack } from 'tar-stream';
import { buildImage, explainImage, ImageError, readImage } from '../../src/image/index.js';
import { HELLO32, HELLO64, json, sha256, untar, type Member } from './helpers.js';

/** Writes `members` back into a tar with tar-stream, after `change` edits them. */
async function repack(archive: Uint8Array, change: (members: Member[]) => void): Promise<Uint8Array> {
  const members = await untar(archive);
  change(members);
  const writer = pack();
  const chunks: Buffer[] = [];
  writer.on('data', (c: unknown) => {
    chunks.push(Buffer.from(c as Uint8Array));
  });
  const ended = new Promise<void>((resolve) => {
    writer.on('end', () => {
      resolve();
    });
  });
  for (const m of members)
    writer.entry({ name: m.name, mode: m.mode, type: m.type === 'directory' ? 'directory' : 'file' }, m.data);
  writer.finalize();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

function flipFirst(archive: Uint8Array, needle: Uint8Array): Uint8Array {
  const copy = Buffer.from(archive);
  const at = copy.indexOf(Buffer.from(needle));
  expect(at).toBeGreaterThan(0);
  copy[at + needle.length - 1]! ^= 0xff;
  return new Uint8Array(copy);
}

describe('readImage', () => {
  for (const format of ['oci', 'docker'] as const)
    it(`reads back a ${format} archive: platform, entry point, layer files, digests`, async () => {
      const archive = await buildImage({ files: [{ path: '/hello', data: HELLO64 }], format, tag: 'hello:latest' });
      const info = await readImage(archive);
      expect(info.format).toBe(format);
      expect(info.reference).toBe('hello:latest');
      expect(info.archiveSize).toBe(archive.length);
      expect([info.config.architecture, info.config.os]).toEqual(['amd64', 'linux']);
      expect(info.config.entrypoint).toEqual(['/hello']);
      expect(info.layers).toHaveLength(1);
      expect(info.layers[0]!.files).toEqual([
        { path: 'hello', type: 'file', mode: 0o755, size: HELLO64.length, uid: 0, gid: 0, mtime: 0 },
      ]);
      expect(info.layers[0]!.diffId).toBe(info.config.diffIds[0]);
      expect(info.manifest === undefined).toBe(format === 'docker');
    });

  it('refuses a layer whose bytes no longer match its digest', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }] });
    const damaged = flipFirst(archive, HELLO32.slice(0, 64));
    await expect(readImage(damaged)).rejects.toThrow(/layer 0: blob blobs\/sha256\/[0-9a-f]{64} has digest sha256:/);
  });

  it('refuses a docker config whose bytes no longer match its name', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }], format: 'docker' });
    const damaged = flipFirst(archive, new TextEncoder().encode('"architecture":"386"'));
    await expect(readImage(damaged)).rejects.toThrow(/config: [0-9a-f]{64}\.json has digest/);
  });

  it('refuses a descriptor whose size is wrong', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }] });
    const damaged = await repack(archive, (members) => {
      const index = members.find((m) => m.name === 'index.json')!;
      const value = json(index.data) as { manifests: { size: number }[] };
      value.manifests[0]!.size += 1;
      index.data = Buffer.from(JSON.stringify(value));
    });
    await expect(readImage(damaged)).rejects.toThrow(/manifest: blob .* is \d+ bytes, descriptor says \d+/);
  });

  it('refuses a config whose diff_id does not match the layer', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }], format: 'docker' });
    const damaged = await repack(archive, (members) => {
      const config = members.find((m) => /^[0-9a-f]{64}\.json$/.test(m.name))!;
      const value = json(config.data) as { rootfs: { diff_ids: string[] } };
      value.rootfs.diff_ids = [sha256(new Uint8Array(1))];
      config.data = Buffer.from(JSON.stringify(value));
      config.name = `${sha256(config.data).slice(7)}.json`;
      const list = members.find((m) => m.name === 'manifest.json')!;
      list.data = Buffer.from(list.data.toString().replace(/[0-9a-f]{64}\.json/, config.name));
    });
    await expect(readImage(damaged)).rejects.toThrow(/layer 0: uncompressed digest sha256:\w+ differs from diff_id/);
  });

  it('refuses a missing blob, and archives of neither layout', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }] });
    const missing = await repack(archive, (members) => {
      members.splice(
        members.findIndex((m) => m.data.length === 2048),
        1,
      );
    });
    await expect(readImage(missing)).rejects.toThrow(/layer 0: blobs\/sha256\/\w+ is missing from the archive/);
    const neither = await repack(archive, (members) => members.splice(0, members.length));
    await expect(readImage(neither)).rejects.toThrow(/neither an OCI layout/);
    await expect(readImage(HELLO32)).rejects.toBeInstanceOf(ImageError);
  });
});

describe('explainImage', () => {
  it('names every part with its digest and size, and what points where', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }], tag: 'hello:latest' });
    const info = await readImage(archive);
    const text = await explainImage(archive);
    const manifest = info.manifest!;
    expect(text).toContain(`OCI image layout: ${String(archive.length)} bytes, tag hello:latest`);
    expect(text).toContain('platform linux/386; files in the layers: 392 bytes');
    expect(text).toContain(`digest    ${manifest.digest}  (${String(manifest.size)} bytes)`);
    expect(text).toContain(`  → config  ${info.config.digest}`);
    expect(text).toContain(`  → layer 0 ${info.layers[0]!.digest}`);
    expect(text).toContain(`rootfs.diff_ids[0] ${info.config.diffIds[0]!} → layer 0`);
    expect(text).toContain('-rwxr-xr-x 0/0      392  /hello');
    expect(text).toContain('Entrypoint ["/hello"]');
  });
});
