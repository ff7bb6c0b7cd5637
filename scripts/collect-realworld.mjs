/**
 * Rebuilds the local real-world corpus (fixtures/realworld, see its README.md)
 * from the bare git mirrors on this machine (default /work/.mirror/<owner>+<name>/repo).
 *
 *   node scripts/collect-realworld.mjs [--mirror /work/.mirror] [--include-unlicensed] [--no-expected]
 *
 * For every candidate source of the SOURCES table below it gathers the files
 * the source %includes / incbins (recursively, placed beside it at the path
 * written in the directive), assembles the folder with nasm in each format it
 * may have been written for, and keeps the case when nasm 2.16.01 accepts it
 * in one of them: elf32, bin or elf64. Exact duplicates (same files, same
 * bytes) are kept once. It then writes `format` and SOURCES.md and runs
 * scripts/gen-realworld-fixtures.sh for nasm's expected outputs.
 *
 * Every case folder it writes is git-ignored (fetched code stays out of
 * commits); only the README.md of fixtures/realworld is tracked. Sources
 * whose repository states no licence are skipped unless --include-unlicensed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = join(repoRoot, 'fixtures', 'realworld');

const flags = { mirror: '/work/.mirror', includeUnlicensed: false, expected: true };
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--mirror') flags.mirror = process.argv[++i] ?? flags.mirror;
  else if (arg === '--include-unlicensed') flags.includeUnlicensed = true;
  else if (arg === '--no-expected') flags.expected = false;
  else throw new Error(`unknown argument '${arg}'`);
}

/** Format named by a nasm test header (`Arguments=-felf ...`) or a travis json (`"format": "bin"`). */
function declaredFormat(text) {
  const m = /Arguments=[^;\n]*-f\s*(\w+)/.exec(text) ?? /"format"\s*:\s*"(\w+)"/.exec(text);
  return { elf: 'elf32', elf32: 'elf32', bin: 'bin', elf64: 'elf64' }[m?.[1] ?? ''];
}

/** Formats to try, most likely first: what the file declares, then what its directives suggest. */
function formatsFor(path, text, extraHint) {
  const order = [];
  const add = (f) => f && !order.includes(f) && order.push(f);
  add(extraHint);
  add(declaredFormat(text));
  if (/\/(amd64|gas64|x32|gasx32|nasm64|pass64|gen64|win64)\//.test(path)) add('elf64');
  if (/\/objfmts\/bin\//.test(path)) add('bin');
  if (/^\s*\[?\s*bits\s+64\b/im.test(text)) add('elf64');
  if (/^\s*\[?\s*org\b/im.test(text)) add('bin');
  for (const f of ['elf32', 'bin', 'elf64']) add(f);
  return order;
}

const isAsm = (p) => /\.(asm|nas)$/i.test(p);

/** The repositories read, which of their files are cases, their licence and case-name prefix. */
const SOURCES = [
  {
    repo: 'netwide-assembler/nasm',
    prefix: 'nasm',
    licence: 'BSD-2-Clause',
    select: (p) => /^(test|travis)\//.test(p) && isAsm(p),
    // time.asm writes the assembly time: its output depends on the clock.
    skip: (p) => /(^|\/)time\.asm$/.test(p),
    // travis/<case>/<case>.json names the format the travis suite assembles it in.
    hint: (p, git) =>
      p.startsWith('travis/') ? declaredFormat(git.show(p.replace(/\.asm$/, '.json')) ?? '') : undefined,
  },
  {
    repo: 'yasm/yasm',
    prefix: 'yasm',
    licence: 'BSD-2-Clause (yasm is BSD / Artistic / GPL / LGPL; see its COPYING)',
    select: (p) => /(^|\/)tests\//.test(p) && isAsm(p),
  },
  {
    repo: 'cfenollosa/os-tutorial',
    prefix: 'ostutorial',
    licence: 'BSD-3-Clause',
    select: isAsm,
  },
  {
    repo: 'agguro/linux-nasm',
    prefix: 'linuxnasm',
    licence: 'Unlicense (public domain)',
    // Its Support/Nasm-source is a copy of nasm 2.15.05's own tests; nasmx is a Windows include library.
    select: (p) => /^(done|work-in-progress)\//.test(p) && isAsm(p) && !/Nasm-source|\/nasmx\//.test(p),
  },
  {
    repo: 'ocrosby/assembly-fundamentals-nasm',
    prefix: 'ocrosby',
    licence: 'MIT',
    select: isAsm,
  },
  // dav1d's x86 assembly (x86inc.asm macros, SSE to AVX-512) as its meson build assembles it on
  // Linux: config.asm is the file meson writes (here for each architecture), x86inc.asm is found
  // at the name the sources %include it by.
  ...[32, 64].map((bits) => ({
    repo: 'videolan/dav1d',
    prefix: `dav1d${bits}`,
    licence: 'BSD-2-Clause',
    select: (p) => /^src\/x86\/[^/]+\.asm$/.test(p),
    hint: () => `elf${bits}`,
    generated: {
      'config.asm': [
        `%define ARCH_X86_32 ${bits === 32 ? 1 : 0}`,
        `%define ARCH_X86_64 ${bits === 64 ? 1 : 0}`,
        '%define PIC 1',
        '%define STACK_ALIGNMENT 16',
        '%define FORCE_VEX_ENCODING 0',
        '%define private_prefix dav1d',
        '',
      ].join('\n'),
    },
  })),
  { repo: 'nanochess/bootOS', prefix: 'bootos', licence: 'BSD-2-Clause', select: isAsm },
  { repo: 'nanochess/Invaders', prefix: 'invaders', licence: null, select: isAsm },
  { repo: 'nanochess/fbird', prefix: 'fbird', licence: null, select: isAsm },
  { repo: 'cirosantilli/x86-assembly-cheat', prefix: 'x86cheat', licence: null, select: isAsm },
];

/** Read access to one bare mirror at its HEAD. */
function openMirror(repo) {
  const gitDir = join(flags.mirror, repo.replace('/', '+'), 'repo');
  if (!existsSync(gitDir)) return null;
  const git = (args, encoding = 'utf8') =>
    spawnSync('git', ['--git-dir', gitDir, ...args], { encoding, maxBuffer: 1 << 28 });
  const commit = git(['rev-parse', 'HEAD']).stdout.trim();
  const paths = git(['ls-tree', '-r', '--name-only', '-z', 'HEAD']).stdout.split('\0').filter(Boolean);
  const cache = new Map();
  const blob = (path) => {
    if (!cache.has(path)) {
      const r = git(['show', `HEAD:${path}`], 'buffer');
      cache.set(path, r.status === 0 ? r.stdout : null);
    }
    return cache.get(path);
  };
  return { commit, paths, pathSet: new Set(paths), blob, show: (p) => blob(p)?.toString('latin1') ?? null };
}

/** File names a source pulls in: %include "x", %include <x>, incbin "x" (quoted literal names only). */
function referencedFiles(text) {
  const names = [];
  const re = /^[ \t]*(?:[\w.$?@]+:?[ \t]+)?(?:%include|incbin)[ \t]+(["'<`])([^"'>`\n]+)["'>`]/gim;
  for (const m of text.matchAll(re)) names.push(m[2]);
  return names;
}

const commonPrefixLength = (a, b) => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

/**
 * Where a written include name lives in the repository: beside the including
 * file, beside the main source, at the repository root, or else the file
 * whose path ends with the name that sits closest to the source (the include
 * directories of a Makefile's -I, found without reading the Makefile).
 */
function locate(git, name, fromDirs) {
  for (const dir of [...fromDirs, '']) {
    const p = posix.normalize(posix.join(dir, name));
    if (git.pathSet.has(p)) return p;
  }
  const tail = `/${posix.normalize(name)}`;
  const matches = git.paths.filter((p) => p.endsWith(tail));
  const near = fromDirs[0] ?? '';
  matches.sort((a, b) => commonPrefixLength(b, near) - commonPrefixLength(a, near) || a.localeCompare(b));
  return matches[0] ?? null;
}

/** The case's files: source.asm and every included file, keyed by the path it gets inside the case folder. */
function gatherFiles(git, sourcePath) {
  const files = new Map([['source.asm', sourcePath]]);
  const queue = [{ repoPath: sourcePath }];
  const sourceDir = posix.dirname(sourcePath);
  while (queue.length > 0) {
    const { repoPath } = queue.shift();
    const text = git.show(repoPath) ?? '';
    for (const name of referencedFiles(text)) {
      const local = posix.normalize(name);
      // A name that climbs out of the folder (../x, /abs) cannot sit beside the source.
      if (local.startsWith('..') || posix.isAbsolute(local) || files.has(local)) continue;
      const found = locate(git, name, [posix.dirname(repoPath), sourceDir]);
      if (!found) continue;
      files.set(local, found);
      queue.push({ repoPath: found });
    }
  }
  return files;
}

/** Writes the case's files, and the files its build generates (`generated`: name → text). */
function writeCase(dir, git, files, generated = {}) {
  for (const [local, repoPath] of files) {
    mkdirSync(dirname(join(dir, local)), { recursive: true });
    writeFileSync(join(dir, local), git.blob(repoPath));
  }
  for (const [local, text] of Object.entries(generated)) writeFileSync(join(dir, local), text);
}

/** The first format nasm accepts the folder in, or null. */
function acceptedFormat(dir, formats) {
  for (const format of formats) {
    const r = spawnSync('nasm', ['-f', format, 'source.asm', '-o', `probe.out`], {
      cwd: dir,
      timeout: 300_000, // nasm takes about a minute on mostsecs (131072 sections); a timeout would drop a case at random
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', TZ: 'UTC' },
    });
    rmSync(join(dir, 'probe.out'), { force: true });
    if (r.status === 0) return format;
  }
  return null;
}

function caseName(prefix, path) {
  const stem = path.replace(/\.[^./]+$/, '').replace(/^done\//, '');
  return `${prefix}-${stem}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function requireNasm() {
  const v = spawnSync('nasm', ['-v'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.startsWith('NASM version 2.16.01')) {
    console.error(`collect-realworld: needs nasm 2.16.01 on PATH (found: ${v.stdout?.trim() || 'none'})`);
    process.exit(1);
  }
}

requireNasm();
// Start from an empty corpus: every folder here came from an earlier run of this script.
for (const e of readdirSync(outRoot, { withFileTypes: true })) {
  if (e.name !== 'README.md' && e.name !== '.gitignore')
    rmSync(join(outRoot, e.name), { recursive: true, force: true });
}

const scratch = mkdtempSync(join(tmpdir(), 'realworld-'));
const seen = new Set();
const names = new Set();
const kept = [];
const summary = [];
for (const source of SOURCES) {
  if (source.licence === null && !flags.includeUnlicensed) {
    summary.push(`${source.repo}: skipped (no licence stated; --include-unlicensed to use it locally)`);
    continue;
  }
  const git = openMirror(source.repo);
  if (!git) {
    summary.push(`${source.repo}: no mirror under ${flags.mirror}`);
    continue;
  }
  let candidates = 0;
  let accepted = 0;
  for (const path of git.paths.filter(source.select)) {
    if (source.skip?.(path)) continue;
    candidates++;
    const files = gatherFiles(git, path);
    const hash = createHash('sha256');
    for (const [local, repoPath] of [...files].sort()) hash.update(`${local}\0`).update(git.blob(repoPath));
    for (const [local, text] of Object.entries(source.generated ?? {})) hash.update(`${local}\0${text}`);
    const digest = hash.digest('hex');
    if (seen.has(digest)) continue;
    const probeDir = join(scratch, String(candidates));
    writeCase(probeDir, git, files, source.generated);
    const text = git.show(path);
    const format = acceptedFormat(probeDir, formatsFor(path, text, source.hint?.(path, git)));
    rmSync(probeDir, { recursive: true, force: true });
    if (!format) continue;
    seen.add(digest);
    let name = caseName(source.prefix, path);
    for (let n = 2; names.has(name); n++) name = `${caseName(source.prefix, path)}-${n}`;
    names.add(name);
    writeCase(join(outRoot, name), git, files, source.generated);
    writeFileSync(join(outRoot, name, 'format'), `${format}\n`);
    kept.push({
      name,
      format,
      repo: source.repo,
      commit: git.commit,
      licence: source.licence ?? 'none stated',
      files,
      generated: Object.keys(source.generated ?? {}),
    });
    accepted++;
  }
  summary.push(`${source.repo}@${git.commit.slice(0, 12)}: ${candidates} candidates, ${accepted} cases`);
}
rmSync(scratch, { recursive: true, force: true });

const lines = [
  '# Sources of the local real-world corpus',
  '',
  'Written by `node scripts/collect-realworld.mjs`; not committed (see README.md).',
  '',
  '| case | format | repository | path | commit | licence | included files |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const k of kept) {
  const included = [...k.files].filter(([local]) => local !== 'source.asm').map(([l, p]) => `${l} ← ${p}`);
  included.push(...k.generated.map((local) => `${local} (written by the collector, as the project's build does)`));
  lines.push(
    `| ${k.name} | ${k.format} | ${k.repo} | ${k.files.get('source.asm')} | ${k.commit} | ${k.licence} | ${included.join('<br>')} |`,
  );
}
writeFileSync(join(outRoot, 'SOURCES.md'), `${lines.join('\n')}\n`);

const byFormat = {};
for (const k of kept) byFormat[k.format] = (byFormat[k.format] ?? 0) + 1;
console.log(summary.join('\n'));
console.log(`collect-realworld: ${kept.length} cases ${JSON.stringify(byFormat)} in ${outRoot}`);
if (flags.expected) {
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'gen-realworld-fixtures.sh')], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
