#!/usr/bin/env node
/**
 * Start-up measurement launcher (bench only, not shipped): runs tsnasm's
 * `main` from the build named by BENCH_TSNASM_BUILD, so the unbundled and the
 * bundled CLI can be timed through the same few lines of launcher code.
 *
 *   BENCH_TSNASM_BUILD=dist   node bench/launch-tsnasm.mjs -f elf32 fixtures/hello.asm   (dist/src/cli/tsnasm.js)
 *   BENCH_TSNASM_BUILD=bundle node bench/launch-tsnasm.mjs ...                             (dist/bundle/tsnasm.mjs)
 *   BENCH_COMPILE_CACHE=1     also calls module.enableCompileCache() where Node has it
 *
 * It mirrors what bin/launch.js does.
 */
import module from 'node:module';

if (process.env.BENCH_COMPILE_CACHE === '1' && typeof module.enableCompileCache === 'function') {
  module.enableCompileCache();
}
const build = process.env.BENCH_TSNASM_BUILD ?? 'bundle';
const target = build === 'dist' ? '../dist/src/cli/tsnasm.js' : '../dist/bundle/tsnasm.mjs';
const { run } = await import(target);
process.exitCode = await run();
