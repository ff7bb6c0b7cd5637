// Shared by the bin/ launchers: runs a CLI from its single-file bundle (dist/bundle, built by
// `npm run build`: one file to read and compile, the fast start-up) or, when the bundle is missing,
// from the plain tsc output (dist/src). Only the launchers set the process's exit status.
//
// bin/ is CommonJS (bin/package.json), unlike the rest of the package: a CommonJS entry script
// starts without Node's ES module loader, which costs ~15-20 ms of CPU on every run of Node 20.
'use strict';
const { existsSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

/**
 * Runs the CLI `name` (tsnasm, tsld, ...) and sets process.exitCode to its status.
 * `v8Flags`: V8 flags the CLI starts with (tsnasm's JIT policy, src/cli/jit-policy.ts, starts
 * with `--no-turbofan` and may turn it on mid-run). V8 rejects a code cache made under other flags
 * than the current ones, so they are set before the bundle is compiled and set again before its
 * cache is written: the cache then always matches the next start.
 */
function launch(name, { v8Flags = '' } = {}) {
  const setStartFlags = () => {
    if (v8Flags !== '') require('node:v8').setFlagsFromString(v8Flags);
  };
  setStartFlags();
  const bundle = join(__dirname, '..', 'dist', 'bundle', `${name}.cjs`);
  const status = existsSync(bundle) ? runCached(bundle, setStartFlags) : runUnbundled(name);
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

/** No bundle: the tsc output (dist/src), ES modules, with Node's compile cache where Node has one (>= 22.1). */
async function runUnbundled(name) {
  require('node:module').enableCompileCache?.();
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
async function runCached(file, setStartFlags) {
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
  const cjs = { exports: {} };
  script.runInThisContext()(cjs.exports, require('node:module').createRequire(file), cjs, file, dirname(file));
  const status = await cjs.exports.run();
  if (cachedData === undefined || script.cachedDataRejected) {
    setStartFlags();
    saveCache(cacheFile, script);
  }
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

module.exports = { launch };
