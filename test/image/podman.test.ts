/**
 * Live: the hello images loaded into a real container engine (podman) and run,
 * and read by second, independent readers (skopeo, umoci with GNU tar).
 * Every part skips with a visible message where its tool cannot run here.
 */
import type { SpawnSyncReturns } from 'node:child_process';
import { spawnSync } from '../helpers/spawn.js';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage, readImage, type ImageFormat } from '../../src/image/index.js';
import { HELLO32, HELLO64, hasTool, member, untar } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'tsimage-live-'));

function exec(command: string, args: string[], timeout = 180_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: 'utf8', timeout });
}

function oneLine(r: SpawnSyncReturns<string>): string {
  const text = `${r.stderr}${r.stdout}`.trim().split('\n').pop() ?? '';
  return r.error !== undefined ? r.error.message : text;
}

/** Where systemd does not run (containers, CI), podman needs cgroupfs and file events. */
const PODMAN_GLOBAL = existsSync('/run/systemd/system')
  ? []
  : ['--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];

/**
 * Ways to run a container, tried in order until one works. Some sandboxes
 * (no CAP_SYS_RESOURCE) refuse podman's default rlimits, and crun cannot run
 * on hybrid cgroups: then explicit low limits, then runc.
 */
const LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
const RECIPES: { global: string[]; run: string[] }[] = [
  { global: [], run: [] },
  { global: [], run: LIMITS },
  { global: ['--runtime', 'runc'], run: LIMITS },
];

function podman(args: string[]): SpawnSyncReturns<string> {
  return exec('podman', [...PODMAN_GLOBAL, ...args]);
}

/** Whether the kernel runs i386 programs (the 32-bit image needs it, as the host runs the container's code). */
function kernelRunsI386(): boolean {
  const path = join(work, 'probe-hello32');
  writeFileSync(path, HELLO32);
  chmodSync(path, 0o755);
  const r = exec(path, [], 10_000);
  return r.error === undefined && r.status === 0 && r.stdout === 'Hello World\n';
}

/**
 * Finds a way to run containers, using an image podman itself makes
 * (`podman import` of a rootfs tar written by GNU tar), so a failure here is
 * about the engine, not about tsimage. Returns the recipe or why none works.
 */
function probePodman(): { recipe: (typeof RECIPES)[number] } | { reason: string } {
  if (!hasTool('podman')) return { reason: 'podman is not installed' };
  const rootfs = join(work, 'probe-rootfs');
  mkdirSync(rootfs);
  writeFileSync(join(rootfs, 'hello'), HELLO64);
  chmodSync(join(rootfs, 'hello'), 0o755);
  const tar = exec('tar', ['-C', rootfs, '-cf', join(work, 'probe.tar'), 'hello']);
  if (tar.status !== 0) return { reason: `tar failed: ${oneLine(tar)}` };
  const imported = podman(['import', '--quiet', join(work, 'probe.tar'), 'localhost/tsimage-test/probe:latest']);
  if (imported.status !== 0) return { reason: `podman import failed: ${oneLine(imported)}` };
  let reason = '';
  for (const recipe of RECIPES) {
    const r = podman([
      ...recipe.global,
      'run',
      '--rm',
      '--network',
      'none',
      ...recipe.run,
      'localhost/tsimage-test/probe:latest',
      '/hello',
    ]);
    if (r.status === 0 && r.stdout === 'Hello World\n') {
      podman(['rmi', '--force', 'localhost/tsimage-test/probe:latest']);
      return { recipe };
    }
    reason = oneLine(r);
  }
  podman(['rmi', '--force', 'localhost/tsimage-test/probe:latest']);
  return { reason: `podman cannot run containers here: ${reason}` };
}

const isX8664 = process.arch === 'x64';
const probe = isX8664 ? probePodman() : { reason: `host is ${process.arch}, not x86-64` };
const recipe = 'recipe' in probe ? probe.recipe : undefined;
const i386 = recipe !== undefined && kernelRunsI386();
if ('reason' in probe) console.warn(`[skip] podman tests: ${probe.reason}`);
else {
  const how = [...recipe!.global, ...recipe!.run].join(' ');
  console.log(`podman tests: containers run with ${how === '' ? 'the default settings' : how}`);
  if (!i386) console.warn('[skip] 32-bit podman tests: this kernel does not run i386 programs');
}

const loaded: string[] = [];
afterAll(() => {
  for (const tag of loaded) podman(['rmi', '--force', tag]);
});

async function writeImage(name: string, data: Uint8Array, format: ImageFormat, tag: string): Promise<string> {
  const path = join(work, `${name}-${format}.tar`);
  writeFileSync(path, await buildImage({ files: [{ path: '/hello', data }], format, tag }));
  return path;
}

const variants = [
  { name: 'hello64', data: HELLO64, arch: 'amd64', runs: recipe !== undefined },
  { name: 'hello32', data: HELLO32, arch: '386', runs: i386 },
] as const;

describe('podman load + podman run', () => {
  for (const v of variants)
    for (const format of ['oci', 'docker'] as const)
      it.skipIf(!v.runs)(`${v.name} (${v.arch}), ${format} archive: prints Hello World`, async () => {
        const tag = `localhost/tsimage-test/${v.name}-${format}:latest`;
        const archive = await writeImage(v.name, v.data, format, tag);
        const load = podman(['load', '--input', archive]);
        expect(load.status, oneLine(load)).toBe(0);
        expect(load.stdout).toContain(`Loaded image: ${tag}`);
        loaded.push(tag);
        const inspect = podman([
          'image',
          'inspect',
          '--format',
          '{{.Architecture}} {{.Os}} {{json .Config.Entrypoint}}',
          tag,
        ]);
        expect(inspect.stdout.trim()).toBe(`${v.arch} linux ["/hello"]`);
        const r = podman([...recipe!.global, 'run', '--rm', '--network', 'none', ...recipe!.run, tag]);
        expect(r.status, oneLine(r)).toBe(0);
        expect(r.stdout).toBe('Hello World\n');
        const size = podman(['image', 'inspect', '--format', '{{.Size}}', tag]).stdout.trim();
        console.log(
          `${v.name} ${format}: executable ${String(v.data.length)} B, archive ${String(statSync(archive).size)} B, podman size ${size} B`,
        );
      });
});

const skopeo = hasTool('skopeo');
const umoci = hasTool('umoci', ['--version']);
if (!skopeo)
  console.warn('[skip] skopeo checks: skopeo is not installed (the library reader checks the archives instead)');
if (!umoci)
  console.warn('[skip] umoci checks: umoci is not installed (the library reader checks the archives instead)');

describe('second readers', () => {
  for (const v of variants)
    for (const format of ['oci', 'docker'] as const)
      it.skipIf(!skopeo)(`skopeo inspect reads the ${v.name} ${format} archive as written`, async () => {
        const archive = await writeImage(`skopeo-${v.name}`, v.data, format, `${v.name}:latest`);
        const info = await readImage(new Uint8Array(readFileSync(archive)));
        const transport = format === 'oci' ? 'oci-archive' : 'docker-archive';
        const r = exec('skopeo', ['inspect', `${transport}:${archive}`]);
        expect(r.status, oneLine(r)).toBe(0);
        const seen = JSON.parse(r.stdout) as { Architecture: string; Os: string; Layers: string[]; Digest: string };
        expect([seen.Architecture, seen.Os]).toEqual([v.arch, 'linux']);
        expect(seen.Layers).toEqual(info.layers.map((l) => l.digest));
        if (format === 'oci') expect(seen.Digest).toBe(info.manifest!.digest);
        const config = exec('skopeo', ['inspect', '--raw', '--config', `${transport}:${archive}`]);
        expect(config.status, oneLine(config)).toBe(0);
        const stored = member(await untar(readFileSync(archive)), info.config.path).data.toString('utf8');
        expect(config.stdout).toBe(stored);
      });

  for (const v of variants)
    it.skipIf(!umoci)(`umoci unpacks the ${v.name} OCI layout (extracted by GNU tar) to the same /hello`, async () => {
      const archive = await writeImage(`umoci-${v.name}`, v.data, 'oci', `${v.name}:latest`);
      const layout = join(work, `layout-${v.name}`);
      mkdirSync(layout);
      expect(exec('tar', ['-C', layout, '-xf', archive]).status).toBe(0);
      const bundle = join(work, `bundle-${v.name}`);
      const r = exec('umoci', ['unpack', '--image', `${layout}:${v.name}:latest`, bundle]);
      expect(r.status, oneLine(r)).toBe(0);
      const hello = join(bundle, 'rootfs/hello');
      expect(new Uint8Array(readFileSync(hello))).toEqual(v.data);
      expect(statSync(hello).mode & 0o777).toBe(0o755);
    });

  it.skipIf(skopeo && umoci)('without skopeo/umoci: the library reader re-reads both archives', async () => {
    for (const format of ['oci', 'docker'] as const) {
      const info = await readImage(await buildImage({ files: [{ path: '/hello', data: HELLO64 }], format }));
      expect(info.layers[0]!.files.map((f) => f.path)).toEqual(['hello']);
    }
  });
});
