/**
 * The one place that names the NASM release whose behaviour the encoder
 * reproduces. Fixture scripts check the installed nasm against it.
 */
export const NASM_REFERENCE_VERSION = '2.16.01';
