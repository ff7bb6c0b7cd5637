#!/usr/bin/env node
/**
 * Real-world benchmark (`npm run bench:realworld`, not part of the tests): tsnasm as installed
 * (bin/tsnasm.js) against nasm 2.16.01 on every case of the local real-world corpus
 * (fixtures/realworld, built by `node scripts/collect-realworld.mjs`; not committed, see its
 * README.md): programs and macro libraries no one here wrote, such as dav1d's x86inc-based SIMD
 * code. For each case it measures CPU seconds (user + sys) and peak RSS of both tools in the
 * case's folder, checks that tsnasm's output is byte-identical to nasm's, and reports totals per
 * corpus (the case name's prefix) and per size class (nasm's own CPU time), with `node -e 0` as
 * the floor. Writes bench/REALWORLD.md.
 *
 *   node bench/realworld.mjs [--only dav1d64,dav1d32] [--runs 1] [--no-write] [--note TEXT]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusRoot = join(repoRoot, 'fixtures', 'realworld');
const tsnasm = join(repoRoot, 'bin', 'tsnasm.js');
/** Size classes by nasm's CPU time on the case: where start-up dominates, and where throughput does. */
const CLASSES = [
  { name: 'nasm < 0.1 s', below: 0.1 },
  { name: 'nasm 0.1-1 s', below: 1 },
  { name: 'nasm >= 1 s', below: Infinity },
];

function parseArgs(argv) {
  const options = { only: null, runs: 1, write: true, note: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') options.only = argv[++i].split(',');
    else if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--note') options.note = argv[++i];
    else throw new Error(`bench/realworld: unknown argument '${arg}'`);
  }
  return options;
}

/** The corpus's cases: folder, format and corpus name (the part of the case name before the first dash). */
function listCases(only) {
  if (!existsSync(corpusRoot)) return [];
  return readdirSync(corpusRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(corpusRoot, e.name, 'format')))
    .map((e) => ({
      name: e.name,
      corpus: e.name.split('-')[0],
      dir: join(corpusRoot, e.name),
      format: readFileSync(join(corpusRoot, e.name, 'format'), 'utf8').trim(),
    }))
    .filter((c) => only === null || only.includes(c.corpus))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Median CPU and RSS of `runs` runs of a tool on a case; the output file is left at `output`. */
async function measureTool(command, args, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(command, args, 600));
  return {
    ok: results.every((r) => r.status === 'ok'),
    cpu: median(results.map((r) => r.cpu)),
    rssKiB: median(results.map((r) => r.rssKiB)),
  };
}

const sum = (values) => values.reduce((a, b) => a + b, 0);
const seconds = (n) => n.toFixed(2);
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');

function summaryRow(label, rows) {
  const nasmCpu = sum(rows.map((r) => r.nasm.cpu));
  const tsCpu = sum(rows.map((r) => r.ts.cpu));
  const faster = rows.filter((r) => r.ts.cpu <= r.nasm.cpu).length;
  const identical = rows.filter((r) => r.identical).length;
  const maxRss = (pick) => Math.round(Math.max(...rows.map((r) => pick(r).rssKiB)) / 1024);
  return `| ${label} | ${rows.length} | ${seconds(nasmCpu)} | ${seconds(tsCpu)} | ${ratio(tsCpu, nasmCpu)} | ${faster} | ${maxRss((r) => r.nasm)} | ${maxRss((r) => r.ts)} | ${identical}/${rows.length} |`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (spawnSync('nasm', ['-v'], { encoding: 'utf8' }).stdout?.startsWith('NASM version 2.16.01') !== true) {
    console.error('bench/realworld: needs nasm 2.16.01 on PATH');
    process.exit(1);
  }
  const cases = listCases(options.only);
  if (cases.length === 0) {
    console.error('bench/realworld: no cases (build the local corpus: node scripts/collect-realworld.mjs)');
    process.exit(1);
  }
  // The clock pinned as the corpus's expected outputs were made: a source's __?DATE?__ must not
  // make the two outputs differ (inherited by every tool run below).
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  process.env.TZ = 'UTC';
  const scratch = mkdtempSync(join(tmpdir(), 'tsnasm-bench-realworld-'));
  const startLoad = loadavg();
  const floor = await measureTool('node', ['-e', '0'], 5);
  const rows = [];
  for (const c of cases) {
    const nasmOut = join(scratch, 'nasm.out');
    const tsOut = join(scratch, 'ts.out');
    // Both run inside the case folder: the sources %include their files by relative names.
    const inCase = (command) => ['-c', `cd "$1" && shift && exec "$@"`, 'sh', c.dir, ...command];
    const nasm = await measureTool('sh', inCase(['nasm', '-f', c.format, 'source.asm', '-o', nasmOut]), options.runs);
    const ts = await measureTool(
      'sh',
      inCase(['node', tsnasm, '-f', c.format, 'source.asm', '-o', tsOut]),
      options.runs,
    );
    if (!nasm.ok) continue; // the case is one of nasm's expected failures: nothing to time
    const identical = ts.ok && readFileSync(nasmOut).equals(readFileSync(tsOut));
    rows.push({ ...c, nasm, ts, identical });
    rmSync(nasmOut, { force: true });
    rmSync(tsOut, { force: true });
    process.stderr.write(
      `${c.name}: nasm ${seconds(nasm.cpu)} s, tsnasm ${seconds(ts.cpu)} s${identical ? '' : ' DIFFERENT OUTPUT'}\n`,
    );
  }
  rmSync(scratch, { recursive: true, force: true });
  const endLoad = loadavg();

  const header = [
    '| cases | n | nasm CPU s | tsnasm CPU s | tsnasm/nasm | tsnasm no slower | nasm max MiB | tsnasm max MiB | identical |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  const byCorpus = [...new Set(rows.map((r) => r.corpus))].map((corpus) =>
    summaryRow(
      corpus,
      rows.filter((r) => r.corpus === corpus),
    ),
  );
  let previous = 0;
  const byClass = CLASSES.map((cls) => {
    const inClass = rows.filter((r) => r.nasm.cpu >= previous && r.nasm.cpu < cls.below);
    previous = cls.below;
    return inClass.length > 0 ? summaryRow(cls.name, inClass) : `| ${cls.name} | 0 | | | | | | | |`;
  });
  const slowest = [...rows]
    .sort((a, b) => b.nasm.cpu - a.nasm.cpu)
    .slice(0, 10)
    .map(
      (r) =>
        `| ${r.name} | ${r.format} | ${seconds(r.nasm.cpu)} | ${seconds(r.ts.cpu)} | ${ratio(r.ts.cpu, r.nasm.cpu)} | ${Math.round(r.nasm.rssKiB / 1024)} | ${Math.round(r.ts.rssKiB / 1024)} | ${r.identical ? 'yes' : '**no**'} |`,
    );
  const text = [
    '# Real-world benchmark',
    '',
    `Produced by \`node bench/realworld.mjs ${process.argv.slice(2).join(' ')}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Linux ${release()}; Node ${process.version}; tsnasm run as \`node bin/tsnasm.js\``,
    `- Cases: the local real-world corpus (fixtures/realworld, not committed), ${rows.length} cases nasm accepts; ${options.runs} run(s) each, median. CPU = user + sys from /usr/bin/time.`,
    `- Load average (1/5/15 min) ${startLoad.map((l) => l.toFixed(2)).join(' / ')} at the start, ${endLoad.map((l) => l.toFixed(2)).join(' / ')} at the end, on ${cpus().length} cores.`,
    `- Floor: \`node -e 0\` takes ${seconds(floor.cpu)} s CPU and ${Math.round(floor.rssKiB / 1024)} MiB.`,
    ...(options.note ? [`- ${options.note}`] : []),
    '',
    '## By corpus',
    '',
    ...header,
    ...byCorpus,
    '',
    '## By size (nasm’s CPU time on the case)',
    '',
    ...header,
    ...byClass,
    '',
    '## The ten cases nasm takes longest on',
    '',
    '| case | format | nasm CPU s | tsnasm CPU s | tsnasm/nasm | nasm MiB | tsnasm MiB | identical |',
    '| --- | --- | --: | --: | --: | --: | --: | --- |',
    ...slowest,
    '',
  ].join('\n');
  console.log(text);
  if (options.write) writeFileSync(join(repoRoot, 'bench', 'REALWORLD.md'), text);
}

await main();
