import { type AttentionMemory, maskBiasFromLengths, prepareMemory } from '../attention/attention.js';
import type { SeqKernels } from '../kernels/kernel-set.js';
import type { ModelConfig } from '../model-contract.js';
import type { Encoded } from './encoder.js';
import type { ModelParams } from './parameters.js';

/**
 * What the loss and the step adapter read from a model: its validated
 * config, its weights by role, and the kernel set it was built with. Not
 * part of the public API (a model hands it only to seqloom's own code).
 */
export interface ModelInternals {
  readonly config: ModelConfig;
  readonly params: ModelParams;
  readonly kernels: SeqKernels;
}

/** Attention inputs for an encoded batch (null without attention). */
export function attentionMemory(model: ModelInternals, encoded: Encoded | null, lengths: Int32Array, sourceLength: number): AttentionMemory | null {
  if (encoded === null || encoded.memory === null || model.params.attention === undefined) return null;
  return prepareMemory(model.params.attention, encoded.memory, maskBiasFromLengths(lengths, sourceLength));
}
