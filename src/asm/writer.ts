/**
 * The contract between the assembler and an output format (src/output/*).
 *
 * The assembler ends with an ObjectFile (src/asm/object.ts): sections with
 * their bytes and relocations, symbols in definition order, the `org`
 * address. A writer serialises that model in its file format and makes no
 * layout decision of its own beyond that format's rules. Adding a format is
 * one new module in src/output that exports an OutputWriter, plus one entry
 * in the writer table of src/index.ts.
 */
import type { ObjectFile } from './object.js';

/** The `-f` names tsnasm knows. */
export type OutputFormatName = 'bin' | 'elf32' | 'elf64' | 'elfx32';

/** The ELF formats (relocatable objects; sections and symbols follow the same rules in all three). */
export function isElfFormat(format: OutputFormatName): boolean {
  return format !== 'bin';
}

/** The x86-64 ELF formats: RELA relocations with R_X86_64_* types (elfx32 in an ELF32 container). */
export function isX86_64Format(format: OutputFormatName): boolean {
  return format === 'elf64' || format === 'elfx32';
}

/** The BITS mode a format starts in (nasm: bin 16, elf32 32, elf64 and elfx32 64). */
export function defaultBits(format: OutputFormatName): 16 | 32 | 64 {
  return format === 'bin' ? 16 : format === 'elf32' ? 32 : 64;
}

export interface OutputWriter {
  /** The `-f` name this writer serves. */
  readonly format: OutputFormatName;
  /**
   * The file's bytes. Throws OutputWriteError for input the format cannot
   * express (nasm reports those after assembly and writes no file).
   */
  write(object: ObjectFile): Uint8Array;
}

/**
 * What a writer throws for an object its format cannot express. `wholeFile`
 * errors are about the output as a whole (nasm reports them as fatal, at
 * line 0 of the input: overlapping `-f bin` sections); the rest are plain
 * errors without a source line.
 */
export class OutputWriteError extends Error {
  constructor(
    message: string,
    readonly wholeFile = false,
    /** Whole-file errors nasm prints before this one (`cannot compute vstart` before the circular path). */
    readonly errorsBefore: readonly string[] = [],
  ) {
    super(message);
  }
}
