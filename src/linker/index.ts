/**
 * tsld library API: a static linker for ELF32 i386 and ELF64 x86-64 with no
 * file-system access (usable in a browser). The CLI in src/cli/tsld.ts does
 * the I/O. The machine is the first object's; all others must match.
 *
 * Pipeline, modelled on lld's Writer:
 *   readObjects → resolveSymbols → (x86-64: planGot) → createSections
 *   → assignAddresses → applyRelocations → writeHeader/writeSections
 * Each stage lives in its own module and states its invariant there.
 */
import { LinkError } from './types.js';
import { gotBase, planGot, type GotPlan } from './got.js';
import { readInputs, type InputUnit } from './inputs.js';
import { assignAddresses, assignSymbolAddresses, resolveEntry } from './layout.js';
import { formatMap } from './map.js';
import { applyEhFrameFixes, mergeEhFrameCies, mergeStrings } from './merge.js';
import { applyRelocations } from './relocate.js';
import { applyX86_64Relocations } from './relocate-x86-64.js';
import { I386, X86_64, targetForMachine, type Target } from './target.js';
import { createSections } from './sections.js';
import { resolveSymbols } from './symbols.js';
import type { InputFile, LinkDiagnostic, LinkOptions, LinkResult } from './types.js';
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
    const target = chooseTarget(units);
    const { files, symbols } = resolveSymbols(units, diagnostics);
    checkMachines(files, target, diagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) return failed();
    const got: GotPlan | null = target === X86_64 ? planGot(files, symbols) : null;
    const outputs = createSections(files, symbols, target.wordAlign, got ? [got.got, got.gotPlt] : []);
    mergeStrings(outputs);
    const ehFrameFixes = mergeEhFrameCies(outputs);
    const layout = assignAddresses(outputs, target, { textAddress: options.textAddress, tiny: options.tiny });
    applyEhFrameFixes(ehFrameFixes);
    assignSymbolAddresses(symbols, layout, got ? gotBase(got) : undefined);
    // ld reports a missing entry symbol before any relocation error.
    layout.entry = resolveEntry(symbols, outputs, options.entry, diagnostics);
    if (got) applyX86_64Relocations(files, got, diagnostics);
    else applyRelocations(files, diagnostics);
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

/** The first object (or archive member) decides the machine, as `ld -m` would. */
function chooseTarget(units: InputUnit[]): Target {
  for (const unit of units) {
    const member = unit.kind === 'archive' ? unit.archive.members[0] : undefined;
    // e_machine sits at offset 18 in both classes; a bad member is reported when it is loaded.
    const machine =
      unit.kind === 'object'
        ? unit.file.machine
        : member
          ? (member.data[18] ?? 0) | ((member.data[19] ?? 0) << 8)
          : undefined;
    const target = machine === undefined ? undefined : targetForMachine(machine);
    if (target) return target;
  }
  return I386;
}

/** ld's message for an object of the other machine, one per file. */
function checkMachines(files: InputFile[], target: Target, diagnostics: LinkDiagnostic[]): void {
  for (const file of files) {
    if (file.machine === target.machine) continue;
    const arch = targetForMachine(file.machine)?.archName ?? `machine ${file.machine}`;
    diagnostics.push({
      severity: 'error',
      message: `${arch} architecture of input file \`${file.displayName}' is incompatible with ${target.archName} output`,
    });
  }
}

/** `tsld: error: message`, as printed on stderr. */
export function formatLinkDiagnostic(d: LinkDiagnostic): string {
  return `tsld: ${d.severity}: ${d.message}`;
}
