import { cellDefinition } from '@seqloom/seq2seq/model';
import type { GraphBuilder } from './graph-builder.js';
import type { CellWeights } from './model-weights.js';

/**
 * One cell step unrolled in plain ops, in seqloom's own gate layout (no
 * reordering: the weights are seqloom's kernels as they are): the input
 * projection x·K + b and the recurrent product h·U here, the gates as the
 * cell definition's `onnx.step` writes them (e.g. RNN h' = tanh(x·K + b + h·U)).
 * `state` is the layer's state in the definition's order ([h] or [h, c],
 * each [rows, H]); returns the new state.
 */
export function stepCell(b: GraphBuilder, name: string, cell: CellWeights, x: string, state: readonly string[]): string[] {
  const { kind, hidden, inputSize } = cell;
  const definition = cellDefinition(kind);
  const width = definition.gates * hidden;
  const kernel = b.weight(`${name}.kernel`, cell.kernel, [inputSize, width]);
  const recurrentKernel = b.weight(`${name}.recurrent`, cell.recurrent, [hidden, width]);
  const bias = b.weight(`${name}.bias`, cell.bias, [width]);
  const input = b.op1('Add', [b.op1('MatMul', [x, kernel]), bias]); // [rows, G·H]
  const recurrent = b.op1('MatMul', [state[0]!, recurrentKernel]); // [rows, G·H]
  const recurrentBias = cell.recurrentBias === null ? null : b.weight(`${name}.recurrent_bias`, cell.recurrentBias, [width]);
  return definition.onnx.step(b, { input, recurrent, recurrentBias, state, hidden });
}
