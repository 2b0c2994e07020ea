import * as tf from '@tensorflow/tfjs';
import type { KernelPass } from '../kernels/kernel-set.js';
import { leadingRows } from '../kernels/packed-rows.js';
import { referenceKernels } from '../kernels/reference-kernels.js';
import { plainProduct } from './cached-transpose-mat-mul.js';
import type { CellDefinition } from './cell-definition.js';
import type { CellParams, CellState } from './cell-params.js';
import { finalRows } from './packed-steps.js';

/**
 * A cell's `sequence` for cells without a fused layer op of their own: the
 * layer over a packed sequence (see packedLayout) as the cell's `step` at
 * every time step on the running rows. A differentiable pass runs the
 * reference kernels and tfjs differentiates the ops (no hand-written
 * backward: slower to train than a fused op, the same values). Returns
 * [h of every packed row; each final state tensor] ([P + B·S, H]).
 */
export function steppedSequence(step: CellDefinition['step']): CellDefinition['sequence'] {
  return (cell: CellParams, gates: tf.Tensor2D, state: CellState, active: Int32Array, pass: KernelPass): tf.Tensor2D => {
    const run = () => {
      const kernels = pass.differentiable ? referenceKernels : pass.kernels;
      const running = active.filter((n) => n > 0);
      const xs = tf.split(gates, Array.from(running), 0) as tf.Tensor2D[]; // per step [n_t, G·H]
      const steps: CellState[] = [];
      let current = state;
      for (let t = 0; t < xs.length; t++) {
        current = step(
          kernels,
          cell,
          xs[t]!,
          current.map((s) => leadingRows(s, running[t]!)),
          plainProduct,
        );
        steps.push(current);
      }
      const finals = state.map((initial, k) =>
        finalRows(
          steps.map((s) => s[k]!),
          initial,
          running,
        ),
      );
      return tf.concat([...steps.map((s) => s[0]!), ...finals], 0) as tf.Tensor2D; // [P + B·S, H]
    };
    return pass.differentiable ? run() : tf.tidy(run);
  };
}
