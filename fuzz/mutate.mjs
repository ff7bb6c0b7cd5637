/**
 * Source-mutation fuzzer: fixture sources, randomly mutated, assembled by
 * nasm (the oracle) and by tsnasm (in a worker thread, so hangs are cut off),
 * each mutant classified:
 *
 *   agree            same bytes; or both fail with the first error on the same line
 *   differ-bytes     both assemble, the bytes differ
 *   tsnasm-rejects   nasm assembles it, tsnasm reports an error
 *   tsnasm-accepts   nasm reports an error, tsnasm writes output
 *   differ-error     both fail, but tsnasm's first error is on another line
 *   differ-warnings  same bytes, different warnings (line or text)
 *   crash            a JavaScript exception escaped assemble(), or a message says "internal error"
 *   hang             still running after --timeout seconds of CPU time (wall time is no measure on a shared host)
 * and skipped (not counted) when nasm itself times out, panics or writes
 * more than --max-output bytes.
 *
 *   node fuzz/mutate.mjs [--seed N] [--count MUTANTS] [--timeout SECONDS] [--corpus golden,realworld] [--out DIR]
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { Worker } from 'node:worker_threads';
import { makeRandom, parseFlags, repoRoot, requireNasm, table } from './lib.mjs';
import { mutate } from './mutations.mjs';

/** Fixture sources: golden cases (both formats) and, when present, the real-world corpus (its own format). */
function loadSources(corpora) {
  const sources = [];
  const wanted = corpora.split(',');
  const add = (root, formatOf) => {
    if (!existsSync(root)) return;
    for (const name of readdirSync(root).sort()) {
      const dir = join(root, name);
      const file = join(dir, 'source.asm');
      if (!existsSync(file) || statSync(file).size > 64 * 1024) continue;
      const args = existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8') : '';
      const optimize = /-O0/.test(args) ? 0 : /-O1/.test(args) ? 1 : 2;
      sources.push({ name, dir, text: readFileSync(file, 'latin1'), formats: formatOf(dir), optimize });
    }
  };
  if (wanted.includes('golden')) add(join(repoRoot, 'fixtures', 'golden'), () => ['bin', 'elf32']);
  if (wanted.includes('realworld'))
    add(join(repoRoot, 'fixtures', 'realworld'), (dir) => [readFileSync(join(dir, 'format'), 'utf8').trim()]);
  return sources;
}

/** nasm on the mutant, in `cwd`, with the case folder on the include path and the output size capped. */
function runNasm(job, flags) {
  const out = join(job.cwd, 'm.out');
  rmSync(out, { force: true });
  // prlimit caps the output file (SIGXFSZ past it) without a shell in between.
  const r = spawnSync(
    'prlimit',
    [
      `--fsize=${flags['max-output']}`,
      'nasm',
      `-O${job.optimize}`,
      '-f',
      job.format,
      `-I${job.includePaths[0]}`,
      job.fileName,
      '-o',
      'm.out',
    ],
    { cwd: job.cwd, encoding: 'latin1', timeout: flags.timeout * 1000 },
  );
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM') return { skip: 'nasm-timeout' };
  if (r.signal === 'SIGXFSZ') return { skip: 'nasm-output-too-large' };
  if (r.status === 3 || /: panic: /.test(r.stderr)) return { skip: 'nasm-panic', stderr: r.stderr };
  const output = r.status === 0 && existsSync(out) ? new Uint8Array(readFileSync(out)) : null;
  return { status: r.status, output, stderr: r.stderr };
}

/**
 * One worker at a time; a job over its budget is terminated and the next job
 * gets a fresh worker. The budget is CPU time, not wall time: this machine is
 * shared, and a loaded host must not turn a slow-but-finite run into a
 * "hang". The parent thread only waits, so the process's CPU time while a job
 * runs is the worker's. A wall-clock cap (10 x the budget) catches a worker
 * that blocks without computing.
 */
class TsnasmRunner {
  constructor(timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.worker = null;
    this.nextId = 0;
  }
  async start() {
    this.worker = new Worker(new URL('./tsnasm-worker.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: 4 },
    });
    await new Promise((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
    });
  }
  async run(job) {
    if (!this.worker) await this.start();
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve) => {
      const started = Date.now();
      const cpuAtStart = process.cpuUsage();
      const cpuMs = () => {
        const used = process.cpuUsage(cpuAtStart);
        return Math.round((used.user + used.system) / 1000);
      };
      const finish = (verdict, restart) => {
        clearInterval(timer);
        worker.removeAllListeners('message');
        worker.removeAllListeners('error');
        if (restart) {
          void worker.terminate();
          this.worker = null;
        }
        resolve({ ...verdict, cpuMs: cpuMs() });
      };
      const timer = setInterval(() => {
        if (cpuMs() > this.timeoutMs || Date.now() - started > 10 * this.timeoutMs) finish({ hang: true }, true);
      }, 250);
      worker.on('message', (m) => m.id === id && finish(m, false));
      worker.on('error', (e) => finish({ exception: `worker died: ${e.code ?? ''} ${e.message}` }, true));
      worker.postMessage({ ...job, id });
    });
  }
  async stop() {
    if (this.worker) await this.worker.terminate();
  }
}

const firstErrorLine = (text) => {
  const m = /^[^:\n]*:(\d+): (?:error|fatal|panic):/m.exec(text);
  return m ? Number(m[1]) : null;
};
const warnings = (lines) => lines.filter((l) => /: warning: /.test(l)).map((l) => l.replace(/^[^:]*:/, ''));

function classifyMutant(nasm, ours) {
  if (ours.hang) return 'hang';
  if (ours.exception) return 'crash';
  if (ours.messages.some((m) => /internal error|RangeError|TypeError|Maximum call stack/i.test(m))) return 'crash';
  const oursText = ours.messages.join('\n');
  if (nasm.output && ours.output) {
    if (Buffer.compare(Buffer.from(nasm.output), Buffer.from(ours.output)) !== 0) return 'differ-bytes';
    const nasmWarnings = warnings(nasm.stderr.split('\n'));
    // One diagnostic of ours may span lines (its '... from macro' trail); nasm's stderr is compared line by line.
    const oursWarnings = warnings(ours.messages.flatMap((m) => m.split('\n')));
    return nasmWarnings.join('\n') === oursWarnings.join('\n') ? 'agree' : 'differ-warnings';
  }
  if (nasm.output) return 'tsnasm-rejects';
  if (ours.output) return 'tsnasm-accepts';
  return firstErrorLine(nasm.stderr) === firstErrorLine(oursText) ? 'agree' : 'differ-error';
}

export async function runMutate(flags) {
  requireNasm();
  const sources = loadSources(flags.corpus);
  if (!sources.length) throw new Error('no fixture sources found');
  const rand = makeRandom(flags.seed);
  const runner = new TsnasmRunner(flags.timeout * 1000);
  const cwd = mkdtempSync(join(tmpdir(), 'tsnasm-mutate-'));
  const outDir = join(repoRoot, flags.out, `mutants-seed${flags.seed}`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const counts = {};
  const records = [];
  const indexFile = join(outDir, 'index.jsonl');
  writeFileSync(indexFile, '');
  try {
    for (let i = 0; i < flags.count; i++) {
      const source = rand.pick(sources);
      const format = rand.pick(source.formats);
      const { text, applied } = mutate(source.text, rand);
      const job = {
        source: text,
        fileName: 'm.asm',
        format,
        optimize: source.optimize,
        includePaths: [`${source.dir}/`],
        cwd,
      };
      writeFileSync(join(cwd, 'm.asm'), text, 'latin1');
      const nasm = runNasm(job, flags);
      const ours = nasm.skip ? null : await runner.run(job);
      const verdict = nasm.skip ?? classifyMutant(nasm, ours);
      counts[verdict] = (counts[verdict] ?? 0) + 1;
      if (verdict !== 'agree') {
        const file = `${String(i).padStart(5, '0')}-${verdict}.asm`;
        writeFileSync(join(outDir, file), text, 'latin1');
        records.push({
          index: i,
          verdict,
          source: source.name,
          format,
          optimize: source.optimize,
          applied,
          file,
          nasm: nasm.stderr?.split('\n').filter(Boolean).slice(0, 3) ?? [],
          nasmStatus: nasm.status,
          tsnasmCpuMs: ours?.cpuMs,
          tsnasm: ours?.exception ?? ours?.messages?.slice(0, 3) ?? [],
        });
        appendFileSync(indexFile, JSON.stringify(records[records.length - 1]) + '\n');
      }
      if (flags.progress && (i + 1) % 100 === 0) console.error(`${i + 1}/${flags.count} ${JSON.stringify(counts)}`);
    }
  } finally {
    await runner.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
  const rows = [['verdict', 'mutants']];
  for (const [k, v] of Object.entries(counts).sort((a, b) => b[1] - a[1])) rows.push([k, v]);
  console.log(table(rows));
  console.log(
    `\n${records.length} non-agreeing mutants saved under ${outDir} (index.jsonl says which source, format and mutations)`,
  );
  const bad = records.filter((r) => r.verdict === 'crash' || r.verdict === 'hang');
  for (const r of bad)
    console.log(`${r.verdict.toUpperCase()}: ${r.file} (from ${r.source}, -f ${r.format}, ${r.applied.join('+')})`);
  return { counts, records };
}

export const MUTATE_DEFAULTS = {
  seed: 1,
  count: 2000,
  timeout: 20,
  corpus: 'golden,realworld',
  out: 'build/fuzz',
  'max-output': 64 * 1024 * 1024,
  progress: false,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { counts } = await runMutate(parseFlags(process.argv.slice(2), MUTATE_DEFAULTS));
  process.exitCode = (counts.crash ?? 0) + (counts.hang ?? 0) > 0 ? 1 : 0;
}
