import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The root's whole export list, types included. Growing it is a decision:
 * a building block belongs under one of the subpaths in package.json.
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
  'describeBackend',
  'evaluateTrainedModel',
  'generateTexts',
  'loadCheckpoint',
  'loadTrainedModel',
  'prepareTrainingData',
  'readEvaluationData',
  'saveCheckpoint',
  'setBackend',
  'streamText',
  'train',
  'validateModelConfig',
];
const ROOT_TYPES = [
  'AttentionType',
  'BackendChoice',
  'CellType',
  'CheckpointEvent',
  'CreateModelOptions',
  'EvalEvent',
  'EvaluationData',
  'EvaluationReport',
  'LoadedCheckpoint',
  'ModelConfig',
  'PretrainedEmbedding',
  'Task',
  'TextGeneration',
  'TextGenerationOptions',
  'TrainCallbacks',
  'TrainOptions',
  'TrainStepEvent',
  'TrainSummary',
  'TrainedModel',
  'TrainingData',
];

/** Names a module's source exports (`export { a, type B } from …`, `export type { C } from …`). */
function exportedNames(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const names: string[] = [];
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of m[1]!.split(',')) {
      const name = item.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop();
      if (name) names.push(name);
    }
  }
  expect(text).not.toMatch(/export\s+\*/); // every name is listed, so the pin above sees it
  return names.sort();
}

type ExportLeaf = { types: string; source: string; default: string };
/** A subpath: plain, with a "browser" alternative (the root), or for Node only (file IO, threads). */
type ExportEntry = ExportLeaf | { types: string; browser: ExportLeaf } & ExportLeaf | { types: string; node: Omit<ExportLeaf, 'types'> };
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, ExportEntry | string>;
};
const subpaths = Object.entries(manifest.exports)
  .filter((e): e is [string, ExportEntry] => typeof e[1] !== 'string')
  .map(([key, entry]): [string, ExportLeaf] => [key, 'node' in entry ? { types: entry.types, ...entry.node } : entry]);
const NODE_ONLY = ['./data', './training', './checkpoint', './pipeline', './kernels', './parallel'];

describe('public API', () => {
  it('the root exports exactly the pinned names (about 40, types included)', () => {
    expect(Object.keys(root).sort()).toEqual([...ROOT_VALUES].sort());
    const all = exportedNames(readFileSync(join(packageDir, 'src/index.ts'), 'utf8'));
    expect(all).toEqual([...ROOT_VALUES, ...ROOT_TYPES].sort());
    expect(all.length).toBeLessThanOrEqual(40);
  });

  it('keeps no internals or clashing names at the root', () => {
    for (const name of ['trainStep', 'resolveTrainSettings', 'dataFingerprint', 'writeDirAtomic', 'SeededRng', 'DecodingPool', 'threadedWasmThreads']) {
      expect(root).not.toHaveProperty(name);
    }
    const all = exportedNames(readFileSync(join(packageDir, 'src/index.ts'), 'utf8'));
    for (const name of ['StepEvent', 'RngState', 'TextEncoder']) expect(all).not.toContain(name);
  });

  it('lists every subpath with types first, then source and default, mirroring src in dist', () => {
    expect(subpaths.map(([key]) => key)).toEqual(
      expect.arrayContaining(['.', './model', './data', './training', './checkpoint', './pipeline', './kernels', './parallel', './defaults']),
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
      if (key === '.' || key === './browser' || key === './defaults') continue;
      for (const name of exportedNames(readFileSync(join(packageDir, entry.source), 'utf8'))) {
        if (name.endsWith('Error')) continue;
        expect(owner.get(name), `${name} in ${key} and ${owner.get(name)}`).toBeUndefined();
        owner.set(name, key);
      }
    }
  });
});
