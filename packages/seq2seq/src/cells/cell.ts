import * as tf from '@tensorflow/tfjs';
import type { KernelPass } from '../kernels/kernel-set.js';
import { referenceKernels } from '../kernels/reference-kernels.js';
import type { WeightStore } from '../model/weight-store.js';
import type { CellType } from '../model-contract.js';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';
import type { CellParams, CellState } from './cell-params.js';
import { cellDefinition } from './cell-registry.js';
import { addRowBias } from './sequence-tools.js';

export type { CellParams, CellState } from './cell-params.js';

/** Where an LSTM's forget-gate bias starts unless `forgetBias` says otherwise (Keras' `unit_forget_bias`). */
export const DEFAULT_FORGET_BIAS = 1;

/**
 * Creates a cell's weights under `name/…`: kernel and recurrent uniform
 * ±1/√H, the bias as the definition starts it (the LSTM forget gate at
 * `forgetBias`, the rest 0), a recurrent bias of zeros where the cell has one.
 */
export function createCell(
  store: WeightStore,
  name: string,
  kind: CellType,
  inputSize: number,
  hiddenSize: number,
  forgetBias = DEFAULT_FORGET_BIAS,
): CellParams {
  const definition = cellDefinition(kind);
  const width = definition.gates * hiddenSize;
  const limit = 1 / Math.sqrt(hiddenSize);
  const kernel = store.uniform(`${name}/kernel`, [inputSize, width], limit);
  const recurrent = store.uniform(`${name}/recurrent`, [hiddenSize, width], limit);
  const bias = store.fromValues(`${name}/bias`, definition.initialBias(hiddenSize, { forgetBias }), [width], true);
  const recurrentBias = definition.recurrentBias ? store.constant(`${name}/recurrent_bias`, [width], 0) : undefined;
  return { kind, inputSize, hiddenSize, kernel, recurrent, bias, recurrentBias };
}

/** Input projection of many rows at once (all time steps of a layer): `x·K + b`. */
export function projectInputs(cell: CellParams, x: tf.Tensor2D, product: Product = plainProduct): tf.Tensor2D {
  return addRowBias(product(x, cell.kernel as tf.Tensor2D), cell.bias); // [N, G·H]
}

/** A zero state for `rows` rows. */
export function zeroState(cell: CellParams, rows: number): CellState {
  return cellDefinition(cell.kind).states.map(() => tf.zeros([rows, cell.hiddenSize]) as tf.Tensor2D);
}

/**
 * One time step. `inputGates` is the projected input `x·K + b` ([B, G·H]).
 * Returns the new state; its first tensor is the output h. A differentiable
 * pass runs the reference kernels (plain ops, differentiated by tfjs);
 * otherwise the pass's kernel set (fused on wasm).
 */
export function cellStep(cell: CellParams, inputGates: tf.Tensor2D, state: CellState, pass: KernelPass, product: Product = plainProduct): CellState {
  const kernels = pass.differentiable ? referenceKernels : pass.kernels;
  return cellDefinition(cell.kind).step(kernels, cell, inputGates, state, product);
}
