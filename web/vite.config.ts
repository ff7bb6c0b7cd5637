/**
 * The playground's build: `npm run build:web` → web/dist (relative URLs, so
 * any static server, or a sub-path of one, can serve it). The assembler runs
 * in a module worker. Two browser substitutions, both for the container
 * image download (src/image was written for Node): the image's SHA-256 and
 * gzip come from web/src/shims/digest.ts instead of node:crypto/node:zlib,
 * and tar-stream's `events` is bare-events (an EventEmitter without Node).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const browserDigest: Plugin = {
  name: 'tsnasm-browser-digest',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source === './digest.js' && importer !== undefined && /[\\/]src[\\/]image[\\/]/.test(importer))
      return here('./src/shims/digest.ts');
    return null;
  },
};

export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [browserDigest],
  resolve: { alias: { events: 'bare-events' } },
  build: { outDir: here('./dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
  worker: { format: 'es', plugins: () => [browserDigest] },
  server: { fs: { allow: [here('..')] } },
});
