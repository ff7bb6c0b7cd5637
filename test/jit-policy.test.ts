/**
 * The progress reports that drive tsnasm's JIT policy (src/cli/jit-policy.ts): the
 * preprocessor counts the lines it yields, in every reading of the source, and the policy
 * lets V8's optimiser in once, after OPTIMISE_AFTER_LINES of them. node:v8 is replaced by
 * a recorder here: the real flags are process-wide and would change this test process.
 */
import { describe, expect, it, vi } from 'vitest';

const flagsSet: string[] = [];
vi.mock('node:v8', () => ({ setFlagsFromString: (flags: string) => flagsSet.push(flags) }));

const { assemble } = await import('../src/library/assemble.js');
const { PROGRESS_INTERVAL } = await import('../src/preprocess/index.js');
const { OPTIMISE_AFTER_LINES, optimiseOnlyLongRuns } = await import('../src/cli/jit-policy.js');

function progressOf(source: string): number[] {
  const reports: number[] = [];
  const result = assemble(source, {
    fileName: 'p.asm',
    format: 'bin',
    onProgress: (moreLines) => reports.push(moreLines),
  });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return reports;
}

describe('progress reports while reading', () => {
  it('one report per PROGRESS_INTERVAL lines yielded, none for the remainder', () => {
    const lines = 2 * PROGRESS_INTERVAL + 100;
    expect(progressOf('nop\n'.repeat(lines))).toEqual([PROGRESS_INTERVAL, PROGRESS_INTERVAL]);
  });

  it('counts the lines macros and %rep produce, not the lines written', () => {
    const source = `%macro two 0\nnop\nnop\n%endmacro\n%rep ${PROGRESS_INTERVAL}\ntwo\n%endrep\n`;
    // Seven lines written; each repetition yields the macro's two lines.
    expect(progressOf(source)).toEqual([PROGRESS_INTERVAL, PROGRESS_INTERVAL]);
  });

  it('counts every reading when the source is read again in each pass', () => {
    // `%if` on a label makes every pass read the source again (src/asm/reread.ts).
    const body = 'nop\n'.repeat(PROGRESS_INTERVAL);
    const once = progressOf(body).length;
    const reread = progressOf(`start:\n%if start == 0\n%endif\n${body}`).length;
    expect(once).toBe(1);
    expect(reread).toBeGreaterThan(once);
  });
});

describe('the JIT policy', () => {
  it('turns the optimiser off at once and on again once, after OPTIMISE_AFTER_LINES lines', () => {
    flagsSet.length = 0;
    const onProgress = optimiseOnlyLongRuns();
    expect(flagsSet).toEqual(['--no-turbofan']);
    for (let read = PROGRESS_INTERVAL; read < OPTIMISE_AFTER_LINES; read += PROGRESS_INTERVAL)
      onProgress(PROGRESS_INTERVAL);
    expect(flagsSet).toEqual(['--no-turbofan']);
    onProgress(PROGRESS_INTERVAL);
    onProgress(PROGRESS_INTERVAL);
    expect(flagsSet).toEqual(['--no-turbofan', '--turbofan']);
  });
});
