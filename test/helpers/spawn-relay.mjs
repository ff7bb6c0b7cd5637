/**
 * The thread between a test worker and spawn-server.mjs (see spawn.ts): it starts the server,
 * passes each request on, and hands each result line back through the message port, waking the
 * test thread (blocked in Atomics.wait) by the shared signal word. If the server cannot start or
 * ends, it says so the same way, so the test thread never waits for nothing.
 */
import { spawn } from 'node:child_process';
import { workerData } from 'node:worker_threads';

const { signal, port, server } = workerData;

function answer(line) {
  port.postMessage(line);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const child = spawn(process.execPath, [server], { stdio: ['pipe', 'pipe', 'inherit'] });
let pending = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (text) => {
  pending += text;
  for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
    answer(pending.slice(0, newline));
    pending = pending.slice(newline + 1);
  }
});
const fail = (why) => answer(JSON.stringify({ serverFailure: why }));
child.on('error', (error) => fail(error.message));
child.on('exit', (code, signalName) => fail(`spawn server exited (${code ?? signalName})`));
child.stdin.on('error', (error) => fail(`spawn server's input: ${error.message}`));
// Whatever else goes wrong here must still wake the test thread, never leave it waiting.
process.on('uncaughtException', (error) => fail(`spawn relay: ${error.message}`));
port.on('message', (line) => child.stdin.write(line + '\n'));
