#!/usr/bin/env node
/**
 * Bundles each CLI (src/cli/*.ts) with its whole dependency tree (chevrotain,
 * commander, chalk and all of src/) into one ES module under dist/bundle/:
 *
 *   src/cli/tsnasm.ts -> dist/bundle/tsnasm.mjs and dist/bundle/tsnasm.cjs
 *   src/cli/tsld.ts   -> dist/bundle/tsld.mjs   and dist/bundle/tsld.cjs
 *
 * Why: loading hundreds of small ES modules (resolution, file reads, one
 * compilation unit each) is most of tsnasm's start-up. One file per CLI is
 * read and compiled once. The bundles keep the CLI modules' exports (`main`,
 * ...), so bin/ launchers import them exactly as they import dist/src/cli/*.js.
 *
 * The .cjs copy (a CommonJS module already wrapped in its function, see below) is
 * what bin/launch.js runs: as a classic script it can be
 * compiled through node:vm with a V8 code cache (dist/bundle/<name>.cjs.cache,
 * written by the launcher on the first run), so later runs skip parsing and
 * compiling the bundle. Node 20 has no compile cache for ES modules
 * (module.enableCompileCache came in Node 22.1). The .mjs stays for importers.
 *
 * Run by `npm run build` after tsc (dist/src stays as the library build and as
 * the launchers' fallback), or alone with `npm run bundle`. Options:
 *   --metafile   also write dist/bundle/<name>.meta.json (inspect at https://esbuild.github.io/analyze/)
 *   --minify     minify (smaller file, slightly faster parse; unreadable stack traces)
 */
import { build } from 'esbuild';
import { readFileSync, rmSync, statSync } from 'node:fs';
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

// One bundle per command: the CLI modules that package.json's "bin" names (bin/<name>.js
// runs dist/bundle/<name>.mjs). Helper modules in src/cli are bundled into them.
const commands = Object.keys(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).bin);
const entryPoints = commands.map((name) => ({ in: join(cliFolder, `${name}.ts`), out: name }));

/**
 * Chevrotain's lexer constructor fills a 65,536-entry array (char code -> index for its
 * first-character table) in an interpreted loop: ~10 ms of every start-up, before any
 * code gets hot. Entries below 256 are never read (the lookup returns those codes
 * directly), and the rest are `255 + ~~(code / 255)`, so the lookup computes that instead
 * and the array is never built. Same results; ASCII text never reaches the division.
 * If Chevrotain's text changes, the file is bundled unpatched (slower, still correct).
 */
const chevrotainLexerPatch = {
  name: 'chevrotain-lexer-start-up',
  setup(builder) {
    builder.onLoad({ filter: /chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]lexer\.js$/ }, (args) => {
      const original = readFileSync(args.path, 'utf8');
      const lookup = ': charCodeToOptimizedIdxMap[charCode];';
      const fill = 'if (isEmpty(charCodeToOptimizedIdxMap)) {';
      if (!original.includes(lookup) || !original.includes(fill)) {
        console.warn(`bundle: ${args.path} changed; Chevrotain's lexer is bundled without the start-up patch`);
        return undefined;
      }
      const contents = original.replace(lookup, ': 255 + ~~(charCode / 255);').replace(fill, 'if (false) {');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The instruction table's row text (src/encoder/table.ts `tableText()`) is assembled at
 * start-up from generators (the VEX/EVEX rows are expanded from templates) and then grouped
 * by mnemonic (`groupTableLines`): ~20 ms of every run. The bundle gets the grouped lines as a
 * literal instead, computed here from the same sources. If table.ts no longer has the
 * expected line, it is bundled as is.
 */
async function instructionTablePatch() {
  const tableSource = join(repoRoot, 'src', 'encoder', 'table.ts');
  const probe = await build({
    stdin: {
      contents: "export { groupTableLines, tableText } from './src/encoder/table.ts';",
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const code = probe.outputFiles[0].text;
  const table = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const literal = JSON.stringify(table.groupTableLines(table.tableText()));
  const startUpLine = 'const index = new RowIndex(groupTableLines(tableText()));';
  return {
    name: 'instruction-table-text',
    setup(builder) {
      builder.onLoad({ filter: /[\\/]src[\\/]encoder[\\/]table\.ts$/ }, (args) => {
        if (args.path !== tableSource) return undefined;
        const original = readFileSync(args.path, 'utf8');
        if (!original.includes(startUpLine)) {
          console.warn(`bundle: ${args.path} changed; the table text is built at start-up`);
          return undefined;
        }
        return { contents: original.replace(startUpLine, `const index = new RowIndex(${literal});`), loader: 'ts' };
      });
    },
  };
}

/**
 * Commander loads node:child_process at start-up (compiling it is ~2 ms of every run) for one
 * feature our CLIs never use: executable subcommands (`spawn`). The bundle loads it on first use.
 */
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(builder) {
    builder.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const original = readFileSync(args.path, 'utf8');
      const line = "const childProcess = require('node:child_process');";
      if (
        !original.includes(line) ||
        (original.match(/childProcess\.(\w+)/g) ?? []).some((use) => use !== 'childProcess.spawn')
      ) {
        console.warn(`bundle: ${args.path} changed; commander is bundled as is`);
        return undefined;
      }
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: original.replace(line, lazy), loader: 'js' };
    });
  },
};

/**
 * Chalk's supports-color probes the terminal when it is loaded (node:os, node:tty and the
 * environment), for chalk's default instance. Our code never uses that instance: every
 * `new Chalk({ level })` states its level. The bundle gets a stub saying "no colour", so
 * the probe and the two built-in modules are skipped at start-up.
 */
const chalkWithoutProbe = {
  name: 'chalk-without-supports-color',
  setup(builder) {
    builder.onResolve({ filter: /^#supports-color$/ }, () => ({
      path: 'supports-color-stub',
      namespace: 'tsnasm-stub',
    }));
    builder.onLoad({ filter: /^supports-color-stub$/, namespace: 'tsnasm-stub' }, () => ({
      contents: 'export default { stdout: false, stderr: false };',
      loader: 'js',
    }));
  },
};

const shared = {
  entryPoints,
  plugins: [chevrotainLexerPatch, commanderLazyChildProcess, chalkWithoutProbe, await instructionTablePatch()],
  outdir: outFolder,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // No splitting: each CLI must be a single file (one read, one compile).
  splitting: false,
  platform: 'node',
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
};
const result = await build({ ...shared, format: 'esm' });
/**
 * The copy bin/launch.js runs. It is written as the function Node wraps a CommonJS module in,
 * `(function (exports, require, module, __filename, __dirname) {...})`, so the launcher compiles
 * the file's text as it is read (no second 1 MB string to build), and it is plain ASCII without
 * comments or indentation, so the launcher reads it as latin1: a one-byte string, a smaller read,
 * half the memory of the two-byte string one non-ASCII comment would force. Names are kept
 * (no identifier minification), so stack traces under TSNASM_DEBUG stay readable.
 */
await build({
  ...shared,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
  minifyWhitespace: true,
  charset: 'ascii',
  metafile: false,
});
for (const { out } of entryPoints) {
  const text = readFileSync(join(outFolder, `${out}.cjs`));
  const at = text.findIndex((byte) => byte > 0x7f);
  if (at >= 0)
    throw new Error(`bundle: dist/bundle/${out}.cjs is not ASCII (byte ${at}); bin/launch.js reads it as latin1`);
}
// A code cache describes the old bundle's functions; V8 only checks the source's length.
for (const { out } of entryPoints) rmSync(join(outFolder, `${out}.cjs.cache`), { force: true });

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
