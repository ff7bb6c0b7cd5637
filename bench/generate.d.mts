/** Types for bench/generate.mjs (used by test/live-nasm.test.ts). */
export declare function generateSource(options: { lines: number; seed?: number; align?: boolean }): string;
