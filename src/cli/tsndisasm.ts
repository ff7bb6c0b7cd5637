/**
 * tsndisasm: ndisasm 2.16.01's command line over src/disasm. Same options,
 * same output, same messages and exit status (measured). `main` does no
 * process-level I/O of its own: `run` (what bin/tsndisasm.js calls) supplies the io.
 */
import { readFileSync } from 'node:fs';
import { ndisasmText, type NdisasmOptions } from '../disasm/ndisasm.js';
import { errorCode, errorMessage } from './io.js';
import { runCli } from './launch.js';
import type { Vendor } from '../disasm/index.js';

/** What main needs from its surroundings (kept minimal; see the CliIo of the other CLIs). */
export interface NdisasmIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a file (or stdin for `-`); null when it cannot be opened, with the system's reason. */
  readFile: (path: string) => { data: Uint8Array } | { error: string };
}

const USAGE = `usage: ndisasm [-a] [-i] [-h] [-r] [-u] [-b bits] [-o origin] [-s sync...]
               [-e bytes] [-k start,bytes] [-p vendor] file
   -a or -i activates auto (intelligent) sync
   -u same as -b 32
   -b 16, -b 32 or -b 64 sets the processor mode
   -h displays this text
   -r or -v displays the version number
   -e skips <bytes> bytes of header
   -k avoids disassembling <bytes> bytes from position <start>
   -p selects the preferred vendor instruction set (intel, amd, cyrix, idt)
`;
const VERSION = 'NDISASM version 2.16.01\n';
const VENDORS: readonly string[] = ['intel', 'amd', 'cyrix', 'idt'] satisfies Vendor[];
const isVendor = (v: string): v is Vendor => VENDORS.includes(v);

const RADIX_LETTER: Readonly<Record<string, number>> = { x: 16, h: 16, d: 10, t: 10, o: 8, q: 8, b: 2, y: 2 };
const MASK64 = (1n << 64n) - 1n;

export interface ReadNumber {
  /** The value modulo 2^64 (a minus sign wraps: `-5` is 0xfffffffffffffffb). */
  value: bigint;
  /** The token did not fit in 64 bits (ndisasm warns and keeps the low 64 bits). */
  overflow: string | null;
}

/** The token's digits and radix: `$` and 0x-style prefixes, h/q/b/d/t/o/y/x suffixes (a suffix wins: `0bh` is 11). */
function radixAndDigits(token: string): [number, string] | null {
  if (token.startsWith('$')) return token.length > 1 ? [16, token.slice(1)] : null;
  const suffix = RADIX_LETTER[token.slice(-1).toLowerCase()];
  if (token.length > 1 && suffix !== undefined) return [suffix, token.slice(0, -1)];
  const prefix = RADIX_LETTER[token.slice(1, 2).toLowerCase()];
  if (token.length > 2 && token[0] === '0' && prefix !== undefined) return [prefix, token.slice(2)];
  return [10, token];
}

/**
 * A number as ndisasm reads it (measured on 2.16.01, the rules of NASM's
 * numeric constants): leading blanks, an optional minus, then a run of
 * letters, digits, `_` and `$` (whatever follows is ignored: `0x10 5` is
 * 16), with a radix prefix or suffix; underscores are skipped. Null when
 * malformed.
 */
export function parseNumber(text: string): ReadNumber | null {
  const m = /^\s*(-?)([A-Za-z0-9_$]*)/.exec(text);
  const token = m?.[2] ?? '';
  if (token === '') return null;
  const parsed = radixAndDigits(token);
  if (!parsed) return null;
  const [radix, digits] = parsed;
  let value = 0n;
  let overflow = false;
  for (const c of digits.toLowerCase()) {
    if (c === '_') continue;
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= radix) return null;
    value = value * BigInt(radix) + BigInt(d);
    if (value > MASK64) overflow = true;
  }
  value &= MASK64;
  if (m?.[1] === '-') value = -value & MASK64;
  return { value, overflow: overflow ? `numeric constant ${token} does not fit in 64 bits` : null };
}

/**
 * `-b`'s number (measured): decimal only, read like C's strtol (blanks and a
 * sign before it, nothing after it; an empty one is 0), kept as a 32-bit int.
 * Null when malformed: ndisasm then says so and keeps the previous mode.
 */
export function parseBits(text: string): number | null {
  const m = /^\s*([+-]?)(\d*)$/.exec(text);
  if (!m) return null;
  const n = BigInt.asIntN(32, BigInt(m[2] === '' ? 0 : (m[2] as string)));
  return Number(m[1] === '-' ? BigInt.asIntN(32, -n) : n);
}

class UsageError extends Error {}

interface Parsed {
  options: NdisasmOptions;
  file: string | null;
  done: 'help' | 'version' | null;
}

function parseArgs(argv: readonly string[], warn: (text: string) => void): Parsed {
  const options: NdisasmOptions = {
    bits: 16,
    origin: 0n,
    skipHeader: 0n,
    skips: [],
    syncs: [],
    autoSync: false,
    vendor: 'intel',
  };
  let file: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-' || !arg.startsWith('-')) {
      if (file !== null) throw new UsageError('more than one filename specified');
      file = arg;
      continue;
    }
    let k = 1;
    while (k < arg.length) {
      const c = arg[k] as string;
      k++;
      if ('aiu'.includes(c)) {
        if (c === 'u') options.bits = 32;
        else options.autoSync = true;
        continue;
      }
      if (c === 'h') return { options, file, done: 'help' };
      if (c === 'r' || c === 'v') return { options, file, done: 'version' };
      if (!'bopsek'.includes(c)) throw new UsageError(`unrecognised option \`-${c}'`);
      const value = k < arg.length ? arg.slice(k) : argv[++i];
      if (value === undefined) throw new UsageError(`\`-${c}' requires an argument`);
      applyValue(options, c, value, warn);
      break;
    }
  }
  return { options, file, done: null };
}

function applyValue(options: NdisasmOptions, c: string, value: string, warn: (text: string) => void): void {
  /** ndisasm's number, or its message; a number too big for 64 bits is kept wrapped, with a warning (no newline: measured). */
  const number = (text: string, message: string): bigint => {
    const n = parseNumber(text);
    if (n === null) throw new UsageError(message);
    if (n.overflow !== null) warn(n.overflow);
    return n.value;
  };
  const numeric = `\`-${c}' requires a numeric argument`;
  switch (c) {
    case 'b': {
      const n = parseBits(value);
      // Measured: a malformed -b is reported and ignored (exit status 0); any decimal number is taken.
      if (n === null) warn("ndisasm: argument to `-b' should be 16, 32 or 64\n");
      else options.bits = n === 16 || n === 32 || n === 64 ? n : { odd: n };
      return;
    }
    case 'o':
      options.origin = number(value, numeric);
      return;
    case 's':
      options.syncs.push(number(value, numeric));
      return;
    case 'e':
      options.skipHeader = number(value, numeric);
      return;
    case 'p': {
      if (!isVendor(value)) throw new UsageError(`unknown vendor \`${value}' specified with \`-p'`);
      options.vendor = value;
      return;
    }
    case 'k': {
      const comma = value.indexOf(',');
      if (comma < 0) throw new UsageError("`-k' requires two numbers separated by a comma");
      const message = "`-k' requires numeric arguments";
      const start = number(value.slice(0, comma), message);
      options.skips.push({ start, length: number(value.slice(comma + 1), message) });
      return;
    }
  }
}

/** Runs tsndisasm; returns the exit status. */
export function main(argv: readonly string[], io: NdisasmIo): number {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv, io.stderr);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`ndisasm: ${e.message}\n`);
    return 1;
  }
  if (parsed.done === 'help' || (parsed.done === null && parsed.file === null)) {
    io.stderr(USAGE);
    return 0;
  }
  if (parsed.done === 'version') {
    io.stderr(VERSION);
    return 0;
  }
  const input = io.readFile(parsed.file as string);
  if ('error' in input) {
    io.stderr(`ndisasm: unable to open \`${parsed.file as string}': ${input.error}\n`);
    return 1;
  }
  io.stdout(ndisasmText(input.data, parsed.options));
  return 0;
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
};

/** bin/tsndisasm.js: run with the Node process's arguments and I/O (`-` reads stdin); returns the exit status. */
export function run(): Promise<number> {
  return runCli('tsndisasm', (argv) =>
    main(argv, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      readFile: (path) => {
        try {
          return { data: new Uint8Array(readFileSync(path === '-' ? 0 : path)) };
        } catch (e) {
          const code = errorCode(e);
          // Measured: ndisasm opens a directory and reads nothing from it (no output, status 0).
          if (code === 'EISDIR') return { data: new Uint8Array(0) };
          return { error: (code !== undefined ? READ_ERRORS[code] : undefined) ?? errorMessage(e) };
        }
      },
    }),
  );
}
