import * as tf from '@tensorflow/tfjs';
import type { KernelPass } from '../kernels/kernel-set.js';
import { carriedGrad, leadingRows } from '../kernels/packed-rows.js';
import { finalRows, initialGrad, stepOffsets } from './packed-steps.js';

/**
 * A tanh RNN layer over a PACKED sequence as ONE differentiable op (see
 * lstmSequence for the layout): given the projected inputs `x·K + b` of all
 * packed rows, step t runs its `active[t]` leading rows. Hand-written
 * backward; the recurrent weight gradient is a single matMul over all steps.
 * Returns [h of every packed row; final h (sorted)] as [P + B, H].
 */
export function rnnSequence(
  gates: tf.Tensor2D, // [P, H] projected inputs, packed
  h0: tf.Tensor2D, // [B, H] sorted
  recurrent: tf.Tensor2D, // [H, H]
  active: Int32Array, // [T] running rows per step, non-increasing
  pass: KernelPass,
): tf.Tensor2D {
  const running = active.filter((n) => n > 0);
  const { kernels } = pass;
  const forward = (xs: tf.Tensor2D[], hInit: tf.Tensor2D, u: tf.Tensor2D) => {
    const hs: tf.Tensor2D[] = [];
    const hIns: tf.Tensor2D[] = [];
    let h = hInit;
    for (let t = 0; t < xs.length; t++) {
      const hIn = leadingRows(h, running[t]!);
      const rec = tf.matMul(hIn, u) as tf.Tensor2D;
      h = kernels.rnnCell(xs[t]!, rec); // inside the op's forward: its gradient is rnnBackward
      hs.push(h);
      hIns.push(hIn);
    }
    return { hs, hIns, value: tf.concat([...hs, finalRows(hs, hInit, running)], 0) as tf.Tensor2D }; // [P + B, H]
  };
  if (!pass.differentiable) return tf.tidy(() => forward(tf.split(gates, Array.from(running), 0) as tf.Tensor2D[], h0, recurrent).value);
  const op = tf.customGrad((...args: unknown[]) => {
    const [gs, hInit, u] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const save = args[3] as tf.GradSaveFunc;
    const run = forward(tf.split(gs, Array.from(running), 0) as tf.Tensor2D[], hInit, u);
    save([hInit, u, ...run.hs, ...run.hIns]);
    // tidy: tfjs runs gradient functions outside any scope, so the backward's
    // temporaries would otherwise live until the whole gradient pass ends
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => rnnBackward(dy as tf.Tensor2D, saved as tf.Tensor2D[], running));
    return { value: run.value, gradFunc };
  });
  return op(gates, h0, recurrent) as tf.Tensor2D;
}

function rnnBackward(dy: tf.Tensor2D, saved: tf.Tensor2D[], active: Int32Array): tf.Tensor[] {
  const steps = active.length;
  const [h0, u] = saved;
  const hs = saved.slice(2, 2 + steps);
  const hIns = saved.slice(2 + steps, 2 + 2 * steps);
  const rows = h0!.shape[0];
  const total = active.reduce((sum, n) => sum + n, 0);
  const offsets = stepOffsets(active);
  const one = tf.scalar(1);
  const uT = tf.transpose(u!); // [H, H]
  let next: tf.Tensor2D | undefined;
  const dPre: tf.Tensor2D[] = new Array(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const n = active[t]!;
    const dh = tf.add(tf.slice(dy, [offsets[t]!, 0], [n, -1]), carriedGrad(next, dy, total, active[t + 1] ?? 0, n));
    dPre[t] = tf.mul(dh, tf.sub(one, tf.square(hs[t]!))) as tf.Tensor2D; // [n, H]
    next = tf.matMul(dPre[t]!, uT) as tf.Tensor2D;
  }
  const dP = tf.concat(dPre, 0) as tf.Tensor2D; // [P, H]
  return [dP, initialGrad(next!, dy, total, rows), tf.matMul(tf.concat(hIns, 0) as tf.Tensor2D, dP, true, false)];
}
