import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/browser.js';
import * as root from '../src/index.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The root's whole export list, types included: the browser entry's names
 * (src/browser.ts, which the root re-exports) and the Node additions. Growing
 * it is a decision: a building block belongs under one of the subpaths in
 * package.json.
 */
const ROOT_VALUES = [
  'BackendUnavailableError',
  'CheckpointError',
  'DataError',
  'ModelConfigError',
  'NonFiniteLossError',
  'Seq2SeqModel',
  'StepModelUsageError',
  'TrainingError',
  'decodingOptions',
  'describeBackend',
  'evaluateTrainedModel',
  'filesReader',
  'generateTexts',
  'loadCheckpoint',
  'loadTrainedModel',
  'loadTrainedModelFromFiles',
  'loadTrainedModelFromUrl',
  'openTrainedModel',
  'prepareTrainingData',
  'preprocessTrainingData',
  'readCheckpointFrom',
  'readEvaluationData',
  'saveCheckpoint',
  'seq2seqWeightShapes',
  'setBackend',
  'streamText',
  'train',
  'urlReader',
  'validateModelConfig',
];
const ROOT_TYPES = [
  'AttentionType',
  'BackendChoice',
  'BrowserBackendChoice',
  'BrowserBackendOptions',
  'CellType',
  'CheckpointConfig',
  'CheckpointFile',
  'CheckpointReader',
  'CheckpointEvent',
  'CreateModelOptions',
  'DeclaredName',
  'EvalEvent',
  'EvaluationData',
  'EvaluationReport',
  'LoadedCheckpoint',
  'ModelConfig',
  'OpenTrainedModelOptions',
  'PreprocessOptions',
  'PretrainedEmbedding',
  'ReadCheckpointOptions',
  'StepState',
  'Task',
  'TextGeneration',
  'TextGenerationOptions',
  'TextHypothesis',
  'TextStreamEvent',
  'TrainCallbacks',
  'TrainOptions',
  'TrainStepEvent',
  'TrainSummary',
  'TrainedModel',
  'TrainingData',
  'UrlModelOptions',
  'UrlReaderOptions',
];

/**
 * Names a module file exports (`export { a, type B } from …`, `export type { C } from …`),
 * following `export * from './other.js'` into the files it names, so the pin above sees
 * every name. A name listed in a file takes the place of the same name a star brings in
 * (as in ECMAScript modules); a name two stars bring in is listed twice.
 */
function exportedNames(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const names: string[] = [];
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of m[1]!.split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name) names.push(name);
    }
  }
  const own = new Set(names);
  for (const m of text.matchAll(/export\s+\*\s+from\s+'(\.{1,2}\/[^']+)\.js'/g)) {
    names.push(...exportedNames(join(dirname(file), `${m[1]}.ts`)).filter((name) => !own.has(name)));
  }
  expect(text).not.toMatch(/export\s+\*\s+as\b/);
  return names.sort();
}

type ExportLeaf = { types: string; source: string; default: string };
/** A subpath: plain, with a "browser" alternative (the root), or for Node only (file IO, threads). */
type ExportEntry = ExportLeaf | ({ types: string; browser: ExportLeaf } & ExportLeaf) | { types: string; node: Omit<ExportLeaf, 'types'> };
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, ExportEntry | string>;
};
const subpaths = Object.entries(manifest.exports)
  .filter((e): e is [string, ExportEntry] => typeof e[1] !== 'string')
  .map(([key, entry]): [string, ExportLeaf] => [key, 'node' in entry ? { types: entry.types, ...entry.node } : entry]);
const NODE_ONLY = ['./data', './kernels', './parallel', './tooling'];

describe('public API', () => {
  it('the root exports exactly the pinned names (about 60, types included)', () => {
    expect(Object.keys(root).sort()).toEqual([...ROOT_VALUES].sort());
    const all = exportedNames(join(packageDir, 'src/index.ts'));
    expect(all).toEqual([...ROOT_VALUES, ...ROOT_TYPES].sort());
    expect(all.length).toBeLessThanOrEqual(64);
  });

  it('the root is the browser entry plus the Node additions: every browser name, setBackend and describeBackend replaced', () => {
    expect(readFileSync(join(packageDir, 'src/index.ts'), 'utf8')).toMatch(/^export \* from '\.\/browser\.js';$/m);
    for (const name of Object.keys(browserEntry)) expect(root, name).toHaveProperty(name);
    const replaced = Object.keys(browserEntry).filter((name) => (root as Record<string, unknown>)[name] !== (browserEntry as Record<string, unknown>)[name]);
    expect(replaced.sort()).toEqual(['describeBackend', 'setBackend']);
  });

  it('keeps no internals or clashing names at the root', () => {
    for (const name of ['trainStep', 'resolveTrainSettings', 'dataFingerprint', 'writeDirAtomic', 'SeededRng', 'DecodingPool', 'threadedWasmThreads']) {
      expect(root).not.toHaveProperty(name);
    }
    const all = exportedNames(join(packageDir, 'src/index.ts'));
    for (const name of ['StepEvent', 'RngState', 'TextEncoder']) expect(all).not.toContain(name);
  });

  it('lists every subpath with types first, then source and default, mirroring src in dist', () => {
    expect(subpaths.map(([key]) => key)).toEqual(
      expect.arrayContaining(['.', './model', './data', './kernels', './parallel', './tooling', './tooling/defaults']),
    );
    for (const [key, raw] of Object.entries(manifest.exports)) {
      if (typeof raw === 'string') continue;
      const keys = Object.keys(raw);
      if (key === '.') expect(keys, key).toEqual(['types', 'browser', 'source', 'default']);
      else if (NODE_ONLY.includes(key)) expect(keys, key).toEqual(['types', 'node']);
      else expect(keys, key).toEqual(['types', 'source', 'default']);
    }
    const browser = (manifest.exports['.'] as { browser: ExportLeaf }).browser;
    expect(browser).toEqual(manifest.exports['./browser']);
    for (const [key, entry] of [...subpaths, ['. (browser)', browser] as [string, ExportLeaf]]) {
      expect(entry.source, key).toMatch(/^\.\/src\/.+\.ts$/);
      expect(entry.default, key).toBe(entry.source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js'));
      expect(entry.types, key).toBe(entry.default.replace(/\.js$/, '.d.ts'));
      expect(existsSync(join(packageDir, entry.source)), `${key} -> ${entry.source}`).toBe(true);
    }
  });

  it.each(subpaths.map(([key]) => key))('subpath %s resolves by the package name and exports something', async (key) => {
    const specifier = key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`;
    const module = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
    expect(Object.keys(module).length, specifier).toBeGreaterThan(0);
  });

  it('each subpath exports names that no other subpath but the root repeats, except error classes', () => {
    const owner = new Map<string, string>();
    for (const [key, entry] of subpaths) {
      // the root and its browser alternative repeat names on purpose
      if (key === '.' || key === './browser' || key === './tooling/defaults') continue;
      for (const name of exportedNames(join(packageDir, entry.source))) {
        if (name.endsWith('Error')) continue;
        expect(owner.get(name), `${name} in ${key} and ${owner.get(name)}`).toBeUndefined();
        owner.set(name, key);
      }
    }
  });
});
