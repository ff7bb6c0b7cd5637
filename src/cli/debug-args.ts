/**
 * nasm's debug-information options: `-g`, `-F format` / `-Fformat`, `-gformat` (= `-g -F format`).
 * Measured with nasm 2.16.01:
 * - `-F format` alone turns debug information on (the object is the one `-g -F format` gives);
 *   the last format named wins (`-gstabs -F dwarf` is dwarf).
 * - format names are case-insensitive; elf32/elf64/elfx32 know `dwarf` (the default) and `stabs`;
 *   bin knows only `null` and writes the same bytes with `-g` as without.
 * - an unknown name is fatal before the input is opened, even before "no input file specified"
 *   (but after -v): `nasm: fatal: unrecognized debug format `foo' for output format `elf64'`
 *   then `Type nasm -h for help.`, status 1.
 * - `-F` as the last argument: `nasm: error: option `-F' requires an argument`, status 1.
 */
import type { OutputFormat } from '../library/assemble.js';

/** What the command line asked for: whether debug information is on, and the format named (as written). */
export interface DebugRequest {
  on: boolean;
  format: string | null;
}

/** Takes the debug options out of the arguments (commander does not know them). */
export function extractDebugArgs(args: string[]): { debug: DebugRequest; rest: string[] } | { error: string } {
  const debug: DebugRequest = { on: false, format: null };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--') || !/^-[gF]/.test(a)) {
      rest.push(a);
      continue;
    }
    debug.on = true;
    if (a.startsWith('-g')) {
      if (a.length > 2) debug.format = a.slice(2);
      continue;
    }
    const value = a.length > 2 ? a.slice(2) : args[++i];
    if (value === undefined) return { error: "option `-F' requires an argument" };
    debug.format = value;
  }
  return { debug, rest };
}

/** The debug formats nasm 2.16.01 knows for each output format (`nasm -h`); the first is the default. */
const DEBUG_FORMATS: Readonly<Record<OutputFormat, readonly string[]>> = {
  bin: ['null'],
  elf32: ['dwarf', 'stabs'],
  elf64: ['dwarf', 'stabs'],
  elfx32: ['dwarf', 'stabs'],
};

/**
 * Debug output tsnasm writes byte for byte as nasm does, each proven by the golden objects nasm
 * made in fixtures/golden64/dwarf-*; anything else nasm would write (stabs) is refused rather
 * than written without its debug sections.
 */
const SUPPORTED: Readonly<Record<OutputFormat, readonly string[]>> = {
  bin: ['null'],
  elf32: ['dwarf'],
  elf64: ['dwarf'],
  elfx32: ['dwarf'],
};

/** The chosen debug format (null: none), or the fatal message (without `tsnasm: fatal: `). */
export function resolveDebugFormat(
  debug: DebugRequest,
  format: OutputFormat,
  supported: readonly string[] = SUPPORTED[format],
): { debugFormat: string | null } | { fatal: string } {
  const known = DEBUG_FORMATS[format];
  const name = debug.format?.toLowerCase() ?? known[0]!;
  if (debug.format !== null && !known.includes(name))
    return { fatal: `unrecognized debug format \`${debug.format}' for output format \`${format}'` };
  // bin's only format writes nothing: the output is the one without -g.
  if (!debug.on || name === 'null') return { debugFormat: null };
  if (!supported.includes(name))
    return { fatal: `debug format \`${name}' for output format \`${format}' is not supported by tsnasm yet` };
  return { debugFormat: name };
}
