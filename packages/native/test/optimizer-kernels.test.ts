import { ADAM_UPDATE_KERNEL, SUM_OF_SQUARES_KERNEL } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNativeBackend } from '../src/index.js';
import { loadNativeAddon } from '../src/internal.js';
import { unavailable } from './native-available.js';

const attrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: (1e-2 * Math.sqrt(1 - 0.999 ** 3)) / (1 - 0.9 ** 3) };

/** A deterministic tensor (no RNG: identical on both backends). */
function filled(shape: number[], seed: number, positive = false): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 2);
  return tf.tensor(positive ? values.map((v) => v * v) : values, shape);
}

/** Adam in tfjs ops on the cpu backend: the oracle of the fused kernel. */
function adamInOps(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, scale: tf.Scalar): tf.Tensor[] {
  const gs = tf.mul(g, scale);
  const mNext = tf.add(tf.mul(m, attrs.beta1), tf.mul(gs, 1 - attrs.beta1));
  const vNext = tf.add(tf.mul(v, attrs.beta2), tf.mul(tf.square(gs), 1 - attrs.beta2));
  return [tf.sub(w, tf.mul(tf.div(mNext, tf.add(tf.sqrt(vNext), attrs.epsilon)), attrs.stepSize)), mNext, vNext];
}

function inputs(shape: number[], scale: number) {
  return { w: filled(shape, 1), m: filled(shape, 2), v: filled(shape, 3, true), g: filled(shape, 4), scale: tf.scalar(scale) };
}

async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

describe.skipIf(unavailable !== undefined)('the fused optimizer kernels equal tfjs ops on the cpu backend', () => {
  beforeAll(() => registerNativeBackend());

  for (const scale of [1, 0.37]) {
    it(`Adam update of w, m, v in one pass (gradient scale ${scale})`, async () => {
      const shape = [7, 33];
      const expected = await on('cpu', () =>
        tf.tidy(() => {
          const x = inputs(shape, scale);
          return adamInOps(x.w, x.m, x.v, x.g, x.scale).map((t) => Array.from(t.dataSync()));
        }),
      );
      const actual = await on('native', () =>
        tf.tidy(() => {
          const outs = tf.engine().runKernel(ADAM_UPDATE_KERNEL, inputs(shape, scale), attrs) as tf.Tensor[];
          outs.forEach((t) => expect(t.shape).toEqual(shape));
          return outs.map((t) => Array.from(t.dataSync()));
        }),
      );
      actual.forEach((values, k) =>
        values.forEach((value, i) => {
          const e = expected[k]![i]!;
          expect(Math.abs(value - e), `output ${k}[${i}]: ${value} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
        }),
      );
    });
  }

  for (const scale of [Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`Adam update with a non-finite gradient scale (${scale}) gives NaN like tfjs ops, not an addon error`, async () => {
      const shape = [3, 5];
      const expected = await on('cpu', () =>
        tf.tidy(() => {
          const x = inputs(shape, scale);
          return adamInOps(x.w, x.m, x.v, x.g, x.scale).map((t) => Array.from(t.dataSync()));
        }),
      );
      const actual = await on('native', () =>
        tf.tidy(() => {
          const outs = tf.engine().runKernel(ADAM_UPDATE_KERNEL, inputs(shape, scale), attrs) as tf.Tensor[];
          return outs.map((t) => Array.from(t.dataSync()));
        }),
      );
      expect(expected[0]!.every(Number.isNaN)).toBe(true);
      actual.forEach((values) => expect(values.every(Number.isNaN)).toBe(true));
    });
  }

  it('sum of squares over several tensors, and over none', async () => {
    const make = () => [filled([5, 9], 1), filled([300], 2), filled([2, 3, 4], 3)];
    const expected = await on('cpu', () => tf.tidy(() => tf.addN(make().map((t) => tf.sum(tf.square(t)))).dataSync()[0]!));
    const actual = await on('native', () =>
      tf.tidy(() => {
        const named = Object.fromEntries(make().map((t, i) => [`x${i}`, t]));
        const out = tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, named, {}) as tf.Tensor;
        expect(out.shape).toEqual([]);
        return out.dataSync()[0]!;
      }),
    );
    expect(actual).toBeCloseTo(expected, 3);
    expect(Math.abs(actual - expected) / expected).toBeLessThan(1e-6);
    await on('native', () => expect((tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, {}, {}) as tf.Tensor).dataSync()[0]).toBe(0));
  });

  it('bad arguments are thrown errors naming the input', async () => {
    await tf.setBackend('native');
    const addon = loadNativeAddon();
    const f = new Float32Array(8);
    expect(() => addon.adam(f, f, f, new Float32Array(3), f, f, f, 1, 0.9, 0.999, 1e-8, 1e-3)).toThrow(/adam: g has 3 elements, the shapes need 8/);
    expect(() => addon.adam(f, f, f, f, f, f, f, Number.NaN, 0.9, 0.999, 1e-8, 1e-3)).toThrow(/adam: scale must be a finite number/);
    expect(() => addon.sumSquares([1, 2] as unknown as Float32Array)).toThrow(/sumSquares: x must be a Float32Array/);
    tf.tidy(() => {
      const x = inputs([2, 4], 1);
      expect(() => tf.engine().runKernel(ADAM_UPDATE_KERNEL, { ...x, g: tf.zeros([3]) }, attrs)).toThrow(/SeqloomAdamUpdate: g must have w's 8 elements/);
      expect(() => tf.engine().runKernel(ADAM_UPDATE_KERNEL, { ...x, scale: tf.zeros([2]) }, attrs)).toThrow(/scale must be a scalar/);
      expect(() => tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, { x0: tf.zeros([2], 'int32') }, {})).toThrow(/SeqloomSumOfSquares: x0 must be float32/);
    });
  });
});
