import * as tf from '@tensorflow/tfjs';
import type { KernelPass } from '../kernels/kernel-set.js';
import { type CellParams, projectInputs } from './cell.js';
import { cellDefinition } from './cell-registry.js';
import { embeddingRows } from './embedding-rows.js';

/**
 * Whether a layer fed straight from an embedding should take its projected
 * inputs from a per-token table: `gather(E·K + b, ids)` instead of
 * `gather(E, ids)·K + b`. Same values; the table costs one [V, E]·[E, G·H]
 * product, the per-row form one [N, E]·[E, G·H] product (and two more of that
 * size in the backward pass), so it pays when the vocabulary is small next to
 * the N = steps·rows tokens. Only cells whose definition allows it
 * (`tokenTable`: LSTM), and only without embedding dropout (the table
 * cannot see a per-row mask).
 */
export function foldsTokenGates(cell: CellParams, vocab: number, tokens: number, dropoutIsIdentity: boolean): boolean {
  return cellDefinition(cell.kind).tokenTable && dropoutIsIdentity && 4 * vocab <= tokens;
}

/** Projected inputs [N, G·H] for token ids [N] through a per-token table of `embedding` [V, E]. */
export function tokenGates(cell: CellParams, embedding: tf.Tensor2D, ids: Int32Array, pass: KernelPass): tf.Tensor2D {
  return embeddingRows(projectInputs(cell, embedding), ids, pass); // [N, G·H]
}
