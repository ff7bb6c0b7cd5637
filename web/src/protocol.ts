/** The messages between the page (main.ts) and the assembler worker (worker.ts). */
import type { Diagnostic } from '../../src/index.js';
import type { ElfRegion, ExplainedLine, PassLabel, PassRow } from '../../src/listing/index.js';

export type Format = 'bin' | 'elf32' | 'elf64';

export type Request =
  | { kind: 'assemble'; id: number; source: string; format: Format; fileName: string }
  | { kind: 'run'; id: number; stdin: string }
  | { kind: 'link'; id: number }
  | { kind: 'image'; id: number }
  | { kind: 'step'; id: number; action: 'start' | 'step' | 'stop'; count: number };

export interface PassView {
  passes: number[];
  labels: PassLabel[];
  rows: PassRow[];
}

export interface AssembleReply {
  kind: 'assembled';
  id: number;
  format: Format;
  fileName: string;
  errorCount: number;
  diagnostics: Diagnostic[];
  listing: string;
  /** The output file: an ELF object, or the flat binary. Empty after errors. */
  bytes: Uint8Array;
  explain: ExplainedLine[];
  elf: ElfRegion[] | null;
  passes: PassView | null;
  milliseconds: number;
}

export interface RunReply {
  kind: 'ran';
  id: number;
  /** Why there is no program to run (assembly or link errors), or null. */
  failure: string | null;
  stdout: string;
  stderr: string;
  exitStatus: number | null;
  summary: string;
  executable: Uint8Array | null;
  steps: number;
}

export interface LinkReply {
  kind: 'linked';
  id: number;
  executable: Uint8Array | null;
  failure: string | null;
}

export interface ImageReply {
  kind: 'image';
  id: number;
  bytes: Uint8Array | null;
  error: string | null;
}

export interface StepReply {
  kind: 'stepped';
  id: number;
  failure: string | null;
  /** Register name and value as hex, in the emulator's order. */
  registers: Array<{ name: string; value: string; changed: boolean }>;
  instruction: { address: string; bytes: string; text: string } | null;
  /** The source line the next instruction came from (main file), or null. */
  sourceLine: number | null;
  stdout: string;
  /** How the program ended, once it has. */
  ended: string | null;
  steps: number;
}

export type Reply = AssembleReply | RunReply | LinkReply | ImageReply | StepReply;
