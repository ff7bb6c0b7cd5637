/**
 * tsld library API: a static ELF32 i386 linker with no file-system access
 * (usable in a browser). The CLI in src/cli/tsld.ts does the I/O.
 *
 * Pipeline, modelled on lld's Writer:
 *   readObjects → resolveSymbols → createSections → assignAddresses
 *   → applyRelocations → writeHeader/writeSections
 * Each stage lives in its own module and states its invariant there.
 */
import { LinkError } from './types.js';
import { readInputs } from './inputs.js';
import { assignAddresses, assignSymbolAddresses, resolveEntry } from './layout.js';
import { formatMap } from './map.js';
import { applyEhFrameFixes, mergeEhFrameCies, mergeStrings } from './merge.js';
import { applyRelocations } from './relocate.js';
import { createSections } from './sections.js';
import { resolveSymbols } from './symbols.js';
import type { LinkDiagnostic, LinkOptions, LinkResult } from './types.js';
import { writeDefault, writeTiny } from './write.js';

export type { LinkDiagnostic, LinkOptions, LinkResult } from './types.js';
export { LinkError } from './types.js';

export function link(
  objects: ReadonlyArray<{ name: string; data: Uint8Array }>,
  options: LinkOptions = {},
): LinkResult {
  const diagnostics: LinkDiagnostic[] = [];
  const failed = (): LinkResult => ({ output: null, diagnostics });
  try {
    if (objects.length === 0) {
      diagnostics.push({ severity: 'error', message: 'no input files' });
      return failed();
    }
    const units = readInputs(objects);
    const { files, symbols } = resolveSymbols(units, diagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) return failed();
    const outputs = createSections(files, symbols);
    mergeStrings(outputs);
    const ehFrameFixes = mergeEhFrameCies(outputs);
    const layout = assignAddresses(outputs, { textAddress: options.textAddress, tiny: options.tiny });
    applyEhFrameFixes(ehFrameFixes);
    assignSymbolAddresses(symbols, layout);
    // ld reports a missing entry symbol before any relocation error.
    layout.entry = resolveEntry(symbols, outputs, options.entry, diagnostics);
    applyRelocations(files, diagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) return failed();
    const output = options.tiny ? writeTiny(layout) : writeDefault(layout);
    const result: LinkResult = { output, diagnostics };
    if (options.map) result.map = formatMap(layout, outputs, files, symbols);
    return result;
  } catch (e) {
    if (e instanceof LinkError) {
      diagnostics.push({ severity: 'error', message: e.message });
      return failed();
    }
    throw e;
  }
}

/** `tsld: error: message`, as printed on stderr. */
export function formatLinkDiagnostic(d: LinkDiagnostic): string {
  return `tsld: ${d.severity}: ${d.message}`;
}
