/**
 * What bin/*.js run: a CLI's main() with the Node process's arguments and I/O.
 * Returns the exit status for bin/ to set; nothing here runs on import or ends the process.
 */
export type NodeMain = (argv: string[]) => Promise<number> | number;

export async function runCli(name: string, main: NodeMain): Promise<number> {
  try {
    return await main(process.argv.slice(2));
  } catch (e) {
    // A bug in the tool itself: say so in one line rather than dumping a stack trace.
    process.stderr.write(`${name}: fatal: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env['TSNASM_DEBUG'])
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
