/**
 * buildImage: files in, image archive bytes out, with no file system access.
 *
 * An image is one layer (a tar of the files), a config (platform, entry point,
 * environment, the layer's uncompressed digest) and a manifest pointing at both
 * by digest. The archive around them is either an OCI image layout or the
 * `docker save` layout (see layout.ts). Everything is deterministic: the same
 * inputs give the same bytes, so the manifest digest is a content address.
 */
import { digestOf, gzip as gzipBytes } from './digest.js';
import { elfArchitecture, type Architecture } from './elf.js';
import { ImageError } from './errors.js';
import { dockerArchive, ociArchive, type Blob } from './layout.js';
import { OCI_CONFIG, OCI_LAYER, OCI_LAYER_GZIP, OCI_MANIFEST } from './media.js';
import { parseKeyValue, parseReference, type ImageReference } from './reference.js';
import { writeTar, type TarEntry } from './tar.js';

export type ImageFormat = 'oci' | 'docker';

export interface ImageFile {
  /** Absolute path inside the image, e.g. `/hello`. */
  path: string;
  data: Uint8Array;
  /** Permission bits; 0o755 by default (the files are meant to be run). */
  mode?: number;
}

export interface BuildImageOptions {
  files: readonly ImageFile[];
  /** The command the container runs; defaults to the first file's path. */
  entrypoint?: readonly string[];
  /** Platform architecture; by default read from the ELF header of the entry point. */
  arch?: Architecture;
  format?: ImageFormat;
  /** `name[:tag]`; written as the OCI ref.name annotation or Docker's RepoTags. */
  tag?: string;
  /** `KEY=VALUE` items for the config's Env. */
  env?: readonly string[];
  /** `KEY=VALUE` items for the config's Labels. */
  labels?: readonly string[];
  /** Compress the layer (the config's diff_id stays the uncompressed digest). */
  gzip?: boolean;
  /** Seconds since the epoch for every tar mtime (SOURCE_DATE_EPOCH); 0 by default. */
  mtime?: number;
  /** When given, the config records `created` and one history entry at this time (seconds). */
  created?: number;
}

/** A path inside the image, normalised to `a/b` (no leading slash), or an ImageError. */
function imagePath(path: string): string {
  if (!path.startsWith('/')) throw new ImageError(`image path \`${path}' must be absolute (start with /)`);
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0) throw new ImageError(`image path \`${path}' names no file`);
  if (parts.some((p) => p === '.' || p === '..'))
    throw new ImageError(`image path \`${path}' must not contain . or ..`);
  return parts.join('/');
}

/** The layer's tar entries: every file, plus each parent directory once (mode 0755). */
function layerEntries(files: readonly ImageFile[]): TarEntry[] {
  const entries: TarEntry[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const path = imagePath(file.path);
    if (seen.has(path)) throw new ImageError(`image path \`${file.path}' given twice`);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (seen.has(parts.slice(0, i).join('/'))) throw new ImageError(`\`/${dir}' is both a file and a directory`);
      if (!seen.has(dir)) entries.push({ path: dir, data: new Uint8Array(0), mode: 0o755 });
      seen.add(dir);
    }
    if (seen.has(`${path}/`)) throw new ImageError(`\`/${path}' is both a file and a directory`);
    seen.add(path);
    entries.push({ path, data: file.data, mode: file.mode ?? 0o755 });
  }
  return entries;
}

function architectureOf(options: BuildImageOptions, entrypoint: readonly string[]): Architecture {
  if (options.arch !== undefined) return options.arch;
  const program = entrypoint[0];
  const file = options.files.find((f) => program !== undefined && imagePath(f.path) === imagePath(program));
  if (file === undefined)
    throw new ImageError(`entry point \`${program ?? ''}' is not one of the image's files; give the architecture`);
  return elfArchitecture(file.data, file.path);
}

function sortedObject(items: readonly string[], what: 'environment variable' | 'label'): Record<string, string> {
  const pairs = items.map((item) => parseKeyValue(item, what));
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(pairs);
}

function configJson(options: BuildImageOptions, arch: Architecture, entrypoint: readonly string[], diffId: string) {
  const env = options.env ?? [];
  for (const item of env) parseKeyValue(item, 'environment variable');
  const labels = sortedObject(options.labels ?? [], 'label');
  const runConfig = {
    Entrypoint: [...entrypoint],
    ...(env.length > 0 ? { Env: [...env] } : {}),
    ...(Object.keys(labels).length > 0 ? { Labels: labels } : {}),
  };
  const created = options.created === undefined ? undefined : new Date(options.created * 1000).toISOString();
  return {
    ...(created !== undefined ? { created } : {}),
    architecture: arch,
    os: 'linux',
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: [diffId] },
    ...(created !== undefined ? { history: [{ created, created_by: 'tsimage' }] } : {}),
  };
}

function jsonBlob(value: unknown, mediaType: string): Blob {
  const data = new TextEncoder().encode(JSON.stringify(value));
  return { data, digest: digestOf(data), mediaType };
}

/** Builds the image archive. Throws ImageError for bad input; never returns a partial archive. */
export async function buildImage(options: BuildImageOptions): Promise<Uint8Array> {
  if (options.files.length === 0) throw new ImageError('no files to put in the image');
  const mtime = options.mtime ?? 0;
  if (!Number.isInteger(mtime) || mtime < 0 || mtime > 0o77777777777)
    throw new ImageError(`invalid file time ${String(mtime)} (seconds since 1970, e.g. from SOURCE_DATE_EPOCH)`);
  const reference: ImageReference | undefined = options.tag === undefined ? undefined : parseReference(options.tag);
  const entrypoint = options.entrypoint ?? [options.files[0]?.path ?? ''];
  if (entrypoint.length === 0 || entrypoint[0] === '') throw new ImageError('empty entry point');
  const arch = architectureOf(options, entrypoint);

  const layerTar = await writeTar(layerEntries(options.files), mtime);
  const layerData = options.gzip === true ? gzipBytes(layerTar) : layerTar;
  const diffId = digestOf(layerTar);
  const layer: Blob = {
    data: layerData,
    digest: digestOf(layerData),
    mediaType: options.gzip === true ? OCI_LAYER_GZIP : OCI_LAYER,
  };
  const config = jsonBlob(configJson(options, arch, entrypoint, diffId), OCI_CONFIG);
  const manifest = jsonBlob(
    {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.data.length },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.data.length }],
    },
    OCI_MANIFEST,
  );
  const parts = { layer, diffId, config, manifest, arch, reference, mtime };
  return (options.format ?? 'oci') === 'docker' ? dockerArchive(parts) : ociArchive(parts);
}
