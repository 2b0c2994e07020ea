import { cellDefinition } from '@seqloom/seq2seq/model';
import { gates, onnxMatrix, onnxVector } from './gate-layout.js';
import type { GraphBuilder } from './graph-builder.js';
import type { CellWeights } from './model-weights.js';

/** One layer over a sequence: outputs (directions summed) and the final state per state tensor. */
export interface LayerOutputs {
  /** [S, B, H], zeros past each row's length. */
  y: string;
  /** Final `h` (and `c` for LSTM) at each row's length, directions summed, each [B, H]. */
  finals: string[];
}

/** Stacks per-direction weights into one initializer [D, …]. */
function stacked(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** ONNX B = [Wb, Rb] of one direction: seqloom's bias and (GRU) recurrent bias, in ONNX gate order. */
function onnxBias(cell: CellWeights): Float32Array {
  const width = gates(cell.kind) * cell.hidden;
  const out = new Float32Array(2 * width);
  out.set(onnxVector(cell.kind, cell.bias, cell.hidden), 0);
  if (cell.recurrentBias) out.set(onnxVector(cell.kind, cell.recurrentBias, cell.hidden), width);
  return out;
}

/** Sums over the direction axis `axis` (one direction: drops it). */
function sumDirections(b: GraphBuilder, value: string, axis: number, directions: number): string {
  const axes = b.int64s([axis]);
  return directions === 1 ? b.op1('Squeeze', [value, axes]) : b.op1('ReduceSum', [value, axes], { keepdims: 0 });
}

/**
 * One recurrent layer as ONNX's own operator for the cell (its definition's
 * `onnx.layerOp`: LSTM / GRU with linear_before_reset = 1 / RNN) over x [S, B, I] with `sequence_lens` (int32 [B]): a backward
 * direction starts at each row's last real step, and the final state is each
 * row's state at its length, as seqloom's encoder. `cells` holds one
 * direction (forward) or two (forward, backward: a bidirectional layer whose
 * outputs and final states are the sum of both, as seqloom's).
 */
export function sequenceLayer(b: GraphBuilder, name: string, cells: readonly CellWeights[], x: string, lengths: string): LayerOutputs {
  const [first] = cells;
  const { kind, hidden, inputSize } = first!;
  const d = cells.length;
  const width = gates(kind) * hidden;
  const w = b.weight(`${name}.W`, stacked(cells.map((c) => onnxMatrix(kind, c.kernel, inputSize, hidden))), [d, width, inputSize]);
  const r = b.weight(`${name}.R`, stacked(cells.map((c) => onnxMatrix(kind, c.recurrent, hidden, hidden))), [d, width, hidden]);
  const bias = b.weight(`${name}.B`, stacked(cells.map(onnxBias)), [d, 2 * width]);
  const { states: stateNames, onnx } = cellDefinition(kind);
  const attributes = { hidden_size: hidden, direction: d === 2 ? 'bidirectional' : 'forward', ...onnx.layerAttributes };
  const [y, ...states] = b.op(onnx.layerOp, [x, w, r, bias, lengths], attributes, 1 + stateNames.length); // Y and each final state
  // Y [S, D, B, H] → [S, B, H]; Y_h, Y_c [D, B, H] → [B, H]
  return { y: sumDirections(b, y!, 1, d), finals: states.map((s) => sumDirections(b, s, 0, d)) };
}
