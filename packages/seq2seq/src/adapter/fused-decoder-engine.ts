/**
 * The fused decoder step a backend's kernel set may offer as `fusedDecoder`:
 * @seqloom/core's contract (spec, weights, sessions) over tfjs tensors. The
 * native engine's `nativeDecodeStep()` implements it; the step adapter then
 * runs decoding on it (see fused-step-model.ts).
 */
import type { FusedDecoderEngine as FusedDecoderContract } from '@seqloom/core';
import type * as tf from '@tensorflow/tfjs';

/** A fused decoder step engine whose weights are tfjs tensors. */
export type FusedDecoderEngine = FusedDecoderContract<tf.Tensor>;
