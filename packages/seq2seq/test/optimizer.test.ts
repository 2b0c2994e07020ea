import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, createOptimizer, createSchedule, type OptimizerOptions } from '../src/training.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Scalar reference implementations (float64) of the update rules. */
function reference(options: OptimizerOptions, grads: number[], w0: number, lr: number): number[] {
  let w = w0;
  let a = 0; // m | ms | buf
  let b = 0; // v | mom
  const out: number[] = [];
  grads.forEach((g, i) => {
    const t = i + 1;
    if (options.type === 'adam') {
      a = 0.9 * a + 0.1 * g;
      b = 0.999 * b + 0.001 * g * g;
      w -= ((lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t)) * (a / (Math.sqrt(b) + 1e-8));
    } else if (options.type === 'rmsprop') {
      a = 0.9 * a + 0.1 * g * g;
      b = 0.5 * b + (lr * g) / (Math.sqrt(a) + 1e-7);
      w -= b;
    } else {
      a = t === 1 ? g : 0.9 * a + g;
      w -= lr * (g + 0.9 * a); // nesterov
    }
    out.push(w);
  });
  return out;
}

const cases: OptimizerOptions[] = [
  { type: 'adam', learningRate: 0.1 },
  { type: 'rmsprop', learningRate: 0.1, momentum: 0.5 },
  { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
];

describe('optimizers', () => {
  for (const options of cases) {
    it(`${options.type} follows its update rule and restores its state exactly`, () => {
      const grads = [0.5, -1.5, 2, 0.25, -0.75, 1];
      const w = tf.variable(tf.tensor1d([1, -2]));
      const variables = new Map([['w', w]]);
      const optimizer = createOptimizer(options, variables);
      const before = tf.memory().numTensors;
      const seen: number[][] = [];
      for (const g of grads.slice(0, 3)) {
        tf.tidy(() => optimizer.apply(new Map([['w', tf.tensor1d([g, 2 * g])]]), 0.1));
        seen.push([...w.dataSync()]);
      }
      expect(tf.memory().numTensors).toBe(before);
      // Save, continue on a fresh optimizer restored from the state: identical numbers.
      const state = optimizer.getState();
      const restored = createOptimizer(options, variables);
      restored.setState(state);
      for (const slot of state.slots.values()) slot.dispose();
      for (const g of grads.slice(3)) {
        tf.tidy(() => restored.apply(new Map([['w', tf.tensor1d([g, 2 * g])]]), 0.1));
        seen.push([...w.dataSync()]);
      }
      const ref0 = reference(options, grads, 1, 0.1);
      const ref1 = reference(options, grads.map((g) => 2 * g), -2, 0.1);
      seen.forEach(([a, b], i) => {
        expect(a).toBeCloseTo(ref0[i], 5);
        expect(b).toBeCloseTo(ref1[i], 5);
      });
      optimizer.dispose();
      restored.dispose();
      w.dispose();
    });
  }

  it('rejects bad options and mismatched state', () => {
    const w = tf.variable(tf.zeros([2]));
    const vars = new Map([['w', w]]);
    expect(() => createOptimizer({ type: 'adam', beta1: 1 }, vars)).toThrow(/optimizer.beta1 must be in \[0, 1\)/);
    expect(() => createOptimizer({ type: 'nadam' } as unknown as OptimizerOptions, vars)).toThrow(/unknown optimizer type "nadam"/);
    const adam = createOptimizer({ type: 'adam' }, vars);
    const sgd = createOptimizer({ type: 'sgd', momentum: 0.9 }, vars);
    const state = adam.getState();
    expect(() => sgd.setState(state)).toThrow(/state is for "adam" but the optimizer is "sgd"/);
    for (const t of state.slots.values()) t.dispose();
    adam.dispose();
    sgd.dispose();
    w.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by one factor only when the global norm exceeds the limit', () => {
    tf.tidy(() => {
      const grads = new Map<string, tf.Tensor>([['a', tf.tensor1d([3, 0])], ['b', tf.tensor1d([0, 4])]]);
      const clipped = clipByGlobalNorm(grads, 1);
      expect(clipped.norm.dataSync()[0]).toBeCloseTo(5);
      expect([...clipped.grads.get('a')!.dataSync()]).toEqual([expect.closeTo(0.6), 0]);
      expect([...clipped.grads.get('b')!.dataSync()]).toEqual([0, expect.closeTo(0.8)]);
      const loose = clipByGlobalNorm(grads, 10);
      expect([...loose.grads.get('b')!.dataSync()]).toEqual([0, 4]);
      expect(clipByGlobalNorm(grads, 0).grads).toBe(grads);
    });
  });
});

describe('learning-rate schedules', () => {
  it('constant and step decay', () => {
    expect(createSchedule({ type: 'constant' }, 0.1).rateAt(1000)).toBe(0.1);
    const step = createSchedule({ type: 'step', every: 10, gamma: 0.1 }, 1);
    expect([0, 9, 10, 25].map((s) => step.rateAt(s))).toEqual([1, 1, 0.1, expect.closeTo(0.01, 10)]);
  });

  it('reduce on plateau lowers the rate after `patience` bad evaluations, not below the minimum', () => {
    const plateau = createSchedule({ type: 'plateau', factor: 0.5, patience: 1, minLearningRate: 0.3 }, 1);
    const rates = [2, 1.5, 1.6, 1.7, 1.8, 1.9, 2, 2.1].map((loss) => {
      plateau.onEvaluation(loss);
      return plateau.rateAt(0);
    });
    expect(rates).toEqual([1, 1, 1, 0.5, 0.5, 0.3, 0.3, 0.3]);
    const copy = createSchedule({ type: 'plateau' }, 1);
    copy.setState(plateau.getState());
    expect(copy.rateAt(0)).toBe(0.3);
  });

  it('rejects bad schedule options', () => {
    expect(() => createSchedule({ type: 'step', every: 5, gamma: 2 }, 1)).toThrow(/gamma must be in \(0, 1\]/);
    expect(() => createSchedule({ type: 'plateau', factor: 1 }, 1)).toThrow(/factor must be in \(0, 1\)/);
    expect(() => createSchedule({ type: 'cosine' } as never, 1)).toThrow(/unknown schedule type "cosine"/);
  });
});
