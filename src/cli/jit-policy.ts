/**
 * When tsnasm lets V8's optimising compiler (TurboFan) run.
 *
 * TurboFan compiles hot functions on a background thread, and that thread's CPU counts: on a
 * source file of a few thousand lines it costs more than it saves, because the run is over
 * before the optimised code has paid back its compilation. Measured (CPU seconds, TurboFan from
 * the start / off until OPTIMISE_AFTER_LINES): 2,000 code lines 0.40 / 0.21, 5,000 lines
 * 0.73 / 0.39, 10,000 lines 1.2 / 0.84, while long runs need it (100,000 code lines take about
 * 3 s with it and 5 s without). So the command starts with TurboFan off, the interpreter and
 * the cheap baseline compiler doing the work, and turns it on once the preprocessor has
 * produced OPTIMISE_AFTER_LINES lines (counted in every reading of the source, expanded macro
 * lines included): by then the run has shown itself long. A count, not a clock, so that a run
 * behaves the same on a loaded machine.
 *
 * Only the real process does this (run() in tsnasm.ts): the flags are process-wide, and tests
 * that call main() in-process keep V8's defaults. The flags change speed, never results.
 */
import { setFlagsFromString } from 'node:v8';

/** Lines read before the optimiser is let in (about where the two curves cross, measured above). */
export const OPTIMISE_AFTER_LINES = 16384;

/** Turns TurboFan off now; returns the progress listener that turns it back on for long runs. */
export function optimiseOnlyLongRuns(): (moreLines: number) => void {
  setFlagsFromString('--no-turbofan');
  let linesRead = 0;
  return (moreLines) => {
    if (linesRead >= OPTIMISE_AFTER_LINES) return;
    linesRead += moreLines;
    if (linesRead >= OPTIMISE_AFTER_LINES) setFlagsFromString('--turbofan');
  };
}
