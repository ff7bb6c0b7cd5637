/** The nasm release whose output tsnasm reproduces byte for byte. */
export const NASM_VERSION = { major: 2, minor: 16, subminor: 1, patch: 0, string: '2.16.01', id: 0x02100100 };
