import type { GenerateOptions, GenerationResult } from '@seqloom/decode';
import type { ModelConfig } from '../model-contract.js';

/** One weight of the model as sent to a worker. */
export interface WeightMessage {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Messages a decoding worker receives. */
export type ToWorker =
  | { type: 'init'; backend: string; config: ModelConfig; weights: WeightMessage[] }
  | { type: 'generate'; id: number; sources: number[][]; options: GenerateOptions; abort: Int32Array };

/** Messages a decoding worker sends back. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; results: GenerationResult[] }
  | { type: 'error'; id: number | null; message: string };
