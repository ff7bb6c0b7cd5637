/**
 * Real-world corpus: every case folder under fixtures/realworld (see its
 * README.md) is assembled by tsnasm in-process and compared with what nasm
 * 2.16.01 produced for it (scripts/gen-realworld-fixtures.sh): byte-identical
 * output (ELF objects included: headers, symbols, relocations) and the same
 * diagnostics, in nasm's order.
 *
 * KNOWN_GAPS lists the cases that do not match yet, each with its reason and
 * the class in docs/fidelity-triage.md. A gap case is still assembled: if it
 * starts matching, the test fails and asks for its removal, so the list only
 * shrinks and never hides a passing case. When the folder holds no cases (the
 * corpus is not committed, see the README) the suite is skipped with a
 * visible message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assemble, type OutputFormat } from '../src/library/assemble.js';
import { formatDiagnostic } from '../src/core/diagnostics.js';
import { describeByteMismatch, outputExtension, readFileRelativeTo, repoRoot } from './helpers/golden.js';

/**
 * Cases that differ from nasm today (corpus of scripts/collect-realworld.mjs): name → what differs.
 * Entries with a class id (C01…) are described in docs/fidelity-triage.md.
 */
const KNOWN_GAPS: Readonly<Record<string, string>> = {
  // bytes differ
};

const root = join(repoRoot, 'fixtures', 'realworld');

interface RealWorldCase {
  name: string;
  dir: string;
  format: OutputFormat;
}

function listCases(): RealWorldCase[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'format')))
    .map((e): RealWorldCase => {
      const format = readFileSync(join(root, e.name, 'format'), 'utf8').trim();
      if (format !== 'bin' && format !== 'elf32' && format !== 'elf64')
        throw new Error(`${e.name}: unknown format '${format}'`);
      return { name: e.name, dir: join(root, e.name), format };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** null when tsnasm matches nasm; otherwise what differs, first thing first. */
function mismatch(c: RealWorldCase): string | null {
  const base = join(c.dir, `expected.${outputExtension[c.format]}`);
  const nasmStderr = readFileSync(`${base}.stderr`, 'utf8').trim();
  const result = assemble(new Uint8Array(readFileSync(join(c.dir, 'source.asm'))), {
    fileName: 'source.asm',
    format: c.format,
    readFile: readFileRelativeTo(c.dir),
    teachingRecords: false,
  });
  const ours = (result.reportOrder ?? [...result.diagnostics.keys()])
    .map((i) => formatDiagnostic(result.diagnostics[i]!))
    .join('\n')
    .trim();
  if (!existsSync(base)) {
    if (result.output) return `nasm failed (${nasmStderr}), tsnasm assembled it`;
    return ours.split('\n')[0] === nasmStderr.split('\n')[0]
      ? null
      : `first error differs:\n${ours}\nnasm:\n${nasmStderr}`;
  }
  if (!result.output) return `nasm assembled it, tsnasm failed:\n${ours}`;
  const bytes = describeByteMismatch(new Uint8Array(readFileSync(base)), result.output, c.format);
  if (bytes !== null) return bytes;
  return ours === nasmStderr ? null : `diagnostics differ:\ntsnasm:\n${ours}\nnasm:\n${nasmStderr}`;
}

const cases = listCases();

describe('real-world corpus (fixtures/realworld)', () => {
  if (cases.length === 0) {
    console.warn('realworld tests SKIPPED: fixtures/realworld holds no cases (see fixtures/realworld/README.md)');
    test.skip('no real-world cases present', () => undefined);
    return;
  }
  for (const c of cases) {
    const gap = KNOWN_GAPS[c.name];
    // A few cases are large (nasm's 131072-section mostsecs): minutes under load, not the default minute.
    test(`${c.name} (${c.format})${gap ? ' [known gap]' : ''}`, { timeout: 600_000 }, () => {
      const problem = mismatch(c);
      if (gap) {
        expect(problem, `${c.name} now matches nasm: remove it from KNOWN_GAPS (${gap})`).not.toBeNull();
      } else if (problem !== null) {
        expect.fail(problem);
      }
    });
  }
  test('every KNOWN_GAPS entry names a case that exists', () => {
    const names = new Set(cases.map((c) => c.name));
    expect(Object.keys(KNOWN_GAPS).filter((name) => !names.has(name))).toEqual([]);
  });
});
