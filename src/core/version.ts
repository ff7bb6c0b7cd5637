/** The nasm release whose output tsnasm reproduces byte for byte. */
export const NASM_VERSION = { major: 2, minor: 16, subminor: 1, patch: 0, string: '2.16.01', id: 0x02100100 };

/**
 * The tsnasm release (package.json's "version"; a unit test keeps the two
 * equal). A constant rather than a read of package.json so that library,
 * CLI and bundle need no file access to know it.
 */
export const TSNASM_VERSION = '0.1.0';
