/**
 * The small process that runs the tests' commands for them (see spawn.ts): it reads one request a
 * line on stdin (JSON: command, args, options), runs it with spawnSync and writes the result a
 * line on stdout (JSON, output in base64), in order. It ends with its stdin, when the test
 * process closes it or dies. Being small, its forks cost next to nothing.
 */
import { spawnSync } from 'node:child_process';

function run({ command, args, options }) {
  const { input, ...rest } = options;
  const r = spawnSync(command, args, {
    ...rest,
    ...(input !== undefined ? { input: Buffer.from(input, 'base64') } : {}),
    encoding: 'buffer',
  });
  const error = r.error && {
    message: r.error.message,
    code: r.error.code,
    errno: r.error.errno,
    syscall: r.error.syscall,
    path: r.error.path,
  };
  return {
    pid: r.pid,
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ? r.stdout.toString('base64') : null,
    stderr: r.stderr ? r.stderr.toString('base64') : null,
    error: error ?? null,
  };
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  pending += text;
  for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
    const request = JSON.parse(pending.slice(0, newline));
    pending = pending.slice(newline + 1);
    process.stdout.write(JSON.stringify(run(request)) + '\n');
  }
});
