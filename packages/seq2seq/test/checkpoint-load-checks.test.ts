import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenizerFromJson, trainCharTokenizer } from '@seqloom/tokenizer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, loadCheckpoint, loadTrainedModel, Seq2SeqModel, saveCheckpoint } from '../src/index.js';
import { loadCheckpointTokenizers } from '../src/pipeline/index.js';
import { ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-load-checks-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const createModel = (c: ReturnType<typeof toyConfig>) => new ToyModel(c, { seed: 1 });

async function savedToy(name: string): Promise<string> {
  const model = new ToyModel(toyConfig());
  const dir = join(root, name);
  await saveCheckpoint(dir, { model });
  model.dispose();
  return dir;
}

describe('loading a checkpoint checks what it reads', () => {
  it('reports an invalid generation.json against that file', async () => {
    const dir = await savedToy('bad-generation');
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ strategy: 'bogus' }));
    const error = await loadCheckpoint(dir, { createModel }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).file).toBe(join(dir, 'generation.json'));
    expect((error as Error).message).toMatch(/strategy/);
  });

  it('reports a model config the model rejects against config.json', async () => {
    const dir = await savedToy('bad-config');
    const failing = () => {
      throw new Error('Invalid model option "hiddenSize": got -1');
    };
    const error = await loadCheckpoint(dir, { createModel: failing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toBe(`${join(dir, 'config.json')}: Invalid model option "hiddenSize": got -1`);
  });

  it('loads a model whose tokenizer has non-default special tokens', async () => {
    const specialTokens = { pad: '[PAD]', bos: '[BOS]', eos: '[EOS]', unk: '[UNK]' };
    const tokenizer = tokenizerFromJson(await trainCharTokenizer(['abcd'], { specialTokens }), {}, { specialTokens });
    const model = Seq2SeqModel.create(
      {
        sourceVocabSize: tokenizer.vocabSize,
        targetVocabSize: tokenizer.vocabSize,
        hiddenSize: 8,
        embeddingSize: 4,
        padId: tokenizer.padId,
        bosId: tokenizer.bosId,
        eosId: tokenizer.eosId,
        sourcePadId: tokenizer.padId,
      },
      { seed: 1 },
    );
    const dir = join(root, 'custom-specials');
    await saveCheckpoint(dir, { model, tokenizers: { target: tokenizer } });
    model.dispose();
    expect(JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8'))).toBeTruthy();
    const loaded = await loadTrainedModel(dir);
    expect([loaded.targetTokenizer.vocabSize, loaded.targetTokenizer.bosId, loaded.targetTokenizer.eosId]).toEqual([
      tokenizer.vocabSize,
      tokenizer.bosId,
      tokenizer.eosId,
    ]);
    expect(loaded.targetTokenizer.idToToken(loaded.targetTokenizer.eosId)).toBe('[EOS]');
    loaded.model.dispose();
    // the tokenizers alone, with the weights file gone: nothing but tokenizer files is read
    await rm(join(dir, 'weights.bin'));
    const { sourceTokenizer, targetTokenizer } = await loadCheckpointTokenizers(dir);
    expect(targetTokenizer.encode('abca')).toEqual(tokenizer.encode('abca'));
    expect(sourceTokenizer).toBe(targetTokenizer);
    expect(targetTokenizer.idToToken(targetTokenizer.eosId)).toBe('[EOS]');
  });

  it('loadCheckpointTokenizers names a checkpoint without a tokenizer', async () => {
    const dir = await savedToy('no-tokenizer');
    await expect(loadCheckpointTokenizers(dir)).rejects.toThrow(`${dir}/tokenizer.json: missing; this checkpoint has no tokenizer`);
  });
});
