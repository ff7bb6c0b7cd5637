/**
 * Random-instruction differential probe: random opcode bytes → `ndisasm -b N`
 * → the lines nasm accepts → nasm's bytes versus tsnasm's, line by line.
 *
 * Unlike the encoding corpus (scripts/gen-encoding-random.mjs) the branch
 * targets stay the absolute numbers ndisasm prints (`jmp 0x1234`,
 * `loop 0x7c10`), and every line sits at the address ndisasm decoded it at:
 * each line gets a 16-byte slot (`times OFF-($-$$) db 0x90` before it), so
 * one bad line cannot shift the others and one nasm run checks thousands.
 * Modes: BITS 16, 32 and 64, each in `-f bin` (with a random `org`) and in
 * `-f elf32` (`-f elf64` for BITS 64; numeric targets become relocations
 * against *ABS*, which are compared too, with their addends in ELF64).
 *
 *   node fuzz/probe.mjs [--seed N] [--count LINES] [--bits 16,32,64] [--formats bin,elf32] [--out DIR]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { hex, loadTsnasm, makeRandom, parseFlags, readElfText, requireNasm, table, writeFindings } from './lib.mjs';

const SLOT = 16;
/** Opcode leads, weighted; about a third are relative branches so numeric targets are well covered. */
const LEADS = [
  [[], 10],
  [[0x0f], 8],
  [[0x0f, 0x38], 1],
  [[0x0f, 0x3a], 1],
  [[0x66, 0x0f], 3],
  [[0xf3, 0x0f], 2],
  [[0xf2, 0x0f], 1],
  [[0xd8 + 0], 1],
  [[0xd9], 1],
  [[0xdb], 1],
  [[0xdd], 1],
  [[0xdf], 1],
  [[0x66], 2],
  [[0x67], 2],
  [[0xf3], 1],
  [[0xf2], 1],
  [[0xf0], 1],
  [[0x26], 1],
  [[0x64], 1],
  [[0x0f, 0x01], 1],
  // relative branches: call/jmp near, jmp short, jcc short and near, loop/jcxz, with size prefixes
  [[0xe8], 3],
  [[0xe9], 3],
  [[0xeb], 3],
  [[0x70], 1],
  [[0x74], 1],
  [[0x7c], 1],
  [[0x7f], 1],
  [[0x0f, 0x84], 2],
  [[0x0f, 0x8c], 1],
  [[0x0f, 0x87], 1],
  [[0xe0], 1],
  [[0xe1], 1],
  [[0xe2], 2],
  [[0xe3], 1],
  [[0x66, 0xe8], 1],
  [[0x66, 0xe9], 1],
  [[0x66, 0x0f, 0x85], 1],
  [[0x67, 0xe2], 1],
  [[0x67, 0xe3], 1],
  [[0x66, 0xeb], 1],
  [[0xea], 1],
  [[0x9a], 1],
];
/** BITS 64 adds REX prefixes in front of the same leads (0x40–0x4F are inc/dec in 16/32). */
const LEADS_64 = [
  ...LEADS,
  [[0x48], 6],
  [[0x4c], 2],
  [[0x41], 2],
  [[0x49], 2],
  [[0x44], 1],
  [[0x48, 0x0f], 2],
  [[0x66, 0x48], 1],
  [[0x66, 0x41, 0x0f], 1],
  [[0xf3, 0x48, 0x0f], 1],
  [[0x41, 0xff], 1],
];
const LEADS_BY_BITS = { 16: LEADS, 32: LEADS, 64: LEADS_64 };
const ORIGINS = {
  16: [0, 0x100, 0x7c00, 0x1000],
  32: [0, 0x7c00, 0x100000, 0x8048000, 0x40001000],
  64: [0, 0x7c00, 0x400000, 0x40001000],
};
const CHUNK_SLOTS = { 16: 2048, 32: 4096, 64: 4096 };
/** `--formats elf32` means the ELF of the mode: elf64 in BITS 64. */
const formatFor = (bits, format) => (bits === 64 && format === 'elf32' ? 'elf64' : format);

function randomSlots(rand, slots, bits) {
  const leads = LEADS_BY_BITS[bits];
  const totalWeight = leads.reduce((sum, [, w]) => sum + w, 0);
  const bytes = new Uint8Array(slots * SLOT);
  for (let i = 0; i < slots; i++) {
    let r = rand.next() * totalWeight;
    let lead = [];
    for (const [l, w] of leads)
      if ((r -= w) < 0) {
        lead = l;
        break;
      }
    let k = i * SLOT;
    for (const b of lead) bytes[k++] = b;
    while (k < (i + 1) * SLOT) bytes[k++] = rand.int(256);
  }
  return bytes;
}

/** ndisasm's instruction at each slot boundary, keyed by offset from the chunk start. */
function disassemble(bits, bytes, origin, dir) {
  const file = join(dir, 'r.bin');
  writeFileSync(file, bytes);
  const args = ['-b', String(bits), '-o', String(origin)];
  for (let off = SLOT; off < bytes.length; off += SLOT) args.push('-s', String(origin + off));
  args.push(file);
  const r = spawnSync('ndisasm', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = new Map();
  for (const line of r.stdout.split('\n')) {
    const m = /^([0-9A-F]{8})\s+[0-9A-F]+\s+(.*)$/.exec(line);
    if (!m) continue;
    const off = (parseInt(m[1], 16) - origin) >>> 0;
    if (off % SLOT === 0 && off < bytes.length && !out.has(off)) out.set(off, m[2].trim());
  }
  return out;
}

/** VEX/EVEX/XOP are outside the legacy classes this probe covers. */
const VEX_MNEMONIC = /^v(?!(?:err|erw|m\w+)$)/;
const BRANCH = /^(j\w+|call|loop\w*|jcxz|jecxz)$/;

/** ndisasm text → the nasm line (numeric branch targets kept as they are), or null. */
function toSource(text) {
  if (/^(db|dw|dd)\b/.test(text) || text.includes('??')) return null;
  const m = /^((?:(?:o16|o32|o64|a16|a32|a64|rep\w*|lock|bnd|[c-gs]s|wait|xacquire|xrelease) )*)(\w+)(?: (.*))?$/.exec(
    text,
  );
  if (!m || VEX_MNEMONIC.test(m[2])) return null;
  return text;
}

export function classify(line) {
  const l = line.toLowerCase();
  const m = /^(?:(?:o16|o32|o64|a16|a32|a64|rep\w*|lock|bnd|wait|[c-gs]s) )*(\w+)(?: (.*))?$/.exec(l) ?? [];
  const mnem = m[1] ?? '';
  if (BRANCH.test(mnem)) {
    const target = (m[2] ?? '').replace(/^(?:short |near |far |word |dword )*/, '');
    if (/^0x[0-9a-f]+:/.test(target)) return 'branch-far';
    return /^0x[0-9a-f]+\b/.test(target) ? 'branch-numeric' : 'branch-indirect';
  }
  if (/\bxmm\d/.test(l)) return 'sse';
  if (/\bmm\d/.test(l)) return 'mmx';
  if (/^f/.test(mnem) && !/^(fxsave|fxrstor|femms)/.test(mnem)) return 'x87';
  if (
    /\b(cr\d|dr\d|tr\d)\b/.test(l) ||
    /^(lgdt|sgdt|lidt|sidt|lldt|sldt|ltr|str|lmsw|smsw|invlpg|verr|verw|lar|lsl|clts|rdmsr|wrmsr|invd|wbinvd|rsm|hlt|cli|sti|in|out|ins\w|outs\w|iret\w*|sysenter|sysexit|rdpmc|cpuid|rdtsc\w*)$/.test(
      mnem,
    )
  )
    return 'system';
  return 'general';
}

/** A chunk's source: each entry at its slot, so lines never shift one another. */
function chunkSource(bits, format, origin, entries) {
  const head = [`bits ${bits}`, format === 'bin' ? `org ${origin}` : 'section .text'];
  for (const e of entries) head.push(`times ${e.off}-($-$$) db 0x90`, e.line);
  return head.join('\n') + '\n';
}
const entryAtLine = (entries, lineNo) => entries[Math.floor((lineNo - 3) / 2)];

/** What one slot holds in an output: its bytes and, in ELF, the relocations that start inside it. */
function slotResults(format, output, entries) {
  const view = format === 'bin' ? { text: output, relocations: [] } : readElfText(output);
  return entries.map((e, i) => {
    const end = entries[i + 1]?.off ?? view.text.length;
    const relocs = view.relocations
      .filter((r) => r.offset >= e.off && r.offset < end)
      .map((r) => `@${r.offset - e.off}:${r.type}:${r.target}`)
      .join(' ');
    return hex(view.text.subarray(e.off, end)) + (relocs ? ` [${relocs}]` : '');
  });
}

/** nasm on the chunk; lines it rejects are dropped (they are not in the test set) until it assembles. */
function nasmChunk(bits, format, origin, entries, dir) {
  let live = entries;
  for (let round = 0; round < 20 && live.length > 0; round++) {
    const src = join(dir, 'probe.asm');
    const out = join(dir, 'probe.out');
    writeFileSync(src, chunkSource(bits, format, origin, live));
    rmSync(out, { force: true });
    const r = spawnSync('nasm', ['-f', format, src, '-o', out], { cwd: dir, encoding: 'utf8' });
    if (r.status === 0) return { live, outcome: slotResults(format, new Uint8Array(readFileSync(out)), live) };
    const bad = new Set();
    for (const m of r.stderr.matchAll(/probe\.asm:(\d+): (?:error|fatal|panic)/g))
      bad.add(entryAtLine(live, Number(m[1])));
    if (bad.size === 0) throw new Error(`nasm failed with no line to blame:\n${r.stderr}`);
    live = live.filter((e) => !bad.has(e));
  }
  return { live: [], outcome: [] };
}

/** tsnasm on one line alone, at the same address: to pin down a crash or a chunk-level failure. */
function tsnasmSingle(tsnasm, bits, format, origin, entry) {
  const only = { ...entry };
  try {
    const r = tsnasm.assemble(chunkSource(bits, format, origin, [only]), {
      fileName: 'probe.asm',
      format,
      teachingRecords: false,
    });
    if (!r.output) return { kind: 'rejects', got: firstError(tsnasm, r) };
    return { kind: 'output', got: slotResults(format, r.output, [only])[0] };
  } catch (e) {
    return { kind: 'crash', got: `${e?.constructor?.name ?? 'Error'}: ${e?.message ?? e}` };
  }
}

function firstError(tsnasm, result) {
  const d = result.diagnostics.find((x) => x.severity === 'error' || x.severity === 'fatal');
  return d ? tsnasm.formatDiagnostic(d) : 'no output, no error';
}

/** tsnasm on the chunk: per entry, { kind: 'output'|'rejects'|'crash', got }. */
function tsnasmChunk(tsnasm, bits, format, origin, entries) {
  const verdict = new Map();
  let live = entries;
  for (let round = 0; round < 20 && live.length > 0; round++) {
    let r;
    try {
      r = tsnasm.assemble(chunkSource(bits, format, origin, live), {
        fileName: 'probe.asm',
        format,
        teachingRecords: false,
      });
    } catch {
      for (const e of live) verdict.set(e, tsnasmSingle(tsnasm, bits, format, origin, e));
      return verdict;
    }
    if (r.output) {
      slotResults(format, r.output, live).forEach((got, i) => verdict.set(live[i], { kind: 'output', got }));
      return verdict;
    }
    const bad = new Set();
    for (const d of r.diagnostics) {
      if ((d.severity !== 'error' && d.severity !== 'fatal') || !d.location?.line) continue;
      const e = entryAtLine(live, d.location.line);
      if (e && !verdict.has(e)) verdict.set(e, { kind: 'rejects', got: tsnasm.formatDiagnostic(d) });
      if (e) bad.add(e);
    }
    if (bad.size === 0) {
      for (const e of live) verdict.set(e, tsnasmSingle(tsnasm, bits, format, origin, e));
      return verdict;
    }
    live = live.filter((e) => !bad.has(e));
  }
  return verdict;
}

/** Groups failures by their shape: numbers become N, so `jmp 0x1000` and `jmp 0x7c00` fall together. */
export function shapeOf(line) {
  return line.replace(/\b0x[0-9a-f]+\b|\b\d+\b/gi, 'N');
}

export async function runProbe(flags) {
  requireNasm({ ndisasm: true });
  const tsnasm = await loadTsnasm();
  const rand = makeRandom(flags.seed);
  const dir = mkdtempSync(join(tmpdir(), 'tsnasm-probe-'));
  const failures = [];
  const counts = new Map();
  const bump = (mode, cls, field) => {
    const key = `${mode}|${cls}`;
    if (!counts.has(key)) counts.set(key, { mode, cls, tested: 0, agree: 0, differ: 0, rejects: 0, crash: 0 });
    counts.get(key)[field]++;
  };
  try {
    for (const bits of flags.bits.split(',').map(Number)) {
      for (const format of flags.formats.split(',').map((f) => formatFor(bits, f))) {
        const mode = `bits${bits}/${format}`;
        let tested = 0;
        while (tested < flags.count) {
          const origin = format === 'bin' ? rand.pick(ORIGINS[bits]) : 0;
          const slots = CHUNK_SLOTS[bits];
          const disassembled = disassemble(bits, randomSlots(rand, slots, bits), origin, dir);
          const entries = [];
          for (const [off, text] of [...disassembled].sort((a, b) => a[0] - b[0])) {
            const line = toSource(text);
            if (line) entries.push({ off, line });
          }
          const nasm = nasmChunk(bits, format, origin, entries, dir);
          const ours = tsnasmChunk(tsnasm, bits, format, origin, nasm.live);
          nasm.live.forEach((e, i) => {
            const cls = classify(e.line);
            const expected = nasm.outcome[i];
            const got = ours.get(e) ?? { kind: 'rejects', got: '(not assembled)' };
            bump(mode, cls, 'tested');
            const kind = got.kind === 'output' ? (got.got === expected ? 'agree' : 'differ') : got.kind;
            bump(mode, cls, kind);
            if (kind !== 'agree')
              failures.push({
                mode,
                bits,
                format,
                cls,
                kind,
                line: e.line,
                shape: shapeOf(e.line),
                address: origin + e.off,
                offset: e.off,
                origin,
                nasm: expected,
                tsnasm: got.got,
              });
          });
          tested += nasm.live.length;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report(flags, counts, failures, 'probe');
  return { counts: [...counts.values()], failures };
}

/** A standalone reproducer for one probe failure. */
export function reproducer(f) {
  return f.format === 'bin'
    ? `bits ${f.bits}\norg ${f.address}\n${f.line}\n`
    : `bits ${f.bits}\nsection .text\ntimes ${f.offset} db 0x90\n${f.line}\n`;
}

function report(flags, counts, failures, name) {
  const rows = [['mode', 'class', 'tested', 'agree', 'differ', 'rejects', 'crash', 'agree%']];
  for (const c of [...counts.values()].sort((a, b) => a.mode.localeCompare(b.mode) || a.cls.localeCompare(b.cls)))
    rows.push([
      c.mode,
      c.cls,
      c.tested,
      c.agree,
      c.differ,
      c.rejects,
      c.crash,
      ((100 * c.agree) / c.tested).toFixed(1),
    ]);
  console.log(table(rows));
  const groups = new Map();
  for (const f of failures) {
    const key = `${f.mode} ${f.kind} ${f.shape}`;
    if (!groups.has(key)) groups.set(key, { count: 0, example: f });
    groups.get(key).count++;
  }
  const top = [...groups.entries()].sort((a, b) => b[1].count - a[1].count);
  console.log(`\n${failures.length} failing lines in ${groups.size} shapes; most frequent:`);
  for (const [key, g] of top.slice(0, flags.top))
    console.log(
      `${String(g.count).padStart(6)}  ${key}\n        e.g. ${g.example.line} @${g.example.address.toString(16)}: nasm ${g.example.nasm} | tsnasm ${g.example.tsnasm}`,
    );
  const file = writeFindings(
    flags,
    name,
    failures.map((f) => ({ ...f, reproducer: reproducer(f) })),
  );
  console.log(`\nfailures written to ${file} (each with a reproducer)`);
}

export const PROBE_DEFAULTS = {
  seed: 1,
  count: 20000,
  bits: '16,32',
  formats: 'bin,elf32',
  out: 'build/fuzz',
  top: 40,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runProbe(parseFlags(process.argv.slice(2), PROBE_DEFAULTS));
}
