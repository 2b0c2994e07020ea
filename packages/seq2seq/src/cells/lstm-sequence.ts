import * as tf from '@tensorflow/tfjs';
import { canFuseLstmCell, fusedLstmCell, fusedLstmCellFull } from './fused-cells.js';
import { matMulAT, perStep, previousStates } from './sequence-tools.js';

/**
 * An LSTM layer over a whole time-major sequence as ONE differentiable op,
 * given the projected inputs of all steps (`x·K + b`, one matMul done by the
 * caller, or rows of a per-token table for an embedding input). Forward: per
 * step one recurrent matMul and the fused gates [i, f, g, o]. Backward
 * (hand-written BPTT): per step a few elementwise ops and one matMul with Uᵀ;
 * the recurrent weight gradient is a single matMul over all steps
 * (h_prevᵀ·dG), and the gradient of the projected inputs is dG itself.
 * Returns [h₁ … h_T ; c₁ … c_T] stacked as [2·T·B, H]. On wasm, each step's
 * pointwise part is one fused kernel; with no gradient tape recording the op
 * skips saving activations altogether.
 */
export function lstmSequence(
  gates: tf.Tensor2D, // [T·B, 4H] projected inputs
  h0: tf.Tensor2D, // [B, H]
  c0: tf.Tensor2D, // [B, H]
  recurrent: tf.Tensor2D, // [H, 4H]
  steps: number,
): tf.Tensor2D {
  if (canFuseLstmCell()) return tf.tidy(() => inferenceForward(perStep(gates, steps), h0, c0, recurrent)); // no tape: nothing to save
  const op = tf.customGrad((...args: unknown[]) => {
    const [gs, hInit, cInit, u] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const save = args[4] as tf.GradSaveFunc;
    const projected = perStep(gs, steps); // T × [B, 4H]
    const [I, F, G, O, C, TC, Hs] = canFuseLstmCell() ? fusedForward(projected, hInit, cInit, u) : opForward(projected, hInit, cInit, u);
    save([hInit, cInit, u, I, F, G, O, C, TC, Hs]);
    const value = tf.concat([Hs, C], 0) as tf.Tensor2D; // [2·T·B, H]
    // tidy: tfjs runs gradient functions outside any scope, so the backward's
    // temporaries would otherwise live until the whole gradient pass ends
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => lstmBackward(dy as tf.Tensor2D, saved as tf.Tensor2D[], steps));
    return { value, gradFunc };
  });
  return op(gates, h0, c0, recurrent) as tf.Tensor2D;
}

/** Forward over all steps with the stock ops; returns I, F, G, O, C, tanh C, H, each [T·B, H]. */
function opForward(projected: tf.Tensor2D[], hInit: tf.Tensor2D, cInit: tf.Tensor2D, u: tf.Tensor2D): tf.Tensor2D[] {
  const lists: tf.Tensor2D[][] = [[], [], [], [], [], [], []]; // i, f, g, o, c, tanh c, h
  let h = hInit;
  let c = cInit;
  for (let t = 0; t < projected.length; t++) {
    // tidy per step: only the saved activations outlive it (peak memory ∝ what backward needs)
    const saved = tf.tidy(() => {
      const [gi, gf, gg, go] = tf.split(tf.add(projected[t], tf.matMul(h, u)), 4, 1) as tf.Tensor2D[];
      const i = tf.sigmoid(gi);
      const f = tf.sigmoid(gf);
      const g = tf.tanh(gg);
      const o = tf.sigmoid(go);
      const cNext = tf.add(tf.mul(f, c), tf.mul(i, g)) as tf.Tensor2D;
      const tc = tf.tanh(cNext);
      return [i, f, g, o, cNext, tc, tf.mul(o, tc) as tf.Tensor2D];
    });
    projected[t].dispose();
    saved.forEach((tensor, n) => lists[n].push(tensor));
    c = saved[4];
    h = saved[6];
  }
  const all = lists.map((list) => tf.concat(list, 0) as tf.Tensor2D);
  lists.flat().forEach((tensor) => tensor.dispose());
  return all;
}

/** Forward only, with the fused cell kernel: [h₁ … h_T ; c₁ … c_T] as [2·T·B, H]. */
function inferenceForward(projected: tf.Tensor2D[], h0: tf.Tensor2D, c0: tf.Tensor2D, u: tf.Tensor2D): tf.Tensor2D {
  const hs: tf.Tensor2D[] = [];
  const cs: tf.Tensor2D[] = [];
  let h = h0;
  let c = c0;
  for (const x of projected) {
    const recurrentPart = tf.matMul(h, u) as tf.Tensor2D;
    [h, c] = fusedLstmCell(x, recurrentPart, c);
    recurrentPart.dispose();
    x.dispose();
    hs.push(h);
    cs.push(c);
  }
  return tf.concat([...hs, ...cs], 0) as tf.Tensor2D;
}

/** The same forward with one fused cell kernel per step (wasm, inside the op's forward, where the tape is off). */
function fusedForward(projected: tf.Tensor2D[], hInit: tf.Tensor2D, cInit: tf.Tensor2D, u: tf.Tensor2D): tf.Tensor2D[] {
  const lists: tf.Tensor2D[][] = [[], [], [], []]; // activated gates, c, tanh c, h
  let h = hInit;
  let c = cInit;
  for (let t = 0; t < projected.length; t++) {
    const recurrentPart = tf.matMul(h, u) as tf.Tensor2D;
    const [hNext, cNext, gates, tanhC] = fusedLstmCellFull(projected[t], recurrentPart, c);
    recurrentPart.dispose();
    projected[t].dispose();
    [gates, cNext, tanhC, hNext].forEach((tensor, n) => lists[n].push(tensor));
    c = cNext;
    h = hNext;
  }
  // one list at a time, each freed right after its concat (peak memory)
  const [gates, C, TC, Hs] = lists.map((list) => {
    const all = tf.concat(list, 0) as tf.Tensor2D;
    list.forEach((tensor) => tensor.dispose());
    return all;
  });
  const [I, F, G, O] = tf.split(gates, 4, 1) as tf.Tensor2D[];
  gates.dispose();
  return [I, F, G, O, C, TC, Hs];
}

function lstmBackward(dy: tf.Tensor2D, saved: tf.Tensor2D[], steps: number): tf.Tensor[] {
  const [hInit, cInit, u, I, F, G, O, C, TC, Hs] = saved;
  const [dHs, dCs] = tf.split(dy, 2, 0) as tf.Tensor2D[]; // gradients arriving at every h_t and c_t
  const one = tf.scalar(1);
  const cPrev = previousStates(cInit, C);
  const hPrev = previousStates(hInit, Hs);
  // Gate-derivative factors for all steps at once: dGates_t = [dc, dc, dc, dh] ⊙ factors_t.
  const factors = tf.concat(
    [
      tf.mul(G, tf.mul(I, tf.sub(one, I))),
      tf.mul(cPrev, tf.mul(F, tf.sub(one, F))),
      tf.mul(I, tf.sub(one, tf.square(G))),
      tf.mul(TC, tf.mul(O, tf.sub(one, O))),
    ],
    1,
  ) as tf.Tensor2D; // [T·B, 4H]
  const throughTanh = tf.mul(O, tf.sub(one, tf.square(TC))) as tf.Tensor2D; // dc += dh ⊙ this
  const [dHsT, dCsT, factorsT, throughT, forgetT] = [dHs, dCs, factors, throughTanh, F].map((all) => perStep(all, steps));
  const uT = tf.transpose(u); // [4H, H]
  let dhRec: tf.Tensor2D = tf.zerosLike(hInit);
  let dcNext: tf.Tensor2D = tf.zerosLike(cInit);
  const dGates: tf.Tensor2D[] = new Array(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const [dG, dhPrev, dcPrev] = tf.tidy(() => {
      const dh = tf.add(dHsT[t], dhRec);
      const dc = tf.add(tf.add(dCsT[t], dcNext), tf.mul(dh, throughT[t]));
      const dGate = tf.mul(tf.concat([dc, dc, dc, dh], 1), factorsT[t]) as tf.Tensor2D; // [B, 4H]
      return [dGate, tf.matMul(dGate, uT), tf.mul(dc, forgetT[t]) as tf.Tensor2D];
    });
    [dhRec, dcNext, dHsT[t], dCsT[t], throughT[t], forgetT[t], factorsT[t]].forEach((used) => used.dispose());
    dGates[t] = dG;
    dhRec = dhPrev;
    dcNext = dcPrev;
  }
  const dG = tf.concat(dGates, 0) as tf.Tensor2D; // [T·B, 4H]
  return [dG, dhRec, dcNext, matMulAT(hPrev, dG)];
}
