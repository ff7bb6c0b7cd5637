/**
 * The library runs in a browser: bundling its entry points for the browser must not pull in
 * Node's built-in modules, and the bundled code must not reach for Node globals (Buffer, process)
 * outside guarded checks. The bundle is then run to assemble hello, so the test fails if the
 * browser build is broken rather than only different.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

async function browserBundle(): Promise<string> {
  const result = await build({
    stdin: {
      // Everything the package's main entry exports (`tsnasm`), not only what one example uses.
      contents: "export * from './src/index.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((path) => path.startsWith('node:'))).toEqual([]);
  return result.outputFiles[0]?.text ?? '';
}

describe('the library in a browser', () => {
  it('bundles without Node built-ins or Node globals', async () => {
    const code = await browserBundle();
    expect(code).not.toMatch(/\bBuffer\.(from|alloc|concat)/);
    expect(code).not.toMatch(/from ["']node:/);
    // A use of `process` is allowed only on a line that first checks that it exists.
    const unguarded = code.split('\n').filter((line) => /\bprocess\.\w/.test(line) && !line.includes('typeof process'));
    expect(unguarded).toEqual([]);
  });

  it('assembles, links and disassembles hello from the browser bundle', async () => {
    const code = await browserBundle();
    const url = 'data:text/javascript;base64,' + Buffer.from(code).toString('base64');
    const lib = (await import(url)) as {
      assemble: (source: string, options: { fileName: string; format: string }) => { output: Uint8Array | null };
      link: (objects: Array<{ name: string; data: Uint8Array }>) => { output: Uint8Array | null };
      disassemble: (bytes: Uint8Array, options: { bits: number }) => Array<{ text: string }>;
      run: (executable: Uint8Array) => { stdoutText: string; exitStatus: number };
    };
    const source = readFileSync(join(root, 'fixtures', 'hello.asm'), 'utf8');
    // fixtures/hello.o is what `nasm -f elf32 fixtures/hello.asm` wrote (the path is in its FILE symbol).
    const object = lib.assemble(source, { fileName: 'fixtures/hello.asm', format: 'elf32' }).output;
    expect(object).not.toBeNull();
    expect(Buffer.from(object ?? new Uint8Array()).equals(readFileSync(join(root, 'fixtures', 'hello.o')))).toBe(true);
    const executable = lib.link([{ name: 'hello.o', data: object ?? new Uint8Array() }]).output;
    const ldOutput = readFileSync(join(root, 'fixtures', 'linker', 'golden', 'hello'));
    expect(Buffer.from(executable ?? new Uint8Array()).equals(ldOutput)).toBe(true);
    expect(lib.run(executable ?? new Uint8Array())).toMatchObject({ stdoutText: 'Hello World\n', exitStatus: 0 });
    const text = lib.disassemble(new Uint8Array([0xb8, 0x04, 0x00, 0x00, 0x00, 0xcd, 0x80]), { bits: 32 });
    expect(text.map((i) => i.text)).toEqual(['mov eax,0x4', 'int 0x80']);
  });
});
