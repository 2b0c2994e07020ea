import * as tf from '@tensorflow/tfjs';
import { type CellParams, type CellState, cellStep, projectInputs, zeroState } from './cell.js';

/** How {@link runLayer} walks a sequence. */
export interface RunLayerOptions {
  /** Initial state (default zeros). */
  initial?: CellState;
  /** Walk from the last step to the first (backward direction). */
  reverse?: boolean;
  /**
   * True length of each row. Steps at or past a row's length keep that row's
   * state unchanged, so the final state is the state at the true length, and
   * a reverse walk starts at each row's true end.
   */
  lengths?: Int32Array;
}

/** Result of a layer over a sequence. */
export interface LayerRun {
  outputs: tf.Tensor3D; // [T, B, H], time-major, in time order (also when reversed)
  final: CellState;
}

/** Row-validity masks [B, 1] for the steps that have padding (undefined where no row is padded). */
function stepMasks(lengths: Int32Array | undefined, steps: number): (tf.Tensor2D | undefined)[] {
  const masks: (tf.Tensor2D | undefined)[] = new Array(steps).fill(undefined);
  if (lengths === undefined) return masks;
  for (let t = 0; t < steps; t++) {
    let padded = false;
    const valid = new Uint8Array(lengths.length);
    for (let b = 0; b < lengths.length; b++) {
      valid[b] = lengths[b] > t ? 1 : 0;
      if (valid[b] === 0) padded = true;
    }
    if (padded) masks[t] = tf.tensor2d(valid, [lengths.length, 1], 'bool');
  }
  return masks;
}

/**
 * Runs one recurrent layer over a time-major sequence: the input projection
 * of all steps is ONE matMul ([T·B, I] × [I, G·H]); each step then does one
 * recurrent matMul and the fused gate arithmetic. Call inside `tf.tidy` (or a
 * gradient function): the step masks stay alive for the backward pass.
 */
export function runLayer(
  cell: CellParams,
  inputs: tf.Tensor2D, // [T·B, I]
  steps: number,
  rows: number,
  options: RunLayerOptions = {},
): LayerRun {
  const projected = tf.reshape(projectInputs(cell, inputs), [steps, rows, -1]); // [T, B, G·H]
  const perStep = tf.unstack(projected, 0) as tf.Tensor2D[]; // T × [B, G·H]
  const masks = stepMasks(options.lengths, steps);
  let state = options.initial ?? zeroState(cell, rows);
  const outputs: tf.Tensor2D[] = new Array(steps);
  for (let k = 0; k < steps; k++) {
    const t = options.reverse === true ? steps - 1 - k : k;
    const next = cellStep(cell, perStep[t], state);
    const mask = masks[t];
    state = mask === undefined ? next : next.map((tensor, i) => tf.where(mask, tensor, state[i]) as tf.Tensor2D);
    outputs[t] = state[0];
  }
  return { outputs: tf.stack(outputs, 0) as tf.Tensor3D, final: state };
}
