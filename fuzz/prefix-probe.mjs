/**
 * Written-prefix differential probe: instruction lines nasm already accepts
 * (the encoding corpora under fixtures/encoding, per mode, sampled with a
 * seeded generator) get 1–2 random prefix words in front (`o64`, `a32`,
 * `lock`, `xrelease`, `fs`, `{vex3}`, `{rex}`, …), and nasm's verdict on each
 * line is compared with tsnasm's:
 *
 *   - nasm assembles it: the bytes must match, and so must the warnings
 *     nasm prints for that line (text and count);
 *   - nasm refuses it: tsnasm must refuse it too, with the same messages;
 *   - nasm panics on it (exit 3, "panic: … assertion … failed"): tsnasm must
 *     refuse it with an error; these lines are listed on their own.
 *
 * As in probe.mjs every line sits in its own slot (`times OFF-($-$$) db 0x90`
 * before it) so one bad line cannot shift the others and one nasm run checks
 * thousands. A chunk runs in rounds: nasm and tsnasm read the same source;
 * the lines nasm blames (errors, or the one line it panics on) are compared
 * and dropped, and the rest runs again until nasm assembles it. Only `-f bin`
 * (at org 0): the prefixes change bytes, not relocations.
 *
 * nasm 2.16.01 parses `{disp8}`/`{disp32}` as an unknown decorator ("`disp8'
 * is not a valid decorator with braces"), so they are drawn rarely: they only
 * test that message.
 *
 *   node fuzz/prefix-probe.mjs [--seed N] [--count LINES] [--bits 16,32,64] [--out DIR] [--top N]
 *                              [--prefixes o64,a32] [--files REGEX] [--words 1]
 *
 * --prefixes draws only those words, --files only the corpus files whose path
 * matches, --words 1 puts one word before each line: for probing one class.
 *
 * --count is the number of prefixed lines per mode. Failures are written to
 * build/fuzz/prefix-probe-seedN.jsonl, each with a standalone reproducer.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  loadTsnasm,
  makeRandom,
  parseFlags,
  probeSlotChunk,
  repoRoot,
  requireNasm,
  table,
  writeFindings,
} from './lib.mjs';

/** Wider than probe.mjs's 16: an EVEX line with a displacement, an immediate and two prefixes passes 16. */
const SLOT = 32;
const CHUNK_LINES = 2048;

/** Prefix words and their weights; the brace ones matter most on VEX/EVEX lines, so those lines draw them more. */
const PREFIXES = [
  ['o16', 3],
  ['o32', 3],
  ['o64', 3],
  ['a16', 3],
  ['a32', 3],
  ['a64', 3],
  ['osp', 1],
  ['asp', 1],
  ['lock', 3],
  ['rep', 2],
  ['repe', 1],
  ['repz', 1],
  ['repne', 2],
  ['repnz', 1],
  ['xacquire', 2],
  ['xrelease', 2],
  ['bnd', 2],
  ['nobnd', 1],
  ['wait', 1],
  ['cs', 1],
  ['ds', 1],
  ['es', 1],
  ['fs', 1],
  ['gs', 1],
  ['ss', 1],
  ['{vex}', 2],
  ['{vex2}', 2],
  ['{vex3}', 2],
  ['{evex}', 2],
  ['{rex}', 2],
  ['{disp8}', 0.2],
  ['{disp32}', 0.2],
];
const BRACE_PREFIXES = PREFIXES.filter(([p]) => p.startsWith('{') && !p.startsWith('{disp'));

/** Which corpus files feed a mode, by group; each group is a third of the draws. */
function corpusFiles(bits) {
  const enc = join(repoRoot, 'fixtures', 'encoding');
  const list = (dir, test) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter(test)
          .map((f) => join(dir, f))
      : [];
  const legacy =
    bits === 64
      ? list(join(enc, 'x64'), (f) => /^(corpus|forms)-64-.*\.txt(\.gz)?$/.test(f))
      : list(enc, (f) => new RegExp(`^(corpus|forms)-${bits}-.*\\.txt$|^addressing-${bits}\\.txt$`).test(f));
  legacy.push(join(enc, 'handwritten.txt'), join(enc, 'cpu-levels.txt'));
  const vex = list(
    join(enc, 'vex'),
    (f) => /^forms-.*\.txt\.gz$|^handwritten\.txt$/.test(f) || f === `random-${bits}.txt.gz`,
  );
  const evex = list(join(enc, 'evex'), (f) => f.endsWith(`-${bits}.txt.gz`));
  return { legacy, vex, evex };
}

/** `MODE | line | HEX` rows of the mode that nasm assembled (rows ending in an error are skipped). */
function readCorpus(files, bits) {
  const lines = new Set();
  for (const file of files) {
    if (!existsSync(file)) continue;
    const raw = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1');
    for (const row of text.split('\n')) {
      const m = /^(\d+) \| (.*) \| ([0-9A-F]+)$/.exec(row);
      if (m && Number(m[1]) === bits && !m[2].includes(';')) lines.add(m[2].trim());
    }
  }
  return [...lines];
}

function pickWeighted(rand, weighted) {
  let r = rand.next() * weighted.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, w] of weighted) if ((r -= w) < 0) return item;
  return weighted[weighted.length - 1][0];
}

/** One prefixed line: 1–2 prefix words (two distinct words, in random order) before a corpus line. */
function prefixedLine(rand, pools, prefixes, maxWords) {
  const braces = prefixes.filter(([p]) => BRACE_PREFIXES.some(([b]) => b === p));
  const group = pickWeighted(
    rand,
    [
      ['legacy', 2],
      ['vex', 1],
      ['evex', 1],
    ].filter(([g]) => pools[g].length > 0),
  );
  const base = rand.pick(pools[group]);
  const words = [];
  const count = Math.min(maxWords, prefixes.length, rand.chance(0.4) ? 2 : 1);
  while (words.length < count) {
    const word =
      group !== 'legacy' && braces.length > 0 && rand.chance(0.4)
        ? pickWeighted(rand, braces)
        : pickWeighted(rand, prefixes);
    if (!words.includes(word)) words.push(word);
  }
  return { line: `${words.join(' ')} ${base}`, prefixes: words.join(' '), base, group };
}

const mnemonicOf = (base) =>
  /^(?:(?:o16|o32|o64|a16|a32|a64|rep\w*|lock|bnd|nobnd|wait|xacquire|xrelease|[c-gs]s|\{\w+\}) )*(\w+)/i
    .exec(base)?.[1]
    ?.toLowerCase() ?? '?';

export async function runPrefixProbe(flags) {
  requireNasm();
  const tsnasm = await loadTsnasm();
  const rand = makeRandom(flags.seed);
  const dir = mkdtempSync(join(tmpdir(), 'tsnasm-prefix-probe-'));
  const failures = [];
  const panics = [];
  const counts = new Map();
  try {
    for (const bits of flags.bits.split(',').map(Number)) {
      const files = corpusFiles(bits);
      const only = (list) => (flags.files ? list.filter((f) => new RegExp(flags.files).test(f)) : list);
      const pools = {
        legacy: readCorpus(only(files.legacy), bits),
        vex: readCorpus(only(files.vex), bits),
        evex: readCorpus(only(files.evex), bits),
      };
      const prefixes = flags.prefixes ? PREFIXES.filter(([p]) => flags.prefixes.split(',').includes(p)) : PREFIXES;
      const mode = `bits${bits}`;
      for (let done = 0; done < flags.count;) {
        const size = Math.min(CHUNK_LINES, flags.count - done);
        const entries = [];
        for (let i = 0; i < size; i++)
          entries.push({ off: i * SLOT, ...prefixedLine(rand, pools, prefixes, flags.words) });
        for (const r of probeSlotChunk(tsnasm, bits, entries, dir, SLOT)) {
          const key = `${mode}|${r.entry.group}`;
          if (!counts.has(key)) counts.set(key, { mode, group: r.entry.group, tested: 0 });
          const c = counts.get(key);
          c.tested++;
          c[r.kind] = (c[r.kind] ?? 0) + 1;
          const finding = {
            mode,
            bits,
            kind: r.kind,
            line: r.entry.line,
            prefixes: r.entry.prefixes,
            mnemonic: mnemonicOf(r.entry.base),
            offset: r.entry.off,
            nasm: r.nasm,
            tsnasm: r.tsnasm,
            reproducer: `bits ${bits}\n${r.entry.line}\n`,
          };
          if (r.kind === 'panic') panics.push(finding);
          else if (r.kind !== 'agree') failures.push(finding);
        }
        done += size;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report(flags, counts, failures, panics);
  return { counts: [...counts.values()], failures, panics };
}

const KINDS = ['agree', 'bytes', 'rejects', 'accepts', 'message', 'warnings', 'crash', 'panic', 'panic-accepted'];

function report(flags, counts, failures, panics) {
  const rows = [['mode', 'group', 'tested', ...KINDS]];
  for (const c of [...counts.values()].sort((a, b) => a.mode.localeCompare(b.mode) || a.group.localeCompare(b.group)))
    rows.push([c.mode, c.group, c.tested, ...KINDS.map((k) => c[k] ?? 0)]);
  console.log(table(rows));
  // Wrong bytes first, then accept/reject, then wording.
  const order = ['bytes', 'panic-accepted', 'crash', 'accepts', 'rejects', 'message', 'warnings'];
  const groups = new Map();
  for (const f of failures) {
    const key = `${f.mode} ${f.kind} [${f.prefixes}] ${f.mnemonic}`;
    if (!groups.has(key)) groups.set(key, { count: 0, example: f });
    groups.get(key).count++;
  }
  const top = [...groups.entries()].sort(
    (a, b) => order.indexOf(a[1].example.kind) - order.indexOf(b[1].example.kind) || b[1].count - a[1].count,
  );
  console.log(`\n${failures.length} differing lines in ${groups.size} shapes (mode kind [prefixes] mnemonic):`);
  for (const [key, g] of top.slice(0, flags.top))
    console.log(
      `${String(g.count).padStart(5)}  ${key}\n       e.g. ${g.example.line}\n       nasm: ${g.example.nasm}\n     tsnasm: ${g.example.tsnasm}`,
    );
  if (panics.length > 0) {
    console.log(`\n${panics.length} lines nasm panics on, all refused by tsnasm; e.g.:`);
    for (const p of panics.slice(0, 10)) console.log(`  ${p.mode} ${p.line} → ${p.tsnasm}`);
  }
  const file = writeFindings(flags, 'prefix-probe', [...failures, ...panics]);
  console.log(`\nfindings written to ${file} (each with a reproducer)`);
}

/** --prefixes o64,a32 draws only those words; --files REGEX only the corpus files whose path matches; --words 1 one word a line. */
export const PREFIX_PROBE_DEFAULTS = {
  seed: 1,
  count: 10000,
  bits: '16,32,64',
  out: 'build/fuzz',
  top: 60,
  prefixes: '',
  files: '',
  words: 2,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runPrefixProbe(parseFlags(process.argv.slice(2), PREFIX_PROBE_DEFAULTS));
}
