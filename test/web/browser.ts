/**
 * What the playground's end-to-end tests share: a static file server over
 * web/dist (built first when missing or older than the sources) and Debian's
 * chromium driven by playwright-core. No browser is downloaded: the tests use
 * the system's chromium (CHROMIUM_PATH, or /usr/bin/chromium) and skip with a
 * message when there is none.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const root = resolve(import.meta.dirname, '..', '..');
const dist = join(root, 'web', 'dist');

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    const path = join(dir, entry);
    const info = statSync(path);
    newest = Math.max(newest, info.isDirectory() ? newestChange(path) : info.mtimeMs);
  }
  return newest;
}

/** Builds web/dist unless it is newer than everything in web/ and src/. */
export function ensureBuilt(): void {
  const index = join(dist, 'index.html');
  const sources = Math.max(newestChange(join(root, 'web')), newestChange(join(root, 'src')));
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Serves web/dist on a free local port, as any static server would. */
export async function serveDist(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end('not found');
      return;
    }
    // Vite names the bundles by their content hash (assets/index-<hash>.js): a static server lets
    // browsers keep them, as this one does, so a page opened again loads them from the cache.
    const cache = path.startsWith('/assets/') ? { 'cache-control': 'public, max-age=31536000, immutable' } : {};
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...cache });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
}
