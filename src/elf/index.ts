/**
 * ELF: constants, structure layouts, readers and writers for both classes.
 * Shared by the assembler's object writers (src/output), the linker
 * (src/linker) and the annotated dumps (src/listing). Imports nothing else.
 */
export * from './constants.js';
export * from './structures.js';
export * from './strings.js';
export * from './read.js';
