#!/usr/bin/env node
/**
 * `-f bin` section order under `follows=`, against nasm 2.16.01.
 *
 *   node scripts/gen-bin-follows-order.mjs [--seed N] [--count N]
 *
 * Writes fixtures/bin-follows/order.json: every spec of up to 3 sections (each
 * with no `follows=`, or `follows=` naming .text or another of them), then
 * `--count` (default 400) random specs of 4 to 8 sections from `--seed`. A spec
 * like `a b:text c:a` is the file
 *
 *   db 0 / section .a / db 1 / section .b follows=.text / db 2 / section .c follows=.a / db 3
 *
 * (one section per line), and nasm's answer is the order of the sections in
 * its output (`text b c a`), its fatal message, or `hang` when nasm 2.16.01
 * was still running after 2 s (a circular follows= path makes it loop).
 * test/bin-follows-order.test.ts checks tsnasm's order against this file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
let seed = arg('--seed', 16);
const count = arg('--count', 400);
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

export function specSource(spec) {
  let source = 'db 0\n';
  spec.split(' ').forEach((item, i) => {
    const [name, target] = item.split(':');
    source += `section .${name}${target ? ` follows=.${target}` : ''}\ndb ${i + 1}\n`;
  });
  return source;
}

const specs = [];
for (let n = 1; n <= 3; n++) {
  const names = 'abc'.slice(0, n).split('');
  const choices = [null, 'text', ...names];
  for (let k = 0; k < choices.length ** n; k++) {
    let rest = k;
    const items = names.map((name) => {
      const target = choices[rest % choices.length];
      rest = Math.floor(rest / choices.length);
      return target === null ? name : target === name ? null : `${name}:${target}`;
    });
    if (!items.includes(null)) specs.push(items.join(' '));
  }
}
for (let k = 0; k < count; k++) {
  const names = 'abcdefgh'.slice(0, 4 + Math.floor(random() * 5)).split('');
  const share = 0.1 + random() * 0.7;
  const items = names.map((name) => {
    if (random() > share) return name;
    const targets = ['text', ...names.filter((t) => t !== name)];
    return `${name}:${targets[Math.floor(random() * targets.length)]}`;
  });
  specs.push(items.join(' '));
}

const dir = mkdtempSync(join(tmpdir(), 'follows-'));
const cases = specs.map((spec) => {
  const names = ['text', ...spec.split(' ').map((item) => item.split(':')[0])];
  writeFileSync(join(dir, 'x.asm'), specSource(spec));
  rmSync(join(dir, 'x.bin'), { force: true });
  const run = spawnSync('nasm', ['-f', 'bin', 'x.asm', '-o', 'x.bin'], { cwd: dir, encoding: 'utf8', timeout: 2000 });
  if (run.error || run.signal) return { spec, nasm: 'hang' };
  if (run.status !== 0) return { spec, nasm: run.stderr.trim() };
  const bytes = readFileSync(join(dir, 'x.bin'));
  const order = [];
  for (let i = 0; i < bytes.length; i += 4) order.push(names[bytes[i]]);
  return { spec, nasm: order.join(' ') };
});
rmSync(dir, { recursive: true, force: true });
const out = join(import.meta.dirname, '../fixtures/bin-follows/order.json');
writeFileSync(out, '[\n' + cases.map((c) => '  ' + JSON.stringify(c)).join(',\n') + '\n]\n');
console.log(`${cases.length} specs -> ${out}`);
