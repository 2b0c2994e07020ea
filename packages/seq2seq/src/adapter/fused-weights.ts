import { type FusedDecoderSpec, type FusedDecoderWeights, type FusedModelHandle, isFusedDecoderCell } from '@seqloom/core';
import type * as tf from '@tensorflow/tfjs';
import type { ModelParams } from '../model/parameters.js';
import type { ModelConfig } from '../model-contract.js';
import type { FusedDecoderEngine } from './fused-decoder-engine.js';

/** A model's engine handle and the tensor data it was built from. */
interface CachedHandle {
  readonly engine: FusedDecoderEngine;
  readonly dataIds: readonly object[];
  readonly handle: FusedModelHandle;
}

// One handle per model's weights, rebuilt when a weight's data changed (training assigns new data).
const handles = new WeakMap<ModelParams, CachedHandle>();

/** Every tensor the decoder step reads, in a fixed order (the cache key). */
function decoderTensors(params: ModelParams): tf.Tensor[] {
  const { attention } = params;
  const layers = params.decoder.flatMap((cell) => [cell.kernel, cell.recurrent, cell.bias, ...(cell.recurrentBias ? [cell.recurrentBias] : [])]);
  const optional = [attention?.memoryKernel, attention?.queryKernel, attention?.score, attention?.combine, params.outputKernel, params.tieProjection];
  return [params.targetEmbedding, ...layers, ...optional.filter((t): t is tf.Variable => t !== undefined), params.outputBias];
}

/** The decoder's shape as the engine takes it (callers check {@link isFusedDecoderCell} first: fusedDecoderFits). */
export function fusedSpec(config: ModelConfig, params: ModelParams): FusedDecoderSpec {
  const { cell } = config;
  if (!isFusedDecoderCell(cell)) throw new RangeError(`fused decoder: cell "${cell}" has no fused step; decode it on the tensor path`);
  const output = params.outputKernel !== undefined ? 'untied' : params.tieProjection !== undefined ? 'tied-projected' : 'tied';
  return {
    cell,
    layers: config.layers,
    embeddingSize: config.embeddingSize,
    hiddenSize: config.hiddenSize,
    vocabSize: config.targetVocabSize,
    attention: params.attention === undefined ? 'none' : params.attention.kind,
    inputFeeding: params.attention !== undefined && config.inputFeeding,
    output,
  };
}

/** The tensors' data in place (the engine's view of its backend's arrays, no copy), which the engine references. */
function fusedWeights(engine: FusedDecoderEngine, params: ModelParams): FusedDecoderWeights {
  const data = (t: tf.Tensor | undefined): Float32Array | undefined => (t === undefined ? undefined : engine.tensorValues(t));
  const { attention } = params;
  return {
    embedding: data(params.targetEmbedding)!,
    layers: params.decoder.map((cell) => ({
      kernel: data(cell.kernel)!,
      recurrent: data(cell.recurrent)!,
      bias: data(cell.bias)!,
      ...(cell.recurrentBias ? { recurrentBias: data(cell.recurrentBias)! } : {}),
    })),
    memoryKernel: data(attention?.memoryKernel),
    queryKernel: data(attention?.queryKernel),
    score: data(attention?.score),
    combine: data(attention?.combine),
    outputKernel: data(params.outputKernel),
    tieProjection: data(params.tieProjection),
    outputBias: data(params.outputBias)!,
  };
}

/**
 * The engine's handle over a model's decoder weights: built once per model
 * and reused by every decoding run while the weights' data stays the same.
 */
export function fusedModelHandle(engine: FusedDecoderEngine, config: ModelConfig, params: ModelParams): FusedModelHandle {
  const dataIds = decoderTensors(params).map((t) => t.dataId);
  const cached = handles.get(params);
  if (cached !== undefined && cached.engine === engine && cached.dataIds.length === dataIds.length && cached.dataIds.every((id, i) => id === dataIds[i])) {
    return cached.handle;
  }
  const handle = engine.createModel(fusedSpec(config, params), fusedWeights(engine, params));
  handles.set(params, { engine, dataIds, handle });
  return handle;
}
