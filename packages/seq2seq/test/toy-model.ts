import * as tf from '@tensorflow/tfjs';
import type { Batch, LossOptions, ModelConfig, TrainableModel } from '../src/model-contract.js';

/** A model config for the toy model (only the vocabulary/ids/sizes matter to it). */
export function toyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    task: 'seq2seq',
    cell: 'lstm',
    layers: 1,
    hiddenSize: 16,
    embeddingSize: 16,
    bidirectional: false,
    attention: 'none',
    inputFeeding: false,
    dropout: 0.1,
    embeddingDropout: 0,
    tieEmbeddings: false,
    shareEmbeddings: false,
    sourceVocabSize: 12,
    targetVocabSize: 12,
    padId: 0,
    bosId: 1,
    eosId: 2,
    sourcePadId: 0,
    ...overrides,
  };
}

/**
 * A tiny trainable model for testing the training loop: a bag of source
 * embeddings plus the embedding of the previous target token → tanh →
 * dropout → softmax. Lookups are one-hot matMuls so it runs on any backend.
 */
export class ToyModel implements TrainableModel {
  readonly config: ModelConfig;
  readonly frozen: Set<string>;
  private readonly weights = new Map<string, tf.Variable>();

  constructor(config: ModelConfig, options: { seed?: number; frozen?: string[] } = {}) {
    this.config = config;
    this.frozen = new Set(options.frozen ?? []);
    const seed = options.seed ?? 1;
    const { sourceVocabSize: vs, targetVocabSize: vt, embeddingSize: e } = config;
    const init = (name: string, shape: number[], offset: number): void => {
      this.weights.set(
        name,
        tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, 0.3, 'float32', seed + offset), true)),
      );
    };
    init('source/embedding', [vs, e], 0);
    init('target/embedding', [vt, e], 1);
    init('output/kernel', [e, vt], 2);
    init('output/bias', [vt], 3);
  }

  namedWeights(): Map<string, tf.Variable> {
    return new Map(this.weights);
  }

  loss(batch: Batch, options: LossOptions): { loss: tf.Scalar; correct: tf.Scalar } {
    const w = (name: string) => this.weights.get(name)!;
    const { batchSize: b, sourceLength: s, targetLength: t } = batch;
    const { sourceVocabSize: vs, targetVocabSize: vt, sourcePadId } = this.config;
    const sourceIds = tf.tensor2d(batch.source, [b, s], 'int32');
    const sourceMask = tf.cast(tf.notEqual(sourceIds, sourcePadId), 'float32'); // [B, S]
    const sourceOneHot = tf.mul(tf.oneHot(sourceIds, vs), tf.expandDims(sourceMask, 2)); // [B, S, Vs]
    const bag = tf.matMul(tf.sum(sourceOneHot, 1), w('source/embedding')); // [B, E]
    const inIds = tf.tensor2d(batch.targetIn, [b, t], 'int32');
    const inOneHot = tf.reshape(tf.oneHot(inIds, vt), [b * t, vt]);
    const prev = tf.reshape(tf.matMul(inOneHot, w('target/embedding')), [b, t, -1]); // [B, T, E]
    let hidden = tf.tanh(tf.add(prev, tf.expandDims(bag, 1))); // [B, T, E]
    if (options.training && this.config.dropout > 0) {
      hidden = tf.dropout(hidden, this.config.dropout, undefined, options.seed);
    }
    const logits = tf.add(tf.matMul(tf.reshape(hidden, [b * t, -1]), w('output/kernel')), w('output/bias')); // [B*T, V]
    const logProbs = tf.logSoftmax(logits);
    const gold = tf.oneHot(tf.tensor1d(batch.targetOut, 'int32'), vt); // [B*T, V]
    const smoothing = options.labelSmoothing ?? 0;
    const targetDist = smoothing > 0 ? tf.add(tf.mul(gold, 1 - smoothing), smoothing / vt) : gold;
    const nll = tf.neg(tf.sum(tf.mul(targetDist, logProbs), 1)); // [B*T]
    const mask = tf.tensor1d(batch.targetMask);
    const loss = tf.div(tf.sum(tf.mul(nll, mask)), Math.max(1, batch.tokens)) as tf.Scalar;
    const hits = tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(batch.targetOut, 'int32')), 'float32');
    const correct = tf.sum(tf.mul(hits, mask)) as tf.Scalar;
    return { loss, correct };
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
  }
}

/** Reverse-copy toy data: source ids → reversed ids (ids 3..vocab-1). */
export function reverseExamples(count: number, seed: number, vocab = 12) {
  let x = seed >>> 0;
  const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () => {
    const len = 2 + Math.floor(next() * 5);
    const source = Array.from({ length: len }, () => 3 + Math.floor(next() * (vocab - 3)));
    const target = [...source].reverse();
    return { source, targetIn: [1, ...target], targetOut: [...target, 2] };
  });
}
