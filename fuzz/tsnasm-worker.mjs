/**
 * Runs tsnasm's assemble() for the mutation fuzzer in a worker thread, so a
 * hang can be cut off (the parent terminates the worker after its timeout)
 * and an out-of-memory or stack overflow stays a verdict, not a dead fuzzer.
 */
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { loadTsnasm } from './lib.mjs';

const tsnasm = await loadTsnasm();

function readerFor(cwd) {
  return (path) => {
    try {
      return new Uint8Array(readFileSync(isAbsolute(path) ? path : join(cwd, path)));
    } catch {
      return null;
    }
  };
}

parentPort.on('message', (job) => {
  try {
    // The public assemble() takes the bytes (the mutant was read as latin1: one char per byte) and
    // finds included files through `includes`.
    const result = tsnasm.assemble(new Uint8Array(Buffer.from(job.source, 'latin1')), {
      fileName: job.fileName,
      format: job.format,
      optimize: job.optimize,
      includePaths: job.includePaths,
      includes: readerFor(job.cwd),
    });
    const order = result.reportOrder ?? [...result.diagnostics.keys()];
    const messages = order.map((i) => tsnasm.formatDiagnostic(result.diagnostics[i]));
    parentPort.postMessage({ id: job.id, output: result.output, errorCount: result.errorCount, messages });
  } catch (e) {
    const stack = e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e);
    parentPort.postMessage({ id: job.id, exception: stack });
  }
});
parentPort.postMessage({ ready: true });
