/** Shared by the tsndisasm tests: run main in memory, compare with ndisasm's text. */
import { main } from '../../src/cli/tsndisasm.js';

export function runTsndisasm(args: string[], file: Uint8Array): { out: string; err: string; status: number } {
  let out = '';
  let err = '';
  const status = main([...args, 'input.bin'], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readFile: () => ({ data: file }),
  });
  return { out, err, status };
}

/** An instruction's lines (first line and its `-` continuation lines), keyed by address. */
function byAddress(text: string): Map<string, string> {
  const map = new Map<string, string>();
  let last = '';
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(' ') && last) map.set(last, `${map.get(last) ?? ''}\n${line}`);
    else map.set((last = line.slice(0, line.indexOf(' '))), line);
  }
  return map;
}

/**
 * Compares instruction by instruction (keyed by address, so one instruction of
 * another length does not shift every later line): identical count and the
 * first differences.
 */
export function compareLines(want: string, got: string): { same: number; total: number; diffs: string[] } {
  const w = byAddress(want);
  // Identical text has identical lines at every address (most recorded cases): no second map to build.
  if (got === want) return { same: w.size, total: w.size, diffs: [] };
  const g = byAddress(got);
  let same = 0;
  const diffs: string[] = [];
  for (const [at, line] of w) {
    if (g.get(at) === line) same++;
    else if (diffs.length < 30) diffs.push(`ndisasm:    ${line}\ntsndisasm:  ${g.get(at) ?? '(none)'}`);
  }
  return { same, total: w.size, diffs };
}

/** A reproducible random byte stream (mulberry32), as scripts/gen-disasm-fixtures.sh makes them. */
export function randomBytes(seed: number, n: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 255;
  }
  return out;
}

/**
 * EVEX-shaped units as scripts/gen-disasm-fixtures.sh's `evexbytes` makes them (mulberry32): 62, a plausible
 * P0 (maps 1-3 nine times in ten; R and X set outside BITS 64), P1, P2, an opcode, a ModR/M and six bytes.
 */
export function evexBytes(seed: number, units: number, long: boolean): Uint8Array {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 255;
  };
  const out: number[] = [];
  for (let i = 0; i < units; i++) {
    const map = next() < 230 ? 1 + (next() % 3) : next() & 7;
    let p0 = (next() & 0xf0) | map;
    if (!long) p0 |= 0xc0;
    const p1 = next() < 230 ? next() | 4 : next();
    out.push(0x62, p0, p1, next(), next(), next(), next(), next(), next(), next(), next(), next());
  }
  return Uint8Array.from(out);
}
