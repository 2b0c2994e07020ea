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
      const ref1 = reference(
        options,
        grads.map((g) => 2 * g),
        -2,
        0.1,
      );
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
      const grads = new Map<string, tf.Tensor>([
        ['a', tf.tensor1d([3, 0])],
        ['b', tf.tensor1d([0, 4])],
      ]);
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

  it('inverse-sqrt warms up linearly, peaks at the end of the warmup, then falls as 1/sqrt(step)', () => {
    const s = createSchedule({ type: 'inverse-sqrt', warmupSteps: 4 }, 0.1);
    // step k is 0-based: the rate of the (k+1)-th update
    expect([0, 1, 2, 3].map((k) => s.rateAt(k))).toEqual([0.025, 0.05, expect.closeTo(0.075, 12), 0.1]);
    expect(s.rateAt(15)).toBeCloseTo(0.1 * Math.sqrt(4 / 16), 12);
    expect(s.rateAt(399)).toBeCloseTo(0.01, 12);
    expect(s.getState().learningRate).toBeCloseTo(0.01, 12); // the last rate given is kept
  });

  it('cosine over steps: warmup, then half a cosine from the rate to the minimum at the horizon', () => {
    const s = createSchedule({ type: 'cosine', warmupSteps: 2, totalSteps: 12, minLearningRate: 0.1 }, 1);
    expect([0, 1].map((k) => s.rateAt(k))).toEqual([0.5, 1]);
    expect(s.rateAt(2)).toBe(1); // the decay starts after the warmup
    expect(s.rateAt(7)).toBeCloseTo(0.55, 12); // halfway: (1 + 0.1) / 2
    expect(s.rateAt(12)).toBeCloseTo(0.1, 12);
    expect(s.rateAt(500)).toBeCloseTo(0.1, 12); // past the horizon it stays at the minimum
    const rates = Array.from({ length: 11 }, (_, k) => s.rateAt(k + 2));
    expect(rates.every((r, i) => i === 0 || r < rates[i - 1]!)).toBe(true);
  });

  it('linear decays to zero over steps, and over minutes of training time', () => {
    const steps = createSchedule({ type: 'linear', totalSteps: 10 }, 0.5);
    expect([0, 5, 9, 10].map((k) => steps.rateAt(k))).toEqual([0.5, 0.25, expect.closeTo(0.05, 12), 0]);
    const minutes = createSchedule({ type: 'linear', totalMinutes: 60 }, 0.5);
    // the step does not matter, the share of the 60-minute budget does
    expect(minutes.rateAt(0, 0)).toBe(0.5);
    expect(minutes.rateAt(3, 15 * 60_000)).toBeCloseTo(0.375, 12);
    expect(minutes.rateAt(9999, 15 * 60_000)).toBeCloseTo(0.375, 12);
    expect(minutes.rateAt(10, 60 * 60_000)).toBe(0);
    expect(minutes.rateAt(10, 90 * 60_000)).toBe(0);
    const cosine = createSchedule({ type: 'cosine', totalMinutes: 10, warmupSteps: 10 }, 1);
    expect(cosine.rateAt(4, 30_000)).toBeCloseTo(0.5 * (0.5 * (1 + Math.cos(Math.PI * 0.05))), 12);
    expect(cosine.rateAt(100, 5 * 60_000)).toBeCloseTo(0.5, 12);
  });

  it('a decaying schedule continues from a saved state without a jump', () => {
    const s = createSchedule({ type: 'cosine', totalMinutes: 1 }, 1);
    const before = s.rateAt(10, 30_000);
    const resumed = createSchedule({ type: 'cosine', totalMinutes: 1 }, 1);
    resumed.setState(s.getState());
    expect(resumed.getState().learningRate).toBe(before);
    expect(resumed.rateAt(11, 30_001)).toBeCloseTo(before, 4);
  });

  it('rejects bad schedule options', () => {
    expect(() => createSchedule({ type: 'step', every: 5, gamma: 2 }, 1)).toThrow(/gamma must be in \(0, 1\]/);
    expect(() => createSchedule({ type: 'plateau', factor: 1 }, 1)).toThrow(/factor must be in \(0, 1\)/);
    expect(() => createSchedule({ type: 'warm' } as never, 1)).toThrow(
      /unknown schedule type "warm"; use "constant", "step", "plateau", "inverse-sqrt", "cosine", "linear"/,
    );
    expect(() => createSchedule({ type: 'inverse-sqrt', warmupSteps: 0 }, 1)).toThrow(/inverse-sqrt needs warmupSteps >= 1/);
    expect(() => createSchedule({ type: 'cosine' } as never, 1)).toThrow(/cosine needs its horizon: totalSteps .* or totalMinutes/);
    expect(() => createSchedule({ type: 'linear', totalSteps: 5, totalMinutes: 1 } as never, 1)).toThrow(/exactly one/);
    expect(() => createSchedule({ type: 'linear', totalSteps: 5, warmupSteps: 5 }, 1)).toThrow(/warmupSteps \(5\) must be below totalSteps \(5\)/);
    expect(() => createSchedule({ type: 'cosine', totalMinutes: -1 }, 1)).toThrow(/totalMinutes must be a positive number/);
    expect(() => createSchedule({ type: 'cosine', totalSteps: 9, minLearningRate: 2 }, 1)).toThrow(/minLearningRate must be in \[0, 1\]/);
    expect(() => createSchedule({ type: 'linear', totalSteps: 9, warmupSteps: 1.5 }, 1)).toThrow(/warmupSteps must be a non-negative integer/);
  });
});
