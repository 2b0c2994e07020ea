import * as tf from '@tensorflow/tfjs';
import { typedTidy } from '../model/typed-tidy.js';
import type { StepModel } from '@seqloom/decode';
import { projectInputs } from '../cells/cell.js';
import { runLayer } from '../cells/run-layer.js';
import { padSources } from '../model/batch-layout.js';
import { initialDecoderState } from '../model/bridge.js';
import { type DecoderState, decoderStep, decoderStepFromGates } from '../model/decoder.js';
import { Dropper } from '../model/dropout.js';
import { encode } from '../model/encoder.js';
import { type ModelInternals, attentionMemory } from '../model/model-internals.js';
import { outputKernel, outputLogits } from '../model/output-layer.js';
import type { KernelPass } from '../kernels/kernel-set.js';
import { canStepFromParents, lstmStepFromParents } from './shared-parent-step.js';
import { type StepState, disposeRows, gatherMemory, reorderedDecoder } from './step-state.js';

export type { StepState } from './step-state.js';

/** A call to the step model broke its contract; the message says which argument and why. */
export class StepModelUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepModelUsageError';
  }
}

const NO_DROPOUT = new Dropper(false, 0);

/** Decoding never takes gradients: every step runs the model's forward kernels. */
function inference(model: ModelInternals): KernelPass {
  return { kernels: model.kernels, differentiable: false };
}

function checkIds(where: string, ids: ArrayLike<number>, vocab: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new StepModelUsageError(`${where}: token id ${id} at position ${i} is outside the vocabulary [0, ${vocab}).`);
    }
  }
}

function checkLive(state: StepState, call: string): void {
  if (state.consumed) throw new StepModelUsageError(`${call}: this state was already consumed by step/reorder/dispose; pass the state they returned.`);
}

/**
 * lm: runs [bos, prime₀ … prime₍ₙ₋₂₎] through the decoder (rows masked at
 * their own lengths) and leaves each row's last token (bos for an empty
 * prime) pending for the first step.
 */
function primeLanguageModel(model: ModelInternals, primes: readonly (readonly number[])[]): { decoder: DecoderState; pending: Int32Array } {
  const { config, params } = model;
  const rows = primes.length;
  const pending = Int32Array.from(primes, (p) => (p.length === 0 ? config.bosId : p[p.length - 1]));
  const consumed = primes.map((p) => (p.length === 0 ? [] : [config.bosId, ...p.slice(0, -1)]));
  const decoder = typedTidy((): DecoderState => {
    const initial = initialDecoderState(params, config, null, rows);
    if (consumed.every((c) => c.length === 0)) return initial;
    const batch = padSources(consumed, config.padId);
    let x = tf.gather(params.targetEmbedding, tf.tensor1d(batch.ids, 'int32')) as tf.Tensor2D; // [P·B, E]
    const layers = params.decoder.map((cell, l) => {
      const run = runLayer(cell, x, batch.steps, rows, inference(model), { initial: initial.layers[l], lengths: batch.lengths });
      x = tf.reshape(run.outputs, [batch.steps * rows, config.hiddenSize]) as tf.Tensor2D;
      return run.final;
    });
    return { layers, feed: initial.feed };
  });
  return { decoder, pending };
}

/**
 * The [V, G·H] table of layer 0's input gates when it costs less than a few
 * steps of per-row projection (V ≤ 4·rows) and the input is the embedding
 * alone (no input feeding); else null.
 */
function inputTable(model: ModelInternals, rows: number): tf.Tensor2D | null {
  const { config, params } = model;
  if (config.inputFeeding || config.targetVocabSize > 4 * rows) return null;
  return tf.tidy(() => projectInputs(params.decoder[0], params.targetEmbedding as tf.Tensor2D)); // [V, G·H]
}

async function start(model: ModelInternals, sources: readonly (readonly number[])[]): Promise<StepState> {
  const { config, params } = model;
  if (sources.length === 0) throw new StepModelUsageError('start(sources): expected at least one source row, got none.');
  const owns = params.outputKernel === undefined;
  if (config.task === 'lm') {
    sources.forEach((p, i) => checkIds(`start(sources): prime ${i}`, p, config.targetVocabSize));
    const { decoder, pending } = primeLanguageModel(model, sources);
    return { rows: sources.length, decoder, memory: null, pending, kernel: tf.tidy(() => outputKernel(params)), ownsKernel: owns, inputTable: inputTable(model, sources.length), parents: null, consumed: false };
  }
  sources.forEach((s, i) => {
    if (s.length === 0) throw new StepModelUsageError(`start(sources): source ${i} is empty; a seq2seq model needs at least one source token per row.`);
    checkIds(`start(sources): source ${i}`, s, config.sourceVocabSize);
  });
  const batch = padSources(sources, config.sourcePadId);
  const { decoder, memory } = typedTidy(() => {
    const encoded = encode(params, config, batch, NO_DROPOUT, inference(model));
    return { decoder: initialDecoderState(params, config, encoded, batch.rows), memory: attentionMemory(model, encoded, batch.lengths, batch.steps) };
  });
  return { rows: batch.rows, decoder, memory, pending: null, kernel: tf.tidy(() => outputKernel(params)), ownsKernel: owns, inputTable: inputTable(model, batch.rows), parents: null, consumed: false };
}

async function step(model: ModelInternals, state: StepState, previous: Int32Array) {
  checkLive(state, 'step');
  if (previous.length !== state.rows) {
    throw new StepModelUsageError(`step(state, previous): previous has ${previous.length} ids but the state has ${state.rows} rows.`);
  }
  const { config, params } = model;
  const pass = inference(model);
  const ids = state.pending ?? previous;
  checkIds('step(state, previous)', ids, config.targetVocabSize);
  const { packed, decoder } = typedTidy(() => {
    const index = tf.tensor1d(ids, 'int32');
    const table = state.inputTable;
    const embedded = () => tf.gather(params.targetEmbedding, index) as tf.Tensor2D; // [B, E]
    let result;
    if (canStepFromParents(params, state.memory !== null, state.decoder.feed !== null)) {
      const gates0 = table === null ? projectInputs(params.decoder[0], embedded()) : (tf.gather(table, index) as tf.Tensor2D); // [B, 4H]
      result = lstmStepFromParents(model.kernels, params, gates0, state.decoder, state.parents);
    } else {
      const previous = reorderedDecoder(state.decoder, state.parents);
      result =
        table === null
          ? decoderStep(params, config, embedded(), previous, state.memory, NO_DROPOUT, pass)
          : decoderStepFromGates(params, config, tf.gather(table, index) as tf.Tensor2D, previous, state.memory, NO_DROPOUT, pass); // gates [B, G·H]
    }
    const logits = outputLogits(params, result.output, state.kernel, false); // [B, V]
    const packed = result.weights === undefined ? logits : tf.concat([logits, result.weights], 1); // [B, V + S]
    return { packed, decoder: result.state };
  });
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  disposeRows({ decoder: state.decoder, memory: null });
  state.consumed = true;
  const vocab = config.targetVocabSize;
  const width = packed.shape[1];
  const next: StepState = { ...state, decoder, pending: null, parents: null, consumed: false };
  if (width === vocab) return { logits: values, state: next };
  const sourceLength = width - vocab;
  const logits = new Float32Array(state.rows * vocab);
  const attention = new Float32Array(state.rows * sourceLength);
  for (let r = 0; r < state.rows; r++) {
    logits.set(values.subarray(r * width, r * width + vocab), r * vocab);
    attention.set(values.subarray(r * width + vocab, (r + 1) * width), r * sourceLength);
  }
  return { logits, attention, state: next };
}

function reorder(state: StepState, rows: Int32Array): StepState {
  checkLive(state, 'reorder');
  const bad = rows.findIndex((r) => !Number.isInteger(r) || r < 0 || r >= state.rows);
  if (bad >= 0) throw new StepModelUsageError(`reorder(state, rows): rows[${bad}] = ${rows[bad]} is not a row of the state (0 to ${state.rows - 1}).`);
  if (rows.length === 0) throw new StepModelUsageError('reorder(state, rows): rows is empty; dispose the state instead.');
  // the decoder rows are picked lazily by the next step; the attention memory now
  const parents = state.parents === null ? rows.slice() : Int32Array.from(rows, (r) => (state.parents as Int32Array)[r]);
  const old = state.memory;
  const memory = old === null ? null : gatherMemory(old, rows);
  if (old !== null) tf.dispose([old.memory, old.keys, old.maskBias]);
  state.consumed = true;
  const pending = state.pending === null ? null : Int32Array.from(rows, (r) => (state.pending as Int32Array)[r]);
  return { ...state, memory, parents, rows: rows.length, pending, consumed: false };
}

function dispose(state: StepState): void {
  if (state.consumed) return;
  disposeRows(state);
  if (state.ownsKernel) state.kernel.dispose();
  state.inputTable?.dispose();
  state.consumed = true;
}

/** Wraps a model's internals as a `@seqloom/decode` StepModel (`Seq2SeqModel.asStepModel` calls it). */
export function createStepModel(model: ModelInternals): StepModel<StepState> {
  const { config } = model;
  return {
    vocabSize: config.targetVocabSize,
    bosId: config.bosId,
    eosId: config.eosId,
    padId: config.padId,
    start: (sources) => start(model, sources),
    step: (state, previous) => step(model, state, previous),
    reorder,
    dispose,
  };
}
