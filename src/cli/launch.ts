/**
 * What bin/*.js run: a CLI's main() with the Node process's I/O. Returns the
 * exit status for bin/ to set; nothing here runs on import or ends the process.
 */
import type { CliIo } from './io.js';
import { createNodeIo } from './node-io.js';

export type CliMain = (argv: string[], io: CliIo) => Promise<number> | number;

export async function runCli(name: string, main: CliMain): Promise<number> {
  const io = createNodeIo();
  try {
    return await main(process.argv.slice(2), io);
  } catch (e) {
    // A bug in the tool itself: say so in one line rather than dumping a stack trace.
    io.stderr(`${name}: fatal: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (io.env['TSNASM_DEBUG']) io.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
