/**
 * readImage: the reader that checks an archive written by buildImage (or by
 * docker/podman/skopeo, in the same two layouts). Every reference is followed
 * and checked: blob digests recomputed from content, descriptor sizes against
 * blob lengths, the config's diff_ids against the uncompressed layers.
 */
import { digestOf, gunzip } from './digest.js';
import { ImageError } from './errors.js';
import { asArray, asObject, asSize, asString, asStringMap, asStrings, parseJson, type JsonObject } from './json.js';
import type { ImageFormat } from './build.js';
import { OCI_LAYER_GZIP, REF_NAME } from './media.js';
import { readTar, type ReadEntry } from './tar.js';

export interface StoredBlob {
  /** Path of the blob inside the archive. */
  path: string;
  /** `sha256:<hex>` recomputed from the content. */
  digest: string;
  size: number;
}

export interface LayerFile {
  path: string;
  type: ReadEntry['type'];
  mode: number;
  size: number;
  uid: number;
  gid: number;
  mtime: number;
}

export interface LayerInfo extends StoredBlob {
  mediaType: string;
  /** Digest of the uncompressed tar, as listed in the config's rootfs.diff_ids. */
  diffId: string;
  uncompressedSize: number;
  files: LayerFile[];
}

export interface ConfigInfo extends StoredBlob {
  architecture: string;
  os: string;
  entrypoint: string[];
  cmd: string[];
  env: string[];
  labels: Record<string, string>;
  created: string | undefined;
  diffIds: string[];
  json: JsonObject;
}

export interface ImageInfo {
  format: ImageFormat;
  archiveSize: number;
  /** Top-level files of the archive (oci-layout, index.json / manifest.json, repositories). */
  entries: { path: string; size: number }[];
  /** The tag: index.json's ref.name annotation or the first of Docker's RepoTags. */
  reference: string | undefined;
  /** The OCI manifest blob (a docker archive has none: docker load derives it). */
  manifest: (StoredBlob & { json: JsonObject }) | undefined;
  config: ConfigInfo;
  layers: LayerInfo[];
}

type Files = Map<string, ReadEntry>;

function entry(files: Files, path: string, what: string): ReadEntry {
  const found = files.get(path);
  if (found === undefined || found.type !== 'file')
    throw new ImageError(`${what}: ${path} is missing from the archive`);
  return found;
}

function stored(file: ReadEntry): StoredBlob {
  return { path: file.path, digest: digestOf(file.data), size: file.data.length };
}

/** The blob a descriptor names, checked against the descriptor's digest and size. */
function ociBlob(files: Files, descriptor: JsonObject, what: string): ReadEntry {
  const digest = asString(descriptor['digest'], `${what} digest`);
  const size = asSize(descriptor['size'], `${what} size`);
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new ImageError(`${what}: unsupported digest ${digest}`);
  const file = entry(files, `blobs/sha256/${digest.slice(7)}`, what);
  const actual = digestOf(file.data);
  if (actual !== digest) throw new ImageError(`${what}: blob ${file.path} has digest ${actual}, expected ${digest}`);
  if (file.data.length !== size)
    throw new ImageError(
      `${what}: blob ${file.path} is ${String(file.data.length)} bytes, descriptor says ${String(size)}`,
    );
  return file;
}

function configInfo(file: ReadEntry): ConfigInfo {
  const json = asObject(parseJson(file.data, 'config'), 'config');
  const run = json['config'] === undefined || json['config'] === null ? {} : asObject(json['config'], 'config.config');
  const rootfs = asObject(json['rootfs'], 'config.rootfs');
  const optionalStrings = (v: unknown, what: string) => (v === undefined || v === null ? [] : asStrings(v, what));
  return {
    ...stored(file),
    architecture: asString(json['architecture'], 'config.architecture'),
    os: asString(json['os'], 'config.os'),
    entrypoint: optionalStrings(run['Entrypoint'], 'config.config.Entrypoint'),
    cmd: optionalStrings(run['Cmd'], 'config.config.Cmd'),
    env: optionalStrings(run['Env'], 'config.config.Env'),
    labels: asStringMap(run['Labels'], 'config.config.Labels'),
    created: json['created'] === undefined ? undefined : asString(json['created'], 'config.created'),
    diffIds: asStrings(rootfs['diff_ids'], 'config.rootfs.diff_ids'),
    json,
  };
}

function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

async function layerInfo(file: ReadEntry, mediaType: string, diffId: string | undefined, what: string) {
  if (diffId === undefined) throw new ImageError(`${what}: config.rootfs.diff_ids has no entry for it`);
  const compressed = mediaType === OCI_LAYER_GZIP || isGzip(file.data);
  let tar: Uint8Array;
  try {
    tar = compressed ? gunzip(file.data) : file.data;
  } catch {
    throw new ImageError(`${what}: ${file.path} is not valid gzip`);
  }
  const actual = digestOf(tar);
  if (actual !== diffId) throw new ImageError(`${what}: uncompressed digest ${actual} differs from diff_id ${diffId}`);
  const files = (await readTar(tar, `${what} ${file.path}`)).map(
    ({ path, type, mode, data, uid, gid, mtime }): LayerFile => ({
      path,
      type,
      mode,
      size: data.length,
      uid,
      gid,
      mtime,
    }),
  );
  return { ...stored(file), mediaType, diffId, uncompressedSize: tar.length, files };
}

function checkLayerCount(config: ConfigInfo, layers: number): void {
  if (config.diffIds.length !== layers)
    throw new ImageError(
      `config lists ${String(config.diffIds.length)} diff_ids for ${String(layers)} layer(s) in the manifest`,
    );
}

async function readOci(files: Files, base: Omit<ImageInfo, 'reference' | 'manifest' | 'config' | 'layers'>) {
  const layout = asObject(parseJson(entry(files, 'oci-layout', 'oci-layout').data, 'oci-layout'), 'oci-layout');
  asString(layout['imageLayoutVersion'], 'oci-layout imageLayoutVersion');
  const index = asObject(parseJson(entry(files, 'index.json', 'index.json').data, 'index.json'), 'index.json');
  const descriptors = asArray(index['manifests'], 'index.json manifests');
  if (descriptors.length === 0) throw new ImageError('index.json lists no manifest');
  const descriptor = asObject(descriptors[0], 'index.json manifests[0]');
  const annotations = asStringMap(descriptor['annotations'], 'index.json manifests[0].annotations');
  const manifestFile = ociBlob(files, descriptor, 'manifest');
  const manifestJson = asObject(parseJson(manifestFile.data, 'manifest'), 'manifest');
  const config = configInfo(ociBlob(files, asObject(manifestJson['config'], 'manifest config'), 'config'));
  const layerDescriptors = asArray(manifestJson['layers'], 'manifest layers');
  checkLayerCount(config, layerDescriptors.length);
  const layers: LayerInfo[] = [];
  for (const [i, value] of layerDescriptors.entries()) {
    const what = `layer ${String(i)}`;
    const d = asObject(value, what);
    layers.push(
      await layerInfo(ociBlob(files, d, what), asString(d['mediaType'], `${what} mediaType`), config.diffIds[i], what),
    );
  }
  const manifest = { ...stored(manifestFile), json: manifestJson };
  return { ...base, reference: annotations[REF_NAME], manifest, config, layers };
}

async function readDocker(files: Files, base: Omit<ImageInfo, 'reference' | 'manifest' | 'config' | 'layers'>) {
  const list = asArray(
    parseJson(entry(files, 'manifest.json', 'manifest.json').data, 'manifest.json'),
    'manifest.json',
  );
  if (list.length === 0) throw new ImageError('manifest.json lists no image');
  const item = asObject(list[0], 'manifest.json[0]');
  const configFile = entry(files, asString(item['Config'], 'manifest.json Config'), 'config');
  // Docker names the config by its digest: check that before trusting the JSON.
  const named = /([0-9a-f]{64})(?:\.json)?$/.exec(configFile.path);
  const actual = digestOf(configFile.data);
  if (named !== null && `sha256:${named[1] ?? ''}` !== actual)
    throw new ImageError(`config: ${configFile.path} has digest ${actual}, not the one its name says`);
  const config = configInfo(configFile);
  const layerPaths = asStrings(item['Layers'], 'manifest.json Layers');
  checkLayerCount(config, layerPaths.length);
  const layers: LayerInfo[] = [];
  for (const [i, path] of layerPaths.entries()) {
    const what = `layer ${String(i)}`;
    layers.push(await layerInfo(entry(files, path, what), 'tar', config.diffIds[i], what));
  }
  const tags =
    item['RepoTags'] === null || item['RepoTags'] === undefined ? [] : asStrings(item['RepoTags'], 'RepoTags');
  return { ...base, reference: tags[0], manifest: undefined, config, layers };
}

/** Reads and validates an image archive in either layout. */
export async function readImage(archive: Uint8Array): Promise<ImageInfo> {
  const all = await readTar(archive, 'image archive');
  const files: Files = new Map(
    all.map((e) => [e.path.replace(/^\.\//, ''), { ...e, path: e.path.replace(/^\.\//, '') }]),
  );
  const top = ['oci-layout', 'index.json', 'manifest.json', 'repositories'];
  const entries = top.flatMap((path) => {
    const found = files.get(path);
    return found === undefined ? [] : [{ path, size: found.data.length }];
  });
  const base = { archiveSize: archive.length, entries };
  if (files.has('oci-layout')) return readOci(files, { ...base, format: 'oci' });
  if (files.has('manifest.json')) return readDocker(files, { ...base, format: 'docker' });
  throw new ImageError('image archive: neither an OCI layout (oci-layout) nor a docker archive (manifest.json)');
}
