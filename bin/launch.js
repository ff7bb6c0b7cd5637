// Shared by the bin/ launchers: runs a CLI from its single-file bundle (dist/bundle, built by
// `npm run build`: one file to read and compile, the fast start-up) or, when the bundle is missing,
// from the plain tsc output (dist/src). Only the launchers set the process's exit status.
//
// bin/ is CommonJS (bin/package.json), unlike the rest of the package: a CommonJS entry script
// starts without Node's ES module loader, which costs ~15-20 ms of CPU on every run of Node 20.
'use strict';
const { existsSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/**
 * V8 flags for long runs of a CLI, set by the launcher once the bundle is compiled, when an argument
 * names a file of at least LONG_RUN_BYTES (the input, in practice; a guess that only affects speed).
 *
 * tsnasm: V8's optimising compiler (TurboFan) works on a background thread whose CPU counts,
 * and on a typical source file the run is over before the optimised code has paid back its
 * compilation. Four times V8's default interrupt budget (66 KiB on Node 20) makes a function
 * wait four times longer before it is considered hot, so short runs compile far less, while
 * long runs and hot loops still get optimised. Measured on Node 20 (CPU s, default budget vs
 * this one, median of 3): 2,000 code lines 0.56 / 0.40, 10,000 lines 1.26 / 1.06, 100,000 lines
 * 3.74 / 3.79; macro and data workloads and `times`/`%rep` loops unchanged within noise.
 * (Switching TurboFan off for short runs saved more on small files but made loops that emit
 * few lines up to 5x slower: `times 20000000 db 0`, a `%rep` of `%assign`s.) tsndisasm too:
 * 300 KB of random bytes in BITS 32, 1.24 s CPU with the default budget, 1.01 s with this one
 * (median of 3, output identical).
 *
 * Why late and only for large inputs: setting a flag needs node:v8, whose loading pulls in Node's
 * stream modules (~8 ms, most of what a small file costs beyond Node's own start), and a flag set
 * before compiling would have to be part of every run's code cache (V8 rejects a cache made under
 * other flags). Set after compiling, the budget still applies: functions take it when they first
 * collect feedback, which is after the bundle's code is loaded (10,000 lines: the same CPU as
 * setting it first).
 */
const LONG_RUN_FLAGS = { tsnasm: '--interrupt-budget=270000', tsndisasm: '--interrupt-budget=270000' };
const LONG_RUN_BYTES = 16 * 1024;

/** Runs the CLI `name` (tsnasm, tsld, ...) and sets process.exitCode to its status. */
function launch(name) {
  const bundle = join(__dirname, '..', 'dist', 'bundle', `${name}.cjs`);
  const status = existsSync(bundle) ? runCached(bundle, LONG_RUN_FLAGS[name]) : runUnbundled(name);
  status.then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      // run() reports the CLI's own failures; this is a broken install (missing or corrupt build).
      process.stderr.write(`${name}: fatal: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** Whether an argument names a file of at least LONG_RUN_BYTES. */
function hasLongInput(argv) {
  return argv.some((argument) => {
    try {
      return (statSync(argument, { throwIfNoEntry: false })?.size ?? 0) >= LONG_RUN_BYTES;
    } catch {
      return false; // not a path we can look at (the CLI reports it if it matters)
    }
  });
}

/** No bundle: the tsc output (dist/src), ES modules, with Node's compile cache where Node has one (>= 22.1). */
async function runUnbundled(name) {
  require('node:module').enableCompileCache?.();
  const { pathToFileURL } = require('node:url');
  const cli = await import(pathToFileURL(join(__dirname, '..', 'dist', 'src', 'cli', `${name}.js`)).href);
  return cli.run();
}

/**
 * Runs a CommonJS bundle (its text the module's wrapper function) through node:vm with a V8 code cache beside it (<bundle>.cache):
 * Node 20 cannot cache the compiled code of ES modules, and parsing + compiling the bundle
 * is the largest single start-up cost. The cache is written after the first run (so it holds
 * the functions that run compiled, not only the top level) and rewritten when V8 rejects it
 * (another Node version); a cache older than the bundle is ignored.
 */
async function runCached(file, longRunFlags) {
  const vm = require('node:vm');
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    if (statSync(cacheFile).mtimeMs >= statSync(file).mtimeMs) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet.
  }
  // The bundle is ASCII and already wrapped in the module function (scripts/bundle.mjs): latin1
  // makes a one-byte string without UTF-8 decoding, compiled as it is.
  const source = readFileSync(file, 'latin1');
  const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const flagged = longRunFlags !== undefined && hasLongInput(process.argv.slice(2));
  if (flagged) require('node:v8').setFlagsFromString(longRunFlags);
  const cjs = { exports: {} };
  // The bundle requires only Node's built-in modules, which this module's own require loads.
  script.runInThisContext()(cjs.exports, require, cjs, file, dirname(file));
  const status = await cjs.exports.run();
  // A cache made now would carry the long-run flags, and runs without them would reject it.
  if (!flagged && (cachedData === undefined || script.cachedDataRejected)) saveCache(cacheFile, script);
  return status;
}

function saveCache(cacheFile, script) {
  try {
    const temporary = `${cacheFile}.${process.pid}`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile); // atomic: concurrent runs never read half a cache
  } catch {
    // A read-only install just runs without the cache.
  }
}

module.exports = { launch, LONG_RUN_FLAGS, LONG_RUN_BYTES };
