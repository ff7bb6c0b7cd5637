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

function source(bits) {
  const [a, c, d, sp] = bits === 64 ? ['rax', 'rcx', 'rdx', 'rsp'] : ['eax', 'ecx', 'edx', 'esp'];
  const exit =
    bits === 64 ? 'mov edi,eax\nand edi,0x7f\nmov eax,60\nsyscall' : 'mov ebx,eax\nand ebx,0x7f\nmov eax,1\nint 0x80';
  return `bits ${bits}
section .bss
cell: resd 4
section .text
global _start
_start:
  mov ecx, ${N}
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

function build(bits) {
  const obj = assemble(source(bits), { fileName: 'bench.asm', format: bits === 64 ? 'elf64' : 'elf32' });
  if (!obj.output) throw new Error(JSON.stringify(obj.diagnostics));
  const exe = link([{ name: 'bench.o', data: obj.output }]);
  if (!exe.output) throw new Error(JSON.stringify(exe.diagnostics));
  return exe.output;
}

function timed(command, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return r.error ? null : { seconds, status: r.status };
}

const dir = mkdtempSync(join(tmpdir(), 'tsrun-bench-'));
const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e3)}k`);
console.log(`tight loop, ${N} iterations\n`);
console.log('mode    runner        seconds   instructions/s');
for (const bits of [32, 64]) {
  const exe = build(bits);
  const path = join(dir, `bench${bits}`);
  writeFileSync(path, exe, { mode: 0o755 });
  const m = createMachine(new Uint8Array(readFileSync(path)), { argv: [path] });
  const t0 = process.hrtime.bigint();
  const outcome = m.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const steps = m.steps;
  const row = (runner, s) =>
    console.log(`${String(bits).padEnd(8)}${runner.padEnd(14)}${s.toFixed(3).padStart(7)}   ${fmt(steps / s)}`);
  row('tsrun', seconds);
  const qemu = timed(bits === 64 ? 'qemu-x86_64' : 'qemu-i386', [path]);
  if (qemu && qemu.status === outcome.status) row(bits === 64 ? 'qemu-x86_64' : 'qemu-i386', qemu.seconds);
  else console.log(`${String(bits).padEnd(8)}qemu-user     (not available)`);
  const native = timed(path, []);
  if (native && native.status === outcome.status) row('native', native.seconds);
  else console.log(`${String(bits).padEnd(8)}native        (cannot run here)`);
}
