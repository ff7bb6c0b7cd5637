/**
 * tsimage command line: builds the `FROM scratch` container image of an
 * executable (OCI layout archive, or `--format docker` for docker/podman load),
 * or explains an existing archive. All I/O goes through `io`, so tests run it
 * in memory; only bin/tsimage.js touches process.exit/exitCode.
 */
import { renameSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { buildImage, explainImage, ImageError, type ImageFile, type ImageFormat } from '../image/index.js';

export interface TsimageIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Uint8Array | Promise<Uint8Array>;
  /** Must write all or nothing (the node version writes a temporary file and renames it). */
  writeFile: (path: string, data: Uint8Array) => void | Promise<void>;
  env: Readonly<Record<string, string | undefined>>;
}

interface Options {
  output?: string;
  format: ImageFormat;
  tag?: string;
  entrypoint?: string;
  env: string[];
  label: string[];
  gzip?: boolean;
  history?: boolean;
  explain?: boolean;
}

/** Input problems reported as `tsimage: error: …` with exit status 1. */
class UsageError extends Error {}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function program(io: TsimageIo): Command {
  return new Command()
    .name('tsimage')
    .usage('-o OUT [options] EXE[:DEST] [SRC:DEST...]   |   tsimage --explain ARCHIVE')
    .description('Build a FROM scratch container image of a static executable, without Docker')
    .argument('[files...]', 'the executable (at /NAME, or at DEST) and more files as SRC:DEST')
    .option('-o, --output <file>', 'image archive to write')
    .addOption(new Option('--format <format>', 'archive layout').choices(['oci', 'docker']).default('oci'))
    .option('--tag <name:tag>', 'image name and tag (default: NAME:latest from the executable)')
    .option('--entrypoint <path>', 'program the container runs (default: the executable)')
    .option('--env <K=V>', 'environment variable in the config (repeatable)', collect, [])
    .option('--label <K=V>', 'label in the config (repeatable)', collect, [])
    .option('--gzip', 'compress the layer')
    .option('--history', 'record a created time and history (SOURCE_DATE_EPOCH, else now)')
    .option('--explain', 'print the layers, config and manifest with digests and sizes')
    .version('0.1.0', '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (s, write) => {
        write(`tsimage: ${s}`);
      },
    });
}

/** `SRC[:DEST]` → source path and absolute image path (DEST must start with `/`). */
function splitFileArgument(text: string): { source: string; dest: string } {
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text[colon + 1] === '/') return { source: text.slice(0, colon), dest: text.slice(colon + 1) };
  return { source: text, dest: `/${basename(text)}` };
}

async function readInput(io: TsimageIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`cannot find ${path}: No such file or directory`);
    if (code === 'EISDIR') throw new UsageError(`${path}: is a directory`);
    throw new UsageError(`cannot read ${path}`);
  }
}

function isExecutableContent(data: Uint8Array): boolean {
  const elf = data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
  return elf || (data[0] === 0x23 && data[1] === 0x21);
}

function sourceDateEpoch(env: TsimageIo['env']): number | undefined {
  const text = env['SOURCE_DATE_EPOCH'];
  if (text === undefined || text === '') return undefined;
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`invalid SOURCE_DATE_EPOCH \`${text}' (seconds since 1970)`);
  return Number(text);
}

/** NAME:latest from the image path of the executable, when NAME is a valid repository name. */
function defaultTag(dest: string): string | undefined {
  const name = basename(dest)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(name) ? `${name}:latest` : undefined;
}

async function build(io: TsimageIo, opts: Options, args: string[]): Promise<Uint8Array> {
  const files: ImageFile[] = [];
  for (const [i, arg] of args.entries()) {
    const { source, dest } = splitFileArgument(arg);
    const data = await readInput(io, source);
    files.push({ path: dest, data, mode: i === 0 || isExecutableContent(data) ? 0o755 : 0o644 });
  }
  const epoch = sourceDateEpoch(io.env);
  const first = files[0]?.path ?? '/';
  const tag = opts.tag ?? defaultTag(first);
  return buildImage({
    files,
    format: opts.format,
    entrypoint: [opts.entrypoint ?? first],
    env: opts.env,
    labels: opts.label,
    gzip: opts.gzip === true,
    ...(tag !== undefined ? { tag } : {}),
    ...(epoch !== undefined ? { mtime: epoch } : {}),
    ...(opts.history === true ? { created: epoch ?? Math.floor(Date.now() / 1000) } : {}),
  });
}

async function run(io: TsimageIo, opts: Options, args: string[]): Promise<void> {
  if (args.length === 0) throw new UsageError('no input files');
  if (opts.output === undefined) {
    // `tsimage --explain ARCHIVE`: describe an archive that already exists.
    if (opts.explain === true && args.length === 1 && args[0] !== undefined) {
      io.stdout(await explainImage(await readInput(io, args[0])));
      return;
    }
    throw new UsageError('no output file: give -o OUT (or --explain ARCHIVE to read one)');
  }
  const archive = await build(io, opts, args);
  try {
    await io.writeFile(opts.output, archive);
  } catch {
    throw new UsageError(`cannot write ${opts.output}`);
  }
  if (opts.explain === true) io.stdout(await explainImage(archive));
}

/** Runs tsimage with `argv` (no node/script prefix) and returns the exit status. */
export async function main(argv: readonly string[], io: TsimageIo): Promise<number> {
  const command = program(io);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  try {
    await run(io, command.opts<Options>(), command.args);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ImageError) {
      io.stderr(`tsimage: error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** Writes to a temporary file beside `path` and renames it, so a failure leaves no partial archive. */
function writeWhole(path: string, data: Uint8Array): void {
  const temporary = `${path}.tsimage-${String(process.pid)}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      /* never created */
    }
    throw e;
  }
}

/** The real file system and streams of this process. */
export function nodeIo(): TsimageIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => new Uint8Array(readFileSync(path)),
    writeFile: writeWhole,
    env: process.env,
  };
}
