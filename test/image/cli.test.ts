/**
 * tsimage command line: main(argv, io) in-process against a scratch folder,
 * and once through bin/tsimage.js (compiled dist/) for the exit status.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, nodeIo, type TsimageIo } from '../../src/cli/tsimage.js';
import { readImage } from '../../src/image/index.js';
import { FIXTURES, untar } from './helpers.js';
import { builtCli, runBin } from '../helpers/cli-io.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** A scratch folder with copies of the hello fixtures. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsimage-cli-'));
  for (const name of ['hello32', 'hello64']) copyFileSync(join(FIXTURES, name), join(dir, name));
  return dir;
}

async function tsimage(dir: string, argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: TsimageIo = {
    ...nodeIo(),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (p) => new Uint8Array(readFileSync(join(dir, p))),
    writeFile: (p, data) => nodeIo().writeFile(join(dir, p), data),
    env,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

const read = (dir: string, name: string) => new Uint8Array(readFileSync(join(dir, name)));

describe('tsimage CLI', () => {
  it('writes an OCI archive by default, the executable at /NAME, tagged NAME:latest', async () => {
    const dir = scratch();
    const r = await tsimage(dir, ['-o', 'img.tar', 'hello64']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    const info = await readImage(read(dir, 'img.tar'));
    expect([info.format, info.reference, info.config.architecture]).toEqual(['oci', 'hello64:latest', 'amd64']);
    expect(info.config.entrypoint).toEqual(['/hello64']);
  });

  it('--format docker, SRC:DEST, --tag, --entrypoint, --env, --label, --gzip', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'motd'), 'hi\n');
    const r = await tsimage(dir, [
      ...['--format', 'docker', '--tag', 'tiny/hello:1', '--gzip', '-o', 'img.tar'],
      ...['--entrypoint', '/bin/hello', '--env', 'A=1', '--env', 'B=2', '--label', 'author=me'],
      ...['hello32:/bin/hello', 'motd:/etc/motd'],
    ]);
    expect(r.status).toBe(0);
    const info = await readImage(read(dir, 'img.tar'));
    expect([info.format, info.reference, info.config.architecture]).toEqual(['docker', 'tiny/hello:1', '386']);
    expect([info.config.entrypoint, info.config.env, info.config.labels]).toEqual([
      ['/bin/hello'],
      ['A=1', 'B=2'],
      { author: 'me' },
    ]);
    expect(info.layers[0]!.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['bin/', '755'],
      ['bin/hello', '755'],
      ['etc/', '755'],
      ['etc/motd', '644'],
    ]);
    expect(info.layers[0]!.size).toBeLessThan(info.layers[0]!.uncompressedSize);
  });

  it('the same bytes whatever the input files’ mtimes, run after run', async () => {
    const dir = scratch();
    copyFileSync(join(dir, 'hello32'), join(dir, 'old'));
    utimesSync(join(dir, 'old'), new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
    utimesSync(join(dir, 'hello32'), new Date(), new Date());
    for (const format of ['oci', 'docker']) {
      expect((await tsimage(dir, ['--format', format, '-o', 'a.tar', 'hello32:/hello'])).status).toBe(0);
      expect((await tsimage(dir, ['--format', format, '-o', 'b.tar', 'old:/hello'])).status).toBe(0);
      expect((await tsimage(dir, ['--format', format, '-o', 'c.tar', 'hello32:/hello'])).status).toBe(0);
      const [a, b, c] = ['a.tar', 'b.tar', 'c.tar'].map((n) => Buffer.from(read(dir, n)));
      expect(a!.equals(b!)).toBe(true);
      expect(a!.equals(c!)).toBe(true);
    }
  });

  it('SOURCE_DATE_EPOCH sets every mtime; --history records it as the created time', async () => {
    const dir = scratch();
    const env = { SOURCE_DATE_EPOCH: '1556409600' };
    expect((await tsimage(dir, ['--history', '-o', 'img.tar', 'hello32'], env)).status).toBe(0);
    const archive = read(dir, 'img.tar');
    expect(new Set((await untar(archive)).map((m) => m.mtime))).toEqual(new Set([1556409600]));
    const info = await readImage(archive);
    expect(info.config.created).toBe('2019-04-28T00:00:00.000Z');
    expect(info.layers[0]!.files[0]!.mtime).toBe(1556409600);
  });

  it('--explain after building, and --explain ARCHIVE for an existing one', async () => {
    const dir = scratch();
    const built = await tsimage(dir, ['--explain', '-o', 'img.tar', 'hello32']);
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(/^OCI image layout: \d+ bytes, tag hello32:latest\n/);
    const again = await tsimage(dir, ['--explain', 'img.tar']);
    expect(again).toEqual({ status: 0, stdout: built.stdout, stderr: '' });
  });

  const failures: [string, string[], Record<string, string>, string][] = [
    ['not an ELF', ['-o', 'out.tar', 'notes'], {}, 'tsimage: error: /notes: not an ELF executable\n'],
    ['a missing file', ['-o', 'out.tar', 'nope'], {}, 'tsimage: error: cannot find nope: No such file or directory\n'],
    [
      'a bad tag',
      ['--tag', 'Bad:Tag', '-o', 'out.tar', 'hello32'],
      {},
      "tsimage: error: invalid image name `Bad:Tag': use lowercase letters, digits and separators (. _ -), e.g. hello:latest\n",
    ],
    [
      'a bad SOURCE_DATE_EPOCH',
      ['-o', 'out.tar', 'hello32'],
      { SOURCE_DATE_EPOCH: 'yesterday' },
      "tsimage: error: invalid SOURCE_DATE_EPOCH `yesterday' (seconds since 1970)\n",
    ],
    [
      'a bad --env',
      ['--env', 'X', '-o', 'out.tar', 'hello32'],
      {},
      "tsimage: error: invalid environment variable `X': expected KEY=VALUE\n",
    ],
    ['no -o', ['hello32'], {}, 'tsimage: error: no output file: give -o OUT (or --explain ARCHIVE to read one)\n'],
    ['no input', ['-o', 'out.tar'], {}, 'tsimage: error: no input files\n'],
    ['a bad format', ['--format', 'zip', '-o', 'out.tar', 'hello32'], {}, 'tsimage: error: option'],
  ];
  for (const [what, argv, env, message] of failures)
    it(`${what}: exit 1, one clear line, no archive left`, async () => {
      const dir = scratch();
      writeFileSync(join(dir, 'notes'), 'not a program\n');
      const before = readdirSync(dir).sort();
      const r = await tsimage(dir, argv, env);
      expect(r.status).toBe(1);
      expect(r.stderr.startsWith(message)).toBe(true);
      expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(readdirSync(dir).sort()).toEqual(before);
    });

  it('a write that fails leaves neither the archive nor a temporary file', async () => {
    const dir = scratch();
    const r = await tsimage(dir, ['-o', 'missing-folder/out.tar', 'hello32']);
    expect(r).toEqual({ status: 1, stdout: '', stderr: 'tsimage: error: cannot write missing-folder/out.tar\n' });
    expect(readdirSync(dir).sort()).toEqual(['hello32', 'hello64']);
  });
});

describe.skipIf(!builtCli('tsimage'))('bin/tsimage.js', () => {
  // The launcher runs what `npm run build` left in dist/; the test never builds (other test files
  // read dist/ at the same time).
  it('sets the exit status: 0 on success, 1 on error (no stack trace)', () => {
    const dir = scratch();
    const ok = runBin('tsimage', ['-o', 'img.tar', 'hello64'], dir);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(existsSync(join(dir, 'img.tar'))).toBe(true);
    const bad = runBin('tsimage', ['-o', 'bad.tar', 'nope'], dir);
    expect([bad.status, bad.stderr]).toEqual([1, 'tsimage: error: cannot find nope: No such file or directory\n']);
    expect(existsSync(join(dir, 'bad.tar'))).toBe(false);
  });
});
