import * as tf from '@tensorflow/tfjs';
import type { KernelPass, SeqKernels } from '../kernels/kernel-set.js';
import { leadingRows } from '../kernels/packed-rows.js';
import { finalRows, initialGrad, stepOffsets } from './packed-steps.js';

/**
 * An LSTM layer over a PACKED sequence as ONE op (see packedLayout): rows
 * sorted by length, longest first, so step t runs only its `active[t]`
 * leading rows, and the packed rows of step t follow those of step t − 1.
 * Given the projected inputs of all packed rows (`x·K + b`, one matMul done
 * by the caller, or rows of a per-token table). Forward: per step one
 * recurrent matMul on the running rows and the kernel set's LSTM cell.
 * Differentiable passes (hand-written BPTT): per step the kernel set's
 * backward cell and one matMul with Uᵀ; the recurrent weight gradient is a
 * single matMul over all steps (h_prevᵀ·dG), and the gradient of the
 * projected inputs is dG itself. Returns [h of every packed row; final h;
 * final c] as [P + 2B, H], finals in sorted order (a row's state after its
 * last step, or its initial state for length 0). A pass that is not
 * differentiable saves nothing for a backward pass.
 */
export function lstmSequence(
  gates: tf.Tensor2D, // [P, 4H] projected inputs, packed
  h0: tf.Tensor2D, // [B, H] sorted
  c0: tf.Tensor2D, // [B, H] sorted
  recurrent: tf.Tensor2D, // [H, 4H]
  active: Int32Array, // [T] running rows per step, non-increasing
  pass: KernelPass,
): tf.Tensor2D {
  const { kernels } = pass;
  const running = active.filter((n) => n > 0); // steps where some row runs
  if (kernels.lstmSequence !== undefined && kernels.lstmSequenceGrad !== undefined)
    return fusedLayer(kernels, gates, h0, c0, recurrent, running, pass.differentiable);
  if (!pass.differentiable) {
    return tf.tidy(() => {
      const run = forwardSteps(kernels, tf.split(gates, Array.from(running), 0) as tf.Tensor2D[], h0, c0, recurrent, running, false);
      return tf.concat([...run.hs, ...run.finals], 0) as tf.Tensor2D;
    });
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const [gs, hInit, cInit, u] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const save = args[4] as tf.GradSaveFunc;
    const run = forwardSteps(kernels, tf.split(gs, Array.from(running), 0) as tf.Tensor2D[], hInit, cInit, u, running, true);
    save([hInit, cInit, u, ...run.acts, ...run.tanhCs, ...run.cs, ...run.hIns]);
    const value = tf.concat([...run.hs, ...run.finals], 0) as tf.Tensor2D; // [P + 2B, H]
    // tidy: tfjs runs gradient functions outside any scope, so the backward's
    // temporaries would otherwise live until the whole gradient pass ends
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => lstmBackward(kernels, dy as tf.Tensor2D, saved as tf.Tensor2D[], running));
    return { value, gradFunc };
  });
  return op(gates, h0, c0, recurrent) as tf.Tensor2D;
}

/** The layer as one kernel of the set, forward and (for differentiable passes) backward. */
function fusedLayer(
  kernels: SeqKernels,
  gates: tf.Tensor2D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  u: tf.Tensor2D,
  active: Int32Array,
  differentiable: boolean,
): tf.Tensor2D {
  if (!differentiable) return kernels.lstmSequence!({ gates, h0, c0, u }, active, false)[0]!;
  const op = tf.customGrad((...args: unknown[]) => {
    const [gs, hInit, cInit, weights] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const save = args[4] as tf.GradSaveFunc;
    const [out, cs, act, tanhC] = kernels.lstmSequence!({ gates: gs, h0: hInit, c0: cInit, u: weights }, active, true) as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    save([hInit, cInit, weights, out, cs, act, tanhC]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [hS, cS, uS, outS, csS, actS, tanhS] = saved as tf.Tensor2D[];
      return kernels.lstmSequenceGrad!({ dy: dy as tf.Tensor2D, out: outS!, cs: csS!, act: actS!, tanhC: tanhS!, h0: hS!, c0: cS!, u: uS! }, active);
    };
    return { value: out, gradFunc };
  });
  return op(gates, h0, c0, u) as tf.Tensor2D;
}

/** What a forward pass over the running steps produced. */
interface ForwardRun {
  hs: tf.Tensor2D[]; // per step [n_t, H]
  cs: tf.Tensor2D[]; // per step [n_t, H]
  acts: tf.Tensor2D[]; // per step [n_t, 4H] activated gates (differentiable passes only)
  tanhCs: tf.Tensor2D[]; // per step [n_t, H] (differentiable passes only)
  hIns: tf.Tensor2D[]; // per step [n_t, H]: the h that entered the step's matMul (differentiable passes only)
  finals: tf.Tensor2D[]; // [final h (B rows, sorted); final c]
}

function forwardSteps(kernels: SeqKernels, xs: tf.Tensor2D[], h0: tf.Tensor2D, c0: tf.Tensor2D, u: tf.Tensor2D, active: Int32Array, full: boolean): ForwardRun {
  const run: ForwardRun = { hs: [], cs: [], acts: [], tanhCs: [], hIns: [], finals: [] };
  let h = h0;
  let c = c0;
  for (let t = 0; t < xs.length; t++) {
    const hIn = leadingRows(h, active[t]!);
    const r = tf.matMul(hIn, u) as tf.Tensor2D; // [n, 4H]
    // the cell reads the leading n rows of c
    const [hNext, cNext, act, tanhC] = full ? kernels.lstmCellFull(xs[t]!, r, c) : kernels.lstmCell(xs[t]!, r, c);
    r.dispose();
    xs[t]!.dispose();
    if (full) {
      run.acts.push(act!);
      run.tanhCs.push(tanhC!);
      run.hIns.push(hIn);
    } else if (hIn !== h) hIn.dispose();
    run.hs.push(hNext);
    run.cs.push(cNext);
    h = hNext;
    c = cNext;
  }
  run.finals = [finalRows(run.hs, h0, active), finalRows(run.cs, c0, active)];
  return run;
}

function lstmBackward(kernels: SeqKernels, dy: tf.Tensor2D, saved: tf.Tensor2D[], active: Int32Array): tf.Tensor[] {
  const steps = active.length;
  const [h0, c0, u] = saved;
  const list = (k: number) => saved.slice(3 + k * steps, 3 + (k + 1) * steps);
  const [acts, tanhCs, cs, hIns] = [0, 1, 2, 3].map(list);
  const rows = h0!.shape[0];
  const total = active.reduce((sum, n) => sum + n, 0);
  const offsets = stepOffsets(active);
  const uT = tf.transpose(u!); // [4H, H]
  let next: [tf.Tensor2D, tf.Tensor2D] | null = null; // [dh, dc] flowing back from the later step
  const dGates: tf.Tensor2D[] = new Array(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const [dhNext, dcNext] = next ?? [dy, dy]; // unread when nothing is carried
    const inputs = { act: acts[t]!, cPrev: t === 0 ? c0! : cs[t - 1]!, tanhC: tanhCs[t]!, dy, dhNext, dcNext };
    const [dG, dcPrev] = kernels.lstmCellGrad(inputs, { outRow: offsets[t]!, finalRow: total, carried: active[t + 1] ?? 0 });
    const dhPrev = tf.matMul(dG, uT) as tf.Tensor2D; // [n, H]
    next?.forEach((used) => used.dispose());
    [acts[t], tanhCs[t]].forEach((used) => used!.dispose());
    next = [dhPrev, dcPrev];
    dGates[t] = dG;
  }
  // rows that never ran (length 0) take their final-state gradient straight to the initial state
  const [dh0, dc0] = next!;
  const dG = tf.concat(dGates, 0) as tf.Tensor2D; // [P, 4H]
  const hPrev = hIns.length === 1 ? hIns[0]! : (tf.concat(hIns, 0) as tf.Tensor2D); // [P, H]
  return [dG, initialGrad(dh0, dy, total, rows), initialGrad(dc0, dy, total + rows, rows), tf.matMul(hPrev, dG, true, false)];
}
