import * as tf from '@tensorflow/tfjs';
import type { KernelPass } from '../kernels/kernel-set.js';
import { referenceKernels } from '../kernels/reference-kernels.js';
import type { CellType } from '../model-contract.js';
import type { WeightStore } from '../model/weight-store.js';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';
import { gruStep } from './gru-step.js';
import { addRowBias } from './sequence-tools.js';
import { lstmStep } from './lstm-step.js';
import { rnnStep } from './rnn-step.js';

/**
 * A recurrent cell's weights, gates fused: one input kernel and one recurrent
 * kernel cover all G gates (G = 4 for LSTM [i, f, g, o], 3 for GRU [r, z, n],
 * 1 for the tanh RNN). A cell holds no state; state is passed in and out.
 */
export interface CellParams {
  readonly kind: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly kernel: tf.Variable; // [I, G·H]
  readonly recurrent: tf.Variable; // [H, G·H]
  readonly bias: tf.Variable; // [G·H]
  /** GRU only: bias of the recurrent projection (it sits inside the reset gate). */
  readonly recurrentBias?: tf.Variable; // [G·H]
}

/** Per-layer recurrent state: LSTM `[h, c]`, GRU and RNN `[h]`; each `[B, H]`. */
export type CellState = tf.Tensor2D[];

/** Number of fused gates of a cell kind. */
export function gateCount(kind: CellType): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
}

/** Where an LSTM's forget-gate bias starts unless `forgetBias` says otherwise (Keras' `unit_forget_bias`). */
export const DEFAULT_FORGET_BIAS = 1;

/** Creates a cell's weights under `name/…` (uniform ±1/√H; biases 0 but the LSTM forget gate's, `forgetBias`). */
export function createCell(store: WeightStore, name: string, kind: CellType, inputSize: number, hiddenSize: number, forgetBias = DEFAULT_FORGET_BIAS): CellParams {
  const width = gateCount(kind) * hiddenSize;
  const limit = 1 / Math.sqrt(hiddenSize);
  const kernel = store.uniform(`${name}/kernel`, [inputSize, width], limit);
  const recurrent = store.uniform(`${name}/recurrent`, [hiddenSize, width], limit);
  const biasValues = new Float32Array(width);
  if (kind === 'lstm') biasValues.fill(forgetBias, hiddenSize, 2 * hiddenSize);
  const bias = store.fromValues(`${name}/bias`, biasValues, [width], true);
  const recurrentBias = kind === 'gru' ? store.constant(`${name}/recurrent_bias`, [width], 0) : undefined;
  return { kind, inputSize, hiddenSize, kernel, recurrent, bias, recurrentBias };
}

/** Input projection of many rows at once (all time steps of a layer): `x·K + b`. */
export function projectInputs(cell: CellParams, x: tf.Tensor2D, product: Product = plainProduct): tf.Tensor2D {
  return addRowBias(product(x, cell.kernel as tf.Tensor2D), cell.bias); // [N, G·H]
}

/** A zero state for `rows` rows. */
export function zeroState(cell: CellParams, rows: number): CellState {
  const count = cell.kind === 'lstm' ? 2 : 1;
  return Array.from({ length: count }, () => tf.zeros([rows, cell.hiddenSize]) as tf.Tensor2D);
}

/**
 * One time step. `inputGates` is the projected input `x·K + b` ([B, G·H]).
 * Returns the new state; its first tensor is the output h. A differentiable
 * pass runs the reference kernels (plain ops, differentiated by tfjs);
 * otherwise the pass's kernel set (fused on wasm).
 */
export function cellStep(cell: CellParams, inputGates: tf.Tensor2D, state: CellState, pass: KernelPass, product: Product = plainProduct): CellState {
  const kernels = pass.differentiable ? referenceKernels : pass.kernels;
  switch (cell.kind) {
    case 'lstm':
      return lstmStep(kernels, cell.recurrent, inputGates, state[0], state[1], product);
    case 'gru':
      return gruStep(kernels, cell.recurrent, cell.recurrentBias as tf.Variable, inputGates, state[0], product);
    case 'rnn':
      return rnnStep(kernels, cell.recurrent, inputGates, state[0], product);
  }
}
