import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker threads that keep the modules they have loaded from one test file to the next:
    // every file imports most of src/ (the instruction table, the grammar), and loading that
    // afresh per file in a new process was about half of `npm test`'s CPU time. No test
    // mocks modules, stubs globals or changes the environment, so sharing them is safe.
    pool: 'threads',
    isolate: false,
  },
});
