/**
 * The README's library examples are run as written: every ```ts block of the
 * "Library" section is bundled with esbuild ('tsnasm' → src/index.ts,
 * 'tsnasm/image' → src/image/index.ts), run, and what it prints must be the
 * ```text block that follows it.
 */
import { build, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

interface Example {
  code: string;
  output: string;
}

/** The (code, printed output) pairs of the README's Library section. */
function readmeExamples(): Example[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Library\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  const examples: Example[] = [];
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block.lang === 'ts' && next?.lang === 'text') examples.push({ code: block.text, output: next.text });
  });
  return examples;
}

const packageNames: Plugin = {
  name: 'tsnasm-package',
  setup(b) {
    b.onResolve({ filter: /^tsnasm(\/image)?$/ }, (args) => ({
      path: join(root, args.path === 'tsnasm' ? 'src/index.ts' : 'src/image/index.ts'),
    }));
  },
};

/** Runs one example; returns what it printed with console.log. */
async function runExample(code: string): Promise<string> {
  const bundle = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts', sourcefile: 'README-example.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    plugins: [packageNames],
    // CommonJS dependencies (tar-stream) require Node built-ins; a data: URL module needs a require.
    banner: {
      js: `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(join(root, 'package.json'))});`,
    },
    logLevel: 'silent',
  });
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => {
    printed.push(format(...args));
  };
  try {
    await import('data:text/javascript;base64,' + Buffer.from(bundle.outputFiles[0]!.text).toString('base64'));
  } finally {
    console.log = log;
  }
  return printed.join('\n');
}

describe('README library examples', () => {
  const examples = readmeExamples();

  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((e, i) => [i + 1, e] as const))('example %i prints what the README shows', async (_, e) => {
    expect((await runExample(e.code)).trimEnd()).toBe(e.output.trimEnd());
  });
});
