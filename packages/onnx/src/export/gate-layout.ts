// seqloom's fused gate layout and ONNX's LSTM/GRU/RNN layout.
//
// seqloom: kernel K [I, G·H] (x·K), recurrent U [H, G·H] (h·U), bias b [G·H];
// gates LSTM [i, f, g, o], GRU [r, z, n] (+ a recurrent bias inside the reset,
// linear_before_reset), RNN [h].
// ONNX: W [G·H, I] (x·Wᵀ), R [G·H, H], B [2·G·H] = [Wb, Rb]; gates LSTM
// [i, o, f, c], GRU [z, r, h], RNN [h]. Each cell definition's
// `onnx.gateOrder` maps one onto the other (LSTM [0, 3, 1, 2], GRU [1, 0, 2]).
import { CELL_REGISTRY, cellDefinition } from '@seqloom/seq2seq/model';
import type { CellKind } from './model-weights.js';

/** For each ONNX gate block, the seqloom gate block it is, by cell kind (each definition's `onnx.gateOrder`). */
export const ONNX_GATE_ORDER = Object.freeze(
  Object.fromEntries(Object.entries(CELL_REGISTRY).map(([kind, definition]) => [kind, definition.onnx.gateOrder])),
) as Readonly<Record<CellKind, readonly number[]>>;

function gateOrder(kind: CellKind): readonly number[] {
  return cellDefinition(kind).onnx.gateOrder;
}

/** Gate count of a cell kind. */
export function gates(kind: CellKind): number {
  return cellDefinition(kind).gates;
}

/** seqloom [I, G·H] → ONNX [G·H, I] with the gate blocks in ONNX order. */
export function onnxMatrix(kind: CellKind, matrix: Float32Array, inputSize: number, hidden: number): Float32Array {
  const order = gateOrder(kind);
  const width = order.length * hidden;
  const out = new Float32Array(width * inputSize);
  order.forEach((from, g) => {
    for (let j = 0; j < hidden; j++) {
      const row = (g * hidden + j) * inputSize;
      const col = from * hidden + j;
      for (let i = 0; i < inputSize; i++) out[row + i] = matrix[i * width + col]!;
    }
  });
  return out;
}

/** seqloom [G·H] → ONNX order. */
export function onnxVector(kind: CellKind, vector: Float32Array, hidden: number): Float32Array {
  const order = gateOrder(kind);
  const out = new Float32Array(order.length * hidden);
  order.forEach((from, g) => out.set(vector.subarray(from * hidden, (from + 1) * hidden), g * hidden));
  return out;
}
