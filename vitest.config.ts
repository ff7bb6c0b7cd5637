import { setFlagsFromString } from 'node:v8';
import { defineConfig } from 'vitest/config';

// A larger young generation for the worker threads (V8 flags are per process; the workers' heaps,
// created after this line, take it). The tests assemble thousands of lines per call, and most of
// what a call allocates lives until the call returns: with the default semi-space the scavenger
// copies it over and over and garbage collection was about a fifth of `npm test`'s CPU time.
setFlagsFromString('--max-semi-space-size=64');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker threads that keep the modules they have loaded from one test file to the next:
    // every file imports most of src/ (the instruction table, the grammar), and loading that
    // afresh per file in a new process was about half of `npm test`'s CPU time. Sharing them is
    // safe as long as no test mocks modules (vi.mock does not reach a module an earlier file
    // has loaded, so such a test passes or fails by file order), stubs globals or changes the
    // environment.
    pool: 'threads',
    isolate: false,
  },
});
