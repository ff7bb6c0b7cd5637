/**
 * x86-64 object goldens: every source under fixtures/golden64/<case>/ is
 * assembled by tsnasm in the case's formats (`formats` file, default elf64)
 * and compared with what real nasm 2.16.01 produced (committed by
 * scripts/gen-fixtures64.sh, so no nasm is needed here):
 *  - nasm succeeded -> no error from tsnasm, the object byte-identical (on a
 *    mismatch the message names the ELF section of the first differing byte),
 *    the same warnings;
 *  - nasm failed    -> tsnasm fails too, with nasm's messages in nasm's order;
 *  - in both cases the `-l` listing is nasm's, line for line.
 * Also: the CLI's -f names and output names for the x86-64 formats, and, when
 * nasm 2.16.01 is installed, that the committed goldens are not stale.
 * Cases the BITS 64 encoder cannot assemble yet are listed in AWAITING_ENCODER
 * with the reason; they are reported as skipped (never silently passing) and
 * the test fails once one of them matches, so the list only shrinks.
 */
import { spawnSync } from './helpers/spawn.js';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { assemble, type AssembleOptions, type OutputFormat } from '../src/library/assemble.js';
import { extractDebugArgs, resolveDebugFormat } from '../src/cli/debug-args.js';
import { formatDiagnostic } from '../src/core/diagnostics.js';
import { renderListing } from '../src/listing/index.js';
import { main } from '../src/cli/tsnasm.js';
import { runMain } from './helpers/cli-io.js';
import { runBatch, type BatchResult } from './helpers/batch-spawn.js';
import { describeByteMismatch, repoRoot } from './helpers/golden.js';

const root = join(repoRoot, 'fixtures', 'golden64');

/** case/source -> why it cannot match yet (the encoder's missing BITS 64 rows). */
const AWAITING_ENCODER: Readonly<Record<string, string>> = {};

/** case/source -> why its listing cannot match yet (the rest of the case is compared). */
const LISTING_DIFFERS: Readonly<Record<string, string>> = {
  'nobits-pieces64/source.asm':
    'nasm lists the bytes of code and data it then drops in a nobits section; we list <res>/??',
  'nobits-extern-ref/source.asm': 'nasm lists the bytes of data it then drops in a nobits section; we list <res>/??',
  'nobits-code-length/source.asm': 'nasm lists the bytes of code it then drops in a nobits section; we list ??',
};

/**
 * The folder nasm assembled the cases with an `args` file in (scripts/gen-fixtures64.sh copies them
 * there): its DWARF output names the source's folder (DW_AT_comp_dir), so tsnasm is given the same.
 */
const DEBUG_COMP_DIR = '/tmp/tsnasm-golden-debug';

interface Source64 {
  caseName: string;
  file: string;
  format: OutputFormat;
  /** The case's `args` file, as words (empty without one). */
  args: string[];
  text: string;
  expected: { object: Uint8Array | null; stderr: string; listing: string | null };
}

function sources(): Source64[] {
  const out: Source64[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const caseName = entry.name;
    const dir = join(root, caseName);
    const formatsFile = join(dir, 'formats');
    const formats = (existsSync(formatsFile) ? readFileSync(formatsFile, 'utf8') : 'elf64').trim().split(/\s+/);
    const argsFile = join(dir, 'args');
    const args = existsSync(argsFile) ? readFileSync(argsFile, 'utf8').trim().split(/\s+/) : [];
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.asm'))
      .sort()) {
      for (const format of formats) {
        const base = join(dir, `${file.slice(0, -4)}.${format}`);
        const read = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'latin1') : null);
        out.push({
          caseName,
          file,
          format: format as OutputFormat,
          args,
          text: readFileSync(join(dir, file), 'latin1'),
          expected: {
            object: existsSync(`${base}.o`) ? new Uint8Array(readFileSync(`${base}.o`)) : null,
            stderr: read(`${base}.o.stderr`) ?? '',
            listing: read(`${base}.lst`),
          },
        });
      }
    }
  }
  return out;
}

describe('x86-64 objects vs nasm 2.16.01 (fixtures/golden64)', () => {
  const all = sources();
  test('the corpus is there', () => {
    expect(all.length).toBeGreaterThanOrEqual(9);
  });
  for (const s of all) {
    const key = `${s.caseName}/${s.file}`;
    const awaiting = AWAITING_ENCODER[key];
    const run = (): { mismatch: string | null } => {
      const result = assemble(s.text, {
        fileName: s.file,
        format: s.format,
        readFile: (name) => {
          const path = join(root, s.caseName, name);
          return existsSync(path) ? new Uint8Array(readFileSync(path)) : null;
        },
        ...debugOptions(s),
      });
      const ordered = (result.reportOrder ?? [...result.diagnostics.keys()]).map((i) => result.diagnostics[i]!);
      const ours = ordered.map((d) => formatDiagnostic(d)).join('\n');
      const problems: string[] = [];
      if (s.expected.object) {
        if (!result.output) problems.push(`nasm assembled it, tsnasm failed:\n${ours}`);
        else {
          const mismatch = describeByteMismatch(s.expected.object, result.output, 'elf32');
          if (mismatch) problems.push(mismatch);
        }
      } else if (result.output) problems.push(`nasm failed, tsnasm wrote an object`);
      if (ours.trim() !== s.expected.stderr.trim())
        problems.push(`diagnostics differ:\n--- nasm\n${s.expected.stderr}--- tsnasm\n${ours}`);
      if (s.expected.listing !== null && LISTING_DIFFERS[key] === undefined) {
        const listing = renderListing(result, s.text, { fileName: s.file });
        if (listing !== s.expected.listing) problems.push(listingDifference(s.expected.listing, listing));
      }
      return { mismatch: problems.length > 0 ? problems.join('\n') : null };
    };
    if (awaiting !== undefined) {
      test.skip(`${key} -f ${s.format} (awaiting the encoder: ${awaiting})`, () => {});
      test(`${key} -f ${s.format} still differs (remove it from AWAITING_ENCODER once it matches)`, () => {
        expect(run().mismatch).not.toBeNull();
      });
      continue;
    }
    test(`${key} -f ${s.format}`, () => {
      const { mismatch } = run();
      if (mismatch !== null) expect.fail(mismatch);
    });
  }
});

/** The case's debug options read as the CLI reads them (src/cli/debug-args.ts). */
function debugOptions(s: Source64): Pick<AssembleOptions, 'debugInfo'> {
  const parsed = extractDebugArgs(s.args);
  if ('error' in parsed) throw new Error(parsed.error);
  expect(parsed.rest, 'args holds debug options only').toEqual([]);
  const chosen = resolveDebugFormat(parsed.debug, s.format, ['dwarf']);
  if ('fatal' in chosen) throw new Error(chosen.fatal);
  return chosen.debugFormat === 'dwarf' ? { debugInfo: { format: 'dwarf', compDir: `${DEBUG_COMP_DIR}/` } } : {};
}

function listingDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `listing differs at line ${i + 1}:\n  nasm:   ${a[i] ?? '<end>'}\n  tsnasm: ${b[i] ?? '<end>'}`;
  }
  return 'listing differs';
}

describe('tsnasm -f elf64 / elfx32 on the command line', () => {
  const hello = join(root, 'hello64', 'source.asm');
  const expected = new Uint8Array(readFileSync(join(root, 'hello64', 'source.elf64.o')));

  test.each(['elf64', 'ELF64', 'elfx32'])(
    '-f %s writes source.o next to nothing else (nasm: basename + .o)',
    (name) => {
      const dir = mkdtempSync(join(tmpdir(), 'tsnasm-elf64-'));
      cpSync(hello, join(dir, 'source.asm'));
      const r = runMain(main, ['-f', name, 'source.asm'], dir);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const written = new Uint8Array(readFileSync(join(dir, 'source.o')));
      expect(written[4], 'EI_CLASS').toBe(name === 'elfx32' ? 1 : 2);
      expect(written[18], 'e_machine (EM_X86_64 = 62)').toBe(62);
      if (name !== 'elfx32') expect(describeByteMismatch(expected, written, 'elf32')).toBeNull();
    },
  );

  test('-felf64 glued, and `elf` stays the legacy alias of elf32', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-elf64-'));
    cpSync(hello, join(dir, 'source.asm'));
    expect(runMain(main, ['-felf64', 'source.asm', '-o', 'a.o'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'a.o'))[4]).toBe(2);
    // BITS 64 code in elf32 is assembled as asked; the object is ELF32 i386.
    expect(runMain(main, ['-f', 'elf', 'source.asm', '-o', 'b.o'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'b.o'))[18]).toBe(3);
  });

  test('an unknown format is refused as nasm refuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-elf64-'));
    cpSync(hello, join(dir, 'source.asm'));
    const r = runMain(main, ['-f', 'elf65', 'source.asm'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("unrecognised output format `elf65'");
  });
});

const nasmVersion = spawnSync('nasm', ['-v'], { encoding: 'utf8' });
const haveNasm = nasmVersion.status === 0 && nasmVersion.stdout.startsWith('NASM version 2.16.01');
if (!haveNasm)
  console.warn('golden64: nasm 2.16.01 not installed; the staleness check of fixtures/golden64 is skipped');

describe.skipIf(!haveNasm)('fixtures/golden64 are what nasm 2.16.01 writes today', () => {
  const all = sources();
  const scratch = haveNasm ? mkdtempSync(join(tmpdir(), 'golden64-live-')) : '';
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  // Each source runs in a folder of its own (a copy, as nasm names the file it reads); nasm runs for
  // every source at once, from one shell, when the first test asks (helpers/batch-spawn.ts).
  const dirOf = (i: number): string => join(scratch, String(i));
  let runs: BatchResult[] | null = null;
  const liveRun = (i: number): BatchResult => {
    runs ??= runBatch(
      all.map((s, k) => {
        mkdirSync(dirOf(k));
        if (s.args.length === 0) {
          cpSync(join(root, s.caseName, s.file), join(dirOf(k), s.file));
          return { cwd: dirOf(k), command: 'nasm', args: ['-f', s.format, s.file, '-o', 'out.o'] };
        }
        // As the generator runs it: in DEBUG_COMP_DIR with the case's files, the object copied back.
        const nasm = ['nasm', '-f', s.format, ...s.args, s.file, '-o', 'out.o'].join(' ');
        const script =
          `rm -rf ${DEBUG_COMP_DIR} && mkdir -p ${DEBUG_COMP_DIR} && cp "$1"/* ${DEBUG_COMP_DIR}/ && cd ${DEBUG_COMP_DIR}; ` +
          `${nasm}; status=$?; if [ -f out.o ]; then cp out.o "$2"/; fi; rm -rf ${DEBUG_COMP_DIR}; exit $status`;
        return { cwd: dirOf(k), command: 'sh', args: ['-c', script, 'sh', join(root, s.caseName), dirOf(k)] };
      }),
      'latin1',
    );
    return runs[i]!;
  };
  all.forEach((s, i) => {
    test(`${s.caseName}/${s.file} -f ${s.format}`, () => {
      const run = liveRun(i);
      expect(run.stderr).toBe(s.expected.stderr);
      if (s.expected.object === null) expect(run.status).not.toBe(0);
      else expect(Buffer.compare(readFileSync(join(dirOf(i), 'out.o')), s.expected.object)).toBe(0);
    });
  });
});
