#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { main } from '../dist/src/cli/tsndisasm.js';

const REASONS = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory' };

process.exitCode = main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => {
    try {
      return { data: new Uint8Array(readFileSync(path === '-' ? 0 : path)) };
    } catch (e) {
      return { error: REASONS[e.code] ?? String(e.message) };
    }
  },
});
