import {
  FUSED_DECODER_ATTENTIONS,
  FUSED_DECODER_CELLS,
  FUSED_DECODER_OUTPUTS,
  type FusedDecoderEngine,
  type FusedDecoderLayer,
  type FusedDecoderSpec,
  type FusedDecoderWeights,
  type FusedModelHandle,
  type FusedSessionHandle,
  type FusedSessionInit,
} from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import { loadNativeAddon } from './addon.js';
import { f32, type NativeBackend } from './backend-data.js';
import { PooledCpuBackend } from './buffer-pool.js';
import { NATIVE_BACKEND } from './register-backend.js';

/** The shape of a decoder the fused step runs: @seqloom/core's {@link FusedDecoderSpec}. */
export type DecodeStepSpec = FusedDecoderSpec;
/** One recurrent layer's fused-gate weights: @seqloom/core's {@link FusedDecoderLayer}. */
export type DecodeStepLayer = FusedDecoderLayer;
/** A decoder's weights, row-major, kept alive by the model handle: @seqloom/core's {@link FusedDecoderWeights}. */
export type DecodeStepWeights = FusedDecoderWeights;
/** What a session starts from, one encoded batch: @seqloom/core's {@link FusedSessionInit}. */
export type DecodeStepSessionInit = FusedSessionInit;
/** A model handle (opaque). */
export type DecodeStepModel = FusedModelHandle;
/** A session handle (opaque). */
export type DecodeStepSession = FusedSessionHandle;

/**
 * A whole decoder step in one native call: embedding rows → every recurrent
 * layer → attention → output logits, with a beam reorder (parent rows) applied
 * in the same call (@seqloom/core's {@link FusedDecoderEngine} over tfjs tensors).
 */
export type NativeDecodeStep = FusedDecoderEngine<tf.Tensor>;

/** The engine's code of a contract name: its index in the contract's list. */
function code(list: readonly string[], value: string, what: string): number {
  const index = list.indexOf(value);
  if (index < 0) throw new RangeError(`decode step: ${what} "${String(value)}" is not one of ${list.join(', ')}`);
  return index;
}

function dims(spec: DecodeStepSpec): Int32Array {
  const cell = code(FUSED_DECODER_CELLS, spec.cell, 'cell');
  const attention = code(FUSED_DECODER_ATTENTIONS, spec.attention, 'attention');
  const output = code(FUSED_DECODER_OUTPUTS, spec.output, 'output');
  return Int32Array.of(cell, spec.layers, spec.embeddingSize, spec.hiddenSize, spec.vocabSize, attention, spec.inputFeeding ? 1 : 0, output);
}

function weightList(w: DecodeStepWeights): (Float32Array | null)[] {
  const list: (Float32Array | null)[] = [w.embedding];
  for (const layer of w.layers) list.push(layer.kernel, layer.recurrent, layer.bias, layer.recurrentBias ?? null);
  const tail = [w.memoryKernel, w.queryKernel, w.score, w.combine, w.outputKernel, w.tieProjection, w.outputBias];
  return [...list, ...tail.map((t) => t ?? null)];
}

/** The native fused decoder step; throws `NativeUnavailableError` when the addon is not built. */
export function nativeDecodeStep(): NativeDecodeStep {
  const addon = loadNativeAddon();
  return {
    createModel: (spec, weights) => {
      if (weights.layers.length !== spec.layers)
        throw new RangeError(`decode step: weights has ${weights.layers.length} layers, spec.layers is ${spec.layers}`);
      return addon.decodeStepModel(dims(spec), weightList(weights)) as DecodeStepModel;
    },
    createSession: (model, init) =>
      addon.decodeStepSession(model, init.rows, init.sourceLength, init.memory, init.lengths, init.initial, init.table) as DecodeStepSession,
    step: (session, ids, parents, logits, weights) => addon.decodeStep(session, ids, parents, logits, weights),
    free: (session) => addon.decodeStepFree(session),
    tensorValues: (tensor) => {
      const backend = tf.findBackend(NATIVE_BACKEND) as NativeBackend;
      const values = f32(backend, tensor, 'decode step', 'a weight');
      // the model handle reads the weight in place for as long as it lives: its buffer must not go back to the pool
      if (backend instanceof PooledCpuBackend) backend.pool.retain(values);
      return values;
    },
  };
}
