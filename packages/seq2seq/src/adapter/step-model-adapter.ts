import type { StepModel } from '@seqloom/decode';
import * as tf from '@tensorflow/tfjs';
import { projectInputs } from '../cells/cell.js';
import { padSources } from '../model/batch-layout.js';
import { initialDecoderState } from '../model/bridge.js';
import { decoderStep, decoderStepFromGates } from '../model/decoder.js';
import { Dropper } from '../model/dropout.js';
import { encode } from '../model/encoder.js';
import { attentionMemory, type ModelInternals } from '../model/model-internals.js';
import { outputKernel, outputLogits } from '../model/output-layer.js';
import { typedTidy } from '../model/typed-tidy.js';
import { createFusedStepModel, type FusedStepState, fusedDecoderFits } from './fused-step-model.js';
import { inference, primeLanguageModel } from './prime-language-model.js';
import { canStepFromParents, lstmStepFromParents } from './shared-parent-step.js';
import { checkIds, checkReorderRows, StepModelUsageError } from './step-checks.js';
import { disposeRows, gatherMemory, reorderedDecoder, type TensorStepState } from './step-state.js';

export type { FusedStepState } from './fused-step-model.js';
export type { TensorStepState } from './step-state.js';

/**
 * Decoding state of a batch of rows: on the tensor path (tfjs ops on any
 * backend) or on a fused decoder engine (the native backend's one call per
 * step). Opaque to decoders: pass back what start/step/reorder returned.
 */
export type StepState = TensorStepState | FusedStepState;
export { StepModelUsageError } from './step-checks.js';

const NO_DROPOUT = new Dropper(false, 0);

function checkLive(state: TensorStepState, call: string): void {
  if (state.consumed) throw new StepModelUsageError(`${call}: this state was already consumed by step/reorder/dispose; pass the state they returned.`);
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

async function start(model: ModelInternals, sources: readonly (readonly number[])[]): Promise<TensorStepState> {
  const { config, params } = model;
  if (sources.length === 0) throw new StepModelUsageError('start(sources): expected at least one source row, got none.');
  const owns = params.outputKernel === undefined;
  if (config.task === 'lm') {
    sources.forEach((p, i) => checkIds(`start(sources): prime ${i}`, p, config.targetVocabSize));
    const { decoder, pending } = primeLanguageModel(model, sources);
    return {
      rows: sources.length,
      decoder,
      memory: null,
      pending,
      kernel: tf.tidy(() => outputKernel(params)),
      ownsKernel: owns,
      inputTable: inputTable(model, sources.length),
      parents: null,
      consumed: false,
    };
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
  return {
    rows: batch.rows,
    decoder,
    memory,
    pending: null,
    kernel: tf.tidy(() => outputKernel(params)),
    ownsKernel: owns,
    inputTable: inputTable(model, batch.rows),
    parents: null,
    consumed: false,
  };
}

async function step(model: ModelInternals, state: TensorStepState, previous: Int32Array) {
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
    let result: ReturnType<typeof decoderStep>;
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
  const next: TensorStepState = { ...state, decoder, pending: null, parents: null, consumed: false };
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

function reorder(state: TensorStepState, rows: Int32Array): TensorStepState {
  checkLive(state, 'reorder');
  checkReorderRows(rows, state.rows);
  // the decoder rows are picked lazily by the next step; the attention memory now
  const parents = state.parents === null ? rows.slice() : Int32Array.from(rows, (r) => (state.parents as Int32Array)[r]);
  const old = state.memory;
  const memory = old === null ? null : gatherMemory(old, rows);
  if (old !== null) tf.dispose([old.memory, old.keys, old.maskBias]);
  state.consumed = true;
  const pending = state.pending === null ? null : Int32Array.from(rows, (r) => (state.pending as Int32Array)[r]);
  return { ...state, memory, parents, rows: rows.length, pending, consumed: false };
}

function dispose(state: TensorStepState): void {
  if (state.consumed) return;
  disposeRows(state);
  if (state.ownsKernel) state.kernel.dispose();
  state.inputTable?.dispose();
  state.consumed = true;
}

/**
 * Wraps a model's internals as a `@seqloom/decode` StepModel
 * (`Seq2SeqModel.asStepModel` calls it): one engine call per step where the
 * model's kernel set offers a fused decoder (the native backend) for its cell,
 * else the tensor path.
 */
export function createStepModel(model: ModelInternals): StepModel<StepState> {
  const fused = model.kernels.fusedDecoder;
  if (fused !== undefined && fusedDecoderFits(model.config)) return createFusedStepModel(model, fused);
  return createTensorStepModel(model);
}

/** The StepModel on tfjs ops (every backend). */
export function createTensorStepModel(model: ModelInternals): StepModel<TensorStepState> {
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
