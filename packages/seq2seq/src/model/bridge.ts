import * as tf from '@tensorflow/tfjs';
import { zeroState } from '../cells/cell.js';
import type { ModelConfig } from '../model-contract.js';
import type { DecoderState } from './decoder.js';
import type { Encoded } from './encoder.js';
import type { ModelParams } from './parameters.js';

/**
 * The decoder's initial state. seq2seq: layer l starts from the encoder's
 * final state of layer l (for a bidirectional encoder, the sum of both
 * directions); lm: zeros. The fed-back attentional vector starts at zeros.
 */
export function initialDecoderState(params: ModelParams, config: ModelConfig, encoded: Encoded | null, rows: number): DecoderState {
  const layers = encoded === null ? params.decoder.map((cell) => zeroState(cell, rows)) : encoded.final;
  const feed = config.inputFeeding ? (tf.zeros([rows, config.hiddenSize]) as tf.Tensor2D) : null;
  return { layers, feed };
}
