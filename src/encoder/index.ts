/**
 * Public face of the encoder. The assembler core calls only these functions.
 *
 * Segment-register names (`es`, `cs`, …) count as instruction prefixes, as in
 * NASM (`es movsb`): the parser should test isInstructionPrefix before
 * treating an identifier at the start of a line as a label; the prefix is then
 * passed in InstructionRequest.prefixes and the encoder emits the override.
 */
import { isPrefixName, encode } from './encode.js';
import { redundantPrefixCount } from './prefixes.js';
import { applyCpuDirective, cpuLevel } from './cpu.js';
import { CPU_LEVELS, ROWS_BY_MNEMONIC } from './table.js';
import type { EncodeContext, EncodeResult, EncodeWarning, InstructionRequest } from './types.js';

export { applyCpuDirective };

/**
 * nasm's error for a BITS the CPU in force does not know (checked when BITS is given, not when a
 * later `cpu` lowers the level), or null (measured).
 */
export function cpuModeError(cpu: string, bits: 16 | 32 | 64): string | null {
  const level = cpuLevel(cpu);
  if (bits === 64 && level < CPU_LEVELS.x64!) return 'cannot specify 64-bit segment on processor below an x86-64';
  if (bits === 32 && level < CPU_LEVELS['386']!) return 'cannot specify 32-bit segment on processor below a 386';
  return null;
}

export function isMnemonic(name: string): boolean {
  return ROWS_BY_MNEMONIC.has(name.toLowerCase());
}

export function isInstructionPrefix(name: string): boolean {
  return isPrefixName(name.toLowerCase());
}

/** Every mnemonic the instruction table knows, in lower case (the table's rows are not parsed). */
export function mnemonicNames(): Iterable<string> {
  return ROWS_BY_MNEMONIC.keys();
}

export { PREFIX_NAMES, redundantPrefixCount } from './prefixes.js';

export function encodeInstruction(req: InstructionRequest, ctx: EncodeContext): EncodeResult {
  const result = encode(req, ctx);
  if (req.prefixes.length === 0) return result; // (most lines: no prefix, nothing redundant)
  const redundant = redundantPrefixWarnings(req);
  if (redundant.length === 0) return result;
  // nasm's parser warns as it reads the prefixes: before every other warning, and whether or not
  // the line then assembles (measured: `lock lock add [eax],1` warns, then "operation size not specified").
  return { ...result, warnings: [...redundant, ...(result.warnings ?? [])] };
}

/**
 * One "instruction has redundant prefixes" per prefix that repeats its slot's word (see
 * redundantPrefixCount). On a line of prefixes only the last one stands as the mnemonic
 * (`rep rep`, `wait wait`): to nasm's parser it is one more prefix.
 */
function redundantPrefixWarnings(req: InstructionRequest): EncodeWarning[] {
  if (req.prefixes.length === 0) return [];
  const mnemonic = req.mnemonic.toLowerCase();
  const lastIsPrefix = req.operands.length === 0 && isPrefixName(mnemonic);
  const repeats = redundantPrefixCount(lastIsPrefix ? [...req.prefixes, mnemonic] : req.prefixes);
  return Array.from({ length: repeats }, () => ({
    message: 'instruction has redundant prefixes',
    warningClass: 'other',
    phase: 'parse' as const,
  }));
}

/**
 * Checks the argument of a `cpu` directive as NASM 2.16.01 does: null when
 * every word is a level or switch NASM knows (case-insensitive), else NASM's
 * message. (The assembler applies the directive with applyCpuDirective.)
 */
export function cpuDirectiveError(args: string): string | null {
  return applyCpuDirective('default', args).error;
}
