import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tokenizer, tokenizerFromJson, trainCharTokenizer } from '@seqloom/tokenizer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, loadCheckpoint, saveCheckpoint, TrainingError, train } from '../src/index.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
let tokenizer: Tokenizer;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-safety-'));
  tokenizer = tokenizerFromJson(await trainCharTokenizer(['abcdefgh'])); // 12 ids, pad 0, bos 1, eos 2
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const createModel = (c: ReturnType<typeof toyConfig>) => new ToyModel(c, { seed: 1 });
const examples = reverseExamples(16, 5);

describe('tokenizer configs and generation options in checkpoints', () => {
  it('writes tokenizer_config.json beside tokenizer.json for a Tokenizer and loads it back', async () => {
    const model = new ToyModel(toyConfig());
    const dir = join(root, 'tok');
    await saveCheckpoint(dir, { model, tokenizers: { target: tokenizer, source: tokenizerFromJson(tokenizer.toJSON()) } });
    expect((await readdir(dir)).sort()).toEqual([
      'config.json',
      'generation.json',
      'source-tokenizer.json',
      'source-tokenizer_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'weights.bin',
      'weights.json',
    ]);
    const loaded = await loadCheckpoint(dir, { createModel });
    expect(loaded.tokenizerConfigs.target).toEqual(tokenizer.toConfig());
    expect(loaded.tokenizerConfigs.source).toEqual(tokenizer.toConfig());
    const rebuilt = tokenizerFromJson(loaded.tokenizers.target as object, loaded.tokenizerConfigs.target);
    expect([rebuilt.padId, rebuilt.bosId, rebuilt.eosId, rebuilt.vocabSize]).toEqual([0, 1, 2, 12]);
    model.dispose();
    loaded.model.dispose();
  });

  it('refuses at train start a tokenizer whose special ids or size disagree with the model config', async () => {
    for (const [override, message] of [
      [{ eosId: 3 }, /target tokenizer has eosId 2 but the model config has eosId 3/],
      [{ targetVocabSize: 13 }, /target tokenizer has vocabSize 12 but the model config has targetVocabSize 13/],
      [{ sourcePadId: 5 }, /source tokenizer has padId 0 but the model config has sourcePadId 5/],
    ] as const) {
      const model = new ToyModel(toyConfig(override));
      await expect(train({ model, train: examples, maxSteps: 1, tokenizers: { target: tokenizer } })).rejects.toThrow(message);
      model.dispose();
    }
  });

  it('validates generation options when training starts and when saving, naming the option', async () => {
    const model = new ToyModel(toyConfig());
    const error = await train({ model, train: examples, maxSteps: 1, generation: { strategy: 'beam', beamSize: 4 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as Error).message).toMatch(/generation options \(generation\.json\) are invalid: .*beamSize/);
    const dir = join(root, 'gen');
    const saveError = await saveCheckpoint(dir, { model, generation: { suppressTokens: [12] } }).catch((e: unknown) => e);
    expect(saveError).toBeInstanceOf(CheckpointError);
    expect((saveError as CheckpointError).file).toBe(join(dir, 'generation.json'));
    expect((saveError as Error).message).toMatch(/suppressTokens/);
    expect((saveError as Error).message).toMatch(/\b11\b/);
    await saveCheckpoint(dir, { model, generation: { strategy: 'beam', beamWidth: 4 } });
    model.dispose();
  });
});

describe('checkpoint folders', () => {
  it('never replaces a non-empty folder that is not a checkpoint', async () => {
    const dir = join(root, 'user-data');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'precious');
    const model = new ToyModel(toyConfig());
    const error = await saveCheckpoint(dir, { model }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(/user-data: is not empty and holds no seqloom checkpoint/);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('precious');
    const empty = join(root, 'empty');
    await mkdir(empty);
    await saveCheckpoint(empty, { model });
    await saveCheckpoint(empty, { model }); // a checkpoint may be replaced
    expect(await readdir(empty)).toContain('config.json');
    model.dispose();
  });

  it('loads and resumes a checkpoint whose writer crashed between its two renames', async () => {
    const outDir = join(root, 'crash');
    const first = await train({ model: new ToyModel(toyConfig(), { seed: 2 }), train: examples, batchSize: 4, maxSteps: 2, outDir });
    first.model.dispose();
    // The crash: last/ renamed away by a process that no longer runs, the new folder never renamed in.
    await rename(join(outDir, 'last'), join(outDir, '.last.old-999999999-ab'));
    const loaded = await loadCheckpoint(outDir, { createModel, prefer: 'last' });
    expect(loaded.dir).toBe(join(outDir, 'last'));
    expect(loaded.state?.step).toBe(2);
    loaded.model.dispose();
    await rename(join(outDir, 'last'), join(outDir, '.last.old-999999999-cd'));
    const resumed = await train({ createModel, train: examples, batchSize: 4, maxSteps: 3, outDir, resumeFrom: outDir });
    expect(resumed.steps).toBe(3);
    expect((await readdir(outDir)).filter((name) => name.startsWith('.'))).toEqual([]);
    resumed.model.dispose();
  });
});
