/**
 * The tsld command line, end to end: GNU ld conventions, diagnostics like
 * ld's, exit status 1 and no output file on bad input, no stack traces.
 * main(argv, io) runs in-process; a few smoke tests run the real bin/tsld.js.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/tsld.js';
import { TSNASM_VERSION } from '../../src/core/version.js';
import { builtCli, runBin, runMain } from '../helpers/cli-io.js';
import { GOLDEN, OBJ, canRunI386, inspect, run } from './helpers.js';

/** tsld's main(argv, io) in-process, in `cwd`, as bin/tsld.js runs it. */
function tsld(args: string[], cwd: string) {
  return runMain(main, args, cwd, { ...process.env, NO_COLOR: '1' });
}

/** A scratch directory holding copies of the named fixture objects. */
function workdir(...objects: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsld-cli-'));
  for (const o of objects) copyFileSync(join(OBJ, o), join(dir, o));
  return dir;
}

describe('tsld CLI', () => {
  it('--version and --help print on stdout and return 0 (commander does not end the process)', () => {
    const dir = workdir();
    expect(tsld(['--version'], dir)).toEqual({ status: 0, stdout: `${TSNASM_VERSION}\n`, stderr: '' });
    const help = tsld(['--help'], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tsld \[options\] FILE\.o\.\.\. \[lib\.a\.\.\.\]/);
  });

  it('writes a.out by default, mode 0755, identical to ld+strip', () => {
    const dir = workdir('hello.o');
    const r = tsld(['hello.o'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = join(dir, 'a.out');
    expect(statSync(out).mode & 0o777).toBe(0o755);
    expect(readFileSync(out).equals(readFileSync(join(GOLDEN, 'hello')))).toBe(true);
    if (canRunI386) expect(run(out).stdout).toBe('Hello World\n');
  });

  it('accepts -o, -e, -s and the ld options used for the goldens', () => {
    const dir = workdir('entry.o');
    const r = tsld(
      [
        '-m',
        'elf_i386',
        '-z',
        'noseparate-code',
        '--build-id=none',
        '-z',
        'noexecstack',
        '-s',
        '-e',
        'begin',
        '-o',
        'entry',
        'entry.o',
      ],
      dir,
    );
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'entry')).equals(readFileSync(join(GOLDEN, 'entry')))).toBe(true);
  });

  it('links an archive given after the objects', () => {
    const dir = workdir('archive_main.o', 'libarith.a');
    expect(tsld(['-o', 'prog', 'archive_main.o', 'libarith.a'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'prog')).equals(readFileSync(join(GOLDEN, 'archive')))).toBe(true);
  });

  it('-Ttext places .text like ld (headers in the page below)', () => {
    const dir = workdir('hello.o');
    expect(tsld(['-Ttext', '0x400000', '-o', 'h', 'hello.o'], dir).status).toBe(0);
    const bytes = new Uint8Array(readFileSync(join(dir, 'h')));
    const { entry, phdrs, shdrs } = inspect(bytes);
    expect(phdrs[0]!.vaddr).toBe(0x3ff000);
    expect(entry).toBe(0x400000);
    expect(shdrs.find((s) => s.name === '.text')).toMatchObject({ addr: 0x400000, offset: 0x1000 });
    expect(readFileSync(join(dir, 'h')).equals(readFileSync(join(GOLDEN, 'hello-Ttext')))).toBe(true);
    if (canRunI386) expect(run(join(dir, 'h')).stdout).toBe('Hello World\n');
  });

  it('--map=FILE writes segments, sections with their inputs, and symbol addresses', () => {
    const dir = workdir('multi_main.o', 'multi_io.o');
    const r = tsld(['--map=prog.map', '-o', 'prog', 'multi_main.o', 'multi_io.o'], dir);
    expect(r.status).toBe(0);
    const map = readFileSync(join(dir, 'prog.map'), 'utf8');
    const bytes = new Uint8Array(readFileSync(join(dir, 'prog')));
    const { entry, phdrs } = inspect(bytes);
    expect(map).toContain(`Entry point 0x${entry.toString(16).padStart(8, '0')}`);
    expect(map).toMatch(/LOAD\s+0x00000000 0x08048000 .* R-X\s+\.text \.rodata/);
    expect(map).toMatch(/LOAD\s+.* RW-\s+\.data \.bss/);
    // .text is filled by both objects, in command-line order.
    expect(map).toMatch(/\.text\s+0x080480a0[\s\S]*multi_main\.o\(\.text\)[\s\S]*multi_io\.o\(\.text\)/);
    expect(map).toMatch(/0x[0-9a-f]{8} {2}print_str \(multi_io\.o\)/);
    expect(map).toMatch(new RegExp(`0x${entry.toString(16).padStart(8, '0')}  _start \\(multi_main\\.o\\)`));
    expect(phdrs.length).toBe(3);
  });

  it('--map alone prints the map on stdout', () => {
    const dir = workdir('hello.o');
    const r = tsld(['--map', '-o', 'h', 'hello.o'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Sections');
    expect(r.stdout).toMatch(/0x080480a0 {2}_start \(hello\.o\)/);
    expect(r.stdout).toMatch(/0x080490c4 {2}msg \(local, hello\.o\)/);
  });
});

describe('tsld diagnostics', () => {
  const failing = (dir: string, args: string[]) => {
    const stale = join(dir, 'out');
    writeFileSync(stale, 'stale');
    const r = tsld(['-o', 'out', ...args], dir);
    expect(r.status).toBe(1);
    expect(existsSync(stale)).toBe(false); // no partial (or stale) output, like ld
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    return r.stderr;
  };

  it('undefined references: one line per reference, as ld locates them', () => {
    const stderr = failing(workdir('undef.o'), ['undef.o']);
    expect(stderr).toBe(
      "tsld: error: undef.o: in function `_start': undef.asm:(.text+0x1): undefined reference to `missing_fn'\n" +
        "tsld: error: undef.o: in function `_start': undef.asm:(.text+0x6): undefined reference to `missing_var'\n" +
        "tsld: error: undef.o:(.data+0x0): undefined reference to `missing_fn'\n",
    );
    // Every location ld printed appears in ours.
    const ld = readFileSync(join(GOLDEN, 'undef.ld-stderr'), 'utf8');
    for (const loc of [
      'undef.asm:(.text+0x1)',
      'undef.asm:(.text+0x6)',
      'undef.o:(.data+0x0)',
      "in function `_start'",
    ]) {
      expect(ld).toContain(loc);
      expect(stderr).toContain(loc);
    }
  });

  it('duplicate definitions name both places', () => {
    const stderr = failing(workdir('hello.o', 'dup.o'), ['hello.o', 'dup.o']);
    const ld = readFileSync(join(GOLDEN, 'dup.ld-stderr'), 'utf8');
    const ldTail = ld.split('\n')[1]!;
    expect(stderr).toBe(`tsld: error: dup.o: in function \`_start': ${ldTail}\n`);
  });

  it('relocation overflow reports like ld', () => {
    const stderr = failing(workdir('overflow.o'), ['overflow.o']);
    const ld = readFileSync(join(GOLDEN, 'overflow.ld-stderr'), 'utf8').split('\n');
    expect(stderr).toBe(`tsld: error: ${ld[0]} ${ld[1]}\n`);
  });

  it('rejects a file that is not ELF', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'notes.txt'), 'hello, linker\n');
    expect(failing(dir, ['notes.txt'])).toBe('tsld: error: notes.txt: file format not recognized\n');
  });

  it('links a 64-bit object into an x86-64 executable', () => {
    const dir = workdir('hello64.o');
    const r = tsld(['-o', 'hello64', 'hello64.o'], dir);
    expect(r.status).toBe(0);
    const exe = readFileSync(join(dir, 'hello64'));
    expect([...exe.subarray(0, 5)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2]); // ELFCLASS64
    expect(exe.readUInt16LE(18)).toBe(62); // EM_X86_64
  });

  it('rejects truncated objects at every cut', () => {
    const whole = readFileSync(join(OBJ, 'hello.o'));
    const dir = workdir();
    // hello.o's last section (.rel.text) ends at 0x278; bytes after it are padding.
    for (const cut of [0, 3, 20, 51, 100, 300, 0x168, 0x277]) {
      writeFileSync(join(dir, 'cut.o'), whole.subarray(0, cut));
      expect(failing(dir, ['cut.o'])).toMatch(/^tsld: error: cut\.o: (truncated|file format not recognized)/);
    }
  });

  it('rejects an unknown relocation type', () => {
    const bytes = new Uint8Array(readFileSync(join(OBJ, 'hello.o')));
    // Find .rel.text through the section headers and corrupt its first r_info type byte.
    const v = new DataView(bytes.buffer);
    const shoff = v.getUint32(32, true);
    const shnum = v.getUint16(48, true);
    let patched = false;
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * 40;
      if (v.getUint32(o + 4, true) === 9 /* SHT_REL */) {
        bytes[v.getUint32(o + 16, true) + 4] = 0xee;
        patched = true;
        break;
      }
    }
    expect(patched).toBe(true);
    const dir = workdir();
    writeFileSync(join(dir, 'bad.o'), bytes);
    expect(failing(dir, ['bad.o'])).toBe(
      "tsld: error: bad.o: in function `_start': hello.asm:(.text+0x6): unsupported relocation type 238 in a static link\n",
    );
  });

  it('reports a missing input file like ld', () => {
    expect(failing(workdir(), ['nowhere.o'])).toBe('tsld: error: cannot find nowhere.o: No such file or directory\n');
  });

  it('rejects unknown options in the tsld: error: form', () => {
    // Like ld, a command-line error stops before any output file is touched.
    const dir = workdir('hello.o');
    const r = tsld(['--bogus', 'hello.o'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("tsld: error: unknown option '--bogus'\n");
    expect(existsSync(join(dir, 'a.out'))).toBe(false);
  });

  it('warns about a missing entry symbol but still links', () => {
    const dir = workdir('hello.o');
    const r = tsld(['-e', 'nosuch', '-o', 'h', 'hello.o'], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('tsld: warning: cannot find entry symbol nosuch; defaulting to 080480a0\n');
    expect(inspect(new Uint8Array(readFileSync(join(dir, 'h')))).entry).toBe(0x080480a0);
  });
});

/** The real launcher, in a new Node process: arguments, streams and exit status wired through. */
describe.skipIf(!builtCli('tsld'))('bin/tsld.js', () => {
  it('links hello like ld+strip and exits 0', () => {
    const dir = workdir('hello.o');
    const r = runBin('tsld', ['-o', 'h', 'hello.o'], dir);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'h')).equals(readFileSync(join(GOLDEN, 'hello')))).toBe(true);
  });

  it('reports a failed link with exit status 1 and no output', () => {
    const dir = workdir('undef.o');
    const r = runBin('tsld', ['-o', 'out', 'undef.o'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tsld: error: undef\.o: in function `_start'/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
