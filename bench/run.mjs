#!/usr/bin/env node
/**
 * Benchmark: tsnasm vs real nasm on generated 32-bit source.
 *
 *   npm run bench                            # N = 10000 and 100000
 *   npm run bench -- 10000 100000 1000000    # any sizes
 *   npm run bench -- --nasm-timeout 300 --seed 7 50000
 *   npm run bench -- --align 100000          (`align 16` before every function)
 *   npm run bench -- --tsnasm path/to/other-cli.js 10000   (measure another build)
 *
 * For each N it writes a deterministic program (bench/generate.mjs) to a temp
 * folder, runs `node bin/tsnasm.js -f elf32` and `nasm -f elf32` on it one
 * after the other, and prints wall time, lines/second, peak RSS, whether the
 * two outputs are byte-identical, and tsnasm's time relative to nasm's.
 *
 * Peak RSS comes from `/usr/bin/time -v` when present; otherwise tsnasm is run
 * through a small wrapper that reports process.resourceUsage().maxRSS, and
 * nasm's RSS is shown as n/a. nasm becomes very slow on large inputs (tens of
 * seconds at 100k lines, effectively never at 1M), so it gets a timeout
 * (default 120 s, --nasm-timeout SECONDS or BENCH_NASM_TIMEOUT) and is then
 * reported as "timeout". tsnasm gets --tsnasm-timeout (default 600 s).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSource } from './generate.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let tsnasmBin = join(repoRoot, 'bin', 'tsnasm.js');

function parseCommandLine(argv) {
  const options = {
    sizes: [],
    seed: 1,
    align: false,
    nasmTimeoutSeconds: Number(process.env.BENCH_NASM_TIMEOUT ?? 120),
    tsnasmTimeoutSeconds: 600,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--nasm-timeout') options.nasmTimeoutSeconds = Number(value());
    else if (arg === '--tsnasm-timeout') options.tsnasmTimeoutSeconds = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--align') options.align = true;
    else if (arg === '--tsnasm')
      tsnasmBin = resolve(value()); // another build or CLI script to measure
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: node bench/run.mjs [--nasm-timeout S] [--tsnasm-timeout S] [--seed N] [--align] [--tsnasm CLI.js] [--keep] [N ...]',
      );
      process.exit(0);
    } else if (/^\d+$/.test(arg)) options.sizes.push(Number(arg));
    else throw new Error(`unknown argument '${arg}'`);
  }
  if (options.sizes.length === 0) options.sizes = [10_000, 100_000];
  return options;
}

// BENCH_NO_GNU_TIME=1 forces the fallback measurement (to test it, or to compare).
const hasGnuTime =
  process.env.BENCH_NO_GNU_TIME !== '1' &&
  existsSync('/usr/bin/time') &&
  spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
const hasNasm = spawnSync('nasm', ['-v']).status === 0;

/**
 * Runs a command with a timeout, measuring wall time and (when possible) peak
 * RSS. The child gets its own process group so a timeout kills the tool too,
 * not only the /usr/bin/time wrapper around it.
 */
function measure(command, args, { timeoutSeconds, rssFromWrapper = false }) {
  return new Promise((resolvePromise) => {
    const scratch = mkdtempSync(join(tmpdir(), 'tsnasm-bench-measure-'));
    const timeFile = join(scratch, 'time.txt');
    const rssFile = join(scratch, 'rss.txt');
    let argv = [command, ...args];
    if (hasGnuTime) argv = ['/usr/bin/time', '-v', '-o', timeFile, ...argv];
    else if (rssFromWrapper) {
      // node -e wrapper: run the CLI in-process, record maxRSS (KiB) at exit.
      const wrapper =
        `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));` +
        `process.argv.splice(1, 0, ${JSON.stringify(args[0])});` +
        `import(require('url').pathToFileURL(${JSON.stringify(args[0])}).href);`;
      argv = [process.execPath, '-e', wrapper, '--', ...args.slice(1)];
    }
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let rssKiB = null;
      if (hasGnuTime && existsSync(timeFile)) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
        if (m) rssKiB = Number(m[1]);
      } else if (existsSync(rssFile)) {
        rssKiB = Number(readFileSync(rssFile, 'utf8'));
      }
      rmSync(scratch, { recursive: true, force: true });
      resolvePromise({ seconds, rssKiB, exitCode: code, timedOut, stderr: stderr.trim() });
    });
  });
}

function formatRow(cells, widths) {
  return cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
}

async function main() {
  const options = parseCommandLine(process.argv.slice(2));
  if (!existsSync(tsnasmBin)) {
    console.error(`bench: ${tsnasmBin} does not exist yet; build the CLI first (npm run build).`);
  }
  if (!hasNasm) console.error('bench: nasm is not on PATH; only tsnasm will be measured.');
  console.log(
    `tsnasm benchmark (seed ${options.seed}${options.align ? ', align 16 before functions' : ''}, nasm timeout ${options.nasmTimeoutSeconds} s, RSS via ${hasGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage (tsnasm only)'})`,
  );
  const widths = [9, 7, 10, 12, 10, 24];
  console.log(formatRow(['lines', 'tool', 'wall s', 'lines/s', 'peak MiB', 'status'], widths));

  const work = mkdtempSync(join(tmpdir(), 'tsnasm-bench-'));
  try {
    for (const lines of options.sizes) {
      const sourcePath = join(work, `bench-${lines}.asm`);
      writeFileSync(sourcePath, generateSource({ lines, seed: options.seed, align: options.align }));
      const results = {};
      const tools = [
        [
          'tsnasm',
          process.execPath,
          [tsnasmBin, '-f', 'elf32', '-o', join(work, `tsnasm-${lines}.o`), sourcePath],
          options.tsnasmTimeoutSeconds,
        ],
        ['nasm', 'nasm', ['-f', 'elf32', '-o', join(work, `nasm-${lines}.o`), sourcePath], options.nasmTimeoutSeconds],
      ];
      for (const [tool, command, args, timeoutSeconds] of tools) {
        if (tool === 'nasm' && !hasNasm) continue;
        if (tool === 'tsnasm' && !existsSync(tsnasmBin)) {
          results[tool] = { status: 'not built' };
          console.log(formatRow([lines, tool, '-', '-', '-', 'not built'], widths));
          continue;
        }
        if (tool === 'tsnasm') args[0] = tsnasmBin;
        const run = await measure(command, args, { timeoutSeconds, rssFromWrapper: tool === 'tsnasm' });
        const status = run.timedOut
          ? `timeout (${timeoutSeconds} s)`
          : run.exitCode === 0
            ? 'ok'
            : `exit ${run.exitCode}`;
        results[tool] = { ...run, status };
        console.log(
          formatRow(
            [
              lines,
              tool,
              run.timedOut ? '-' : run.seconds.toFixed(2),
              run.timedOut ? '-' : Math.round(lines / run.seconds).toLocaleString('en-US'),
              run.rssKiB === null ? 'n/a' : (run.rssKiB / 1024).toFixed(1),
              status,
            ],
            widths,
          ),
        );
        if (!run.timedOut && run.exitCode !== 0 && run.stderr)
          console.log(`          ${tool} said: ${run.stderr.split('\n').slice(0, 3).join(' | ')}`);
      }
      const oursPath = join(work, `tsnasm-${lines}.o`);
      const theirsPath = join(work, `nasm-${lines}.o`);
      let identical = 'n/a';
      if (
        results.tsnasm?.status === 'ok' &&
        results.nasm?.status === 'ok' &&
        existsSync(oursPath) &&
        existsSync(theirsPath)
      ) {
        identical = Buffer.compare(readFileSync(oursPath), readFileSync(theirsPath)) === 0 ? 'yes' : 'NO';
      }
      let ratio = 'n/a';
      if (results.tsnasm?.status === 'ok' && results.nasm?.status === 'ok') {
        ratio = `${(results.tsnasm.seconds / results.nasm.seconds).toFixed(2)}x nasm's time`;
      } else if (results.tsnasm?.status === 'ok' && results.nasm?.timedOut) {
        ratio = `nasm did not finish in ${options.nasmTimeoutSeconds} s`;
      }
      console.log(`          byte-identical: ${identical}; tsnasm time: ${ratio}`);
    }
  } finally {
    if (options.keep) console.log(`bench: inputs and outputs kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
