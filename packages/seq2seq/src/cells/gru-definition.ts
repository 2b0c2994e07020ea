import type * as tf from '@tensorflow/tfjs';
import type { CellDefinition, CellGraph, CellGraphStep } from './cell-definition.js';
import { gruSequence } from './gru-sequence.js';
import { gruStep } from './gru-step.js';

/**
 * ONNX step: [xr, xz, xn] = x·K + b; [hr, hz, hn] = h·U + b_U; r = σ(xr + hr);
 * z = σ(xz + hz); n = tanh(xn + r·hn); h' = n + z·(h − n).
 */
function onnxStep(b: CellGraph, { input, recurrent, recurrentBias, state, hidden }: CellGraphStep): string[] {
  const sizes = b.int64s([hidden, hidden, hidden]);
  const fromH = b.op1('Add', [recurrent, recurrentBias!]);
  const [xr, xz, xn] = b.op('Split', [input, sizes], { axis: 1 }, 3) as [string, string, string];
  const [hr, hz, hn] = b.op('Split', [fromH, sizes], { axis: 1 }, 3) as [string, string, string];
  const reset = b.op1('Sigmoid', [b.op1('Add', [xr, hr])]);
  const update = b.op1('Sigmoid', [b.op1('Add', [xz, hz])]);
  const candidate = b.op1('Tanh', [b.op1('Add', [xn, b.op1('Mul', [reset, hn])])]);
  return [b.op1('Add', [candidate, b.op1('Mul', [update, b.op1('Sub', [state[0]!, candidate])])])];
}

/**
 * GRU, gates fused in PyTorch order [r, z, n], state [h]; the reset gate
 * applies after the recurrent projection and its bias (as PyTorch, cuDNN
 * and ONNX's `linear_before_reset = 1`), so the cell has a recurrent bias of
 * its own. Biases start at 0. ONNX's GRU takes the gates as [z, r, h].
 */
export const GRU_CELL: CellDefinition = {
  summary: 'gated recurrent unit (state h)',
  gates: 3,
  states: ['h'],
  recurrentBias: true,
  initialBias: (hidden) => new Float32Array(3 * hidden),
  kernelMembers: ['gruCell'],
  step: (kernels, cell, inputGates, [h], product) => gruStep(kernels, cell.recurrent, cell.recurrentBias!, inputGates, h!, product),
  sequence: (cell, gates, [h0], active, pass) => gruSequence(gates, h0!, cell.recurrent as tf.Tensor2D, cell.recurrentBias as tf.Tensor1D, active, pass),
  tokenTable: false,
  parentSharedStep: false,
  onnx: { layerOp: 'GRU', layerAttributes: { linear_before_reset: 1 }, gateOrder: [1, 0, 2], step: onnxStep },
};
