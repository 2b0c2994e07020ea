import { join } from 'node:path';
import { builtinDatasets } from '@seqloom/datasets';
import {
  evaluateTrainedModel,
  generateTexts,
  loadTrainedModel,
  prepareTrainingData,
  readEvaluationData,
  Seq2SeqModel,
  setBackend,
  streamText,
  train,
} from '@seqloom/seq2seq';
import { groupReferences } from '@seqloom/seq2seq/tooling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, tempFolder, writeLines } from './helpers/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('pipeline'));
  await setBackend('wasm');
});
afterAll(() => cleanup());

const pairs = reversePairs(200, 11).map((l) => {
  const [source, target] = l.split('\t');
  return { source, target };
});

describe('library pipeline: data → train → load → generate → evaluate', () => {
  it('seq2seq with separate tokenizers, streaming equal to batch generation', async () => {
    const data = await prepareTrainingData({ data: { train: pairs }, sourceTokenizer: 'char', targetTokenizer: 'word', validFraction: 0.1, seed: 3 });
    expect(data.sourceTokenizer).not.toBe(data.targetTokenizer);
    expect(data.valid.length).toBeGreaterThan(0);
    expect(data.train.every((e) => e.targetOut.at(-1) === data.targetTokenizer.eosId)).toBe(true);
    const out = join(dir, 'seq2seq');
    const summary = await train({
      createModel: (config) => Seq2SeqModel.create(config, { seed: 1 }),
      modelConfig: (await import('@seqloom/seq2seq')).validateModelConfig({
        hiddenSize: 16,
        embeddingSize: 8,
        sourceVocabSize: data.sourceTokenizer.vocabSize,
        targetVocabSize: data.targetTokenizer.vocabSize,
      }),
      train: data.train,
      valid: data.valid,
      outDir: out,
      maxSteps: 6,
      tokenizers: { target: data.targetTokenizer, source: data.sourceTokenizer },
      generation: { strategy: 'beam', beamWidth: 3, maxNewTokens: 4 },
    });
    summary.model.dispose();
    const trained = await loadTrainedModel(out);
    try {
      expect(trained.sourceTokenizer.vocabSize).toBe(data.sourceTokenizer.vocabSize);
      const batch = await generateTexts(trained, ['abc', 'hgfe'], { strategy: 'greedy' });
      for (const [i, input] of ['abc', 'hgfe'].entries()) {
        let streamed = '';
        for await (const e of streamText(trained, input, { strategy: 'greedy' })) {
          if (e.type === 'text') streamed += e.text;
          else expect(e.generation.text).toBe(batch[i].text);
        }
        expect(streamed.trim()).toBe(batch[i].text.trim());
      }
      // generation.json defaults apply (beam, 3 wide) unless overridden
      const defaults = await generateTexts(trained, ['abc'], { numReturn: 3 });
      expect(defaults[0].nBest).toHaveLength(3);
      const report = await evaluateTrainedModel(
        trained,
        { task: 'seq2seq', examples: groupReferences(pairs.slice(0, 10)) },
        { decoding: { strategy: 'greedy' } },
      );
      expect(report.examples).toBe(10);
      expect(report.scores!.exactMatch.total).toBe(10);
      expect(report.perplexity).toBeCloseTo(Math.exp(report.loss), 6);
      expect(report.outputs![0].source).toBe(pairs[0].source);
      expect(report.g2p).toBeUndefined();
      const examples = groupReferences(pairs.slice(0, 10));
      const g2p = await evaluateTrainedModel(trained, { task: 'seq2seq', examples }, { decoding: { strategy: 'beam', beamWidth: 3 }, g2p: true });
      expect(g2p.g2p!.words).toBe(10);
      expect(g2p.g2p!.correct).toEqual(g2p.outputs!.map((o) => o.correct));
      expect(g2p.g2p!.oracle!.nBest).toBe(3);
      expect(g2p.g2p!.oracle!.wordErrors).toBeLessThanOrEqual(g2p.g2p!.wordErrors);
      const greedy = await evaluateTrainedModel(trained, { task: 'seq2seq', examples }, { decoding: { strategy: 'greedy' }, g2p: true });
      expect(greedy.g2p!.oracle).toBeUndefined();
    } finally {
      trained.dispose();
    }
  });

  it('lm on a text file: the continuation follows the prime', async () => {
    const text = await writeLines(
      dir,
      'text.txt',
      Array.from({ length: 30 }, () => 'the cat sat on the mat.'),
    );
    const data = await prepareTrainingData({ data: text, window: 16 });
    expect(data.task).toBe('lm');
    const out = join(dir, 'lm');
    const summary = await train({
      createModel: (config) => Seq2SeqModel.create(config, { seed: 1 }),
      modelConfig: (await import('@seqloom/seq2seq')).validateModelConfig({
        task: 'lm',
        hiddenSize: 16,
        embeddingSize: 8,
        targetVocabSize: data.targetTokenizer.vocabSize,
      }),
      train: data.train,
      valid: data.valid,
      outDir: out,
      maxSteps: 3,
      tokenizers: { target: data.targetTokenizer },
    });
    summary.model.dispose();
    const trained = await loadTrainedModel(out);
    try {
      const [g] = await generateTexts(trained, ['the c'], { maxNewTokens: 5 });
      expect(g.text.startsWith('the c')).toBe(true);
      expect(g.ids.length).toBeLessThanOrEqual(5);
      const lm = await evaluateTrainedModel(trained, { task: 'lm', text: 'the cat sat on the mat.' }, { window: 8 });
      expect(lm.task).toBe('lm');
      expect(lm.scores).toBeUndefined();
    } finally {
      trained.dispose();
    }
  });

  it('cmudict:g2p-seq2seq trains on its train part, validates on dev and evaluates on test', async () => {
    const data = await prepareTrainingData({ data: 'cmudict:g2p-seq2seq', datasets: builtinDatasets });
    expect([data.stats.trainExamples, data.stats.validExamples]).toEqual([112_469, 6_609]);
    // Letters in, one token per phoneme out (4 special tokens on each side).
    expect(data.sourceTokenizer.vocabSize).toBe(27 + 4);
    expect(data.targetTokenizer.vocabSize).toBe(39 + 4);
    const test = await readEvaluationData('cmudict:g2p-seq2seq', { task: 'seq2seq', datasets: builtinDatasets });
    if (test.task !== 'seq2seq') throw new Error('expected pairs');
    expect(test.examples).toHaveLength(12_388);
    const dev = await readEvaluationData('cmudict:g2p-seq2seq', { task: 'seq2seq', split: 'valid', datasets: builtinDatasets });
    if (dev.task !== 'seq2seq') throw new Error('expected pairs');
    expect(dev.examples[0]).toEqual({ source: 'a', targets: ['AH', 'EY'] });
    const devWords = new Set(dev.examples.map((e) => e.source));
    expect(test.examples.some((e) => devWords.has(e.source))).toBe(false);
  });

  it('rejects a task that does not fit a built-in dataset', async () => {
    await expect(prepareTrainingData({ data: 'moby-dick', datasets: builtinDatasets, task: 'seq2seq' })).rejects.toThrow(
      'built-in dataset "moby-dick" is for task lm; drop --task seq2seq or choose another dataset',
    );
  });
});
