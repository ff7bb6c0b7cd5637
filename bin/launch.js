// Shared by the bin/ launchers: runs a CLI from its single-file bundle (dist/bundle, built by
// `npm run build`: one file to read and compile, the fast start-up) or, when the bundle is missing,
// from the plain tsc output (dist/src). Only the launchers set the process's exit status.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

export async function launch(name) {
  // Node >= 22.1 keeps compiled code on disk between runs; older Node lacks the function.
  module.enableCompileCache?.();
  const bundle = new URL(`../dist/bundle/${name}.mjs`, import.meta.url);
  const cli = await import(existsSync(fileURLToPath(bundle)) ? bundle.href : `../dist/src/cli/${name}.js`);
  process.exitCode = await cli.run();
}
