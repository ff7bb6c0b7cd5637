// Shared by the bin/ launchers: runs a CLI from its single-file bundle (dist/bundle, built by
// `npm run build`: one file to read and compile, the fast start-up) or, when the bundle is missing,
// from the plain tsc output (dist/src). Only the launchers set the process's exit status.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export async function launch(name) {
  // Node >= 22.1 keeps compiled code on disk between runs; older Node lacks the function.
  module.enableCompileCache?.();
  const script = fileURLToPath(new URL(`../dist/bundle/${name}.cjs`, import.meta.url));
  if (existsSync(script)) {
    process.exitCode = await runCached(script);
    return;
  }
  const bundle = new URL(`../dist/bundle/${name}.mjs`, import.meta.url);
  const cli = await import(existsSync(fileURLToPath(bundle)) ? bundle.href : `../dist/src/cli/${name}.js`);
  process.exitCode = await cli.run();
}

/**
 * Runs a CommonJS bundle through node:vm with a V8 code cache beside it (<bundle>.cache):
 * Node 20 cannot cache the compiled code of ES modules, and parsing + compiling the bundle
 * is the largest single start-up cost. The cache is written after the first run (so it holds
 * the functions that run compiled, not only the top level) and rewritten when V8 rejects it
 * (another Node version); a cache older than the bundle is ignored.
 */
async function runCached(file) {
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    if (statSync(cacheFile).mtimeMs >= statSync(file).mtimeMs) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet.
  }
  const source = readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cjs = { exports: {} };
  script.runInThisContext()(
    cjs.exports,
    module.createRequire(file),
    cjs,
    file,
    fileURLToPath(new URL('.', `file://${file}`)),
  );
  const status = await cjs.exports.run();
  if (cachedData === undefined || script.cachedDataRejected) saveCache(cacheFile, script);
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
