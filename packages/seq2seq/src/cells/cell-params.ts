import type * as tf from '@tensorflow/tfjs';
import type { CellType } from './cell-types.js';

/**
 * A recurrent cell's weights, gates fused: one input kernel and one recurrent
 * kernel cover all G gates (G and the gate order are the cell definition's,
 * see CELL_REGISTRY). A cell holds no state; state is passed in and out.
 */
export interface CellParams {
  readonly kind: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly kernel: tf.Variable; // [I, G·H]
  readonly recurrent: tf.Variable; // [H, G·H]
  readonly bias: tf.Variable; // [G·H]
  /** Cells whose definition has a recurrent bias (GRU: it sits inside the reset gate): the bias of `h·U`. */
  readonly recurrentBias?: tf.Variable; // [G·H]
}

/** Per-layer recurrent state in the order of the definition's `states` (LSTM `[h, c]`, GRU and RNN `[h]`); each `[B, H]`. */
export type CellState = tf.Tensor2D[];
