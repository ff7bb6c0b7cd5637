#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { main, normaliseArgs } from '../dist/src/cli/tsnasm.js';

let status;
try {
  status = main(normaliseArgs(process.argv.slice(2)));
} catch (e) {
  // A bug in tsnasm itself: say so in one line rather than dumping a stack trace.
  process.stderr.write(`tsnasm: fatal: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.TSNASM_DEBUG) console.error(e);
  status = 1;
}
process.exitCode = status;
