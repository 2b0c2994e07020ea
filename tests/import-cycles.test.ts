import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/run-seqloom.js';

/**
 * Known cycles that another change removes; each entry is the cycle as
 * reported below (files relative to the repository root, joined by " -> ").
 * Remove an entry as soon as the cycle is gone: the test then guards it.
 */
const KNOWN_CYCLES: readonly string[] = [];

/** `import … from`, `export … from`, `import '…'` and `import('…')` specifiers that start with a dot. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.(m?js)$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => files.has(candidate));
}

/** Relative imports of every source file under packages/<name>/src, as a graph. */
function importGraph(root: string): Map<string, string[]> {
  const packages = join(root, 'packages');
  const files = readdirSync(packages)
    .map((name) => join(packages, name, 'src'))
    .filter((src) => statSync(src, { throwIfNoEntry: false })?.isDirectory())
    .flatMap(sourceFiles);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    const targets = [...text.matchAll(SPECIFIER)].map((m) => resolveSpecifier(file, m[2]!, known)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every elementary cycle found by a depth-first search (one per back edge), as node lists closed by the first node. */
function findCycles<T>(graph: ReadonlyMap<T, readonly T[]>): T[][] {
  const cycles: T[][] = [];
  const state = new Map<T, 'open' | 'done'>();
  const path: T[] = [];
  const visit = (node: T): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/** The same graph between folders (`packages/<pkg>/src/<folder>`); files directly in src/ are their own node. */
function folderGraph(graph: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const folderOf = (file: string): string => {
    const parts = relative(REPO_ROOT, file).split('/');
    return parts.length > 4 ? parts.slice(0, 4).join('/') : parts.join('/');
  };
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const set = folders.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) set.add(folderOf(target));
    folders.set(from, set);
  }
  return new Map([...folders].map(([folder, set]) => [folder, [...set]]));
}

const show = (cycle: readonly string[]): string => cycle.map((f) => relative(REPO_ROOT, f) || f).join(' -> ');

describe('import graph', () => {
  it('finds a cycle and reports its path', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import cycle in packages/*/src (besides the known ones)', () => {
    const cycles = findCycles(importGraph(REPO_ROOT)).map(show);
    expect(cycles.filter((cycle) => !KNOWN_CYCLES.includes(cycle))).toEqual([]);
  });

  it('has no cycle between the training folders of seq2seq (train, optim, checkpoint, parallel) or the CLI folders', () => {
    const folders = folderGraph(importGraph(REPO_ROOT));
    const guarded = /^packages\/(seq2seq\/src\/(train|optim|checkpoint|parallel)|cli\/src\/)/;
    const cycles = findCycles(folders)
      .filter((cycle) => cycle.every((f) => guarded.test(f)))
      .map((c) => c.join(' -> '));
    expect(cycles).toEqual([]);
  });
});
