/**
 * The tsnasm release (package.json's "version"; a unit test keeps the two
 * equal). A constant rather than a read of package.json so that library,
 * CLI and bundle need no file access to know it.
 */
export const TSNASM_VERSION = '0.1.0';
