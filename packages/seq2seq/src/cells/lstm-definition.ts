import type * as tf from '@tensorflow/tfjs';
import type { CellDefinition, CellGraph, CellGraphStep } from './cell-definition.js';
import { lstmSequence } from './lstm-sequence.js';
import { lstmStep } from './lstm-step.js';

/** ONNX step: z = x·K + b + h·U, [i, f, g, o] = split(z); c' = σf·c + σi·tanh g; h' = σo·tanh c'. */
function onnxStep(b: CellGraph, { input, recurrent, state, hidden }: CellGraphStep): string[] {
  const sizes = b.int64s([hidden, hidden, hidden, hidden]);
  const [i, f, g, o] = b.op('Split', [b.op1('Add', [input, recurrent]), sizes], { axis: 1 }, 4) as [string, string, string, string];
  const c = b.op1('Add', [b.op1('Mul', [b.op1('Sigmoid', [f]), state[1]!]), b.op1('Mul', [b.op1('Sigmoid', [i]), b.op1('Tanh', [g])])]);
  const h = b.op1('Mul', [b.op1('Sigmoid', [o]), b.op1('Tanh', [c])]);
  return [h, c];
}

/**
 * LSTM, gates fused in PyTorch order [i, f, g, o], state [h, c]; the forget
 * gate's bias starts at `forgetBias` (Keras' `unit_forget_bias`), the other
 * biases at 0. Runs on the kernel set's LSTM cell (and its whole-layer op
 * where the set has one); ONNX's LSTM takes the gates as [i, o, f, c].
 */
export const LSTM_CELL: CellDefinition = {
  summary: 'long short-term memory (state h and c)',
  gates: 4,
  states: ['h', 'c'],
  recurrentBias: false,
  initialBias(hidden, { forgetBias }) {
    return new Float32Array(4 * hidden).fill(forgetBias, hidden, 2 * hidden);
  },
  kernelMembers: ['lstmCell', 'lstmCellFull', 'lstmCellGrad', 'lstmSequence', 'lstmSequenceGrad'],
  step: (kernels, cell, inputGates, [h, c], product) => lstmStep(kernels, cell.recurrent, inputGates, h!, c!, product),
  sequence: (cell, gates, [h0, c0], active, pass) => lstmSequence(gates, h0!, c0!, cell.recurrent as tf.Tensor2D, active, pass),
  tokenTable: true,
  parentSharedStep: true,
  onnx: { layerOp: 'LSTM', layerAttributes: {}, gateOrder: [0, 3, 1, 2], step: onnxStep },
};
