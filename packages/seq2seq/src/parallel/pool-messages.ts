import type { GenerateOptions, GenerationResult } from '@seqloom/decode';
import type { Batch, LossOptions } from '../model-contract.js';

/** One weight of the model as sent to or from a worker. */
export interface WeightMessage {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A decoding worker's request: generate for a share of the sources; `abort` is the pool's shared stop flag. */
export interface DecodeRequest {
  sources: number[][];
  options: GenerateOptions;
  abort: Int32Array;
}
export type DecodeReply = GenerationResult[];

/** A training worker's request: loss and gradients of one shard of a batch, after taking up `weights` (if sent). */
export interface GradientRequest {
  batch: Batch;
  loss: LossOptions;
  weights: WeightMessage[] | null;
}
export interface GradientReply {
  loss: number;
  grads: WeightMessage[];
}
