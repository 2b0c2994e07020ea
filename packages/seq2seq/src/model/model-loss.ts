import * as tf from '@tensorflow/tfjs';
import type { CellState } from '../cells/cell.js';
import { embeddingRows } from '../cells/embedding-rows.js';
import { selectRows } from '../cells/packed-layout.js';
import { foldsTokenGates, tokenGates } from '../cells/token-gates.js';
import type { KernelPass } from '../kernels/kernel-set.js';
import type { Batch, LossOptions, ModelConfig } from '../model-contract.js';
import { BatchShapeError, checkBatch, realLengths, realRows, sourceOf, toTimeMajor } from './batch-layout.js';
import { initialDecoderState } from './bridge.js';
import { type DecoderState, decodeTeacherForced, type TeacherInput } from './decoder.js';
import { Dropper, SeededRandom } from './dropout.js';
import { encode } from './encoder.js';
import { type LossTargets, maskedNll } from './masked-nll.js';
import { attentionMemory, type ModelInternals } from './model-internals.js';
import { outputKernel, outputLogits } from './output-layer.js';
import { decodeWithSampling } from './scheduled-sampling.js';

/**
 * Mean masked NLL over the batch's real target tokens, and the count of
 * argmax hits there (see `Seq2SeqModel.loss`). Differentiable unless
 * `options.differentiable` is false.
 */
export function modelLoss(model: ModelInternals, batch: Batch, options: LossOptions): { loss: tf.Scalar; correct: tf.Scalar } {
  const { config, params } = model;
  const isLm = config.task === 'lm';
  checkBatch(batch, config.sourceVocabSize, config.targetVocabSize, !isLm);
  const pass: KernelPass = { kernels: model.kernels, differentiable: options.differentiable ?? true };
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const random = new SeededRandom(seed ^ 0x5bd1e995);
  const drop = new Dropper(options.training, seed);
  const rows = batch.batchSize;
  const steps = batch.targetLength;
  const targetIn = toTimeMajor(batch.targetIn, rows, steps);
  const targets = { ids: toTimeMajor(batch.targetOut, rows, steps), mask: toTimeMajor(batch.targetMask, rows, steps), tokens: batch.tokens };
  const sampling = options.training ? (options.scheduledSampling ?? 0) : 0;
  return tf.tidy(() => {
    const encoded = isLm ? null : encode(params, config, sourceOf(batch), drop, pass);
    const memory = attentionMemory(model, encoded, batch.sourceLengths, batch.sourceLength);
    const initial = carriedInitialState(initialDecoderState(params, config, encoded, rows), options, config, rows);
    const kernel = outputKernel(params);
    let logits: tf.Tensor2D;
    let scored: LossTargets = targets;
    if (sampling > 0) {
      if (options.onFinalState) throw new BatchShapeError('Invalid loss options: onFinalState (carried state) cannot be combined with scheduled sampling.');
      const coins = Uint8Array.from({ length: rows * steps }, () => (random.next() < sampling ? 1 : 0));
      logits = decodeWithSampling(params, config, targetIn, coins, steps, rows, initial, memory, kernel, drop, pass);
    } else {
      const cell = params.decoder[0];
      const fold = !config.inputFeeding && foldsTokenGates(cell, config.targetVocabSize, steps * rows, drop.isIdentity(config.embeddingDropout));
      const table = params.targetEmbedding as tf.Tensor2D;
      const first: TeacherInput = fold
        ? {
            gates: (index) =>
              tokenGates(
                cell,
                table,
                index.map((i) => targetIn[i]!),
                pass,
              ),
          } // rows of [V, G·H]
        : { embedded: drop.apply(embeddingRows(table, targetIn, pass), config.embeddingDropout) }; // [T·B, E]
      const lengths = realLengths(targets.mask, rows, steps);
      const finals: CellState[] | undefined = options.onFinalState ? [] : undefined;
      const outputs = decodeTeacherForced(params, config, first, steps, rows, initial, memory, drop, pass, lengths, finals); // [T·B, H]
      if (finals) options.onFinalState!(finals);
      // only positions that carry loss reach the output layer (padding adds nothing to the loss)
      const real = realRows(targets.mask);
      const select = real.length > 0 && real.length < rows * steps;
      const kept = drop.apply(outputs, config.dropout); // [T·B, H]
      logits = outputLogits(params, select ? selectRows(kept, real) : kept, kernel, pass.differentiable); // [N, V]
      if (select) scored = { ids: real.map((i) => targets.ids[i]!), mask: Float32Array.from(real, (i) => targets.mask[i]!), tokens: targets.tokens };
    }
    return maskedNll(logits, scored, pass, options.labelSmoothing ?? 0, options.countCorrect ?? true);
  });
}

/** The decoder's initial state: `options.initialState` (checked: lm only, one [rows, H] tensor per cell state) or the default. */
function carriedInitialState(initial: DecoderState, options: LossOptions, config: ModelConfig, rows: number): DecoderState {
  const given = options.initialState;
  if (given === undefined) return initial;
  if (config.task !== 'lm')
    throw new BatchShapeError('Invalid loss options: initialState (a carried state) is for language models; a seq2seq decoder starts from the encoder.');
  if (given.length !== initial.layers.length) {
    throw new BatchShapeError(`Invalid loss options: initialState has ${given.length} layers; the decoder has ${initial.layers.length}.`);
  }
  given.forEach((layer, l) => {
    const expected = initial.layers[l];
    if (layer.length !== expected.length || layer.some((t) => t.shape[0] !== rows || t.shape[1] !== config.hiddenSize)) {
      const shapes = layer.map((t) => `[${t.shape.join(', ')}]`).join(', ');
      throw new BatchShapeError(
        `Invalid loss options: initialState layer ${l} holds ${shapes}; expected ${expected.length} × [${rows}, ${config.hiddenSize}] (batch rows × hidden size).`,
      );
    }
  });
  tf.dispose(initial.layers.flat());
  return { layers: given.map((layer) => [...layer]), feed: initial.feed };
}
