/** Loads the golden cases that carry a nasm listing (`expected.lst`) and renders ours for them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble, type AssembleResult } from '../../src/index.js';
import { renderListing } from '../../src/listing/index.js';

export const goldenRoot = join(import.meta.dirname, '../../fixtures/golden');

export interface ListingCase {
  name: string;
  source: string;
  expected: string;
  optimize: 0 | 1 | 2;
}

export function listingCases(): ListingCase[] {
  return readdirSync(goldenRoot)
    .filter((name) => existsSync(join(goldenRoot, name, 'expected.lst')))
    .sort()
    .map((name) => {
      const dir = join(goldenRoot, name);
      const argsPath = join(dir, 'args');
      const args = existsSync(argsPath) ? readFileSync(argsPath, 'utf8') : '';
      const optimize = args.includes('-O0') ? 0 : args.includes('-O1') ? 1 : 2;
      return {
        name,
        source: readFileSync(join(dir, 'source.asm'), 'latin1'),
        expected: readFileSync(join(dir, 'expected.lst'), 'latin1'),
        optimize,
      };
    });
}

export function assembleCase(c: ListingCase): AssembleResult {
  const dir = join(goldenRoot, c.name);
  return assemble(c.source, {
    fileName: 'source.asm',
    format: 'elf32',
    optimize: c.optimize,
    readFile: (path) => {
      const full = path.startsWith('/') ? path : join(dir, path);
      return existsSync(full) ? new Uint8Array(readFileSync(full)) : null;
    },
  });
}

export function renderCase(c: ListingCase): string {
  return renderListing(assembleCase(c), c.source, { fileName: 'source.asm' });
}
