/**
 * buildImage: the archive's structure, digests recomputed here from the bytes
 * (with node:crypto and tar-stream directly, not through src/image), config
 * fields, the architecture from the ELF header, determinism.
 */
import { describe, expect, it } from 'vitest';
import { buildImage, ImageError } from '../../src/image/index.js';
import { HELLO32, HELLO64, gunzip, json, member, sha256, untar } from './helpers.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}
interface Manifest {
  schemaVersion: number;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}
interface Config {
  architecture: string;
  os: string;
  created?: string;
  history?: unknown[];
  config: { Entrypoint: string[]; Env?: string[]; Labels?: Record<string, string> };
  rootfs: { type: string; diff_ids: string[] };
}

const blobPath = (digest: string) => `blobs/sha256/${digest.slice('sha256:'.length)}`;

describe('OCI image layout', () => {
  it('has oci-layout, index.json and three blobs, each named by the sha256 of its content', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }], tag: 'hello:latest' });
    const members = await untar(archive);
    expect(members.map((m) => m.name)).toEqual([
      'blobs/',
      'blobs/sha256/',
      ...members.filter((m) => m.name.length > 'blobs/sha256/'.length).map((m) => m.name),
      'index.json',
      'oci-layout',
    ]);
    const blobs = members.filter((m) => m.type === 'file' && m.name.startsWith('blobs/sha256/'));
    expect(blobs).toHaveLength(3);
    for (const blob of blobs) expect(sha256(blob.data)).toBe(`sha256:${blob.name.slice('blobs/sha256/'.length)}`);
    expect(json(member(members, 'oci-layout').data)).toEqual({ imageLayoutVersion: '1.0.0' });
  });

  it('index.json → manifest → config and layer, with matching sizes and digests', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }], tag: 'hello:latest' });
    const members = await untar(archive);
    const index = json(member(members, 'index.json').data) as { manifests: Descriptor[] };
    expect(index.manifests).toHaveLength(1);
    const top = index.manifests[0]!;
    expect(top.annotations).toEqual({ 'org.opencontainers.image.ref.name': 'hello:latest' });
    expect(top.platform).toEqual({ architecture: '386', os: 'linux' });
    const manifestBytes = member(members, blobPath(top.digest)).data;
    expect(manifestBytes.length).toBe(top.size);
    expect(sha256(manifestBytes)).toBe(top.digest);

    const manifest = json(manifestBytes) as unknown as Manifest;
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config.mediaType).toBe('application/vnd.oci.image.config.v1+json');
    const configBytes = member(members, blobPath(manifest.config.digest)).data;
    expect([configBytes.length, sha256(configBytes)]).toEqual([manifest.config.size, manifest.config.digest]);

    expect(manifest.layers).toHaveLength(1);
    const layerDescriptor = manifest.layers[0]!;
    expect(layerDescriptor.mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
    const layerBytes = member(members, blobPath(layerDescriptor.digest)).data;
    expect([layerBytes.length, sha256(layerBytes)]).toEqual([layerDescriptor.size, layerDescriptor.digest]);

    const config = json(configBytes) as unknown as Config;
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: [sha256(layerBytes)] });
  });

  it('the layer holds the executable at /hello, mode 0755, owned by 0/0, byte for byte', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO32 }] });
    const members = await untar(archive);
    const layerName = members.find((m) => m.data.length > 1024 && m.name.startsWith('blobs/'))!.name;
    const layer = await untar(member(members, layerName).data);
    expect(layer).toHaveLength(1);
    const hello = layer[0]!;
    expect({ name: hello.name, type: hello.type, mode: hello.mode, uid: hello.uid, gid: hello.gid }).toEqual({
      name: 'hello',
      type: 'file',
      mode: 0o755,
      uid: 0,
      gid: 0,
    });
    expect([hello.uname, hello.gname]).toEqual(['', '']);
    expect(new Uint8Array(hello.data)).toEqual(HELLO32);
  });

  it('a file in a folder brings its parent directories, sorted, mode 0755', async () => {
    const archive = await buildImage({
      files: [
        { path: '/usr/bin/hello', data: HELLO32 },
        { path: '/etc/motd', data: new TextEncoder().encode('hi\n'), mode: 0o644 },
      ],
      format: 'docker',
    });
    const members = await untar(archive);
    const layer = await untar(members.find((m) => m.name.endsWith('/layer.tar'))!.data);
    expect(layer.map((m) => [m.name, m.type, m.mode.toString(8)])).toEqual([
      ['etc/', 'directory', '755'],
      ['etc/motd', 'file', '644'],
      ['usr/', 'directory', '755'],
      ['usr/bin/', 'directory', '755'],
      ['usr/bin/hello', 'file', '755'],
    ]);
  });

  it('--gzip: the layer blob is gzip, its diff_id the digest of the tar inside', async () => {
    const archive = await buildImage({ files: [{ path: '/hello', data: HELLO64 }], gzip: true });
    const members = await untar(archive);
    const index = json(member(members, 'index.json').data) as { manifests: Descriptor[] };
    const manifest = json(member(members, blobPath(index.manifests[0]!.digest)).data) as unknown as Manifest;
    const layerDescriptor = manifest.layers[0]!;
    expect(layerDescriptor.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    const compressed = member(members, blobPath(layerDescriptor.digest)).data;
    expect(sha256(compressed)).toBe(layerDescriptor.digest);
    const config = json(member(members, blobPath(manifest.config.digest)).data) as unknown as Config;
    expect(config.rootfs.diff_ids).toEqual([sha256(gunzip(compressed))]);
    expect(config.rootfs.diff_ids[0]).not.toBe(layerDescriptor.digest);
  });
});

describe('docker archive', () => {
  it('manifest.json names the config (by its digest) and the layer; repositories maps the tag', async () => {
    const archive = await buildImage({
      files: [{ path: '/hello', data: HELLO32 }],
      format: 'docker',
      tag: 'hi/hello:v1',
    });
    const members = await untar(archive);
    const list = JSON.parse(member(members, 'manifest.json').data.toString()) as {
      Config: string;
      RepoTags: string[];
      Layers: string[];
    }[];
    expect(list).toHaveLength(1);
    const entry = list[0]!;
    expect(entry.RepoTags).toEqual(['hi/hello:v1']);
    const configBytes = member(members, entry.Config).data;
    expect(entry.Config).toBe(`${sha256(configBytes).slice(7)}.json`);
    expect(entry.Layers).toHaveLength(1);
    const layerBytes = member(members, entry.Layers[0]!).data;
    const layerId = sha256(layerBytes).slice(7);
    expect(entry.Layers[0]).toBe(`${layerId}/layer.tar`);
    const config = json(configBytes) as unknown as Config;
    expect(config.rootfs.diff_ids).toEqual([`sha256:${layerId}`]);
    expect(json(member(members, 'repositories').data)).toEqual({ 'hi/hello': { v1: layerId } });
    expect(members.some((m) => m.name === 'oci-layout' || m.name === 'index.json')).toBe(false);
  });

  it('without a tag: RepoTags null and no repositories file', async () => {
    const members = await untar(await buildImage({ files: [{ path: '/hello', data: HELLO32 }], format: 'docker' }));
    expect((JSON.parse(member(members, 'manifest.json').data.toString()) as { RepoTags: unknown }[])[0]!.RepoTags).toBe(
      null,
    );
    expect(members.some((m) => m.name === 'repositories')).toBe(false);
  });
});

async function configOf(archive: Uint8Array): Promise<Config> {
  const members = await untar(archive);
  const list = JSON.parse(member(members, 'manifest.json').data.toString()) as { Config: string }[];
  return json(member(members, list[0]!.Config).data) as unknown as Config;
}

describe('config', () => {
  it('architecture from the ELF header: ELF32 i386 → 386, ELF64 x86-64 → amd64', async () => {
    const c32 = await configOf(await buildImage({ files: [{ path: '/hello', data: HELLO32 }], format: 'docker' }));
    const c64 = await configOf(await buildImage({ files: [{ path: '/hello', data: HELLO64 }], format: 'docker' }));
    expect([c32.architecture, c32.os]).toEqual(['386', 'linux']);
    expect([c64.architecture, c64.os]).toEqual(['amd64', 'linux']);
  });

  it('Entrypoint, Env and Labels (sorted); no created/history unless asked', async () => {
    const config = await configOf(
      await buildImage({
        files: [{ path: '/bin/hello', data: HELLO32 }],
        format: 'docker',
        env: ['LANG=C', 'EMPTY='],
        labels: ['z=last', 'author=tsimage', 'eq=a=b'],
      }),
    );
    expect(config.config).toEqual({
      Entrypoint: ['/bin/hello'],
      Env: ['LANG=C', 'EMPTY='],
      Labels: { author: 'tsimage', eq: 'a=b', z: 'last' },
    });
    expect(Object.keys(config.config.Labels!)).toEqual(['author', 'eq', 'z']);
    expect('created' in config || 'history' in config).toBe(false);
  });

  it('created and history at the given time when asked', async () => {
    const config = await configOf(
      await buildImage({ files: [{ path: '/hello', data: HELLO32 }], format: 'docker', created: 1556409600 }),
    );
    expect(config.created).toBe('2019-04-28T00:00:00.000Z');
    expect(config.history).toEqual([{ created: '2019-04-28T00:00:00.000Z', created_by: 'tsimage' }]);
  });

  it('an explicit arch wins over the ELF header (entry point outside the files)', async () => {
    const config = await configOf(
      await buildImage({
        files: [{ path: '/data', data: new Uint8Array([1, 2, 3]) }],
        entrypoint: ['/proc/self/exe'],
        arch: 'amd64',
        format: 'docker',
      }),
    );
    expect(config.architecture).toBe('amd64');
    expect(config.config.Entrypoint).toEqual(['/proc/self/exe']);
  });
});

describe('determinism', () => {
  it('the same inputs give the same bytes, in both formats, with and without gzip', async () => {
    for (const format of ['oci', 'docker'] as const)
      for (const gzip of [false, true]) {
        const options = { files: [{ path: '/hello', data: HELLO32 }], format, gzip, tag: 'hello:latest' };
        const a = await buildImage(options);
        const b = await buildImage({ ...options, files: [{ path: '/hello', data: HELLO32.slice() }] });
        expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      }
  });

  it('every tar entry has mtime 0 by default, SOURCE_DATE_EPOCH-style mtime when given', async () => {
    for (const [mtime, expected] of [
      [undefined, 0],
      [1556409600, 1556409600],
    ] as const) {
      const archive = await buildImage({
        files: [{ path: '/hello', data: HELLO32 }],
        ...(mtime !== undefined ? { mtime } : {}),
      });
      const members = await untar(archive);
      const layer = members.find((m) => m.name.startsWith('blobs/sha256/') && m.data.length === 2048)!;
      const all = [...members, ...(await untar(layer.data))];
      expect(new Set(all.map((m) => m.mtime))).toEqual(new Set([expected]));
      expect(new Set(all.map((m) => `${String(m.uid)}/${String(m.gid)}`))).toEqual(new Set(['0/0']));
    }
  });

  it('file order in the input does not change the image', async () => {
    const a = { path: '/a', data: new Uint8Array([1]) };
    const hello = { path: '/hello', data: HELLO32 };
    const one = await buildImage({ files: [hello, a], entrypoint: ['/hello'] });
    const two = await buildImage({ files: [a, hello], entrypoint: ['/hello'] });
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true);
  });
});

describe('bad input', () => {
  const hello = { path: '/hello', data: HELLO32 };
  const cases: [string, Parameters<typeof buildImage>[0], RegExp][] = [
    ['not an ELF', { files: [{ path: '/hello', data: new TextEncoder().encode('#!/bin/sh\n') }] }, /not an ELF/],
    ['an object file', { files: [{ path: '/hello', data: patched(HELLO32, 16, 1) }] }, /not an executable/],
    [
      'an ARM executable',
      { files: [{ path: '/hello', data: patched(HELLO32, 18, 40) }] },
      /unsupported ELF machine 40/,
    ],
    ['a truncated header', { files: [{ path: '/hello', data: HELLO64.slice(0, 40) }] }, /truncated ELF header/],
    ['no files', { files: [] }, /no files/],
    ['an uppercase tag', { files: [hello], tag: 'Hello:latest' }, /invalid image name `Hello:latest'/],
    ['a bad tag', { files: [hello], tag: 'hello:-x' }, /invalid image tag `-x'/],
    ['a relative path', { files: [{ path: 'hello', data: HELLO32 }] }, /must be absolute/],
    ['a .. path', { files: [{ path: '/../hello', data: HELLO32 }] }, /must not contain/],
    ['a path given twice', { files: [hello, { path: '//hello', data: HELLO32 }] }, /given twice/],
    ['a file under a file', { files: [hello, { path: '/hello/x', data: HELLO32 }] }, /both a file and a directory/],
    ['an env item without =', { files: [hello], env: ['PATH'] }, /invalid environment variable `PATH'/],
    ['a label without a key', { files: [hello], labels: ['=x'] }, /invalid label `=x'/],
    ['an entry point not in the image', { files: [hello], entrypoint: ['/sh'] }, /entry point `\/sh'/],
  ];
  for (const [what, options, message] of cases)
    it(`${what} → ImageError`, async () => {
      const attempt = buildImage(options);
      await expect(attempt).rejects.toBeInstanceOf(ImageError);
      await expect(attempt).rejects.toThrow(message);
    });
});

function patched(data: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = data.slice();
  copy[offset] = value;
  copy[offset + 1] = 0;
  return copy;
}
