// Developer aid: lists golden cases where tsnasm differs from nasm, one line each.
// Usage: node scripts/triage-golden.mjs [filter]   (after npm run build)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { assemble, formatDiagnostic } from '../dist/src/library/assemble.js';

const root = new URL('../fixtures/golden/', import.meta.url).pathname;
const filter = process.argv[2] ?? '';
let ok = 0,
  bad = 0;
for (const name of readdirSync(root).sort()) {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'source.asm')) || !name.includes(filter)) continue;
  const args = existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8').trim() : '';
  const optimize = args.includes('-O0') ? 0 : args.includes('-O1') ? 1 : 2;
  for (const [format, ext] of [
    ['bin', 'bin'],
    ['elf32', 'o'],
  ]) {
    const expectedPath = join(dir, `expected.${ext}`);
    const stderrPath = join(dir, `expected.${ext}.stderr`);
    if (!existsSync(stderrPath)) continue;
    const stderr = readFileSync(stderrPath, 'utf8');
    let r;
    try {
      r = assemble(readFileSync(join(dir, 'source.asm')), {
        fileName: 'source.asm',
        format,
        optimize,
        readFile: (p) => (existsSync(join(dir, p)) ? new Uint8Array(readFileSync(join(dir, p))) : null),
      });
    } catch (e) {
      console.log(`${name} ${format}: CRASH ${e.stack.split('\n').slice(0, 3).join(' | ')}`);
      bad++;
      continue;
    }
    const firstErr = r.diagnostics.find((d) => d.severity === 'error' || d.severity === 'fatal');
    if (existsSync(expectedPath)) {
      const exp = readFileSync(expectedPath);
      if (r.output && Buffer.from(r.output).equals(exp)) {
        ok++;
        continue;
      }
      bad++;
      if (!r.output) {
        console.log(`${name} ${format}: no output: ${firstErr ? formatDiagnostic(firstErr) : '?'}`);
        continue;
      }
      let i = 0;
      while (i < exp.length && i < r.output.length && exp[i] === r.output[i]) i++;
      console.log(`${name} ${format}: differs at ${i} (len ours ${r.output.length} nasm ${exp.length})`);
    } else {
      const nasmFirst = stderr.split('\n').find((l) => / error: /.test(l)) ?? '';
      const ours = firstErr ? formatDiagnostic(firstErr) : '(no error)';
      const sameLine = nasmFirst.split(':')[1] === ours.split(':')[1];
      if (sameLine) {
        ok++;
        continue;
      }
      bad++;
      console.log(`${name} ${format}: nasm «${nasmFirst}» ours «${ours}»`);
    }
  }
}
console.log(`${ok} ok, ${bad} differ`);
