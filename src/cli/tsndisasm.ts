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

/** A number as ndisasm reads it: decimal, 0x/0h/$ hex, or a trailing h/q/o/b/d suffix. Null if malformed. */
export function parseNumber(text: string): number | null {
  const t = text.trim().toLowerCase();
  const forms: Array<[RegExp, number]> = [
    [/^(?:0x|0h|\$)([0-9a-f]+)$/, 16],
    [/^([0-9][0-9a-f]*)h$/, 16],
    [/^([0-7]+)[qo]$/, 8],
    [/^([01]+)b$/, 2],
    [/^([0-9]+)d?$/, 10],
  ];
  for (const [re, radix] of forms) {
    const m = re.exec(t);
    if (m) return parseInt(m[1] as string, radix);
  }
  return null;
}

class UsageError extends Error {}

interface Parsed {
  options: NdisasmOptions;
  file: string | null;
  done: 'help' | 'version' | null;
}

function parseArgs(argv: readonly string[]): Parsed {
  const options: NdisasmOptions = {
    bits: 16,
    origin: 0,
    skipHeader: 0,
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
      applyValue(options, c, value);
      break;
    }
  }
  return { options, file, done: null };
}

function applyValue(options: NdisasmOptions, c: string, value: string): void {
  const number = (what: string): number => {
    const n = parseNumber(value);
    if (n === null) throw new UsageError(`\`-${c}' requires ${what}`);
    return n;
  };
  switch (c) {
    case 'b': {
      const n = number('an argument');
      // ndisasm accepts other numbers and decodes oddly; only the three modes are supported here.
      if (n !== 16 && n !== 32 && n !== 64) throw new UsageError(`\`-b' requires 16, 32 or 64`);
      options.bits = n;
      return;
    }
    case 'o':
      options.origin = number('a numeric argument');
      return;
    case 's':
      options.syncs.push(number('an argument'));
      return;
    case 'e':
      options.skipHeader = number('a numeric argument');
      return;
    case 'p': {
      const vendor = value.toLowerCase();
      if (!isVendor(vendor)) throw new UsageError(`unknown vendor \`${value}' specified with \`-p'`);
      options.vendor = vendor;
      return;
    }
    case 'k': {
      const [a, b] = value.split(',');
      const start = a === undefined ? null : parseNumber(a);
      const length = b === undefined ? null : parseNumber(b);
      if (start === null || length === null) throw new UsageError("`-k' requires two numbers separated by a comma");
      options.skips.push({ start, length });
      return;
    }
  }
}

/** Runs tsndisasm; returns the exit status. */
export function main(argv: readonly string[], io: NdisasmIo): number {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
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
  EISDIR: 'Is a directory',
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
          return { error: (code !== undefined ? READ_ERRORS[code] : undefined) ?? errorMessage(e) };
        }
      },
    }),
  );
}
