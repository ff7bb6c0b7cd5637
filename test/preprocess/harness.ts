/**
 * Shared helpers for the preprocessor tests: run the preprocessor on a golden
 * case folder exactly as nasm was run there (file names relative to the folder).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSink, FatalError, formatDiagnostic } from '../../src/core/diagnostics.js';
import { preprocessToText } from '../../src/preprocess/index.js';
import type { PreprocessOptions } from '../../src/preprocess/types.js';
import { readFileRelativeTo } from '../helpers/golden.js';

export const GOLDEN_ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'golden');

export function ppCaseNames(): string[] {
  return readdirSync(GOLDEN_ROOT)
    .filter((n) => n.startsWith('pp-') && existsSync(join(GOLDEN_ROOT, n, 'source.asm')))
    .sort();
}

export interface CaseArgs {
  includePaths: string[];
  predefines: PreprocessOptions['predefines'];
}

/** Reads the `args` file (one line of nasm flags); only -I/-D/-U matter to the preprocessor. */
export function caseArgs(dir: string): CaseArgs {
  const file = join(dir, 'args');
  const words = existsSync(file) ? readFileSync(file, 'utf8').split('\n')[0]!.trim().split(/\s+/).filter(Boolean) : [];
  const includePaths: string[] = [];
  const predefines: PreprocessOptions['predefines'] = [];
  for (const w of words) {
    if (w.startsWith('-I') || w.startsWith('-i')) includePaths.push(w.slice(2));
    else if (w.startsWith('-D') || w.startsWith('-d')) {
      const [name, value] = w.slice(2).split('=');
      predefines.push({ name: name!, value });
    } else if (w.startsWith('-U') || w.startsWith('-u')) predefines.push({ name: w.slice(2), undefine: true });
  }
  return { includePaths, predefines };
}

/** `mode`: `preprocess` as nasm -E runs (default), `dependencies` as nasm -M runs (__?PASS?__ 0). */
export function runCase(
  dir: string,
  format = 'bin',
  mode: 'preprocess' | 'dependencies' = 'preprocess',
): { text: string; stderr: string; dependencies: string[] } {
  const args = caseArgs(dir);
  const diagnostics = new DiagnosticSink();
  const dependencies: string[] = [];
  let text = '';
  try {
    // One character per byte, as tsnasm reads a source (the expected files are read the same way).
    text = preprocessToText(readFileSync(join(dir, 'source.asm'), 'latin1'), {
      fileName: 'source.asm',
      includePaths: args.includePaths,
      predefines: args.predefines,
      outputFormat: format,
      diagnostics,
      dependencies,
      mode,
      env: { SOURCE_DATE_EPOCH: '1700000000', HOME: '/root' },
      readFile: readFileRelativeTo(dir),
    });
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
  }
  const stderr = diagnostics.list.map((d) => formatDiagnostic(d) + '\n').join('');
  return { text, stderr, dependencies };
}
