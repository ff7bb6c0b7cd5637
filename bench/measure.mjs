/** Measuring one run of a command: CPU seconds (user + sys) and peak RSS via GNU time. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const firstLine = (text) => text.split('\n').find((l) => l.trim() !== '') ?? '';

/**
 * Runs one command under /usr/bin/time in its own process group (so a timeout
 * kills the tool, not only the wrapper). Resolves to
 * { status: 'ok' | 'failed' | 'timeout', cpu, rssKiB, wall, message }.
 */
export function measure(command, args, timeoutSeconds) {
  return new Promise((resolvePromise) => {
    const scratch = mkdtempSync(join(tmpdir(), 'tsnasm-bench-time-'));
    const timeFile = join(scratch, 'time.txt');
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M %e', '-o', timeFile, command, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const timeLines = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n') : [];
      rmSync(scratch, { recursive: true, force: true });
      const numbers = (timeLines.at(-1) ?? '').split(' ').map(Number);
      const [user = NaN, sys = NaN, rssKiB = NaN, wall = NaN] = numbers;
      const status = timedOut ? 'timeout' : code === 0 ? 'ok' : 'failed';
      resolvePromise({ status, cpu: user + sys, rssKiB, wall, message: firstLine(stderr) });
    });
  });
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
