import * as tf from '@tensorflow/tfjs';
import type { KernelPass, SeqKernels } from '../kernels/kernel-set.js';
import { carriedGrad, leadingRows } from '../kernels/packed-rows.js';
import { finalRows, initialGrad, stepOffsets } from './packed-steps.js';
import { columnSums } from './sequence-tools.js';

/**
 * A GRU layer (PyTorch gate order [r, z, n], reset after the recurrent
 * projection) over a PACKED sequence as ONE differentiable op (see
 * lstmSequence for the layout): given the projected inputs `x·K + b` of all
 * packed rows, step t runs its `active[t]` leading rows. Hand-written
 * backward; the recurrent weight and bias gradients are single matMuls over
 * all steps; the differentiable forward keeps r, z, n (plain ops). Returns
 * [h of every packed row; final h (sorted)] as [P + B, H].
 */
export function gruSequence(
  gates: tf.Tensor2D, // [P, 3H] projected inputs, packed
  h0: tf.Tensor2D, // [B, H] sorted
  recurrent: tf.Tensor2D, // [H, 3H]
  recurrentBias: tf.Tensor1D, // [3H]
  active: Int32Array, // [T] running rows per step, non-increasing
  pass: KernelPass,
): tf.Tensor2D {
  const running = active.filter((n) => n > 0);
  if (!pass.differentiable) {
    return tf.tidy(() => {
      const hs = inferenceSteps(pass.kernels, tf.split(gates, Array.from(running), 0) as tf.Tensor2D[], h0, recurrent, recurrentBias, running);
      return tf.concat([...hs, finalRows(hs, h0, running)], 0) as tf.Tensor2D;
    });
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const [gs, hInit, u, bh] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[4] as tf.GradSaveFunc;
    const xs = tf.split(gs, Array.from(running), 0) as tf.Tensor2D[];
    const lists: tf.Tensor2D[][] = [[], [], [], [], [], []]; // r, z, n, hn, h_in, h
    let h = hInit;
    for (let t = 0; t < xs.length; t++) {
      const hIn = leadingRows(h, running[t]!);
      const [xr, xz, xn] = tf.split(xs[t]!, 3, 1);
      const [hr, hz, hn] = tf.split(tf.add(tf.matMul(hIn, u), bh), 3, 1) as tf.Tensor2D[];
      const r = tf.sigmoid(tf.add(xr!, hr!)) as tf.Tensor2D;
      const z = tf.sigmoid(tf.add(xz!, hz!)) as tf.Tensor2D;
      const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!))) as tf.Tensor2D;
      h = tf.add(n, tf.mul(z, tf.sub(hIn, n))) as tf.Tensor2D;
      [r, z, n, hn!, hIn, h].forEach((tensor, i) => lists[i]!.push(tensor));
    }
    save([hInit, u, ...lists.slice(0, 5).flat()]);
    const value = tf.concat([...lists[5]!, finalRows(lists[5]!, hInit, running)], 0) as tf.Tensor2D; // [P + B, H]
    // tidy: tfjs runs gradient functions outside any scope, so the backward's
    // temporaries would otherwise live until the whole gradient pass ends
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => gruBackward(dy as tf.Tensor2D, saved as tf.Tensor2D[], running));
    return { value, gradFunc };
  });
  return op(gates, h0, recurrent, recurrentBias) as tf.Tensor2D;
}

/** Forward only, the kernel set's GRU cell: h of every running step. */
function inferenceSteps(kernels: SeqKernels, xs: tf.Tensor2D[], h0: tf.Tensor2D, u: tf.Tensor2D, bh: tf.Tensor1D, active: Int32Array): tf.Tensor2D[] {
  const hs: tf.Tensor2D[] = [];
  let h = h0;
  for (let t = 0; t < xs.length; t++) {
    h = tf.tidy(() => {
      const hIn = leadingRows(h, active[t]!);
      const rec = tf.add(tf.matMul(hIn, u), bh) as tf.Tensor2D; // [n, 3H]
      return kernels.gruCell(xs[t]!, rec, hIn);
    });
    hs.push(h);
  }
  return hs;
}

function gruBackward(dy: tf.Tensor2D, saved: tf.Tensor2D[], active: Int32Array): tf.Tensor[] {
  const steps = active.length;
  const [h0, u] = saved;
  const [R, Z, N, HN, hIns] = [0, 1, 2, 3, 4].map((k) => saved.slice(2 + k * steps, 2 + (k + 1) * steps));
  const rows = h0!.shape[0];
  const total = active.reduce((sum, n) => sum + n, 0);
  const offsets = stepOffsets(active);
  const one = tf.scalar(1);
  const uT = tf.transpose(u!); // [3H, H]
  let next: tf.Tensor2D | undefined;
  const dInputs: tf.Tensor2D[] = new Array(steps);
  const dHidden: tf.Tensor2D[] = new Array(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const n = active[t]!;
    const [r, z, cand, hn, hIn] = [R[t]!, Z[t]!, N[t]!, HN[t]!, hIns[t]!];
    const dh = tf.add(tf.slice(dy, [offsets[t]!, 0], [n, -1]), carriedGrad(next, dy, total, active[t + 1] ?? 0, n));
    const dn = tf.mul(dh, tf.mul(tf.sub(one, z), tf.sub(one, tf.square(cand))));
    const dz = tf.mul(dh, tf.mul(tf.sub(hIn, cand), tf.mul(z, tf.sub(one, z))));
    const dr = tf.mul(dn, tf.mul(hn, tf.mul(r, tf.sub(one, r))));
    dInputs[t] = tf.concat([dr, dz, dn], 1) as tf.Tensor2D; // [n, 3H]
    dHidden[t] = tf.concat([dr, dz, tf.mul(dn, r)], 1) as tf.Tensor2D; // [n, 3H]
    next = tf.add(tf.mul(dh, z), tf.matMul(dHidden[t]!, uT)) as tf.Tensor2D; // [n, H]
  }
  const dH = tf.concat(dHidden, 0) as tf.Tensor2D; // [P, 3H]
  const hPrev = tf.concat(hIns, 0) as tf.Tensor2D; // [P, H]
  return [tf.concat(dInputs, 0), initialGrad(next!, dy, total, rows), tf.matMul(hPrev, dH, true, false), columnSums(dH)];
}
