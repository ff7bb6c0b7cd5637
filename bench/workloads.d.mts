/** Types for bench/workloads.mjs (used by test/grammar/fast-operands.test.ts). */
export declare const WORKLOADS: Record<
  'code' | 'align' | 'macro' | 'data',
  (options: { lines: number; seed: number }) => string
>;
