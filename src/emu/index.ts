/**
 * tsrun's engine: a user-mode x86 / x86-64 emulator for static Linux
 * executables (loader, paged memory, integer instruction set, system calls).
 */
export { createMachine, SIGNAL_TEXT, type Machine, type MachineOptions, type Outcome } from './machine.js';
export { LoadError } from './loader.js';
export type { Instr, Mode } from './decode.js';
export type { Signal } from './execute.js';
export * as flagsAlu from './alu.js';
