/** Checked access to JSON read from an archive: every wrong shape is an ImageError naming where. */
import { ImageError } from './errors.js';

export type JsonObject = Record<string, unknown>;

export function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new ImageError(`${what}: not valid JSON`);
  }
}

export function asObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ImageError(`${what}: expected a JSON object`);
  return value as JsonObject;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ImageError(`${what}: expected a JSON array`);
  return value as unknown[];
}

export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ImageError(`${what}: expected a string`);
  return value;
}

export function asSize(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new ImageError(`${what}: expected a size in bytes`);
  return value;
}

export function asStrings(value: unknown, what: string): string[] {
  return asArray(value, what).map((item, i) => asString(item, `${what}[${String(i)}]`));
}

/** An optional string-to-string map (Labels, annotations); absent or null gives {}. */
export function asStringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const object = asObject(value, what);
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, asString(v, `${what}.${k}`)]));
}
