/**
 * Assembles every case of a corpus folder (default fixtures/realworld) with
 * tsnasm in-process and compares with nasm's committed outputs, printing one
 * line per case that differs and a summary: the tool for filling and
 * shrinking KNOWN_GAPS in test/realworld.test.ts.
 *
 *   node fuzz/corpus-check.mjs [--dir fixtures/realworld] [--json]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTsnasm, parseFlags, repoRoot } from './lib.mjs';

const flags = parseFlags(process.argv.slice(2), { dir: 'fixtures/realworld', json: false, progress: false });
const tsnasm = await loadTsnasm();
const root = join(repoRoot, flags.dir);
const results = [];
for (const name of existsSync(root) ? readdirSync(root).sort() : []) {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'format'))) continue;
  const format = readFileSync(join(dir, 'format'), 'utf8').trim();
  const ext = format === 'bin' ? 'bin' : 'o';
  const expectedPath = join(dir, `expected.${ext}`);
  const nasmStderr = readFileSync(join(dir, `expected.${ext}.stderr`), 'utf8');
  // --progress names each case before assembling it (on stderr), to find one that hangs.
  if (flags.progress) process.stderr.write(`${name}\n`);
  const started = performance.now();
  let verdict;
  let detail = '';
  try {
    const r = tsnasm.assemble(new Uint8Array(readFileSync(join(dir, 'source.asm'))), {
      fileName: 'source.asm',
      format,
      // The public assemble() finds included files through `includes`.
      includes: (p) => {
        try {
          return new Uint8Array(readFileSync(isAbsolute(p) ? p : join(dir, p)));
        } catch {
          return null;
        }
      },
    });
    const order = r.reportOrder ?? [...r.diagnostics.keys()];
    const messages = order.map((i) => tsnasm.formatDiagnostic(r.diagnostics[i]));
    if (!existsSync(expectedPath)) verdict = r.output ? 'tsnasm-accepts' : 'both-fail';
    else if (!r.output) {
      verdict = 'tsnasm-rejects';
      detail = messages.find((m) => /error|fatal/.test(m)) ?? '';
    } else {
      const expected = readFileSync(expectedPath);
      const ours = Buffer.from(r.output);
      if (expected.equals(ours)) {
        verdict = messages.join('\n').trim() === nasmStderr.trim() ? 'agree' : 'differ-messages';
        if (verdict !== 'agree') detail = `nasm: ${nasmStderr.split('\n')[0]} | tsnasm: ${messages[0] ?? '(none)'}`;
      } else {
        let at = 0;
        while (at < expected.length && expected[at] === ours[at]) at++;
        verdict = 'differ-bytes';
        detail = `first difference at 0x${at.toString(16)} (nasm ${expected.length} bytes, tsnasm ${ours.length})`;
      }
    }
  } catch (e) {
    verdict = 'crash';
    detail = e instanceof Error ? e.message : String(e);
  }
  results.push({ name, format, verdict, detail, ms: Math.round(performance.now() - started) });
}
if (flags.json) console.log(JSON.stringify(results, null, 1));
else {
  for (const r of results)
    if (r.verdict !== 'agree') console.log(`${r.verdict.padEnd(15)} ${r.name} (${r.format}) ${r.detail}`);
  const counts = {};
  for (const r of results) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  const total = results.reduce((s, r) => s + r.ms, 0);
  console.log(`\n${results.length} cases: ${JSON.stringify(counts)}; ${total} ms in assemble()`);
  console.log(
    'slowest:',
    results
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((r) => `${r.name} ${r.ms} ms`)
      .join(', '),
  );
}
