#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { runCli } from '../dist/src/cli/launch.js';
import { main } from '../dist/src/cli/tsnasm.js';

process.exitCode = await runCli('tsnasm', main);
