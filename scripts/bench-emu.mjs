#!/usr/bin/env node
/**
 * `node scripts/bench-emu.mjs` (npm run bench:emu): tsrun's speed on a tight
 * integer loop, i386 and x86-64, beside qemu-user's time for the same program
 * (when qemu-i386 / qemu-x86_64 are installed) and the real CPU's (when this
 * kernel can run it). Not a test: it prints numbers. Needs `npm run build`.
 *
 * The loop runs N times: add, xor, rotate, a load and a store, a compare, dec
 * and a taken branch (9 instructions); tsrun counts the instructions it
 * executes, so instructions/second is exact for tsrun and derived for the others.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { assemble, link } = await import(join(root, 'dist/src/index.js'));
const { createMachine } = await import(join(root, 'dist/src/emu/index.js'));

const N = Number(process.argv[2] ?? 5_000_000);
/** qemu and the CPU run the loop this many times as often, so their time is measurable. */
const SCALE = 50;

function source(bits, n = N) {
  const [a, c, d, sp] = bits === 64 ? ['rax', 'rcx', 'rdx', 'rsp'] : ['eax', 'ecx', 'edx', 'esp'];
  const exit = bits === 64 ? 'xor edi,edi\nmov eax,60\nsyscall' : 'xor ebx,ebx\nmov eax,1\nint 0x80';
  return `bits ${bits}
section .bss
cell: resd 4
section .text
global _start
_start:
  mov ecx, ${n}
  xor eax, eax
  xor edx, edx
loop:
  add ${a}, ${c}
  xor ${a}, 0x5a5a
  rol eax, 3
  mov [cell], eax
  mov edx, [cell]
  lea ${d}, [${d}+${c}*2]
  cmp edx, 7
  dec ${c}
  jnz loop
  ${exit}
  ; (${sp} unused)
`;
}

function build(bits, n = N) {
  const obj = assemble(source(bits, n), { fileName: 'bench.asm', format: bits === 64 ? 'elf64' : 'elf32' });
  if (!obj.output) throw new Error(JSON.stringify(obj.diagnostics));
  const exe = link([{ name: 'bench.o', data: obj.output }]);
  if (!exe.output) throw new Error(JSON.stringify(exe.diagnostics));
  return exe.output;
}

/** CPU seconds (user + system) of a child, via /usr/bin/time when present (wall time otherwise). */
function timed(command, args) {
  const t0 = process.hrtime.bigint();
  const viaTime = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', command, ...args], { encoding: 'utf8' });
  if (!viaTime.error) {
    const m = /cpu ([0-9.]+) ([0-9.]+)\s*$/.exec(viaTime.stderr);
    if (!m || /No such file|Exec format|cannot run/i.test(viaTime.stderr)) return null;
    return { seconds: Number(m[1]) + Number(m[2]), status: viaTime.status };
  }
  const r = spawnSync(command, args);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return r.error ? null : { seconds, status: r.status };
}

const dir = mkdtempSync(join(tmpdir(), 'tsrun-bench-'));
console.log(`(programs in ${dir})`);
const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e3)}k`);
console.log(`tight loop, ${N} iterations\n`);
console.log('mode    runner        CPU s     instructions/s');
for (const bits of [32, 64]) {
  const path = join(dir, `bench${bits}`);
  writeFileSync(path, build(bits), { mode: 0o755 });
  const m = createMachine(new Uint8Array(readFileSync(path)), { argv: [path] });
  // CPU time, not wall time: the numbers then mean something on a shared machine.
  const c0 = process.cpuUsage();
  const outcome = m.run();
  const used = process.cpuUsage(c0);
  if (outcome.kind !== 'exit' || outcome.status !== 0) console.log(`tsrun ended with ${JSON.stringify(outcome)}`);
  const row = (runner, seconds, count) =>
    console.log(
      `${String(bits).padEnd(8)}${runner.padEnd(14)}${seconds.toFixed(3).padStart(7)}   ${fmt(count / seconds)}`,
    );
  row('tsrun', (used.user + used.system) / 1e6, m.steps);
  // The same loop SCALE times as often (same instructions per iteration) for qemu and the CPU.
  const bigPath = join(dir, `bench${bits}x`);
  writeFileSync(bigPath, build(bits, N * SCALE), { mode: 0o755 });
  const bigSteps = m.steps * SCALE;
  const qemuName = bits === 64 ? 'qemu-x86_64' : 'qemu-i386';
  const qemu = timed(qemuName, [bigPath]);
  if (qemu && qemu.status === 0) row(qemuName, qemu.seconds, bigSteps);
  else console.log(`${String(bits).padEnd(8)}qemu-user     (not available)`);
  const native = timed(bigPath, []);
  if (native && native.status === 0) row('native', native.seconds, bigSteps);
  else console.log(`${String(bits).padEnd(8)}native        (cannot run here)`);
}
