/** Reads the `bits[ O<level>][ cpu=<level>] | source | HEX` / `… | error: msg` fixture files. */
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { OptimizeLevel } from '../../../src/encoder/types.js';

export interface FixtureCase {
  file: string;
  bits: 16 | 32 | 64;
  optimize: OptimizeLevel;
  /** `cpu` level in force (`cpu=386` in the mode field), `all` when none. */
  cpu: string;
  source: string;
  hex: string | null;
  error: string | null;
}

export const FIXTURE_DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'encoding');

export function readFixture(name: string): FixtureCase[] {
  const raw = readFileSync(join(FIXTURE_DIR, name));
  const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const out: FixtureCase[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const first = line.indexOf(' | ');
    const last = line.lastIndexOf(' | ');
    const mode = line.slice(0, first).trim();
    const source = line.slice(first + 3, last).trim();
    const result = line.slice(last + 3).trim();
    const m = /^(16|32|64)(?: O([01x]))?(?: cpu=(\w+))?$/.exec(mode);
    if (!m) throw new Error(`bad fixture line: ${line}`);
    out.push({
      file: name,
      bits: Number(m[1]) as 16 | 32 | 64,
      optimize: m[2] === '0' ? 0 : m[2] === '1' ? 1 : 2,
      cpu: m[3] ?? 'all',
      source,
      hex: result.startsWith('error: ') ? null : result,
      error: result.startsWith('error: ') ? result.slice(7) : null,
    });
  }
  return out;
}

/** Fixture files whose names start with `prefix`, in FIXTURE_DIR or its subfolder `dir` (names then include `dir/`). */
export function fixtureFiles(prefix: string, dir = ''): string[] {
  return readdirSync(join(FIXTURE_DIR, dir))
    .filter((f) => f.startsWith(prefix) && (f.endsWith('.txt') || f.endsWith('.txt.gz')))
    .sort()
    .map((f) => (dir ? `${dir}/${f}` : f));
}
