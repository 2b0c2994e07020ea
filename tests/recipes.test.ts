import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

const RECIPE = join(dirname(fileURLToPath(import.meta.url)), '..', 'recipes', 'g2p-cmudict.yaml');

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('recipes'));
});
afterAll(() => cleanup());

describe('recipes/g2p-cmudict.yaml', () => {
  it('trains with --config, the command line overriding its data and size', async () => {
    const lexicon = Array.from({ length: 40 }, (_, i) => {
      const word = ['cat', 'tab', 'bat', 'act', 'tack'][i % 5]! + 'abc'[Math.floor(i / 5) % 3];
      return `${word}\t${[...word].map((c) => c.toUpperCase()).join(' ')}`;
    });
    const train = await writeLines(dir, 'lexicon.tsv', lexicon);
    const valid = await writeLines(dir, 'lexicon-dev.tsv', lexicon.slice(0, 5));
    const out = join(dir, 'g2p');
    const run = await seqloomInProcess([
      'train',
      '--config',
      RECIPE,
      '--data',
      train,
      '--valid',
      valid,
      '--out',
      out,
      '--hidden',
      '16',
      '--embedding',
      '8',
      '--max-steps',
      '3',
      '--warmup-steps',
      '1',
      '--backend',
      'wasm',
      '--log-json',
    ]);
    expect(run.code).toBe(0);
    const steps = jsonLines(run.stdout).filter((e) => e.event === 'step');
    expect(steps).toHaveLength(3);
    const config = JSON.parse(await readFile(join(out, 'last', 'config.json'), 'utf8'));
    expect(config.model).toMatchObject({ bidirectional: true, attention: 'general', inputFeeding: false, hiddenSize: 16, dropout: 0.25 });
    expect(config.training).toMatchObject({
      batchSize: 64,
      labelSmoothing: 0.1,
      evalEveryMinutes: 5,
      schedule: { type: 'cosine', warmupSteps: 1, minLearningRate: 0.00003, totalMinutes: 60 },
    });
    const runFile = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
    expect(runFile.options).toMatchObject({ data: train, valid, 'average-last': 4, 'source-tokenizer': 'char', 'target-tokenizer': 'word' });
  });
});
