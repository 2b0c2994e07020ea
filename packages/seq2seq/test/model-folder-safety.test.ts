import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenizerFromJson, trainCharTokenizer } from '@seqloom/tokenizer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uncontainedReason } from '../src/checkpoint/contained-name.js';
import { containedPath } from '../src/checkpoint/contained-path.js';
import { seq2seqWeightShapes } from '../src/checkpoint/index.js';
import { CheckpointError, generateTexts, loadTrainedModel, type ModelConfig, prepareTrainingData, Seq2SeqModel, saveCheckpoint, train } from '../src/index.js';
import { fitInput } from '../src/pipeline/input-limit.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-folder-safety-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function savedModel(name: string): Promise<string> {
  const tokenizer = tokenizerFromJson(await trainCharTokenizer(['abcdef']));
  const model = Seq2SeqModel.create({
    sourceVocabSize: tokenizer.vocabSize,
    targetVocabSize: tokenizer.vocabSize,
    hiddenSize: 8,
    embeddingSize: 4,
    padId: tokenizer.padId,
    bosId: tokenizer.bosId,
    eosId: tokenizer.eosId,
    sourcePadId: tokenizer.padId,
  });
  const dir = join(root, name);
  await saveCheckpoint(dir, { model, tokenizers: { target: tokenizer } });
  model.dispose();
  return dir;
}

async function editJson(path: string, change: (value: Record<string, any>) => void): Promise<void> {
  const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, any>;
  change(value);
  await writeFile(path, JSON.stringify(value));
}

describe('names in a model folder stay inside it', () => {
  it('refuses "..", absolute, drive-letter, empty and NUL names textually', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:\\x', 'c:x', '\\\\server\\share', 'a//b', './x', '', 'a\0b', 7, null]) {
      expect(uncontainedReason(bad), String(bad)).toBeDefined();
    }
    for (const good of ['weights.bin', 'sub/file.json', 'a..b.json']) expect(uncontainedReason(good)).toBeUndefined();
  });

  it('refuses a link leading out (also through a linked sub-folder) and accepts one that stays inside', async () => {
    const folder = join(root, 'links');
    await mkdir(join(folder, 'inner'), { recursive: true });
    await writeFile(join(root, 'outside.json'), '{}');
    await writeFile(join(folder, 'inner', 'real.json'), '{}');
    await symlink(join(root, 'outside.json'), join(folder, 'out.json'));
    await symlink(root, join(folder, 'up'));
    await symlink(join(folder, 'inner', 'real.json'), join(folder, 'in.json'));
    const declared = join(folder, 'config.json');
    await expect(containedPath(folder, 'out.json', 'files.tokenizer', declared)).rejects.toThrow(/files\.tokenizer is "out\.json", a link that leads out/);
    await expect(containedPath(folder, 'up/outside.json', 'files.tokenizer', declared)).rejects.toThrow(CheckpointError);
    await expect(containedPath(folder, 'in.json', 'files.tokenizer', declared)).resolves.toBe(join(folder, 'in.json'));
    await expect(containedPath(folder, 'missing.json', 'files.tokenizer', declared)).resolves.toBe(join(folder, 'missing.json'));
  });

  it('best/ of a training folder may not be a link out of it', async () => {
    const elsewhere = await savedModel('elsewhere');
    const runDir = join(root, 'run-with-link');
    await mkdir(runDir);
    await symlink(elsewhere, join(runDir, 'best'));
    await expect(loadTrainedModel(runDir)).rejects.toThrow(`${runDir}: best/ is "best", a link that leads out of the model folder`);
  });

  it('a weights path out of the folder is refused before the file is read', async () => {
    const dir = await savedModel('escape');
    await writeFile(join(root, 'secret.bin'), await readFile(join(dir, 'weights.bin')));
    await editJson(join(dir, 'weights.json'), (w) => (w.weightsManifest[0].paths = ['../secret.bin']));
    const error = await loadTrainedModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).file).toBe(join(dir, 'weights.json'));
    expect((error as Error).message).toMatch(/weightsManifest\[0\]\.paths\[0\] is "\.\.\/secret\.bin", which has a "\.\." segment/);
  });
});

describe('config.json shapes against weights.json', () => {
  const base = { sourceVocabSize: 11, targetVocabSize: 13, hiddenSize: 6, embeddingSize: 4 };
  const variants: Partial<ModelConfig>[] = [
    {},
    { cell: 'gru', layers: 2, bidirectional: true, attention: 'bahdanau' },
    { cell: 'rnn', attention: 'dot', inputFeeding: false },
    { tieEmbeddings: true, shareEmbeddings: true, sourceVocabSize: 13 },
    { task: 'lm', attention: 'none', sourceVocabSize: 13 },
  ];
  it.each(variants.map((v, i) => [i, v] as const))("the shapes worked out without allocating equal the built model's (variant %i)", (_i, variant) => {
    const config = { ...base, ...variant };
    const model = Seq2SeqModel.create(config);
    const built = new Map([...model.namedWeights()].map(([name, v]) => [name, v.shape]));
    model.dispose();
    const before = tf.memory().numTensors;
    expect(new Map(seq2seqWeightShapes(model.config))).toEqual(built);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a tampered hiddenSize fails naming both files, before the model is built', async () => {
    const dir = await savedModel('tampered');
    await editJson(join(dir, 'config.json'), (c) => (c.model.hiddenSize = 65536));
    const create = vi.spyOn(Seq2SeqModel, 'create');
    const error = await loadTrainedModel(dir).catch((e: unknown) => e);
    expect(create).not.toHaveBeenCalled();
    create.mockRestore();
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toBe(
      `${join(dir, 'config.json')}: model.hiddenSize is 65536, but no weight in ${join(dir, 'weights.json')} has a dimension above 32; ` +
        'config.json and weights.json come from different models (or one was edited)',
    );
  });

  it('a weights.json whose shapes do not fit its binary file is refused before the file is read', async () => {
    const dir = await savedModel('big-shape');
    await editJson(join(dir, 'weights.json'), (w) => (w.weightsManifest[0].weights[0].shape = [2 ** 20, 2 ** 20]));
    await expect(loadTrainedModel(dir)).rejects.toThrow(/weights\.bin: holds \d+ bytes but .*weights\.json describes 4398\d+/);
  });
});

describe('sequence lengths', () => {
  it('training drops pairs over the default limit (1024 tokens) and describes one; the checkpoint records the longest', async () => {
    const pairs = [
      { source: 'abc', target: 'cba' },
      { source: 'a'.repeat(1500), target: 'b' },
      { source: 'abcd', target: 'dcba' },
    ];
    const data = await prepareTrainingData({ data: { train: pairs } });
    expect(data.stats.droppedTooLong).toBe(1);
    expect(data.stats.lengthLimits).toEqual({ source: 1024, target: 1024 });
    expect(data.stats.droppedExample).toBe(`a source of 1500 tokens (limit 1024) starting "${'a'.repeat(40)}…"`);
    const t = data.targetTokenizer;
    const model = Seq2SeqModel.create({
      sourceVocabSize: t.vocabSize,
      targetVocabSize: t.vocabSize,
      hiddenSize: 8,
      embeddingSize: 4,
      padId: t.padId,
      bosId: t.bosId,
      eosId: t.eosId,
      sourcePadId: t.padId,
    });
    const outDir = join(root, 'lengths');
    const summary = await train({ model, train: data.train, maxSteps: 1, outDir, tokenizers: { target: t } });
    summary.model.dispose();
    const config = JSON.parse(await readFile(join(outDir, 'last', 'config.json'), 'utf8')) as { lengths: unknown };
    expect(config.lengths).toEqual({ source: 4, target: 4 });
    const warnings: string[] = [];
    const trained = await loadTrainedModel(outDir, { onWarning: (m) => warnings.push(m) });
    expect(trained.inputLimit).toBe(8);
    const [long] = await generateTexts(trained, ['abcdabcdabcd'], { maxNewTokens: 2 });
    trained.dispose();
    expect(long.ids.length).toBeLessThanOrEqual(2);
    expect(warnings).toEqual([
      'input "abcdabcdabcd" has 12 tokens, more than this model takes (8: twice the longest it was trained on); only its first 8 tokens are used',
    ]);
  });

  it('an lm prime keeps its end; a seq2seq source its start', () => {
    const ids = [1, 2, 3, 4, 5, 6];
    expect(fitInput(ids, 4, 'lm', 'prime', undefined)).toEqual([3, 4, 5, 6]);
    expect(fitInput(ids, 4, 'seq2seq', 'input', undefined)).toEqual([1, 2, 3, 4]);
    expect(fitInput(ids, 6, 'seq2seq', 'input', () => expect.fail('no warning'))).toBe(ids);
  });

  it('a damaged state.json is a warning for inference, an error otherwise', async () => {
    const dir = join(root, 'lengths', 'last');
    await writeFile(join(dir, 'state.json'), '{"step": 1, "rng": x}');
    const warnings: string[] = [];
    const trained = await loadTrainedModel(dir, { onWarning: (m) => warnings.push(m) });
    expect(trained.state).toBeUndefined();
    trained.dispose();
    expect(warnings[0]).toMatch(/state\.json: not valid JSON \(line 1, column 20: Unexpected token 'x'\); the file is corrupt/);
  });
});
