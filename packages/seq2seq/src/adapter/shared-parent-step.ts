import * as tf from '@tensorflow/tfjs';
import { type CellState, projectInputs } from '../cells/cell.js';
import { cellDefinition } from '../cells/cell-registry.js';
import type { SeqKernels } from '../kernels/kernel-set.js';
import type { DecoderState, DecoderStepResult } from '../model/decoder.js';
import type { ModelParams } from '../model/parameters.js';

/** The distinct parent rows, ascending, and for each row the position of its parent among them. */
export function parentGroups(parents: Int32Array): { unique: Int32Array; position: Int32Array } {
  const seen = new Map<number, number>();
  for (const p of parents) seen.set(p, 0);
  const unique = Int32Array.from(seen.keys()).sort();
  unique.forEach((p, i) => seen.set(p, i));
  return { unique, position: Int32Array.from(parents, (p) => seen.get(p)!) };
}

/**
 * Whether {@link lstmStepFromParents} can run this model's decoder: stacked
 * layers of a cell whose definition says so (`parentSharedStep`: LSTM), no
 * attention or input feeding.
 */
export function canStepFromParents(params: ModelParams, hasMemory: boolean, hasFeed: boolean): boolean {
  return !hasMemory && !hasFeed && params.decoder.every((cell) => cellDefinition(cell.kind).parentSharedStep);
}

/**
 * One decoder step of stacked LSTM layers for rows that continue the rows
 * `parents` of `state` (a beam reorder not yet applied; null: row i continues
 * row i). Children of one parent share its recurrent product `h·R`, so each
 * layer multiplies only the distinct parent rows and copies the products to
 * the children: in beam search several beams usually extend the same parent
 * (all of them at the first step). Row results of a matMul do not depend on
 * the other rows, so the values are exactly those of reordering first.
 * `gates0` is layer 0's projected input for the new rows ([B, 4H]). Forward
 * only (the kernel set's LSTM cell); call inside `tf.tidy`.
 */
export function lstmStepFromParents(
  kernels: SeqKernels,
  params: ModelParams,
  gates0: tf.Tensor2D,
  state: DecoderState,
  parents: Int32Array | null,
): DecoderStepResult {
  const groups = parents === null ? null : parentGroups(parents);
  const parentIndex = parents === null ? null : tf.tensor1d(parents, 'int32');
  const shared = groups !== null && groups.unique.length < groups.position.length;
  const uniqueIndex = shared ? tf.tensor1d(groups.unique, 'int32') : null;
  const positionIndex = shared ? tf.tensor1d(groups.position, 'int32') : null;
  const layers: CellState[] = [];
  let gates = gates0;
  params.decoder.forEach((cell, l) => {
    const [h, c] = state.layers[l] as [tf.Tensor2D, tf.Tensor2D]; // [B₀, H] rows of the previous step
    const recurrent = cell.recurrent as tf.Tensor2D; // [H, 4H]
    let product: tf.Tensor2D; // [B, 4H]
    if (parentIndex === null) product = tf.matMul(h, recurrent);
    else if (uniqueIndex === null) product = tf.matMul(tf.gather(h, parentIndex) as tf.Tensor2D, recurrent);
    else {
      const distinct = groups!.unique.length === h.shape[0] ? h : (tf.gather(h, uniqueIndex) as tf.Tensor2D); // [U, H]
      product = tf.gather(tf.matMul(distinct, recurrent), positionIndex!) as tf.Tensor2D;
    }
    const cParent = parentIndex === null ? c : (tf.gather(c, parentIndex) as tf.Tensor2D); // [B, H]
    const next = kernels.lstmCell(gates, product, cParent);
    layers.push(next);
    if (l < params.decoder.length - 1) gates = projectInputs(params.decoder[l + 1]!, next[0]); // [B, 4H]
  });
  return { state: { layers, feed: null }, output: layers[layers.length - 1]![0]! };
}
