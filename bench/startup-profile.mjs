#!/usr/bin/env node
/**
 * Where does tsnasm's start-up go? Runs the bundled CLI (bench/launch-tsnasm.mjs,
 * dist/bundle/tsnasm.mjs) on fixtures/hello.asm under `node --cpu-prof` several
 * times and attributes every sample to a start-up phase:
 *
 *   - node bootstrap + launcher   everything before/around the bundle
 *   - load + compile bundle       reading and compiling dist/bundle/tsnasm.mjs
 *   - module init: <module> <fn>  top-level code of a bundled module, named by the
 *                                 first of our own functions (src/, grammar/) on the
 *                                 stack, else by the module whose top-level code ran
 *   - main: <fn> > <fn>           work done by main() for hello.asm, named by the
 *                                 first --depth (2) of our own functions below main
 *   - (garbage collector), (program), (idle)
 *
 * Modules are found from the `// path` comments esbuild writes before each
 * module's code, so build the bundle unminified (npm run build).
 *
 *   node bench/startup-profile.mjs [--runs N] [--interval MICROSECONDS] [--top N] [--depth N]
 *
 * Prints a table of mean milliseconds per phase (profiling adds overhead, so the
 * sum exceeds an unprofiled run; the proportions are what matter).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = join(repoRoot, 'dist', 'bundle', 'tsnasm.mjs');

function parseOptions(argv) {
  const options = { runs: 5, interval: 100, top: 30, depth: 2 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]?.replace(/^--/, '');
    if (key === undefined || !(key in options)) throw new Error(`unknown option '${argv[i]}'`);
    options[key] = Number(argv[++i]);
  }
  return options;
}

/** Sorted [line, module path] pairs from esbuild's `// path` comments (0-based lines). */
function moduleBoundaries(bundleText) {
  const boundaries = [];
  bundleText.split('\n').forEach((line, index) => {
    const m = /^\/\/ ((?:src|grammar|node_modules)\/\S+)$/.exec(line);
    if (m) boundaries.push([index, m[1]]);
  });
  return boundaries;
}

function moduleAt(boundaries, line) {
  let lo = 0;
  let hi = boundaries.length - 1;
  let found = '?';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (boundaries[mid][0] <= line) {
      found = boundaries[mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const isOwnModule = (path) => path.startsWith('src/') || path.startsWith('grammar/');

/** Adds one profile's samples, in microseconds, into `totals` keyed by phase name. */
function attribute(profile, boundaries, totals, options) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const stackOf = (id) => {
    const stack = [];
    for (let at = id; at !== undefined; at = parentOf.get(at)) stack.push(nodes.get(at));
    return stack.reverse(); // root first
  };
  const phaseCache = new Map();
  const phaseOf = (leaf) => {
    if (phaseCache.has(leaf.id)) return phaseCache.get(leaf.id);
    const stack = stackOf(leaf.id);
    const inBundle = (n) => n.callFrame.url.endsWith('/bundle/tsnasm.mjs');
    const name = (n) => n.callFrame.functionName || '(anonymous)';
    let phase;
    const special = leaf.callFrame.functionName;
    if (special === '(garbage collector)' || special === '(program)' || special === '(idle)') phase = special;
    else {
      const mainIndex = stack.findIndex((n) => inBundle(n) && n.callFrame.functionName === 'main');
      const topIndex = stack.findIndex((n) => inBundle(n) && n.callFrame.lineNumber === 0);
      if (mainIndex >= 0) {
        const own = stack
          .slice(mainIndex + 1)
          .filter((n) => inBundle(n) && isOwnModule(moduleAt(boundaries, n.callFrame.lineNumber)))
          .slice(0, options.depth)
          .map(name);
        const firstCallee = stack.slice(mainIndex + 1).find(inBundle);
        const calleeName = firstCallee
          ? `(main itself) > ${moduleAt(boundaries, firstCallee.callFrame.lineNumber)} ${name(firstCallee)}`
          : '(main itself)';
        phase = `main: ${own.length > 0 ? own.join(' > ') : calleeName}`;
      } else if (topIndex >= 0) {
        const below = stack.slice(topIndex + 1).filter(inBundle);
        const own = below.find((n) => isOwnModule(moduleAt(boundaries, n.callFrame.lineNumber)));
        const first = below[0];
        if (own) phase = `module init: ${moduleAt(boundaries, own.callFrame.lineNumber)} ${name(own)}`;
        else if (first) phase = `module init: ${moduleAt(boundaries, first.callFrame.lineNumber)} ${name(first)}`;
        else phase = 'module init: top-level statements (all modules)';
      } else if (stack.some((n) => n.callFrame.functionName === 'loadAndTranslate' || inBundle(n))) {
        phase = 'load + compile bundle';
      } else phase = 'node bootstrap + launcher';
    }
    phaseCache.set(leaf.id, phase);
    return phase;
  };
  profile.samples.forEach((id, i) => {
    const phase = phaseOf(nodes.get(id));
    totals.set(phase, (totals.get(phase) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
}

const options = parseOptions(process.argv.slice(2));
const boundaries = moduleBoundaries(readFileSync(bundlePath, 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'tsnasm-startup-profile-'));
const totals = new Map();
try {
  for (let run = 0; run < options.runs; run++) {
    const result = spawnSync(
      process.execPath,
      [
        '--cpu-prof',
        `--cpu-prof-dir=${scratch}`,
        `--cpu-prof-interval=${options.interval}`,
        join(repoRoot, 'bench', 'launch-tsnasm.mjs'),
        '-f',
        'elf32',
        '-o',
        join(scratch, 'hello.o'),
        join(repoRoot, 'fixtures', 'hello.asm'),
      ],
      { env: { ...process.env, BENCH_TSNASM_BUILD: 'bundle' }, encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`tsnasm failed: ${result.stderr}`);
  }
  const profiles = readdirSync(scratch).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of profiles)
    attribute(JSON.parse(readFileSync(join(scratch, file), 'utf8')), boundaries, totals, options);
  const rows = [...totals].map(([phase, us]) => [phase, us / 1000 / profiles.length]).sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`| ms (mean of ${profiles.length}) | share | phase |`);
  console.log('|---:|---:|---|');
  for (const [phase, ms] of rows.slice(0, options.top)) {
    console.log(`| ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(0)}% | ${phase} |`);
  }
  console.log(`| ${total.toFixed(1)} | 100% | total profiled |`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
