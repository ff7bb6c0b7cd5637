/**
 * Loads the golden cases that carry a nasm listing (`expected.lst`) and
 * renders ours for them with the same flags nasm got: the case's `args`
 * (-I, -D, -O…), the format the listing was made with (see
 * scripts/gen-listing-fixtures.sh: elf32 when nasm produced expected.o, else
 * bin when it produced expected.bin, else elf32) and the listing flags in
 * `expected.lst.args` (-Lp for cases where nasm fails in pass 1).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble, type AssembleResult, type OutputFormat } from '../../src/library/assemble.js';
import { parseListingFlags, renderListing, type ListingFlags } from '../../src/listing/index.js';
import { parseCaseArgs, readFileRelativeTo, type CaseOptions } from '../helpers/golden.js';

export const goldenRoot = join(import.meta.dirname, '../../fixtures/golden');

export interface ListingCase {
  name: string;
  source: string;
  expected: string;
  options: CaseOptions;
  format: OutputFormat;
  flags: ListingFlags;
}

/** The `-L` flags of expected.lst.args. */
function listingFlagsOf(text: string): ListingFlags {
  const letters = text
    .split(/\s+/)
    .map((word) => /^-L(.+)$/.exec(word)?.[1] ?? '')
    .join('');
  return parseListingFlags(letters).flags;
}

export function listingCases(): ListingCase[] {
  return readdirSync(goldenRoot)
    .filter((name) => existsSync(join(goldenRoot, name, 'expected.lst')))
    .sort()
    .map((name) => {
      const dir = join(goldenRoot, name);
      const read = (file: string): string => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '');
      const format: OutputFormat =
        !existsSync(join(dir, 'expected.o')) && existsSync(join(dir, 'expected.bin')) ? 'bin' : 'elf32';
      return {
        name,
        source: readFileSync(join(dir, 'source.asm'), 'latin1'),
        expected: readFileSync(join(dir, 'expected.lst'), 'latin1'),
        options: parseCaseArgs(read('args').split('\n')[0] ?? ''),
        format,
        flags: listingFlagsOf(read('expected.lst.args')),
      };
    });
}

export function assembleCase(c: ListingCase): AssembleResult {
  const dir = join(goldenRoot, c.name);
  return assemble(c.source, {
    fileName: 'source.asm',
    format: c.format,
    optimize: c.options.optimize,
    includePaths: c.options.includePaths,
    predefines: c.options.predefines,
    warnings: c.options.warnings,
    recordPasses: c.flags.everyPass === true,
    readFile: readFileRelativeTo(dir),
  });
}

export function renderCase(c: ListingCase): string {
  return renderListing(assembleCase(c), c.source, { fileName: 'source.asm', ...c.flags });
}
