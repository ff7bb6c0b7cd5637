/**
 * spawnSync and execFileSync for the tests, the commands run by a small helper process instead of
 * by the test worker itself. A spawn forks the calling process, and the test worker, holding every
 * module and fixture the suite has loaded, grows past a gigabyte: each fork copied its page tables
 * (about 40 ms of system time per spawn from a 1.5 GB process, measured; a few ms from a small one),
 * and the few hundred spawns of the live tests were most of `npm test`'s system time. The helper
 * (spawn-server.mjs, started once, through the relay thread spawn-relay.mjs) stays small. The calls
 * block like Node's (Atomics.wait until the relay has the result) and give the same results.
 * Where the helper cannot run, Node's own spawnSync does.
 */
import * as childProcess from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the command is killed (SIGTERM), as in Node's spawnSync. */
  timeout?: number;
  input?: string | Uint8Array;
  /** Most bytes of stdout or stderr before the command is killed (Node's default: 1 MiB). */
  maxBuffer?: number;
}

interface ServerResult {
  pid: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string | null;
  stderr: string | null;
  error: { message: string; code?: string; errno?: number; syscall?: string; path?: string } | null;
}

interface Server {
  signal: Int32Array;
  port: MessagePort;
  relay: Worker;
}

/** The running helper; undefined before it starts (again), null after it failed too often (Node's spawnSync then). */
let server: Server | null | undefined;
let failures = 0;

/** The helper has failed or ended: this command runs directly, the next one starts it again (three tries). */
function serverFailed(why: string): null {
  console.warn(`test spawn helper: ${why}; spawning directly`);
  void server?.relay.terminate();
  server = ++failures < 3 ? undefined : null;
  return null;
}

function startServer(): Server | null {
  try {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const relay = new Worker(new URL('./spawn-relay.mjs', import.meta.url), {
      workerData: { signal, port: port2, server: new URL('./spawn-server.mjs', import.meta.url).pathname },
      transferList: [port2],
    });
    relay.unref();
    port1.unref();
    return { signal, port: port1, relay };
  } catch (error) {
    console.warn(`test spawn helper: cannot start (${String(error)}); spawning directly`);
    failures = 3;
    return null;
  }
}

/** The helper's result for one command, or null when there is no helper. */
function viaServer(command: string, args: readonly string[], options: SpawnOptions): ServerResult | null {
  server ??= startServer();
  if (server === null) return null;
  const { input, env, ...rest } = options;
  const request = {
    command,
    args,
    options: {
      ...rest,
      // The helper has the environment it started with; the caller's may have changed since.
      env: env ?? process.env,
      ...(input !== undefined ? { input: Buffer.from(input).toString('base64') } : {}),
    },
  };
  // A failure the relay reported while no command was running (the server ended) is waiting here.
  const stale = receiveMessageOnPort(server.port);
  if (stale !== undefined) {
    const { serverFailure } = JSON.parse(String(stale.message)) as { serverFailure?: string };
    return serverFailed(serverFailure ?? 'an answer nobody asked for');
  }
  Atomics.store(server.signal, 0, 0);
  server.port.postMessage(JSON.stringify(request));
  Atomics.wait(server.signal, 0, 0);
  const reply = receiveMessageOnPort(server.port)?.message as string | undefined;
  const result = reply === undefined ? null : (JSON.parse(reply) as ServerResult | { serverFailure: string });
  if (result === null || 'serverFailure' in result) return serverFailed(result?.serverFailure ?? 'no answer');
  return result;
}

function toReturns(
  args: readonly string[],
  r: ServerResult,
  encoding: BufferEncoding | undefined,
): SpawnSyncReturns<string | Buffer> {
  // Null where Node gives null (no output at all when the command could not start).
  const decode = (base64: string | null): string | Buffer | null => {
    if (base64 === null) return null;
    const bytes = Buffer.from(base64, 'base64');
    return encoding === undefined ? bytes : bytes.toString(encoding);
  };
  const stdout = decode(r.stdout);
  const stderr = decode(r.stderr);
  const returns = {
    pid: r.pid,
    output: stdout === null && stderr === null ? null : [null, stdout, stderr],
    stdout,
    stderr,
    status: r.status,
    signal: r.signal,
    ...(r.error !== null
      ? { error: Object.assign(new Error(r.error.message), { ...r.error, spawnargs: [...args] }) }
      : {}),
  };
  // The typings promise output buffers; Node's own spawnSync returns nulls here too.
  return returns as SpawnSyncReturns<string | Buffer>;
}

/** Node's spawnSync (stdio piped), run by the helper process. */
export function spawnSync(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { encoding: BufferEncoding },
): SpawnSyncReturns<string>;
export function spawnSync(command: string, args?: readonly string[], options?: SpawnOptions): SpawnSyncReturns<Buffer>;
export function spawnSync(
  command: string,
  args: readonly string[] = [],
  options: SpawnOptions & { encoding?: BufferEncoding } = {},
): SpawnSyncReturns<string | Buffer> {
  const { encoding, ...rest } = options;
  const r = viaServer(command, args, rest);
  if (r === null) return childProcess.spawnSync(command, args, options);
  return toReturns(args, r, encoding);
}

/** Node's execFileSync: the command's stdout; throws when it cannot start or fails (its stderr passed on). */
export function execFileSync(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { encoding: BufferEncoding },
): string;
export function execFileSync(command: string, args?: readonly string[], options?: SpawnOptions): Buffer;
export function execFileSync(
  command: string,
  args: readonly string[] = [],
  options: SpawnOptions & { encoding?: BufferEncoding } = {},
): string | Buffer {
  const r = options.encoding === undefined ? spawnSync(command, args, options) : spawnSync(command, args, options);
  if (r.error) throw r.error;
  if (r.stderr.length > 0) process.stderr.write(r.stderr);
  if (r.status !== 0) {
    const message = `Command failed: ${[command, ...args].join(' ')}\n${r.stderr.toString()}`;
    throw Object.assign(new Error(message), { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr });
  }
  return r.stdout;
}
