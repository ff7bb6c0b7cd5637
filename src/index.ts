/**
 * tsnasm library API. Everything here runs without Node's file system: file
 * access (for %include and incbin) is injected through `readFile`, so the same
 * core runs in a browser.
 */
import type { Diagnostic } from './core/diagnostics.js';

export type OutputFormat = 'bin' | 'elf32';

export interface AssembleOptions {
  /** The input path as typed by the user: it appears in diagnostics and in the ELF FILE symbol. */
  fileName: string;
  format: OutputFormat;
  /** -O0, -O1 or -Ox (2, the default). */
  optimize?: 0 | 1 | 2;
  /** -I paths, searched after the current directory. */
  includePaths?: string[];
  /** -D / -U style predefinitions, in command-line order. */
  predefines?: Array<{ name: string; value?: string; undefine?: boolean }>;
  /** Reads a file for %include / incbin; returns null when it does not exist. */
  readFile?: (path: string) => Uint8Array | null;
}

export interface AssembleResult {
  /** The output file's bytes, or null when there were errors (NASM writes no file then). */
  output: Uint8Array | null;
  diagnostics: Diagnostic[];
  errorCount: number;
}

export function assemble(_source: string | Uint8Array, options: AssembleOptions): AssembleResult {
  return {
    output: null,
    diagnostics: [{ severity: 'fatal', message: 'assembler not built yet', location: { file: options.fileName, line: 1 } }],
    errorCount: 1,
  };
}
