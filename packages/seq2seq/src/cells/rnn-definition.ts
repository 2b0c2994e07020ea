import type * as tf from '@tensorflow/tfjs';
import type { CellDefinition, CellGraph, CellGraphStep } from './cell-definition.js';
import { rnnSequence } from './rnn-sequence.js';
import { rnnStep } from './rnn-step.js';

/** ONNX step: h' = tanh(x·K + b + h·U). */
function onnxStep(b: CellGraph, { input, recurrent }: CellGraphStep): string[] {
  return [b.op1('Tanh', [b.op1('Add', [input, recurrent])])];
}

/** Simple (Elman) tanh RNN: one gate, state [h], bias starting at 0. */
export const RNN_CELL: CellDefinition = {
  summary: 'simple tanh RNN (state h)',
  gates: 1,
  states: ['h'],
  recurrentBias: false,
  initialBias: (hidden) => new Float32Array(hidden),
  kernelMembers: ['rnnCell'],
  step: (kernels, cell, inputGates, [h], product) => rnnStep(kernels, cell.recurrent, inputGates, h!, product),
  sequence: (cell, gates, [h0], active, pass) => rnnSequence(gates, h0!, cell.recurrent as tf.Tensor2D, active, pass),
  tokenTable: false,
  parentSharedStep: false,
  onnx: { layerOp: 'RNN', layerAttributes: {}, gateOrder: [0], step: onnxStep },
};
