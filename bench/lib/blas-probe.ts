import * as tf from '@tensorflow/tfjs';
import type { BenchShape } from './bench-options.js';

/** One matMul shape of the workload: [m, k] × [k, n]. */
export interface ProbeShape {
  label: string;
  m: number;
  k: number;
  n: number;
}

/** The workload's main matMul shapes: the recurrent step, the input projection over a sequence, the output layer. */
export function probeShapes(shape: BenchShape): ProbeShape[] {
  const rows = shape.batch * shape.targetLen;
  return [
    { label: `recurrent [${shape.batch}×${shape.hidden}]·[${shape.hidden}×${4 * shape.hidden}]`, m: shape.batch, k: shape.hidden, n: 4 * shape.hidden },
    { label: `input [${rows}×${shape.emb}]·[${shape.emb}×${4 * shape.hidden}]`, m: rows, k: shape.emb, n: 4 * shape.hidden },
    { label: `output [${rows}×${shape.hidden}]·[${shape.hidden}×${shape.vocab}]`, m: rows, k: shape.hidden, n: shape.vocab },
  ];
}

/** `m,k,n;m,k,n;…` for the anchor's --probe-sgemm. */
export function probeSpec(shapes: ProbeShape[]): string {
  return shapes.map((s) => `${s.m},${s.k},${s.n}`).join(';');
}

/**
 * GFLOP/s of tf.matMul on the active backend at each shape (best timing of repeated runs, ~0.3 s each).
 * Like the anchor's `torch.mm(a, b, out=…)`, it times the product into a reused output (the pool's), not a
 * fresh allocation plus a copy out.
 */
export function probeTfMatMul(shapes: ProbeShape[]): number[] {
  return shapes.map(({ m, k, n }) => {
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    tf.matMul(a, b).dispose();
    let best = Infinity;
    let spent = 0;
    while (spent < 300) {
      const start = performance.now();
      // each product is disposed, so its buffer goes back to the engine's pool as in a training step; CPU backends run the kernel at the call
      for (let i = 0; i < 10; i++) tf.matMul(a, b).dispose();
      const ms = (performance.now() - start) / 10;
      best = Math.min(best, ms);
      spent += ms * 10;
    }
    tf.dispose([a, b]);
    return (2 * m * k * n) / (best / 1000) / 1e9;
  });
}

/**
 * Nominal FLOPs of one training step: forward matMuls of every LSTM layer at
 * full source and target lengths plus the output layer, times 3 (the
 * backward pass does two matMuls per forward one). Pointwise work is not counted.
 */
export function trainStepFlops(shape: BenchShape): number {
  const { batch: b, emb: e, hidden: h, layers, sourceLen: s, targetLen: t, vocab: v } = shape;
  const lstm = (steps: number) => {
    let total = 0;
    for (let layer = 0; layer < layers; layer++) total += 2 * b * steps * ((layer === 0 ? e : h) + h) * 4 * h;
    return total;
  };
  return 3 * (lstm(s) + lstm(t) + 2 * b * t * h * v);
}
