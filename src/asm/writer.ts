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
export type OutputFormatName = 'bin' | 'elf32';

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
  ) {
    super(message);
  }
}
