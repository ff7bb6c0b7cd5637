#!/usr/bin/env node
/**
 * Certifies the golden corpus (fixtures/golden) against the real nasm 2.16.01.
 *
 *   node scripts/certify-goldens.mjs        (run by scripts/gen-fixtures.sh; needs nasm)
 *
 * For every case folder it runs nasm as gen-fixtures.sh does (-f bin and -f elf32, inside the
 * folder, with the `args` file's flags) and compares what nasm gives with the committed
 * expected.bin / expected.o and their .stderr / .status files. When they agree it records the
 * case's digest (caseDigest: the case's inputs and those committed outcomes) in
 * fixtures/golden/certified.txt. A case that disagrees is reported and left out, and the
 * script exits 1.
 *
 * `npm test` then checks, without nasm, that every case's digest is still the certified one
 * (test/golden-certified.test.ts): a source, an `args` file or an included file edited without
 * regenerating, or an expected file edited by hand, fails there on any machine. The live test
 * (test/live-nasm.test.ts) runs nasm again on a sample of cases each time.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const goldenRoot = join(repoRoot, 'fixtures', 'golden');
export const certificatePath = join(goldenRoot, 'certified.txt');

/** The committed outcomes of nasm on a case that certification checks (gen-fixtures.sh writes them). */
export const OUTCOME_FILES = [
  'expected.bin',
  'expected.bin.stderr',
  'expected.bin.status',
  'expected.o',
  'expected.o.stderr',
  'expected.o.status',
];

/** Every file under `dir`, as paths relative to `root`, in sorted order. */
function filesUnder(root, dir = root) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(root, path));
    else out.push(relative(root, path));
  }
  return out;
}

/**
 * The digest of a case: SHA-256 over its inputs (every file whose name does not start with
 * `expected.`: source.asm, args, included files) and the outcome files, each as its path, its
 * length and its bytes, in sorted order. Listings and -E/-M goldens are not part of it (their
 * own scripts make them from the same inputs).
 */
export function caseDigest(caseDir) {
  const hash = createHash('sha256');
  for (const path of filesUnder(caseDir)) {
    const base = path.split('/').pop();
    const isInput = !base.startsWith('expected.');
    if (!isInput && !OUTCOME_FILES.includes(path)) continue;
    const bytes = readFileSync(join(caseDir, path));
    hash.update(`${path}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** The certified digests by case name (empty when there is no certificate yet). */
export function readCertificate() {
  const digests = new Map();
  if (!existsSync(certificatePath)) return digests;
  for (const line of readFileSync(certificatePath, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) (\S+)$/.exec(line);
    if (m) digests.set(m[2], m[1]);
  }
  return digests;
}

/** The case folders of the corpus, by name. */
export function goldenCaseNames() {
  return readdirSync(goldenRoot)
    .filter((name) => existsSync(join(goldenRoot, name, 'source.asm')))
    .sort();
}

/** Runs nasm on one case in one format; returns whether its outcome is the committed one. */
function agrees(caseDir, format, ext, extraArgs, scratch) {
  const out = join(scratch, `out.${ext}`);
  rmSync(out, { force: true });
  const run = spawnSync('nasm', ['-f', format, ...extraArgs, 'source.asm', '-o', out], { cwd: caseDir });
  const committed = (name) => {
    const path = join(caseDir, name);
    return existsSync(path) ? readFileSync(path) : null;
  };
  const stderr = committed(`expected.${ext}.stderr`);
  if (stderr === null || !stderr.equals(run.stderr)) return false;
  if (run.status !== 0) {
    const status = committed(`expected.${ext}.status`);
    return status !== null && Number(status.toString()) === run.status && committed(`expected.${ext}`) === null;
  }
  const bytes = committed(`expected.${ext}`);
  return bytes !== null && existsSync(out) && bytes.equals(readFileSync(out)) && !committed(`expected.${ext}.status`);
}

function main() {
  const version = spawnSync('nasm', ['-v'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.startsWith('NASM version 2.16.01')) {
    console.error('certify-goldens: needs nasm 2.16.01 on PATH; the certificate stays as it is.');
    process.exit(1);
  }
  // As gen-fixtures.sh: some pp-* cases print __?DATE?__ and __?TIME?__.
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  process.env.TZ = 'UTC';
  const scratch = mkdtempSync(join(tmpdir(), 'certify-goldens-'));
  const lines = [];
  const refused = [];
  try {
    for (const name of goldenCaseNames()) {
      const dir = join(goldenRoot, name);
      const argsFile = join(dir, 'args');
      const extra = existsSync(argsFile)
        ? (readFileSync(argsFile, 'utf8').split('\n')[0] ?? '').split(/\s+/).filter((a) => a !== '')
        : [];
      if (agrees(dir, 'bin', 'bin', extra, scratch) && agrees(dir, 'elf32', 'o', extra, scratch))
        lines.push(`${caseDigest(dir)} ${name}`);
      else refused.push(name);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const header =
    '# Digests of the golden cases whose committed outcomes real nasm 2.16.01 gave again when\n' +
    '# scripts/certify-goldens.mjs ran it (digest: inputs + expected.bin/.o with .stderr/.status).\n';
  writeFileSync(certificatePath, header + lines.join('\n') + '\n');
  console.log(`certify-goldens: ${lines.length} cases certified with ${version.stdout.trim()}`);
  if (refused.length > 0) {
    console.error(`certify-goldens: nasm disagrees with the committed outcome of: ${refused.join(', ')}`);
    console.error('certify-goldens: run npm run fixtures to regenerate them');
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
