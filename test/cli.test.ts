/**
 * The tsnasm command line, run as a user runs it: exit status, output files,
 * diagnostics on stderr, and the -E / -l options wired to their stages.
 * main(argv, io) runs in-process (what bin/tsnasm.js calls, with captured
 * streams); a few smoke tests run the real bin/tsnasm.js.
 */
import { describe, expect, test } from 'vitest';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, VERSION_LINE } from '../src/cli/tsnasm.js';
import { assemble } from '../src/library/assemble.js';
import { NASM_VERSION, TSNASM_VERSION } from '../src/core/version.js';
import { builtCli, runBin, runMain, type CliResult } from './helpers/cli-io.js';

const repo = join(import.meta.dirname, '..');

function run(args: string[], cwd: string): CliResult {
  return runMain(main, args, cwd);
}

describe('tsnasm version', () => {
  test("TSNASM_VERSION is package.json's version", () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(TSNASM_VERSION).toBe(pkg.version);
  });

  test("-v and --version print one line in nasm's `NASM version 2.16.01` form", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    for (const flag of ['-v', '--version']) {
      const r = run([flag], dir);
      expect(r).toEqual({ status: 0, stdout: `${VERSION_LINE}\n`, stderr: '' });
    }
    expect(VERSION_LINE).toBe(`tsnasm version ${TSNASM_VERSION} (compatible with NASM version ${NASM_VERSION.string})`);
    expect(NASM_VERSION.id).toBe(
      (NASM_VERSION.major << 24) | (NASM_VERSION.minor << 16) | (NASM_VERSION.subminor << 8) | NASM_VERSION.patch,
    );
  });
});

describe('tsnasm CLI', () => {
  test('--help prints the usage on stdout and returns 0 (commander does not end the process)', () => {
    const r = run(['--help'], mkdtempSync(join(tmpdir(), 'tsnasm-cli-')));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tsnasm \[-f format\]/);
    expect(r.stderr).toBe('');
  });

  test('an unknown option is an error on stderr with status 1', () => {
    const r = run(['--bogus', 'x.asm'], mkdtempSync(join(tmpdir(), 'tsnasm-cli-')));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  test("assembles hello with nasm's default output name and bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'hello.asm'), readFileSync(join(repo, 'fixtures', 'hello.asm')));
    const r = run(['-f', 'elf', 'hello.asm'], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const expected = readFileSync(join(repo, 'fixtures', 'golden', 'hello', 'expected.o'));
    // The golden was made from `source.asm`; only the FILE symbol's string differs, so compare sizes and code.
    const ours = readFileSync(join(dir, 'hello.o'));
    expect(ours.length).toBe(expected.length);
    expect(ours.subarray(0x170, 0x192)).toEqual(expected.subarray(0x170, 0x192));
  });

  test("writes the default output beside the input, and nasm.out in the working folder when that name is the input's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    cpSync(join(repo, 'fixtures', 'cli', 'file-names'), dir, { recursive: true });
    writeFileSync(join(dir, 'd', 'p.asm'), 'nop\n');
    // Measured with nasm 2.16.01: `d/p.asm` gives d/p.o and d/p, `-f bin q` gives ./nasm.out.
    expect(run(['-f', 'elf32', 'd/p.asm'], dir).status).toBe(0);
    expect(run(['-f', 'bin', 'd/p.asm'], dir).status).toBe(0);
    expect(readdirSync(join(dir, 'd')).sort()).toEqual(['main.asm', 'p', 'p.asm', 'p.o', 's.inc']);
    expect(run(['-f', 'bin', 'q'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'nasm.out'))).toEqual(Buffer.from([0x90]));
    expect(readFileSync(join(dir, 'q'), 'latin1')).toContain('No extension');
  });

  test("-g names the source's own folder, symbolic links resolved, as DW_AT_comp_dir (nasm's)", () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tsnasm-cli-')));
    mkdirSync(join(dir, 'sub', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'deep', 'a.asm'), 'section .text\nnop\n');
    symlinkSync(join('sub', 'deep'), join(dir, 'link'));
    for (const input of ['sub/deep/a.asm', './sub/../sub/deep/a.asm', 'link/a.asm']) {
      expect(run(['-f', 'elf64', '-g', input, '-o', 'out.o'], dir).status).toBe(0);
      const object = readFileSync(join(dir, 'out.o'), 'latin1');
      expect(object, input).toContain(`\0${join(dir, 'sub', 'deep')}/\0`);
    }
  });

  test('reports an error as file:line, exits 1 and leaves no output file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'bad.asm'), 'nop\nmov eax, nowhere\n');
    const r = run(['-f', 'elf32', '-o', 'bad.o', 'bad.asm'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("bad.asm:2: error: symbol `nowhere' not defined\n");
    expect(existsSync(join(dir, 'bad.o'))).toBe(false);
  });

  test("an output file it cannot open is nasm's one message, before the source is read", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'bad.asm'), 'mov eax, nowhere\n');
    const r = run(['-f', 'elf32', 'bad.asm', '-o', 'missing/bad.o'], dir);
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr: "bad.asm: fatal: unable to open output file `missing/bad.o'\n",
    });
  });

  test('a listing it cannot open is an error it assembles on from; the output then goes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'bad.asm'), 'mov eax, nowhere\n');
    writeFileSync(join(dir, 'bad.o'), 'stale');
    const r = run(['-f', 'elf32', 'bad.asm', '-l', 'missing/bad.lst'], dir);
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr:
        "bad.asm: error: unable to open listing file `missing/bad.lst'\nbad.asm:1: error: symbol `nowhere' not defined\n",
    });
    expect(existsSync(join(dir, 'bad.o'))).toBe(false);
    writeFileSync(join(dir, 'ok.asm'), 'nop\n');
    expect(run(['ok.asm', '-o', 'ok.bin', '-l', 'missing/ok.lst'], dir).status).toBe(1);
    expect(existsSync(join(dir, 'ok.bin'))).toBe(false);
  });

  test('a stale listing goes when the run fails before the final pass; an unknown --dump stage touches nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'early.asm'), 'times x nop\n');
    writeFileSync(join(dir, 'early.lst'), 'stale');
    expect(run(['early.asm', '-l', 'early.lst'], dir).status).toBe(1);
    expect(existsSync(join(dir, 'early.lst'))).toBe(false);
    writeFileSync(join(dir, 'ok.asm'), 'nop\n');
    writeFileSync(join(dir, 'ok'), 'stale');
    expect(run(['ok.asm', '--dump', 'nothing'], dir).status).toBe(1);
    expect(readFileSync(join(dir, 'ok'), 'utf8')).toBe('stale');
  });

  test("files nasm cannot write: -E's output is fatal, a dependency file an error, a map file nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'ok.asm'), 'nop\n');
    expect(run(['ok.asm', '-E', '-o', 'missing/ok.i'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: "ok.asm: fatal: unable to open output file `missing/ok.i'\n",
    });
    // The object is still written; only the status tells.
    expect(run(['-f', 'elf32', 'ok.asm', '-MD', 'missing/ok.d', '-o', 'ok.o'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: "ok.asm: error: unable to write dependency file `missing/ok.d'\n",
    });
    expect(readFileSync(join(dir, 'ok.o')).subarray(0, 4)).toEqual(Buffer.from('\x7fELF', 'latin1'));
    writeFileSync(join(dir, 'map.asm'), '[map all missing/ok.map]\nnop\n');
    expect(run(['map.asm', '-o', 'map.bin'], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'map.bin'))).toEqual(Buffer.from([0x90]));
  });

  test("prints diagnostics in nasm's order: pass-1 errors interleaved with later lines' preprocessor warnings", () => {
    const dir = join(repo, 'fixtures', 'golden', 'err-cpu-directive');
    const out = join(mkdtempSync(join(tmpdir(), 'tsnasm-cli-')), 'x.bin');
    const r = run(['-f', 'bin', '-o', out, 'source.asm'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(readFileSync(join(dir, 'expected.bin.stderr'), 'utf8'));
  });

  test('-E prints the preprocessed source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'm.asm'), '%define N 3\ndb N\n');
    const r = run(['-E', 'm.asm'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('db 3');
  });

  test("-l writes nasm's listing", () => {
    const dir = join(repo, 'fixtures', 'golden', 'hello');
    const out = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    const r = run(['-f', 'elf32', 'source.asm', '-o', join(out, 'h.o'), '-l', join(out, 'h.lst')], dir);
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'h.lst'), 'utf8')).toBe(readFileSync(join(dir, 'expected.lst'), 'utf8'));
  });

  test('-l writes no listing when assembly fails before the final pass, -Lp lists the failed pass', () => {
    const dir = join(repo, 'fixtures', 'golden', 'err-times-non-constant');
    const out = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    expect(run(['-f', 'elf32', 'source.asm', '-o', join(out, 'e.o'), '-l', join(out, 'e.lst')], dir).status).toBe(1);
    expect(existsSync(join(out, 'e.lst'))).toBe(false);
    expect(
      run(['-f', 'elf32', '-Lp', 'source.asm', '-o', join(out, 'e.o'), '-l', join(out, 'e.lst')], dir).status,
    ).toBe(1);
    expect(readFileSync(join(out, 'e.lst'), 'utf8')).toContain('error: non-constant argument supplied to TIMES');
  });

  test('-Ld shows repeat counts in decimal', () => {
    const out = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(out, 't.asm'), 'times 17 nop\n');
    expect(run(['-Ld', 't.asm', '-o', join(out, 't.bin'), '-l', join(out, 't.lst')], out).status).toBe(0);
    expect(readFileSync(join(out, 't.lst'), 'utf8')).toContain('90<rep 17>');
  });
});

/**
 * Command lines recorded from nasm 2.16.01 by scripts/gen-cli-fixtures.sh
 * (fixtures/cli/<case>/cli-modes → expected.cli): stderr and exit status.
 */
describe('tsnasm command lines recorded from nasm', () => {
  const root = join(repo, 'fixtures', 'cli');
  const cases = existsSync(root) ? readdirSync(root) : [];
  test('has recorded command lines', () => {
    expect(cases).toContain('warning-switches');
  });
  for (const name of cases) {
    const dir = join(root, name);
    const records = readFileSync(join(dir, 'expected.cli'), 'utf8')
      .split(/^### args: /m)
      .filter((r) => r.length > 0);
    for (const record of records) {
      const [argsLine, ...rest] = record.split('\n');
      const body = rest.join('\n');
      const statusAt = body.lastIndexOf('### status ');
      const expectedStderr = body.slice(0, statusAt);
      const expectedStatus = Number(body.slice(statusAt + '### status '.length).trim());
      test(`${name}: nasm ${argsLine}`, () => {
        const work = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
        cpSync(dir, work, { recursive: true });
        const r = run(argsLine!.split(/\s+/), work);
        expect(r.stderr).toBe(expectedStderr);
        expect(r.status).toBe(expectedStatus);
      });
    }
  }
});

/** The real launcher, in a new Node process: arguments, streams and exit status wired through. */
describe.skipIf(!builtCli('tsnasm'))('bin/tsnasm.js', () => {
  test('assembles a file and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-bin-'));
    writeFileSync(join(dir, 'hello.asm'), readFileSync(join(repo, 'fixtures', 'hello.asm')));
    const r = runBin('tsnasm', ['-felf32', 'hello.asm'], dir);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'hello.o')).length).toBe(
      readFileSync(join(repo, 'fixtures', 'golden', 'hello', 'expected.o')).length,
    );
  });

  test('reports an error with exit status 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-bin-'));
    writeFileSync(join(dir, 'bad.asm'), 'mov eax, nowhere\n');
    const r = runBin('tsnasm', ['bad.asm'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("bad.asm:1: error: symbol `nowhere' not defined\n");
  });

  // bin/launch.js keeps a V8 code cache beside the bundle. V8 rejects a cache made under other flags
  // than the ones it is read under, so the flags set for long inputs (LONG_RUN_FLAGS) must never end
  // up in it: every run would then recompile the bundle.
  const bundle = join(repo, 'dist', 'bundle', 'tsnasm.cjs');
  test.skipIf(!existsSync(bundle))('leaves a code cache the next start accepts, after short and long inputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-bin-'));
    const launcher = createRequire(import.meta.url)(join(repo, 'bin', 'launch.js')) as { LONG_RUN_BYTES: number };
    writeFileSync(join(dir, 'short.asm'), 'nop\n');
    writeFileSync(join(dir, 'long.asm'), 'nop\n'.repeat(launcher.LONG_RUN_BYTES / 4 + 1));
    const probe = [
      "const vm = require('node:vm'); const fs = require('node:fs');",
      `const file = ${JSON.stringify(bundle)};`,
      "const script = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData: fs.readFileSync(file + '.cache') });",
      'process.stdout.write(String(script.cachedDataRejected));',
    ].join('\n');
    for (const input of ['short.asm', 'long.asm']) {
      expect(runBin('tsnasm', ['-fbin', input], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
      const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout, `after ${input}`).toBe('false');
    }
  });
});

describe('tsnasm --output-limit', () => {
  test('an output over the limit is an error on its line and writes no file; under it, the file is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'big.asm'), 'times 100 db 0\n');
    const over = run(['--output-limit', '50', '-o', 'big.bin', 'big.asm'], dir);
    expect(over.status).toBe(1);
    expect(over.stderr).toMatch(/^big\.asm:1: error: .*output size limit of 50 bytes/);
    expect(existsSync(join(dir, 'big.bin'))).toBe(false);
    const under = run(['--output-limit', '100', '-o', 'big.bin', 'big.asm'], dir);
    expect(under.status).toBe(0);
    expect(readFileSync(join(dir, 'big.bin'))).toHaveLength(100);
    expect(run(['--output-limit', 'lots', 'big.asm'], dir).status).toBe(1);
  });
});

/** nasm's -g / -F / -gformat, measured with nasm 2.16.01 (see src/cli/debug-args.ts). */
describe('tsnasm debug options', () => {
  const dirWith = (source: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-cli-'));
    writeFileSync(join(dir, 'a.asm'), source);
    return dir;
  };

  test('-g on bin writes the bytes it writes without -g, as nasm does; -F null too', () => {
    const dir = dirWith('mov eax,1\n');
    for (const args of [['-g'], ['-F', 'null'], ['-gNULL'], []]) {
      expect(run([...args, 'a.asm', '-o', 'a.bin'], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(readFileSync(join(dir, 'a.bin'))).toEqual(Buffer.from([0x66, 0xb8, 1, 0, 0, 0]));
    }
  });

  test("an unknown debug format is nasm's fatal, before the input is looked at", () => {
    const dir = dirWith('nop\n');
    const fatal = (name: string, format: string): CliResult => ({
      status: 1,
      stdout: '',
      stderr: `tsnasm: fatal: unrecognized debug format \`${name}' for output format \`${format}'\nType tsnasm -h for help.\n`,
    });
    expect(run(['-f', 'elf64', '-gfoo', 'a.asm'], dir)).toEqual(fatal('foo', 'elf64'));
    expect(run(['-f', 'ELF64', '-gFOO', 'missing.asm'], dir)).toEqual(fatal('FOO', 'elf64'));
    expect(run(['-f', 'elf', '-Fdwarf2'], dir)).toEqual(fatal('dwarf2', 'elf32'));
    expect(run(['-gdwarf', 'a.asm'], dir)).toEqual(fatal('dwarf', 'bin'));
    expect(run(['-f', 'elf64', '-F', 'null', 'a.asm'], dir)).toEqual(fatal('null', 'elf64'));
    expect(existsSync(join(dir, 'a.o'))).toBe(false);
  });

  test('debug output not yet proven identical to nasm is refused, never written without its sections', () => {
    const dir = dirWith('nop\n');
    for (const [args, name, format] of [
      [['-f', 'elf32', '-gstabs'], 'stabs', 'elf32'],
      [['-f', 'elf64', '-F', 'STABS'], 'stabs', 'elf64'],
      [['-f', 'elfx32', '-gstabs'], 'stabs', 'elfx32'],
      [['-gdwarf', '-f', 'elf64', '-Fstabs'], 'stabs', 'elf64'],
    ] as const) {
      expect(run([...args, 'a.asm'], dir)).toEqual({
        status: 1,
        stdout: '',
        stderr: `tsnasm: fatal: debug format \`${name}' for output format \`${format}' is not supported by tsnasm yet\nType tsnasm -h for help.\n`,
      });
      expect(existsSync(join(dir, 'a.o'))).toBe(false);
    }
    expect(run(['-f', 'elf64', '-gfoo', '-v'], dir).status).toBe(0);
  });

  test('-g, -gdwarf, -F dwarf and -Fdwarf write the DWARF sections, naming the working directory', () => {
    const dir = realpathSync(dirWith('global _start\n_start: mov eax, 1\nmsg: db 1\n'));
    for (const format of ['elf64', 'elf32', 'elfx32'] as const) {
      const expected = assemble(readFileSync(join(dir, 'a.asm')), {
        fileName: 'a.asm',
        format,
        debugInfo: { format: 'dwarf', compDir: `${dir}/` },
      }).output!;
      // comp_dir is written as nasm writes it: the working directory and a slash.
      expect(Buffer.from(expected).includes(`\0${dir}/\0NASM 2.16.01\0`, 0, 'latin1')).toBe(true);
      for (const args of [['-g'], ['-gdwarf'], ['-F', 'dwarf'], ['-Fdwarf'], ['-gstabs', '-F', 'DWARF']]) {
        expect(run(['-f', format, ...args, 'a.asm'], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
        expect(new Uint8Array(readFileSync(join(dir, 'a.o')))).toEqual(expected);
      }
      expect(run(['-f', format, 'a.asm', '-o', 'plain.o'], dir).status).toBe(0);
      expect(readFileSync(join(dir, 'plain.o')).length).toBeLessThan(expected.length);
    }
  });

  test("-F without its format is nasm's error", () => {
    expect(run(['-f', 'elf64', 'a.asm', '-F'], dirWith('nop\n'))).toEqual({
      status: 1,
      stdout: '',
      stderr: "tsnasm: error: option `-F' requires an argument\n",
    });
  });
});
