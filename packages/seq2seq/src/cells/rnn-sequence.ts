import * as tf from '@tensorflow/tfjs';
import { canFuseRnnCell, fusedRnnCell } from './fused-cells.js';
import { columnSums, matMulAT, matMulBT, perStep, previousStates } from './sequence-tools.js';

/**
 * A tanh RNN layer over a whole time-major sequence as ONE differentiable op
 * (hand-written backward, weight gradients as single matMuls over all steps).
 * Returns h₁ … h_T as [T·B, H].
 */
export function rnnSequence(
  x: tf.Tensor2D, // [T·B, I]
  h0: tf.Tensor2D, // [B, H]
  kernel: tf.Tensor2D, // [I, H]
  recurrent: tf.Tensor2D, // [H, H]
  bias: tf.Tensor1D, // [H]
  steps: number,
): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const [xs, hInit, k, u, b] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[5] as tf.GradSaveFunc;
    const projected = perStep(tf.add(tf.matMul(xs, k), b) as tf.Tensor2D, steps); // T × [B, H]
    const hs: tf.Tensor2D[] = [];
    let h = hInit;
    const fused = canFuseRnnCell(); // the tape is off inside the op's forward: fused on wasm
    for (let t = 0; t < steps; t++) {
      const recurrentPart = tf.matMul(h, u) as tf.Tensor2D;
      h = fused ? fusedRnnCell(projected[t], recurrentPart) : (tf.tanh(tf.add(projected[t], recurrentPart)) as tf.Tensor2D);
      hs.push(h);
    }
    const Hs = tf.concat(hs, 0) as tf.Tensor2D; // [T·B, H]
    save([xs, hInit, k, u, Hs]);
    // tidy: tfjs runs gradient functions outside any scope, so the backward's
    // temporaries would otherwise live until the whole gradient pass ends
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => rnnBackward(dy as tf.Tensor2D, saved as tf.Tensor2D[], steps));
    return { value: Hs, gradFunc };
  });
  return op(x, h0, kernel, recurrent, bias) as tf.Tensor2D;
}

function rnnBackward(dy: tf.Tensor2D, saved: tf.Tensor2D[], steps: number): tf.Tensor[] {
  const [xs, hInit, k, u, Hs] = saved;
  const derivative = tf.sub(tf.scalar(1), tf.square(Hs)) as tf.Tensor2D; // tanh′
  const [dyT, derivativeT] = [dy, derivative].map((all) => perStep(all, steps));
  const uT = tf.transpose(u); // [H, H]
  let dhRec: tf.Tensor2D = tf.zerosLike(hInit);
  const dPre: tf.Tensor2D[] = new Array(steps);
  for (let t = steps - 1; t >= 0; t--) {
    dPre[t] = tf.mul(tf.add(dyT[t], dhRec), derivativeT[t]);
    dhRec = tf.matMul(dPre[t], uT);
  }
  const dP = tf.concat(dPre, 0) as tf.Tensor2D; // [T·B, H]
  return [matMulBT(dP, k), dhRec, matMulAT(xs, dP), matMulAT(previousStates(hInit, Hs), dP), columnSums(dP)];
}

