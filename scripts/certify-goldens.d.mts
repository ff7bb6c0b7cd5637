/** Types for scripts/certify-goldens.mjs (used by test/golden-certified.test.ts and test/live-nasm.test.ts). */
export declare const goldenRoot: string;
export declare const certificatePath: string;
export declare const OUTCOME_FILES: readonly string[];
export declare function caseDigest(caseDir: string): string;
export declare function readCertificate(): Map<string, string>;
export declare function goldenCaseNames(): string[];
