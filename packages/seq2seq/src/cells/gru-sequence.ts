import * as tf from '@tensorflow/tfjs';
import { columnSums, matMulAT, matMulBT, perStep, previousStates } from './sequence-tools.js';

/**
 * A GRU layer (PyTorch gate order [r, z, n], reset after the recurrent
 * projection) over a whole time-major sequence as ONE differentiable op, with
 * a hand-written backward whose weight gradients are single matMuls over all
 * steps. Returns h₁ … h_T as [T·B, H].
 */
export function gruSequence(
  x: tf.Tensor2D, // [T·B, I]
  h0: tf.Tensor2D, // [B, H]
  kernel: tf.Tensor2D, // [I, 3H]
  recurrent: tf.Tensor2D, // [H, 3H]
  bias: tf.Tensor1D, // [3H]
  recurrentBias: tf.Tensor1D, // [3H]
  steps: number,
): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const [xs, hInit, k, u, b, bh] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    const save = args[6] as tf.GradSaveFunc;
    const projected = perStep(tf.add(tf.matMul(xs, k), b) as tf.Tensor2D, steps); // T × [B, 3H]
    const lists: tf.Tensor2D[][] = [[], [], [], [], []]; // r, z, n, hn, h
    let h = hInit;
    for (let t = 0; t < steps; t++) {
      const [xr, xz, xn] = tf.split(projected[t], 3, 1);
      const [hr, hz, hn] = tf.split(tf.add(tf.matMul(h, u), bh), 3, 1) as tf.Tensor2D[];
      const r = tf.sigmoid(tf.add(xr, hr)) as tf.Tensor2D;
      const z = tf.sigmoid(tf.add(xz, hz)) as tf.Tensor2D;
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn))) as tf.Tensor2D;
      h = tf.add(n, tf.mul(z, tf.sub(h, n)));
      [r, z, n, hn, h].forEach((tensor, i) => lists[i].push(tensor));
    }
    const [R, Z, N, HN, Hs] = lists.map((list) => tf.concat(list, 0) as tf.Tensor2D); // each [T·B, H]
    save([xs, hInit, k, u, R, Z, N, HN, Hs]);
    // tidy: tfjs runs gradient functions outside any scope, so the backward's
    // temporaries would otherwise live until the whole gradient pass ends
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => gruBackward(dy as tf.Tensor2D, saved as tf.Tensor2D[], steps));
    return { value: Hs, gradFunc };
  });
  return op(x, h0, kernel, recurrent, bias, recurrentBias) as tf.Tensor2D;
}

function gruBackward(dy: tf.Tensor2D, saved: tf.Tensor2D[], steps: number): tf.Tensor[] {
  const [xs, hInit, k, u, R, Z, N, HN, Hs] = saved;
  const one = tf.scalar(1);
  const hPrev = previousStates(hInit, Hs);
  // dn_pre = dh ⊙ p1, dz_pre = dh ⊙ p2, dr_pre = dn_pre ⊙ p3, d(h·U_n) = dn_pre ⊙ r
  const p1 = tf.mul(tf.sub(one, Z), tf.sub(one, tf.square(N))) as tf.Tensor2D;
  const p2 = tf.mul(tf.sub(hPrev, N), tf.mul(Z, tf.sub(one, Z))) as tf.Tensor2D;
  const p3 = tf.mul(HN, tf.mul(R, tf.sub(one, R))) as tf.Tensor2D;
  const [dyT, p1T, p2T, p3T, rT, zT] = [dy, p1, p2, p3, R, Z].map((all) => perStep(all, steps));
  const uT = tf.transpose(u); // [3H, H]
  let dhRec: tf.Tensor2D = tf.zerosLike(hInit);
  const dInputs: tf.Tensor2D[] = new Array(steps);
  const dHidden: tf.Tensor2D[] = new Array(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const dh = tf.add(dyT[t], dhRec);
    const dn = tf.mul(dh, p1T[t]);
    const dz = tf.mul(dh, p2T[t]);
    const dr = tf.mul(dn, p3T[t]);
    dInputs[t] = tf.concat([dr, dz, dn], 1) as tf.Tensor2D; // [B, 3H]
    dHidden[t] = tf.concat([dr, dz, tf.mul(dn, rT[t])], 1) as tf.Tensor2D; // [B, 3H]
    dhRec = tf.add(tf.mul(dh, zT[t]), tf.matMul(dHidden[t], uT));
  }
  const dX = tf.concat(dInputs, 0) as tf.Tensor2D; // [T·B, 3H]
  const dH = tf.concat(dHidden, 0) as tf.Tensor2D; // [T·B, 3H]
  return [matMulBT(dX, k), dhRec, matMulAT(xs, dX), matMulAT(hPrev, dH), columnSums(dX), columnSums(dH)];
}
