import * as tf from '@tensorflow/tfjs';
import type { KernelPass } from '../kernels/kernel-set.js';
import { type CellParams, type CellState, projectInputs, zeroState } from './cell.js';
import { cellDefinition } from './cell-registry.js';
import { packedLayout, packRows, sortRows, unpackRows, unsortRows } from './packed-layout.js';

/** How {@link runLayer} walks a sequence. */
export interface RunLayerOptions {
  /** Initial state (default zeros). */
  initial?: CellState;
  /** Walk each row from its last real step to its first (backward direction). */
  reverse?: boolean;
  /**
   * True length of each row (0 allowed; default: all steps). The final state
   * is each row's state at its true length, and a reverse walk starts at each
   * row's true end, so the content of padded steps never reaches the final
   * state. Outputs at padded steps are zeros (callers mask them).
   */
  lengths?: Int32Array;
  /**
   * `inputs` are already the layer's projected inputs `x·K + b` ([T·B, G·H]),
   * e.g. rows of a per-token table (see tokenGates).
   */
  projected?: boolean;
}

/** Result of a layer over a sequence. */
export interface LayerRun {
  outputs: tf.Tensor3D; // [T, B, H], time-major, in time order (also when reversed)
  final: CellState;
}

/** Rows of a layer's input at the given time-major row indices (e.g. rows of a per-token table gathered by id). */
export type RowSource = (rows: Int32Array) => tf.Tensor2D;

/**
 * A layer over the packed sequence (see packedLayout): each step runs only
 * the rows whose true length reaches it, so padded steps cost nothing.
 */
function runPacked(
  cell: CellParams,
  inputs: tf.Tensor2D | RowSource,
  steps: number,
  rows: number,
  lengths: Int32Array,
  pass: KernelPass,
  options: RunLayerOptions,
): LayerRun {
  const layout = packedLayout(lengths, steps, options.reverse === true);
  const initial = options.initial ?? zeroState(cell, rows);
  const h = cell.hiddenSize;
  if (layout.total === 0) return { outputs: tf.zeros([steps, rows, h]), final: initial }; // every row is empty
  const x = typeof inputs === 'function' ? inputs(layout.fullRow) : packRows(inputs, layout); // [P, I]
  const gates = options.projected === true ? x : projectInputs(cell, x); // [P, G·H]
  const sorted = initial.map((state) => sortRows(state, layout));
  const all = cellDefinition(cell.kind).sequence(cell, gates, sorted, layout.active, pass); // [P + B·S, H]
  const [hs, ...finals] = tf.split(all, [layout.total, ...sorted.map(() => rows)], 0) as tf.Tensor2D[];
  const outputs = tf.reshape(unpackRows(hs!, layout), [steps, rows, h]) as tf.Tensor3D; // [T, B, H]
  return { outputs, final: finals.map((state) => unsortRows(state, layout)) };
}

/**
 * Runs one recurrent layer over a time-major sequence as one fused op per
 * layer (the cell definition's `sequence`): one input matMul for all
 * steps, one recurrent matMul per step, a hand-written backward (for the
 * cells that have one; see steppedSequence). The batch
 * is packed: rows sorted by length, each step runs only the rows still
 * going, and each row's final state is its state after its last step.
 * `inputs` is either the tensor [T·B, I] or a function that returns the
 * input rows at given time-major indices (so only the rows that run are
 * gathered). `pass` names the kernel set and whether gradients are taken
 * (the differentiable ops save what their backward needs). Call inside
 * `tf.tidy` or a gradient function.
 */
export function runLayer(
  cell: CellParams,
  inputs: tf.Tensor2D | RowSource, // [T·B, I]
  steps: number,
  rows: number,
  pass: KernelPass,
  options: RunLayerOptions = {},
): LayerRun {
  return runPacked(cell, inputs, steps, rows, options.lengths ?? new Int32Array(rows).fill(steps), pass, options);
}
