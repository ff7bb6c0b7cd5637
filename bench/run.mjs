#!/usr/bin/env node
/**
 * Benchmark: tsnasm against nasm, yasm and Node's own start-up (`node -e 0`).
 *
 *   npm run bench                                   # every workload at 10k, 100k and 1M lines, 3 runs
 *   npm run bench -- --sizes 10k --runs 1           # a quick look
 *   npm run bench -- --workloads code,data --sizes 10k,100k
 *   npm run bench -- --tsnasm bench/launch-tsnasm.mjs   # another launcher/build of tsnasm
 *
 * Inputs: fixtures/hello.asm, then each workload of bench/workloads.mjs (code, align,
 * macro, data) at each size, generated deterministically into a temp folder.
 * Every tool assembles every input with `-f elf32`, --runs times, the tools taking
 * turns within a run so that load on a shared machine spreads over all of them.
 * Measured by /usr/bin/time: CPU seconds (user + sys) and peak RSS, median over
 * the runs. A measurement slower than --repeat-limit seconds is not repeated,
 * and one slower than --timeout seconds is killed and shown as a timeout (nasm
 * is super-linear: it does not finish 1M-line inputs in reasonable time).
 *
 * tsnasm's object file must be byte-identical to nasm's wherever nasm finishes;
 * the table says so per input. yasm is a speed reference only (its objects
 * differ); where it rejects an input it is shown as n/a with its message.
 *
 * The table, the targets of issue 14 (met or not), the machine, the date and
 * the load average go to bench/RESULTS.md (--out FILE, or --no-write).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstLine, measure, median } from './measure.mjs';
import { formatReport } from './report.mjs';
import { WORKLOADS } from './workloads.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: node bench/run.mjs [options]
  --workloads LIST   comma-separated, of: ${Object.keys(WORKLOADS).join(', ')} (default: all)
  --sizes LIST       line counts, 10k/1M suffixes allowed (default: 10k,100k,1M)
  --runs N           runs per tool and input; the median is reported (default: 3)
  --tools LIST       of tsnasm, nasm, yasm (default: those installed)
  --tsnasm FILE      JS launcher of tsnasm to run with node (default: bin/tsnasm.js)
  --no-hello         skip fixtures/hello.asm
  --timeout S        kill a single run after S seconds (default: 300)
  --repeat-limit S   do not repeat a measurement that took longer than S seconds (default: 20)
  --seed N           generator seed (default: 1)
  --out FILE         where to write the results (default: bench/RESULTS.md)
  --no-write         print only
  --note TEXT        a line added to the results (e.g. what else ran on the machine)
  --keep             keep the generated inputs and outputs`;

function parseSize(text) {
  const m = /^(\d+)([kKmM]?)$/.exec(text);
  if (!m) throw new Error(`bad size '${text}'`);
  return Number(m[1]) * { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]];
}

function parseCommandLine(argv) {
  const options = {
    workloads: Object.keys(WORKLOADS),
    sizes: [10_000, 100_000, 1_000_000],
    runs: 3,
    tools: null,
    tsnasm: join(repoRoot, 'bin', 'tsnasm.js'),
    hello: true,
    timeout: 300,
    repeatLimit: 20,
    seed: 1,
    out: join(repoRoot, 'bench', 'RESULTS.md'),
    write: true,
    note: null,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const list = () => value().split(',').filter(Boolean);
    if (arg === '--workloads') options.workloads = list();
    else if (arg === '--sizes') options.sizes = list().map(parseSize);
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--tools') options.tools = list();
    else if (arg === '--tsnasm') options.tsnasm = resolve(value());
    else if (arg === '--no-hello') options.hello = false;
    else if (arg === '--timeout') options.timeout = Number(value());
    else if (arg === '--repeat-limit') options.repeatLimit = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--out') options.out = resolve(value());
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--note') options.note = value();
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  for (const w of options.workloads) if (!(w in WORKLOADS)) throw new Error(`unknown workload '${w}'`);
  if (!(options.runs >= 1)) throw new Error('--runs must be at least 1');
  return options;
}

const installed = (command, versionArg) => spawnSync(command, [versionArg], { encoding: 'utf8' });

/** Median CPU and RSS over the successful runs of one tool on one input; else the first failure. */
function summarise(measurements) {
  const ok = measurements.filter((m) => m.status === 'ok');
  if (ok.length === 0) return { status: measurements[0]?.status ?? 'n/a', message: measurements[0]?.message ?? '' };
  return {
    status: 'ok',
    cpu: median(ok.map((m) => m.cpu)),
    rssKiB: median(ok.map((m) => m.rssKiB)),
    runs: ok.length,
  };
}

function toolCommands(options) {
  const all = {
    tsnasm: (input, output) => [process.execPath, [options.tsnasm, '-f', 'elf32', '-o', output, input]],
    nasm: (input, output) => ['nasm', ['-f', 'elf32', '-o', output, input]],
    yasm: (input, output) => ['yasm', ['-f', 'elf32', '-o', output, input]],
  };
  const available = {
    tsnasm: existsSync(options.tsnasm),
    nasm: installed('nasm', '-v').status === 0,
    yasm: installed('yasm', '--version').status === 0,
  };
  const wanted = options.tools ?? Object.keys(all);
  const tools = {};
  for (const name of wanted) {
    if (!(name in all)) throw new Error(`unknown tool '${name}'`);
    if (available[name]) tools[name] = all[name];
    else console.error(`bench: ${name} is not available (${name === 'tsnasm' ? options.tsnasm : 'not on PATH'})`);
  }
  return tools;
}

async function benchInput(input, tools, options, work) {
  const perTool = Object.fromEntries(Object.keys(tools).map((t) => [t, []]));
  const outputs = {};
  for (let run = 0; run < options.runs; run++) {
    for (const [tool, commandFor] of Object.entries(tools)) {
      const previous = perTool[tool];
      if (previous.some((m) => m.status !== 'ok' || m.wall > options.repeatLimit)) continue;
      const output = join(work, `${tool}-${input.name}.o`);
      const [command, args] = commandFor(input.path, output);
      const m = await measure(command, args, options.timeout);
      previous.push(m);
      if (run === 0 && m.status === 'ok') outputs[tool] = readFileSync(output);
      const shown = m.status === 'ok' ? `${m.cpu.toFixed(2)} s CPU, ${(m.rssKiB / 1024).toFixed(0)} MiB` : m.status;
      console.log(
        `  ${input.name.padEnd(12)} run ${run + 1}  ${tool.padEnd(6)}  ${shown}${m.message && m.status !== 'ok' ? `: ${m.message}` : ''}`,
      );
    }
  }
  const summary = Object.fromEntries(Object.entries(perTool).map(([t, ms]) => [t, summarise(ms)]));
  let identical = 'n/a';
  if (outputs.tsnasm && outputs.nasm) identical = Buffer.compare(outputs.tsnasm, outputs.nasm) === 0 ? 'yes' : 'NO';
  return { ...input, tools: summary, identical };
}

function machineDescription() {
  const version = (command, arg) => firstLine(installed(command, arg).stdout ?? '') || 'not installed';
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    kernel: release(),
    nasm: version('nasm', '-v'),
    yasm: version('yasm', '--version'),
  };
}

/** The report as Prettier would write it (so `npm run lint` stays clean), or as is without Prettier. */
async function prettierFormatted(markdown, filepath) {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    return await prettier.format(markdown, { ...config, filepath });
  } catch {
    return markdown;
  }
}

async function main() {
  const options = parseCommandLine(process.argv.slice(2));
  if (spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status !== 0) {
    throw new Error('/usr/bin/time (GNU time) is needed to measure CPU time and peak RSS of the tools');
  }
  const work = mkdtempSync(join(tmpdir(), 'tsnasm-bench-'));
  const loadBefore = loadavg();
  const started = new Date();
  try {
    const tools = toolCommands(options);
    const inputs = [];
    if (options.hello) {
      const path = join(repoRoot, 'fixtures', 'hello.asm');
      const lines = readFileSync(path, 'utf8').split('\n').length - 1;
      inputs.push({ name: 'hello', workload: 'hello', lines, path });
    }
    for (const workload of options.workloads) {
      for (const lines of options.sizes) {
        const name = `${workload}-${lines}`;
        const path = join(work, `${name}.asm`);
        writeFileSync(path, WORKLOADS[workload]({ lines, seed: options.seed }));
        inputs.push({ name, workload, lines, path });
      }
    }

    console.log(`bench: node -e 0 (${options.runs} runs)`);
    const nodeRuns = [];
    for (let run = 0; run < options.runs; run++) nodeRuns.push(await measure(process.execPath, ['-e', '0'], 60));
    const node = summarise(nodeRuns);

    const results = [];
    for (const input of inputs) {
      console.log(`bench: ${input.name} (${input.lines} lines)`);
      results.push(await benchInput(input, tools, options, work));
    }

    const report = formatReport({
      results,
      node,
      machine: machineDescription(),
      started,
      load: { before: loadBefore, after: loadavg() },
      options: { ...options, tsnasm: relative(repoRoot, options.tsnasm), argv: process.argv.slice(2) },
    });
    console.log('\n' + report);
    if (options.write) {
      writeFileSync(options.out, await prettierFormatted(report, options.out));
      console.log(`bench: results written to ${relative(process.cwd(), options.out)}`);
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
