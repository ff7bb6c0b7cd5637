/**
 * The two archive layouts around the same blobs.
 *
 * OCI image layout: `oci-layout`, `index.json` (one manifest descriptor with the
 * platform and the tag as `org.opencontainers.image.ref.name`) and every blob
 * under `blobs/sha256/<hex>`.
 *
 * Docker (`docker save`, read by `docker load` and `podman load`): `manifest.json`
 * lists the config file and the layer files, `repositories` maps the tag to the
 * top layer id, `<config hex>.json` is the config and `<diff id hex>/layer.tar`
 * the layer. Docker computes the manifest itself, so it is not stored.
 */
import type { Architecture } from './elf.js';
import { OCI_INDEX, OCI_LAYOUT_VERSION, REF_NAME } from './media.js';
import { formatReference, type ImageReference } from './reference.js';
import { writeTar, type TarEntry } from './tar.js';

export interface Blob {
  data: Uint8Array;
  /** `sha256:<hex>` of `data`. */
  digest: string;
  mediaType: string;
}

export interface ImageParts {
  layer: Blob;
  /** `sha256:<hex>` of the uncompressed layer tar (the config's rootfs.diff_ids entry). */
  diffId: string;
  config: Blob;
  manifest: Blob;
  arch: Architecture;
  reference: ImageReference | undefined;
  mtime: number;
}

const encoder = new TextEncoder();

function jsonFile(path: string, value: unknown): TarEntry {
  return { path, data: encoder.encode(JSON.stringify(value)), mode: 0o644 };
}

function hexOf(digest: string): string {
  return digest.slice('sha256:'.length);
}

export function ociArchive(parts: ImageParts): Promise<Uint8Array> {
  const { layer, config, manifest, arch, reference } = parts;
  const descriptor = {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.data.length,
    ...(reference !== undefined ? { annotations: { [REF_NAME]: formatReference(reference) } } : {}),
    platform: { architecture: arch, os: 'linux' },
  };
  const blobs = [layer, config, manifest].map((blob): TarEntry => ({
    path: `blobs/sha256/${hexOf(blob.digest)}`,
    data: blob.data,
    mode: 0o644,
  }));
  const entries: TarEntry[] = [
    { path: 'blobs/', data: new Uint8Array(0), mode: 0o755 },
    { path: 'blobs/sha256/', data: new Uint8Array(0), mode: 0o755 },
    ...blobs,
    jsonFile('index.json', { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [descriptor] }),
    jsonFile('oci-layout', { imageLayoutVersion: OCI_LAYOUT_VERSION }),
  ];
  return writeTar(entries, parts.mtime);
}

export function dockerArchive(parts: ImageParts): Promise<Uint8Array> {
  const { layer, config, reference } = parts;
  // The layer's id in a docker archive: the hex of its uncompressed digest.
  const layerId = hexOf(parts.diffId);
  const configPath = `${hexOf(config.digest)}.json`;
  const layerPath = `${layerId}/layer.tar`;
  const entries: TarEntry[] = [
    { path: configPath, data: config.data, mode: 0o644 },
    { path: `${layerId}/`, data: new Uint8Array(0), mode: 0o755 },
    { path: layerPath, data: layer.data, mode: 0o644 },
    jsonFile('manifest.json', [
      {
        Config: configPath,
        RepoTags: reference !== undefined ? [formatReference(reference)] : null,
        Layers: [layerPath],
      },
    ]),
  ];
  if (reference !== undefined)
    entries.push(jsonFile('repositories', { [reference.repository]: { [reference.tag]: layerId } }));
  return writeTar(entries, parts.mtime);
}
