import * as tf from '@tensorflow/tfjs';
import { LSTM_CELL_GRAD_KERNEL, type LstmCellGradAttrs } from '../kernels/lstm-cell-grad.js';
import { canFuseLstmCell, fusedLstmCell, fusedLstmCellFull } from './fused-cells.js';
import { finalRows, leadingRows, rowRange, stepOffsets } from './packed-steps.js';

/**
 * An LSTM layer over a PACKED sequence as ONE differentiable op (see
 * packedLayout): rows sorted by length, longest first, so step t runs only
 * its `active[t]` leading rows, and the packed rows of step t follow those of
 * step t − 1. Given the projected inputs of all packed rows (`x·K + b`, one
 * matMul done by the caller, or rows of a per-token table). Forward: per step
 * one recurrent matMul on the running rows and the fused gates [i, f, g, o].
 * Backward (hand-written BPTT): per step one fused pointwise kernel (wasm)
 * and one matMul with Uᵀ; the recurrent weight gradient is a single matMul
 * over all steps (h_prevᵀ·dG), and the gradient of the projected inputs is
 * dG itself. Returns [h of every packed row; final h; final c] as
 * [P + 2B, H], finals in sorted order (a row's state after its last step, or
 * its initial state for length 0). With no gradient tape recording nothing is
 * saved for a backward pass.
 */
export function lstmSequence(
  gates: tf.Tensor2D, // [P, 4H] projected inputs, packed
  h0: tf.Tensor2D, // [B, H] sorted
  c0: tf.Tensor2D, // [B, H] sorted
  recurrent: tf.Tensor2D, // [H, 4H]
  active: Int32Array, // [T] running rows per step, non-increasing
): tf.Tensor2D {
  const running = active.filter((n) => n > 0); // steps where some row runs
  if (!tf.engine().isTapeOn()) {
    return tf.tidy(() => {
      const run = forwardSteps(tf.split(gates, Array.from(running), 0) as tf.Tensor2D[], h0, c0, recurrent, running, false);
      return tf.concat([...run.hs, ...run.finals], 0) as tf.Tensor2D;
    });
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const [gs, hInit, cInit, u] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const save = args[4] as tf.GradSaveFunc;
    const run = forwardSteps(tf.split(gs, Array.from(running), 0) as tf.Tensor2D[], hInit, cInit, u, running, true);
    save([hInit, cInit, u, ...run.acts, ...run.tanhCs, ...run.cs, ...run.hIns]);
    const value = tf.concat([...run.hs, ...run.finals], 0) as tf.Tensor2D; // [P + 2B, H]
    // tidy: tfjs runs gradient functions outside any scope, so the backward's
    // temporaries would otherwise live until the whole gradient pass ends
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => lstmBackward(dy as tf.Tensor2D, saved as tf.Tensor2D[], running));
    return { value, gradFunc };
  });
  return op(gates, h0, c0, recurrent) as tf.Tensor2D;
}

/** What a forward pass over the running steps produced. */
interface ForwardRun {
  hs: tf.Tensor2D[]; // per step [n_t, H]
  cs: tf.Tensor2D[]; // per step [n_t, H]
  acts: tf.Tensor2D[]; // per step [n_t, 4H] activated gates (training only)
  tanhCs: tf.Tensor2D[]; // per step [n_t, H] (training only)
  hIns: tf.Tensor2D[]; // per step [n_t, H]: the h that entered the step's matMul (training only)
  finals: tf.Tensor2D[]; // [final h (B rows, sorted); final c]
}

/** One forward step on the n leading rows; returns [h, c, act, tanh c] (the last two only when `full`). */
function forwardCell(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D, full: boolean): tf.Tensor2D[] {
  if (canFuseLstmCell()) return full ? fusedLstmCellFull(x, r, c) : fusedLstmCell(x, r, c); // the kernel reads c's leading rows
  return tf.tidy(() => {
    const [gi, gf, gg, go] = tf.split(tf.add(x, r), 4, 1) as tf.Tensor2D[];
    const [i, f, g, o] = [tf.sigmoid(gi), tf.sigmoid(gf), tf.tanh(gg), tf.sigmoid(go)];
    const cNext = tf.add(tf.mul(f, leadingRows(c, x.shape[0])), tf.mul(i, g)) as tf.Tensor2D;
    const tc = tf.tanh(cNext) as tf.Tensor2D;
    const h = tf.mul(o, tc) as tf.Tensor2D;
    return full ? [h, cNext, tf.concat([i, f, g, o], 1) as tf.Tensor2D, tc] : [h, cNext];
  });
}

function forwardSteps(xs: tf.Tensor2D[], h0: tf.Tensor2D, c0: tf.Tensor2D, u: tf.Tensor2D, active: Int32Array, full: boolean): ForwardRun {
  const run: ForwardRun = { hs: [], cs: [], acts: [], tanhCs: [], hIns: [], finals: [] };
  let h = h0;
  let c = c0;
  for (let t = 0; t < xs.length; t++) {
    const hIn = leadingRows(h, active[t]!);
    const r = tf.matMul(hIn, u) as tf.Tensor2D; // [n, 4H]
    const [hNext, cNext, act, tanhC] = forwardCell(xs[t]!, r, c, full);
    r.dispose();
    xs[t]!.dispose();
    if (full) {
      run.acts.push(act!);
      run.tanhCs.push(tanhC!);
      run.hIns.push(hIn);
    } else if (hIn !== h) hIn.dispose();
    run.hs.push(hNext!);
    run.cs.push(cNext!);
    h = hNext!;
    c = cNext!;
  }
  run.finals = [finalRows(run.hs, h0, active), finalRows(run.cs, c0, active)];
  return run;
}

/** One backward step: [dG, dc_prev] for the step's rows (fused kernel on wasm). */
function backwardCell(act: tf.Tensor2D, cPrev: tf.Tensor2D, tanhC: tf.Tensor2D, dy: tf.Tensor2D, next: tf.Tensor2D[], attrs: LstmCellGradAttrs): tf.Tensor2D[] {
  const [dhNext, dcNext] = next.length > 0 ? next : [dy, dy]; // unread when nothing is carried
  if (tf.getKernel(LSTM_CELL_GRAD_KERNEL, tf.getBackend()) !== undefined) {
    const inputs = { act, cPrev, tanhC, dy, dhNext, dcNext };
    return tf.engine().runKernel(LSTM_CELL_GRAD_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor2D[];
  }
  return tf.tidy(() => {
    const [n, width] = act.shape;
    const hidden = width / 4;
    const rows = (dy.shape[0] - attrs.finalRow) / 2;
    const carry = (from: tf.Tensor2D, finalStart: number) =>
      tf.concat([...rowRange(from, 0, attrs.carried), ...rowRange(dy, finalStart + attrs.carried, finalStart + n)], 0);
    const dh = tf.add(tf.slice(dy, [attrs.outRow, 0], [n, hidden]), carry(dhNext!, attrs.finalRow));
    const [i, f, g, o] = tf.split(act, 4, 1);
    const one = tf.scalar(1);
    const dc = tf.add(carry(dcNext!, attrs.finalRow + rows), tf.mul(dh, tf.mul(o, tf.sub(one, tf.square(tanhC)))));
    const dG = tf.concat(
      [
        tf.mul(dc, tf.mul(g, tf.mul(i, tf.sub(one, i)))),
        tf.mul(dc, tf.mul(leadingRows(cPrev, n), tf.mul(f, tf.sub(one, f)))),
        tf.mul(dc, tf.mul(i, tf.sub(one, tf.square(g)))),
        tf.mul(dh, tf.mul(tanhC, tf.mul(o, tf.sub(one, o)))),
      ],
      1,
    ) as tf.Tensor2D;
    return [dG, tf.mul(dc, f) as tf.Tensor2D];
  });
}

function lstmBackward(dy: tf.Tensor2D, saved: tf.Tensor2D[], active: Int32Array): tf.Tensor[] {
  const steps = active.length;
  const [h0, c0, u] = saved;
  const list = (k: number) => saved.slice(3 + k * steps, 3 + (k + 1) * steps);
  const [acts, tanhCs, cs, hIns] = [0, 1, 2, 3].map(list);
  const rows = h0!.shape[0];
  const total = active.reduce((sum, n) => sum + n, 0);
  const offsets = stepOffsets(active);
  const uT = tf.transpose(u!); // [4H, H]
  let next: tf.Tensor2D[] = [];
  const dGates: tf.Tensor2D[] = new Array(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const attrs = { outRow: offsets[t]!, finalRow: total, carried: active[t + 1] ?? 0 };
    const [dG, dcPrev] = backwardCell(acts[t]!, t === 0 ? c0! : cs[t - 1]!, tanhCs[t]!, dy, next, attrs);
    const dhPrev = tf.matMul(dG!, uT) as tf.Tensor2D; // [n, H]
    next.forEach((used) => used.dispose());
    [acts[t], tanhCs[t]].forEach((used) => used!.dispose());
    next = [dhPrev, dcPrev!];
    dGates[t] = dG!;
  }
  // rows that never ran (length 0) take their final-state gradient straight to the initial state
  const hidden = h0!.shape[1];
  const initialGrad = (k: number, start: number) =>
    active[0] === rows ? next[k]! : tf.concat([next[k]!, tf.slice(dy, [start + active[0]!, 0], [rows - active[0]!, hidden])], 0);
  const dG = tf.concat(dGates, 0) as tf.Tensor2D; // [P, 4H]
  const hPrev = hIns.length === 1 ? hIns[0]! : (tf.concat(hIns, 0) as tf.Tensor2D); // [P, H]
  return [dG, initialGrad(0, total), initialGrad(1, total + rows), tf.matMul(hPrev, dG, true, false)];
}
