/**
 * The two byte-level services an image needs from the platform: SHA-256 and gzip.
 * They live here, behind plain functions, so a browser build can swap node:crypto
 * and node:zlib for Web Crypto / CompressionStream without touching the rest.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** The lowercase hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An OCI digest string (`sha256:<hex>`) of `bytes`. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${sha256Hex(bytes)}`;
}

/**
 * gzip with a fixed header: zlib writes mtime 0 and no file name, so the same
 * input always gives the same bytes (the layer digest stays a content address).
 */
export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes, { level: 9 }));
}

export function gunzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(bytes));
}
