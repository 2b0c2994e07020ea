import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeUnavailableReason } from '@seqloom/native';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmWindows, makeBatch, planStreams, type SequenceExample } from '../src/data/index.js';
import { Seq2SeqModel, setBackend, TrainingError, train } from '../src/index.js';
import { evaluate } from '../src/training.js';

const V = 9; // pad 0, bos 1, eos 2, unk 3, letters 4..8
const text = 'abcdeedcbaabbccddeeaacceebbddabcdeabcde'.repeat(3);
const encode = (t: string): number[] => [...t].map((c) => 4 + 'abcde'.indexOf(c));
const windowsOf = (size: number): SequenceExample[] => lmWindows(text, { encode, windowSize: size, bosId: 1, eosId: 2 });
const config = { task: 'lm' as const, targetVocabSize: V, hiddenSize: 12, embeddingSize: 6, layers: 2 };
const pad = { padId: 0, sourcePadId: 0 };

let root: string;
beforeAll(async () => {
  await setBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'seqloom-carry-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Summed NLL (nats) of a batch, optionally from a given initial state, and its final state (kept). */
function nll(model: Seq2SeqModel, examples: SequenceExample[], initial?: tf.Tensor2D[][]): { sum: number; final: tf.Tensor2D[][] } {
  const batch = makeBatch(
    examples,
    examples.map((_, i) => i),
    pad,
  );
  let final: tf.Tensor2D[][] = [];
  const loss = tf.tidy(
    () =>
      model
        .loss(batch, {
          training: false,
          ...(initial ? { initialState: initial } : {}),
          onFinalState: (s) => (final = s.map((l) => l.map((t) => tf.keep(t)))),
        })
        .loss.dataSync()[0]!,
  );
  return { sum: loss * batch.tokens, final };
}

describe('planStreams', () => {
  it('puts every window in one batch, row b of batch k+1 continuing row b of batch k, rows a prefix of the streams', () => {
    for (const [windows, batchSize] of [
      [10, 4],
      [9, 4],
      [7, 1],
      [3, 8],
      [32, 8],
      [33, 8],
    ] as const) {
      const plan = planStreams(windows, batchSize);
      expect(plan.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: windows }, (_, i) => i));
      expect(Math.max(...plan.map((b) => b.length))).toBeLessThanOrEqual(batchSize);
      for (let k = 1; k < plan.length; k++) {
        expect(plan[k].length).toBeLessThanOrEqual(plan[k - 1].length);
        plan[k].forEach((w, b) => expect(w).toBe(plan[k - 1][b] + 1));
      }
    }
    expect(planStreams(0, 4)).toEqual([]);
    expect(() => planStreams(5, 0)).toThrow(/batchSize must be a positive integer/);
  });
});

describe('carried state in the model loss', () => {
  it('a window from the previous window’s final state scores as the continuous text does; from zeros it does not', () => {
    const model = Seq2SeqModel.create(config, { seed: 3 });
    const [w1, w2] = windowsOf(12);
    const whole = windowsOf(24)[0]; // the same 24 tokens as one window
    const first = nll(model, [w1]);
    const carried = nll(model, [w2], first.final);
    const zero = nll(model, [w2]);
    const continuous = nll(model, [whole]);
    expect(first.sum + carried.sum).toBeCloseTo(continuous.sum, 3);
    expect(Math.abs(zero.sum - carried.sum)).toBeGreaterThan(1e-3);
    tf.dispose([first.final, carried.final, zero.final, continuous.final].flat(2));
    model.dispose();
  });

  it('no gradient crosses windows: a carried state counts as a constant', () => {
    const model = Seq2SeqModel.create(config, { seed: 4 });
    const [w1, w2] = windowsOf(10);
    const first = nll(model, [w1]);
    const copy = first.final.map((l) => l.map((t) => tf.tensor2d(t.arraySync())));
    const batch = makeBatch([w2], [0], pad);
    const vars = [...model.trainableWeights().values()];
    const grads = (initial: tf.Tensor2D[][]) =>
      tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => model.loss(batch, { training: true, seed: 1, initialState: initial }).loss, vars);
        return vars.map((v) => Array.from(g[v.name]!.dataSync()));
      });
    const fromKept = grads(first.final);
    const fromCopy = grads(copy);
    fromKept.forEach((g, i) => g.forEach((x, j) => expect(x).toBeCloseTo(fromCopy[i][j], 6)));
    tf.dispose([first.final, copy].flat(2));
    model.dispose();
  });

  it('refuses a state of the wrong shape, naming the layer and the expected shape', () => {
    const model = Seq2SeqModel.create(config, { seed: 5 });
    const [w1] = windowsOf(8);
    const wrong = [
      [tf.zeros([2, 12]), tf.zeros([2, 12])],
      [tf.zeros([2, 12]), tf.zeros([2, 12])],
    ] as tf.Tensor2D[][];
    expect(() => nll(model, [w1], wrong)).toThrow(/initialState layer 0 holds \[2, 12\], \[2, 12\]; expected 2 × \[1, 12\]/);
    tf.dispose(wrong.flat());
    model.dispose();
  });
});

// a few dozen tiny steps each; the limit only allows for a busy machine
describe('train({ carryState })', { timeout: 30_000 }, () => {
  const windows = windowsOf(8);
  const base = { train: windows, valid: windows.slice(0, 5), batchSize: 3, optimizer: { type: 'adam' as const, learningRate: 0.01 }, seed: 7 };

  it('is on by default for lm, trains with live tensors flat, and differs from zero-state windows', async () => {
    const losses = async (carryState?: boolean) => {
      const model = Seq2SeqModel.create(config, { seed: 1 });
      const counts: number[] = [];
      const before = tf.memory().numTensors;
      const out: number[] = [];
      await train({
        ...base,
        model,
        maxSteps: 12,
        ...(carryState === undefined ? {} : { carryState }),
        onStep: (e) => void (out.push(e.loss), counts.push(tf.memory().numTensors)),
      });
      expect(tf.memory().numTensors).toBe(before);
      // the same count after every step (with carryState, the state carried to the next step is among them)
      expect(new Set(counts).size).toBe(1);
      model.dispose();
      return out;
    };
    const byDefault = await losses();
    expect(await losses(true)).toEqual(byDefault);
    const zero = await losses(false);
    expect(zero).not.toEqual(byDefault);
  });

  it('a resumed run continues exactly (stream position and carried state are in the checkpoint)', async () => {
    const run = async (outDir: string, options: Record<string, unknown>, stopAt = 0) => {
      const out: number[] = [];
      const model = Seq2SeqModel.create(config, { seed: 2 });
      const controller = new AbortController();
      const onStep = (e: { step: number; loss: number }) => {
        out.push(e.loss);
        if (e.step === stopAt) controller.abort();
      };
      const summary = await train({ ...base, model, maxSteps: 10, evalEvery: 4, outDir, signal: controller.signal, ...options, onStep });
      summary.model.dispose();
      return { out, summary };
    };
    const full = await run(join(root, 'full'), {});
    const part = await run(join(root, 'part'), {}, 6); // mid-epoch (5 batches an epoch), not at an evaluation
    expect(part.summary.steps).toBe(6);
    expect(existsSync(join(root, 'part', 'last', 'carried-state.json'))).toBe(true);
    const rest = await run(join(root, 'part'), { resumeFrom: join(root, 'part') });
    expect(rest.out).toEqual(full.out.slice(6));
    expect(rest.summary.history.map((h) => h.validLoss)).toEqual(full.summary.history.map((h) => h.validLoss));
    await expect(run(join(root, 'part'), { resumeFrom: join(root, 'part'), carryState: false, maxSteps: 12 })).rejects.toThrow(
      /was trained with carryState true, but this run has carryState false/,
    );
  });

  it('evaluates stream windows with the state carried when asked', async () => {
    const model = Seq2SeqModel.create(config, { seed: 6 });
    const zero = await evaluate(model, windows, 4);
    const carried = await evaluate(model, windows, 4, { carryState: true });
    expect(carried.tokens).toBe(zero.tokens);
    expect(carried.loss).not.toBeCloseTo(zero.loss, 4);
    // one stream carries state through the whole text: the loss of the text read as one window
    const one = await evaluate(model, windows, 1, { carryState: true });
    const whole = await evaluate(model, lmWindows(text, { encode, windowSize: 10_000, bosId: 1, eosId: 2 }), 1);
    expect(one.loss).toBeCloseTo(whole.loss, 4);
    model.dispose();
  });

  it('refuses carryState for seq2seq, with dataParallel above 1 and with scheduled sampling', async () => {
    const s2s = Seq2SeqModel.create({ sourceVocabSize: V, targetVocabSize: V, hiddenSize: 8, embeddingSize: 4 });
    const pairs = [{ source: [4, 5], targetIn: [1, 5], targetOut: [5, 2] }];
    await expect(train({ model: s2s, train: pairs, carryState: true, maxSteps: 1 })).rejects.toThrow(TrainingError);
    await expect(train({ model: s2s, train: pairs, carryState: true, maxSteps: 1 })).rejects.toThrow(/carryState is for language models/);
    s2s.dispose();
    const lm = Seq2SeqModel.create(config);
    await expect(train({ ...base, model: lm, dataParallel: 2, maxSteps: 1 })).rejects.toThrow(/carryState needs dataParallel 1/);
    await expect(train({ ...base, model: lm, scheduledSampling: 0.2, maxSteps: 1 })).rejects.toThrow(/carryState cannot be combined with scheduledSampling/);
    await train({ ...base, model: lm, carryState: false, scheduledSampling: 0.2, maxSteps: 1 });
    lm.dispose();
  });
});

describe.skipIf(nativeUnavailableReason() !== undefined)('carried state on the native engine', () => {
  it('a window from the previous window’s final state scores as the continuous text does, and evaluation agrees', async () => {
    await setBackend('native');
    try {
      const model = Seq2SeqModel.create(config, { seed: 3 });
      const [w1, w2] = windowsOf(12);
      const first = nll(model, [w1]);
      const carried = nll(model, [w2], first.final);
      const continuous = nll(model, [windowsOf(24)[0]]);
      expect(first.sum + carried.sum).toBeCloseTo(continuous.sum, 3);
      tf.dispose([first.final, carried.final, continuous.final].flat(2));
      const one = await evaluate(model, windowsOf(8), 1, { carryState: true });
      const whole = await evaluate(model, lmWindows(text, { encode, windowSize: 10_000, bosId: 1, eosId: 2 }), 1);
      expect(one.loss).toBeCloseTo(whole.loss, 4);
      model.dispose();
    } finally {
      await setBackend('wasm');
    }
  });
});
