/**
 * The shape of the code: the import graph of src/ and grammar/ has no cycles,
 * and imports go one way through the stages (a stage may import the layers
 * below it, never the ones above). The layers are data below; a new folder
 * must be given its place here before it can be imported.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bottom to top: a module may import modules of its own layer or of lower
 * layers. Each entry is a folder (every file under it) or a single file;
 * the longest matching entry decides a file's layer.
 */
const LAYERS: ReadonlyArray<{ name: string; paths: readonly string[] }> = [
  { name: 'core', paths: ['src/core'] },
  { name: 'elf', paths: ['src/elf'] },
  { name: 'encoder', paths: ['src/encoder'] },
  { name: 'disasm', paths: ['src/disasm'] },
  { name: 'emu', paths: ['src/emu'] },
  { name: 'lexer', paths: ['grammar/tokens.ts'] },
  { name: 'preprocess', paths: ['src/preprocess'] },
  { name: 'parse', paths: ['src/parse', 'grammar'] },
  { name: 'asm', paths: ['src/asm'] },
  { name: 'output', paths: ['src/output'] },
  { name: 'linker', paths: ['src/linker'] },
  { name: 'image', paths: ['src/image'] },
  { name: 'pipeline', paths: ['src/library/assemble.ts'] },
  { name: 'listing', paths: ['src/listing'] },
  { name: 'library', paths: ['src/index.ts', 'src/library'] },
  { name: 'cli', paths: ['src/cli'] },
];

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts') && !full.endsWith('.d.ts')) out.push(relative(root, full));
    }
  };
  walk(join(root, folder));
  return out.sort();
}

/** Relative imports and re-exports of a module (`import … from './x.js'`, `export … from`, `import './x.js'`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    const target = join(dirname(file), match[1]!).replace(/\.js$/, '.ts');
    found.push(target);
  }
  return found;
}

function layerOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((layer, index) => {
    for (const path of layer.paths) {
      const matches = file === path || file.startsWith(path + '/');
      if (matches && path.length > bestLength) {
        best = index;
        bestLength = path.length;
      }
    }
  });
  return best;
}

const files = [...sourceFiles('src'), ...sourceFiles('grammar')];
const graph = new Map<string, string[]>(files.map((f) => [f, relativeImports(f)]));

/** Every cycle found by a depth-first search, each as the path that closes it. */
function findCycles(): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('architecture', () => {
  it('finds the modules and their imports', () => {
    expect(files).toContain('src/index.ts');
    expect(graph.get('src/index.ts')!.length).toBeGreaterThan(3);
  });

  it('every imported module exists', () => {
    const missing = [...graph].flatMap(([file, imports]) =>
      imports.filter((target) => !graph.has(target)).map((target) => `${file} → ${target}`),
    );
    expect(missing).toEqual([]);
  });

  it('every module has a layer', () => {
    expect(files.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(findCycles().map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('imports only go down the layers', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        const from = layerOf(file);
        const to = layerOf(target);
        if (to > from) upward.push(`${file} (${LAYERS[from]!.name}) → ${target} (${LAYERS[to]!.name})`);
      }
    }
    expect(upward).toEqual([]);
  });
});
