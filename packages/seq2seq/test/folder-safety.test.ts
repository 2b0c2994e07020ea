// Output folders and model folders under hostile conditions: the lock two runs
// contend for, a full disk during a write, duplicate vocabulary ids and
// generation.json values beyond what the model can use.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGenerationBounds } from '../src/checkpoint/generation-options.js';
import { checkNotLocked, FolderLockedError, lockFileOf, lockFolder, sharedVocabularyId, writeDirAtomic } from '../src/checkpoint/index.js';
import { type ModelConfig, Seq2SeqModel, validateModelConfig } from '../src/index.js';
import { estimateTrainingMemory, outputTokenLimit } from '../src/pipeline/index.js';
import { cutText, inputCharacterBudget } from '../src/pipeline/input-limit.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-folders-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('lockFolder', () => {
  it("one holder at a time: a second lock names the holder's PID; released, it can be taken again", () => {
    const dir = join(root, 'run');
    const lock = lockFolder(dir, 'seqloom train --out run');
    expect(existsSync(lockFileOf(dir))).toBe(true);
    const second = (() => {
      try {
        lockFolder(dir, 'seqloom train --out run');
      } catch (error) {
        return error;
      }
    })();
    expect(second).toBeInstanceOf(FolderLockedError);
    expect((second as Error).message).toContain(`in use by another run: seqloom train --out run (pid ${process.pid}`);
    expect(() => checkNotLocked(dir)).not.toThrow(); // this process's own lock
    lock.release();
    lock.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);
    lockFolder(dir, 'again').release();
  });

  it('takes over a lock whose process is gone (or not a lock record), saying whose it was', async () => {
    const dir = join(root, 'stale');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(lockFileOf(dir), JSON.stringify({ pid: gone, host: hostname(), command: 'seqloom train --out stale', started: 'then', token: 't' }));
    const lock = lockFolder(dir, 'seqloom train --resume stale');
    expect(lock.tookOver).toMatchObject({ pid: gone, command: 'seqloom train --out stale' });
    lock.release();
    await writeFile(lockFileOf(dir), 'not json');
    const again = lockFolder(dir, 'x');
    expect(again.tookOver).toBeUndefined();
    again.release();
  });

  it('a live PID whose process started at another time (a reused PID) is not the holder', async () => {
    const dir = join(root, 'reused');
    await writeFile(
      lockFileOf(dir),
      JSON.stringify({ pid: process.pid, host: hostname(), command: 'old run', started: 'then', processStart: '1', token: 't' }),
    );
    const lock = lockFolder(dir, 'new run');
    if (existsSync(`/proc/${process.pid}/stat`)) expect(lock.tookOver).toMatchObject({ command: 'old run' });
    lock.release();
  });

  it('removes the parent folders it created when the folder itself never came to be', () => {
    const dir = join(root, 'a', 'b', 'c');
    lockFolder(dir, 'x').release();
    expect(existsSync(join(root, 'a'))).toBe(false);
  });
});

describe('writeDirAtomic on a full disk', () => {
  it('names the folder and the cause, and leaves the previous folder as it was', async () => {
    const target = join(root, 'ckpt');
    await writeDirAtomic(target, (temp) => writeFile(join(temp, 'weights.bin'), 'old'));
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const failed = writeDirAtomic(target, async () => {
      throw full;
    });
    await expect(failed).rejects.toThrow(
      `${target}: could not be written: the disk is full (ENOSPC: no space left on the device); the previous one there is kept`,
    );
    expect(await readFile(join(target, 'weights.bin'), 'utf8')).toBe('old');
  });
});

describe('what a model folder may ask for', () => {
  it('a vocabulary that gives one id to two tokens is found (an added token repeating its entry is fine)', () => {
    expect(sharedVocabularyId({ model: { vocab: { '<pad>': 0, cat: 5, dog: 5 } } })).toEqual({ id: 5, first: 'cat', second: 'dog', field: 'model.vocab' });
    expect(sharedVocabularyId({ model: { vocab: { '<pad>': 0, cat: 5 } }, added_tokens: [{ id: 0, content: '<pad>' }] })).toBeUndefined();
    expect(
      sharedVocabularyId({
        model: {
          vocab: [
            ['a', 0],
            ['b', 0],
          ],
        },
        added_tokens: [
          { id: 1, content: 'x' },
          { id: 1, content: 'y' },
        ],
      }),
    ).toMatchObject({ id: 1, field: 'added_tokens' });
  });

  it('generation.json: beam and n-best within the vocabulary, new tokens within twice the training length (at least 256)', () => {
    const fail = (message: string) => new Error(message);
    const limits = { vocabSize: 40, lengths: { source: 10, target: 300 } };
    expect(outputTokenLimit(limits.lengths)).toBe(600);
    expect(outputTokenLimit({ source: 3, target: 5 })).toBe(256);
    expect(outputTokenLimit(undefined)).toBe(2048);
    expect(() => checkGenerationBounds({ strategy: 'beam', beamWidth: 40, maxNewTokens: 600 }, limits, fail)).not.toThrow();
    expect(() => checkGenerationBounds({ strategy: 'beam', beamWidth: 1e9 }, limits, fail)).toThrow(
      /"beamWidth" is 1000000000, more than this model allows: at most the vocabulary size \(40 tokens\)/,
    );
    expect(() => checkGenerationBounds({ maxNewTokens: 601 }, limits, fail)).toThrow(/"maxNewTokens" is 601, .* at most 600 tokens/);
    expect(() => checkGenerationBounds({ minNewTokens: 1e9 }, limits, fail)).toThrow(/"minNewTokens"/);
    expect(() => checkGenerationBounds({ numReturn: 41 }, limits, fail)).toThrow(/"numReturn"/);
  });
});

describe('inputs are cut before they are tokenised', () => {
  it('the budget is generous (64 Ki characters at least) and cutting keeps the start (seq2seq) or the end (lm), never half a surrogate pair', () => {
    expect(inputCharacterBudget(12, 5)).toBe(65_536);
    expect(inputCharacterBudget(4096, 20)).toBe(2 * 4096 * 20);
    expect(inputCharacterBudget(Infinity, 5)).toBe(Infinity);
    expect(cutText('abcdef', 10, 'seq2seq')).toBe('abcdef');
    expect(cutText('abcdef', 3, 'seq2seq')).toBe('abc');
    expect(cutText('abcdef', 3, 'lm')).toBe('def');
    expect(cutText('ab😀cd', 3, 'seq2seq')).toBe('ab');
    expect(cutText('ab😀cd', 3, 'lm')).toBe('cd');
  });
});

describe('estimateTrainingMemory', () => {
  it('counts exactly the parameters the model allocates, and the optimizer state Adam, RMSProp and SGD keep', () => {
    const config: ModelConfig = validateModelConfig({
      task: 'seq2seq',
      hiddenSize: 24,
      embeddingSize: 8,
      layers: 2,
      bidirectional: true,
      attention: 'general',
      sourceVocabSize: 30,
      targetVocabSize: 20,
      padId: 0,
      bosId: 1,
      eosId: 2,
      sourcePadId: 0,
    });
    const model = Seq2SeqModel.create(config);
    let allocated = 0;
    for (const w of model.namedWeights().values()) allocated += w.size;
    model.dispose();
    const adam = estimateTrainingMemory(config, { type: 'adam' });
    expect(adam.parameters).toBe(allocated);
    expect(adam.stateBytes).toBe(4 * allocated * 4); // weights, gradients, m, v
    expect(estimateTrainingMemory(config, { type: 'sgd' }).stateBytes).toBe(4 * allocated * 2);
    expect(estimateTrainingMemory(config, { type: 'rmsprop', momentum: 0.9 }).stateBytes).toBe(4 * allocated * 4);
    expect(estimateTrainingMemory(config, { type: 'adam' }, 3).stateBytes).toBe(4 * allocated * 8);
    expect(adam.bytes).toBeGreaterThan(adam.stateBytes);
  });
});
