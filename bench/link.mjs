#!/usr/bin/env node
/**
 * Linker benchmark (`npm run bench:link`, not part of the tests): tsld against GNU ld on objects
 * with N global symbols, N relocations in code (calls between the symbols) and N/2 in data
 * (`dd`/`dq` of addresses), for i386 and x86-64. Reports median CPU seconds and peak RSS of
 * each, the ratio, tsld's time per symbol relative to the previous size (at most 1 = linear), and
 * whether tsld's executable is byte-identical to ld's + strip. Writes bench/LINK.md.
 *
 *   node bench/link.mjs [--sizes 10k,100k,1M] [--runs 3] [--no-write] [--note TEXT]
 *
 * The objects are assembled by tsnasm (bin/tsnasm.js), so only Node and binutils are needed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LD_FLAGS = ['-z', 'noseparate-code', '--build-id=none', '-z', 'noexecstack'];
const TARGETS = [
  { name: 'i386', bits: 32, format: 'elf32', emulation: 'elf_i386', word: 'dd', exit: ['mov eax, 1', 'int 0x80'] },
  { name: 'x86-64', bits: 64, format: 'elf64', emulation: 'elf_x86_64', word: 'dq', exit: ['mov eax, 60', 'syscall'] },
];

function parseArgs(argv) {
  const options = { sizes: [10_000, 100_000, 1_000_000], runs: 3, write: true, note: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sizes')
      options.sizes = argv[++i].split(',').map((s) => Number(s.replace(/k$/i, '000').replace(/m$/i, '000000')));
    else if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--note') options.note = argv[++i];
    else throw new Error(`bench/link: unknown argument '${arg}'`);
  }
  return options;
}

/** N global functions calling each other in a fixed scramble, and a table of their addresses. */
function source(target, symbols) {
  const lines = [`bits ${target.bits}`, 'global _start', 'section .text', '_start:', ...target.exit];
  for (let i = 0; i < symbols; i++) lines.push(`global f${i}`, `f${i}: call f${(i * 7919) % symbols}`);
  lines.push('section .data');
  for (let i = 0; i < symbols; i += 2) lines.push(`${target.word} f${i}`);
  lines.push('section .bss', `resb ${symbols}`);
  return lines.join('\n') + '\n';
}

function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr || r.error}`);
}

async function medianOf(runs, command, args) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const m = await measure(command, args, 600);
    if (m.status !== 'ok') throw new Error(`${command}: ${m.status} ${m.message}`);
    results.push(m);
  }
  return { cpu: median(results.map((m) => m.cpu)), rssKiB: median(results.map((m) => m.rssKiB)) };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'tsnasm-bench-link-'));
  const rows = [];
  try {
    for (const target of TARGETS) {
      let previousPerSymbol = null;
      for (const symbols of options.sizes) {
        const base = join(work, `${target.name}-${symbols}`);
        writeFileSync(`${base}.asm`, source(target, symbols));
        run(process.execPath, [
          join(repoRoot, 'bin', 'tsnasm.js'),
          '-f',
          target.format,
          `${base}.asm`,
          '-o',
          `${base}.o`,
        ]);
        const tsldArgs = [join(repoRoot, 'bin', 'tsld.js'), '-m', target.emulation, `${base}.o`, '-o', `${base}.tsld`];
        const ldArgs = ['-m', target.emulation, ...LD_FLAGS, `${base}.o`, '-o', `${base}.ld`];
        const tsld = await medianOf(options.runs, process.execPath, tsldArgs);
        const ld = await medianOf(options.runs, 'ld', ldArgs);
        run('strip', ['-R', '.comment', '-s', `${base}.ld`]);
        const identical = Buffer.compare(readFileSync(`${base}.tsld`), readFileSync(`${base}.ld`)) === 0;
        const perSymbol = tsld.cpu / symbols;
        const growth = previousPerSymbol === null ? null : perSymbol / previousPerSymbol;
        previousPerSymbol = perSymbol;
        rows.push({ target: target.name, symbols, tsld, ld, identical, growth });
        console.error(
          `bench/link: ${target.name} ${symbols}: tsld ${tsld.cpu.toFixed(2)} s, ld ${ld.cpu.toFixed(2)} s`,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const ldVersion = spawnSync('ld', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  const report = [
    '# tsld benchmark',
    '',
    `Produced by \`npm run bench:link\` (bench/link.mjs) on ${new Date().toISOString().slice(0, 10)}.`,
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Linux ${release()}, load ${loadavg()[0].toFixed(2)} at the end`,
    `- Node ${process.version}; ${ldVersion}; ld run as \`ld -m EMULATION ${LD_FLAGS.join(' ')}\` (strip not timed)`,
    `- Each object: N global symbols, N call relocations, N/2 data relocations, .bss; median of ${options.runs} runs`,
    ...(options.note ? [`- Note: ${options.note}`] : []),
    '',
    '| target | symbols | tsld CPU s | ld CPU s | tsld / ld | tsld RSS MiB | ld RSS MiB | tsld per symbol vs previous size | identical to ld + strip |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows
      .map((r) =>
        [
          r.target,
          r.symbols.toLocaleString('en'),
          r.tsld.cpu.toFixed(2),
          r.ld.cpu.toFixed(2),
          r.ld.cpu > 0 ? `${(r.tsld.cpu / r.ld.cpu).toFixed(2)}x` : '-',
          (r.tsld.rssKiB / 1024).toFixed(0),
          (r.ld.rssKiB / 1024).toFixed(0),
          r.growth === null ? '-' : `${r.growth.toFixed(2)}x`,
          r.identical ? 'yes' : '**no**',
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
    '',
  ].join('\n');
  if (options.write) writeFileSync(join(repoRoot, 'bench', 'LINK.md'), report);
  console.log(report);
}

main().catch((error) => {
  console.error(`bench/link: ${error.message}`);
  process.exitCode = 1;
});
