/**
 * Shared machinery for the golden-file tests: discovering case folders,
 * reading what real nasm produced for them, parsing nasm's stderr, and
 * explaining a byte mismatch in terms a person can act on.
 *
 * Layout of a case folder (see scripts/gen-fixtures.sh, which writes them):
 *   source.asm                 the input
 *   args                       optional: one line of extra nasm flags (-O0, -O1, -I, -D, -U, -w/-W)
 *   expected.bin / .o          nasm's output, present only when nasm succeeded
 *   expected.bin.stderr / .o.stderr   nasm's diagnostics (empty when clean)
 *   expected.bin.status / .o.status   nasm's exit status, present only on failure
 *   expected.lst               nasm's listing for -f elf32 (for the listing feature)
 *   anything else              files the source includes (incbin)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutputFormat } from '../../src/index.js';
import { DIRECTORY_CONTENTS, isDirectoryReadError } from '../../src/core/files.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const goldenRoot = join(repoRoot, 'fixtures', 'golden');

/** File extension nasm's output gets in a case folder, per format. */
export const outputExtension: Record<OutputFormat, string> = { bin: 'bin', elf32: 'o', elf64: 'o', elfx32: 'o' };

/** The formats every case under fixtures/golden is checked in (64-bit cases live in fixtures/golden64). */
export type GoldenFormat = 'bin' | 'elf32';

export type NasmOutcome =
  { kind: 'output'; bytes: Uint8Array; stderr: string } | { kind: 'failure'; status: number; stderr: string };

export interface GoldenCase {
  name: string;
  dir: string;
  source: Uint8Array;
  /** The raw text of the `args` file's first line ('' when absent). */
  argsLine: string;
  optimize: 0 | 1 | 2;
  includePaths: string[];
  predefines: CaseOptions['predefines'];
  warnings: string[];
  expected: Record<GoldenFormat, NasmOutcome>;
}

/**
 * Turns the extra nasm flags of a case into assemble() options. Only the
 * flags the corpus uses are understood; anything else fails loudly so a new
 * case cannot silently be assembled with different options than nasm had.
 */
export interface CaseOptions {
  optimize: 0 | 1 | 2;
  includePaths: string[];
  predefines: Array<{ name: string; value?: string; undefine?: boolean }>;
  /** `-w…` / `-W…` switches, as written after the letter. */
  warnings: string[];
}

export function parseCaseArgs(argsLine: string): CaseOptions {
  let optimize: 0 | 1 | 2 = 2;
  const includePaths: string[] = [];
  const predefines: CaseOptions['predefines'] = [];
  const warnings: string[] = [];
  for (const flag of argsLine.split(/\s+/).filter((f) => f.length > 0)) {
    const level = /^-O(\d+|x)$/.exec(flag);
    const include = /^-[Ii](.+)$/.exec(flag);
    const define = /^-[Dd]([^=]+)(?:=(.*))?$/.exec(flag);
    const undefine = /^-[Uu](.+)$/.exec(flag);
    if (level) {
      const value = level[1] === 'x' ? 2 : Number(level[1]);
      optimize = value === 0 ? 0 : value === 1 ? 1 : 2;
    } else if (include) {
      includePaths.push(include[1]!);
    } else if (define) {
      predefines.push(define[2] === undefined ? { name: define[1]! } : { name: define[1]!, value: define[2] });
    } else if (undefine) {
      predefines.push({ name: undefine[1]!, undefine: true });
    } else if (/^-[wW]./.test(flag)) {
      warnings.push(flag.slice(2));
    } else {
      throw new Error(`golden args: unsupported nasm flag '${flag}'`);
    }
  }
  return { optimize, includePaths, predefines, warnings };
}

function readOutcome(dir: string, format: OutputFormat): NasmOutcome {
  const base = join(dir, `expected.${outputExtension[format]}`);
  const stderr = existsSync(`${base}.stderr`) ? readFileSync(`${base}.stderr`, 'utf8') : '';
  if (existsSync(base)) return { kind: 'output', bytes: new Uint8Array(readFileSync(base)), stderr };
  if (!existsSync(`${base}.status`)) {
    throw new Error(`${dir}: neither ${base} nor ${base}.status exists; run scripts/gen-fixtures.sh`);
  }
  return { kind: 'failure', status: Number(readFileSync(`${base}.status`, 'utf8').trim()), stderr };
}

/** Every case folder under fixtures/golden, sorted by name. */
export function listGoldenCases(): GoldenCase[] {
  return readdirSync(goldenRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(goldenRoot, entry.name, 'source.asm')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(goldenRoot, name);
      const argsPath = join(dir, 'args');
      const argsLine = existsSync(argsPath) ? (readFileSync(argsPath, 'utf8').split('\n')[0] ?? '').trim() : '';
      return {
        name,
        dir,
        source: new Uint8Array(readFileSync(join(dir, 'source.asm'))),
        argsLine,
        ...parseCaseArgs(argsLine),
        expected: { bin: readOutcome(dir, 'bin'), elf32: readOutcome(dir, 'elf32') },
      };
    });
}

/** A readFile for assemble() that resolves relative paths against `baseDir`, like nasm run there. */
export function readFileRelativeTo(baseDir: string): (path: string) => Uint8Array | null {
  return (path: string) => {
    // An empty name opens nothing (join would make it the folder itself).
    if (path === '') return null;
    const full = isAbsolute(path) ? path : join(baseDir, path);
    try {
      return new Uint8Array(readFileSync(full));
    } catch (e) {
      return isDirectoryReadError(e) ? DIRECTORY_CONTENTS : null;
    }
  };
}

export interface NasmMessage {
  file: string | null;
  line: number | null;
  severity: string;
  message: string;
}

/**
 * Parses nasm's stderr into messages. nasm prints `file:line: severity: text`
 * (with ` [-w+class]` after warnings), or `nasm: severity: text` when there is
 * no source position.
 */
export function parseNasmStderr(stderr: string): NasmMessage[] {
  const messages: NasmMessage[] = [];
  for (const text of stderr.split('\n')) {
    const located = /^(.*?):(\d+): (error|warning|fatal|info|panic|note): (.*)$/.exec(text);
    if (located) {
      messages.push({ file: located[1]!, line: Number(located[2]), severity: located[3]!, message: located[4]! });
      continue;
    }
    const bare = /^nasm: (error|warning|fatal|info|panic|note): (.*)$/.exec(text);
    if (bare) messages.push({ file: null, line: null, severity: bare[1]!, message: bare[2]! });
  }
  return messages;
}

/** nasm's first error (error, fatal or panic), in the order nasm printed them. */
export function firstNasmError(stderr: string): NasmMessage | null {
  return (
    parseNasmStderr(stderr).find((m) => m.severity !== 'warning' && m.severity !== 'info' && m.severity !== 'note') ??
    null
  );
}

interface ElfSectionSpan {
  name: string;
  offset: number;
  size: number;
}

/** Section headers of an ELF32 little-endian file, or null if the bytes are not one. */
export function elf32Sections(bytes: Uint8Array): ElfSectionSpan[] | null {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = view.getUint32(0x20, true);
  const shentsize = view.getUint16(0x2e, true);
  const shnum = view.getUint16(0x30, true);
  const shstrndx = view.getUint16(0x32, true);
  if (shoff === 0 || shoff + shnum * shentsize > bytes.length) return null;
  const header = (index: number) => {
    const at = shoff + index * shentsize;
    return {
      nameOffset: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      offset: view.getUint32(at + 16, true),
      size: view.getUint32(at + 20, true),
    };
  };
  const strtab = shstrndx < shnum ? header(shstrndx) : null;
  const nameAt = (nameOffset: number): string => {
    if (!strtab) return '?';
    let end = strtab.offset + nameOffset;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(strtab.offset + nameOffset, end));
  };
  const spans: ElfSectionSpan[] = [{ name: '<ELF header>', offset: 0, size: 52 }];
  spans.push({ name: '<section header table>', offset: shoff, size: shnum * shentsize });
  for (let i = 1; i < shnum; i++) {
    const h = header(i);
    const SHT_NOBITS = 8;
    if (h.type !== SHT_NOBITS) spans.push({ name: nameAt(h.nameOffset) || `#${i}`, offset: h.offset, size: h.size });
  }
  return spans;
}

function hexRow(bytes: Uint8Array, from: number, to: number): string {
  return Array.from(bytes.subarray(Math.max(0, from), Math.min(bytes.length, to)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join(' ');
}

/**
 * Explains where two outputs differ: the first differing offset, the bytes
 * around it, and for ELF which section (or header) that offset falls in,
 * as an offset inside that section. Returns null when identical.
 */
export function describeByteMismatch(
  expected: Uint8Array,
  actual: Uint8Array,
  format: OutputFormat,
  names: { expected: string; actual: string } = { expected: 'nasm', actual: 'tsnasm' },
): string | null {
  const common = Math.min(expected.length, actual.length);
  let first = 0;
  while (first < common && expected[first] === actual[first]) first++;
  if (first === common && expected.length === actual.length) return null;

  const lines = [
    `outputs differ: ${names.expected} has ${expected.length} bytes, ${names.actual} ${actual.length} bytes; first difference at offset ${first} (0x${first.toString(16)})`,
  ];
  if (format === 'elf32') {
    const sections = elf32Sections(expected);
    const home = sections?.find((s) => first >= s.offset && first < s.offset + s.size);
    if (home)
      lines.push(`  in ${names.expected}'s output this is ${home.name} + 0x${(first - home.offset).toString(16)}`);
    else if (sections) lines.push(`  in ${names.expected}'s output this offset is padding between sections`);
    const ours = elf32Sections(actual);
    if (sections && ours) {
      const summary = (list: ElfSectionSpan[]) =>
        list.map((s) => `${s.name}@0x${s.offset.toString(16)}+${s.size}`).join(' ');
      if (summary(sections) !== summary(ours)) {
        lines.push(
          `  ${names.expected} sections: ${summary(sections)}`,
          `  ${names.actual} sections: ${summary(ours)}`,
        );
      }
    }
  }
  const from = Math.max(0, first - 8);
  const width = Math.max(names.expected.length, names.actual.length);
  lines.push(`  ${names.expected.padEnd(width)} @0x${from.toString(16)}: ${hexRow(expected, from, first + 16)}`);
  lines.push(`  ${names.actual.padEnd(width)} @0x${from.toString(16)}: ${hexRow(actual, from, first + 16)}`);
  return lines.join('\n');
}

/**
 * Exact diagnostics (every message, in nasm's order) unless the env var says 0,
 * which relaxes the check to "the first error is on nasm's line" while triaging.
 */
export const strictMessages = process.env.TSNASM_GOLDEN_STRICT_MESSAGES !== '0';
