#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { main, nodeIo } from '../dist/src/cli/tsimage.js';

try {
  process.exitCode = await main(process.argv.slice(2), nodeIo());
} catch (e) {
  // A bug in tsimage itself: say so in one line rather than dumping a stack trace.
  process.stderr.write(`tsimage: fatal: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.TSIMAGE_DEBUG) console.error(e);
  process.exitCode = 1;
}
