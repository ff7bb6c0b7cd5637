/**
 * Live differential tests against the real nasm on this machine.
 *
 *  1. Stale-fixture check: golden cases (a sample each run, see LIVE_SAMPLE)
 *     are assembled by nasm right now, exactly as scripts/gen-fixtures.sh
 *     does, and must reproduce the committed expected.* files (bytes, stderr,
 *     exit status). A failure here means the fixtures need `npm run fixtures`,
 *     not that tsnasm is wrong.
 *  2. Random programs: a few freshly generated programs (bench/generate.mjs,
 *     fixed seeds plus one seed that changes every run and is printed) go
 *     through nasm and tsnasm; the outputs must be identical.
 *
 * Skipped, with a visible warning, when nasm 2.16.01 is not on PATH.
 */
import { spawnSync } from './helpers/spawn.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { assemble, type OutputFormat } from '../src/library/assemble.js';
import { formatDiagnostic } from '../src/core/diagnostics.js';
import { generateSource } from '../bench/generate.mjs';
import {
  describeByteMismatch,
  listGoldenCases,
  outputExtension,
  repoRoot,
  type GoldenFormat,
} from './helpers/golden.js';
import { runBatch } from './helpers/batch-spawn.js';

const REQUIRED_VERSION = 'NASM version 2.16.01';
const versionProbe = spawnSync('nasm', ['-v'], { encoding: 'utf8' });
const nasmVersion = versionProbe.status === 0 ? versionProbe.stdout.trim() : null;
const hasNasm = nasmVersion?.startsWith(REQUIRED_VERSION) ?? false;
if (!hasNasm) {
  console.warn(
    nasmVersion
      ? `live-nasm tests SKIPPED: found '${nasmVersion}', need ${REQUIRED_VERSION}`
      : 'live-nasm tests SKIPPED: nasm is not on PATH',
  );
}

const scratch = hasNasm ? mkdtempSync(join(tmpdir(), 'tsnasm-live-')) : '';
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface NasmRun {
  status: number;
  stderr: string;
  output: Uint8Array | null;
}

interface NasmJob {
  cwd: string;
  file: string;
  format: OutputFormat;
  extraArgs: string[];
  tag: string;
}

/** nasm's command line for a job; the output goes to the scratch folder (never /dev/null: nasm deletes it on error). */
function nasmArgs(job: NasmJob): { args: string[]; outPath: string } {
  const outPath = join(scratch, `${job.tag}.${outputExtension[job.format]}`);
  rmSync(outPath, { force: true });
  return { args: ['-f', job.format, ...job.extraArgs, job.file, '-o', outPath], outPath };
}

function nasmOutput(status: number, outPath: string): Uint8Array | null {
  return status === 0 && existsSync(outPath) ? new Uint8Array(readFileSync(outPath)) : null;
}

/** Runs nasm in `cwd` on `file`. */
function runNasm(cwd: string, file: string, format: OutputFormat, extraArgs: string[], tag: string): NasmRun {
  const { args, outPath } = nasmArgs({ cwd, file, format, extraArgs, tag });
  const run = spawnSync('nasm', args, { cwd, encoding: 'utf8' });
  return { status: run.status ?? -1, stderr: run.stderr, output: nasmOutput(run.status ?? -1, outPath) };
}

/** Runs every job from one shell (see helpers/batch-spawn.ts), in order; results by tag. */
function runNasmBatch(jobs: readonly NasmJob[]): Map<string, NasmRun> {
  const commands = jobs.map((job) => ({ job, ...nasmArgs(job) }));
  const results = runBatch(commands.map((c) => ({ cwd: c.job.cwd, command: 'nasm', args: c.args })));
  return new Map(
    commands.map((c, i) => {
      const run = results[i]!;
      return [c.job.tag, { status: run.status, stderr: run.stderr, output: nasmOutput(run.status, c.outPath) }];
    }),
  );
}

const formats: GoldenFormat[] = ['bin', 'elf32'];
const staleNames = { expected: 'committed fixture', actual: 'live nasm' };

/**
 * Cases nasm runs on each time; TSNASM_LIVE_ALL=1 runs all of them. The whole corpus was run
 * through nasm by scripts/certify-goldens.mjs, and test/golden-certified.test.ts checks without
 * nasm that no case changed since, so the live run re-confirms that certificate with this
 * machine's nasm on a sample that changes every run (its seed is printed to replay it).
 */
const LIVE_SAMPLE = 40;
const sampleSeed = Number(process.env['TSNASM_LIVE_SEED'] ?? Date.now() % 1_000_000);

/** `count` of `items`, picked by a seeded shuffle (all of them when TSNASM_LIVE_ALL is set). */
function liveSample<T>(items: readonly T[], count: number, seed: number): T[] {
  if (process.env['TSNASM_LIVE_ALL']) return [...items];
  const picked = [...items];
  let state = seed >>> 0;
  for (let i = picked.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [picked[i], picked[j]] = [picked[j]!, picked[i]!];
  }
  return picked.slice(0, count);
}

describe.skipIf(!hasNasm)(`committed goldens still match nasm (stale-fixture check, seed ${sampleSeed})`, () => {
  const goldens = liveSample(listGoldenCases(), LIVE_SAMPLE, sampleSeed);
  const argsOf = (argsLine: string): string[] => argsLine.split(/\s+/).filter((a) => a.length > 0);
  // nasm runs for every case at once, when the first test asks (each test still checks its own case).
  let liveRuns: Map<string, NasmRun> | null = null;
  const liveRun = (tag: string): NasmRun => {
    liveRuns ??= runNasmBatch(
      goldens.flatMap((g) =>
        formats.map((format) => ({
          cwd: g.dir,
          file: 'source.asm',
          format,
          extraArgs: argsOf(g.argsLine),
          tag: `${g.name}-${format}`,
        })),
      ),
    );
    const run = liveRuns.get(tag);
    if (run === undefined) throw new Error(`no nasm run for ${tag}`);
    return run;
  };
  for (const golden of goldens) {
    test(golden.name, () => {
      for (const format of formats) {
        const live = liveRun(`${golden.name}-${format}`);
        const committed = golden.expected[format];
        const hint = `-f ${format}: committed fixture is stale; run npm run fixtures`;
        expect(live.stderr, hint).toBe(committed.stderr);
        if (committed.kind === 'output') {
          expect(live.status, hint).toBe(0);
          const mismatch = describeByteMismatch(committed.bytes, live.output!, format, staleNames);
          if (mismatch !== null) expect.fail(`${hint}\n${mismatch}`);
        } else {
          expect(live.status, hint).toBe(committed.status);
          expect(live.output, hint).toBeNull();
        }
      }
    });
  }

  test('fixtures/hello.o and hello.bin', () => {
    for (const [format, file] of [
      ['elf32', 'hello.o'],
      ['bin', 'hello.bin'],
    ] as const) {
      const live = runNasm(repoRoot, 'fixtures/hello.asm', format, [], `hello-${format}`);
      expect(live.status).toBe(0);
      const committed = new Uint8Array(readFileSync(join(repoRoot, 'fixtures', file)));
      const mismatch = describeByteMismatch(committed, live.output!, format, staleNames);
      if (mismatch !== null) expect.fail(`fixtures/${file} is stale; run npm run fixtures\n${mismatch}`);
    }
  });
});

// Fixed seeds keep failures reproducible; the extra seed explores new ground
// each run and is printed in the test name so a failure can be replayed.
const exploratorySeed = (Date.now() % 1_000_000) + 1000;
const randomPrograms = [
  { seed: 1, lines: 200 },
  { seed: 2, lines: 400 },
  { seed: 3, lines: 800 },
  { seed: exploratorySeed, lines: 500 },
];

describe.skipIf(!hasNasm)('random programs: tsnasm output equals nasm output', () => {
  for (const { seed, lines } of randomPrograms) {
    for (const format of formats) {
      test(`seed ${seed}, ${lines} lines, -f ${format}`, () => {
        const fileName = `random-${seed}.asm`;
        const source = generateSource({ lines, seed });
        writeFileSync(join(scratch, fileName), source);
        const reference = runNasm(scratch, fileName, format, [], `random-${seed}-${format}`);
        expect(reference.status, `the generator produced source nasm rejects:\n${reference.stderr}`).toBe(0);

        const ours = assemble(source, { fileName, format });
        const diagnostics = ours.diagnostics.map((d) => formatDiagnostic(d)).join('\n');
        expect(ours.errorCount, `tsnasm reported errors:\n${diagnostics}`).toBe(0);
        expect(ours.output).not.toBeNull();
        const mismatch = describeByteMismatch(reference.output!, ours.output!, format);
        if (mismatch !== null) expect.fail(`${mismatch}\n(replay: generateSource({ lines: ${lines}, seed: ${seed} }))`);
      });
    }
  }
});

/**
 * Programs big enough that NASM needs several passes, so tsnasm's branch
 * relaxation (src/asm/relax.ts) takes over from the plain passes: its result
 * must still be nasm's, byte for byte.
 */
const relaxedPrograms = [
  { seed: 11, lines: 6000, align: false },
  { seed: 12, lines: 15000, align: false },
  { seed: 13, lines: 8000, align: true },
];

describe.skipIf(!hasNasm)("branch relaxation gives nasm's bytes on multi-pass programs", () => {
  for (const { seed, lines, align } of relaxedPrograms) {
    test(`seed ${seed}, ${lines} lines${align ? ' with align' : ''}, -f elf32`, () => {
      const fileName = `relaxed-${seed}.asm`;
      const source = generateSource({ lines, seed, align });
      writeFileSync(join(scratch, fileName), source);
      const reference = runNasm(scratch, fileName, 'elf32', [], `relaxed-${seed}`);
      expect(reference.status, reference.stderr).toBe(0);
      const ours = assemble(source, { fileName, format: 'elf32' });
      expect(ours.stages?.passes?.relaxation, 'expected the relaxation fast path to run').toBeDefined();
      const mismatch = describeByteMismatch(reference.output!, ours.output!, 'elf32');
      if (mismatch !== null) expect.fail(`${mismatch}\n(replay: generateSource({ lines: ${lines}, seed: ${seed} }))`);
    }, 60_000);
  }
});
