#!/usr/bin/env node
/**
 * Bundles each CLI (src/cli/*.ts) with its whole dependency tree (chevrotain,
 * commander, chalk and all of src/) into one ES module under dist/bundle/:
 *
 *   src/cli/tsnasm.ts -> dist/bundle/tsnasm.mjs
 *   src/cli/tsld.ts   -> dist/bundle/tsld.mjs
 *
 * Why: loading hundreds of small ES modules (resolution, file reads, one
 * compilation unit each) is most of tsnasm's start-up. One file per CLI is
 * read and compiled once. The bundles keep the CLI modules' exports (`main`,
 * ...), so bin/ launchers import them exactly as they import dist/src/cli/*.js.
 *
 * Run by `npm run build` after tsc (dist/src stays as the library build and as
 * the launchers' fallback), or alone with `npm run bundle`. Options:
 *   --metafile   also write dist/bundle/<name>.meta.json (inspect at https://esbuild.github.io/analyze/)
 *   --minify     minify (smaller file, slightly faster parse; unreadable stack traces)
 */
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cliFolder = join(repoRoot, 'src', 'cli');
const outFolder = join(repoRoot, 'dist', 'bundle');

const flags = new Set(process.argv.slice(2));
for (const flag of flags) {
  if (flag !== '--metafile' && flag !== '--minify') {
    console.error(`bundle: unknown option '${flag}' (known: --metafile, --minify)`);
    process.exit(1);
  }
}

// Every CLI module is an entry point; helper modules living in src/cli that are
// not CLIs would be bundled needlessly but harmlessly.
const entryPoints = readdirSync(cliFolder)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts'))
  .map((name) => ({ in: join(cliFolder, name), out: name.replace(/\.ts$/, '') }));

const result = await build({
  entryPoints,
  outdir: outFolder,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // No splitting: each CLI must be a single file (one read, one compile).
  splitting: false,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Some bundled packages are CommonJS-minded; give them a real `require` for node: built-ins.
  banner: {
    js: "import { createRequire as __tsnasmCreateRequire } from 'node:module'; const require = __tsnasmCreateRequire(import.meta.url);",
  },
  minify: flags.has('--minify'),
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

if (flags.has('--metafile')) {
  const { writeFileSync } = await import('node:fs');
  for (const { out } of entryPoints) {
    writeFileSync(join(outFolder, `${out}.meta.json`), JSON.stringify(result.metafile));
  }
}

for (const { out } of entryPoints) {
  const file = join(outFolder, `${out}.mjs`);
  const kib = (statSync(file).size / 1024).toFixed(0);
  console.log(`bundle: ${relative(repoRoot, file)} (${kib} KiB)`);
}
