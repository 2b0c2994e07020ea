import { DECODE_OPTIONS } from '@seqloom/decode';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION } from '../src/checkpoint/default-generation.js';
import { FIXED_TRAINING_SETTINGS } from '../src/checkpoint/resume.js';
import { learningRateProblem } from '../src/optim/learning-rate-bound.js';
import { SCHEDULE_TYPES } from '../src/optim/lr-schedule.js';
import { expectedText, type TrainOptionDefinition } from '../src/options/train-option-definition.js';
import { TRAIN_OPTION_TABLE } from '../src/options/train-option-table.js';
import { generationDefaults } from '../src/train/generation-defaults.js';
import { resolveTrainSettings, type TrainOptions } from '../src/train/train-options.js';
import { TRAINING_DEFAULTS } from '../src/train/training-defaults.js';
import { reverseExamples } from './toy-model.js';

const examples = reverseExamples(8, 3);
const rows: readonly TrainOptionDefinition[] = TRAIN_OPTION_TABLE;
const runRows = rows.filter((r) => r.group === 'run');
const resolve = (extra: Record<string, unknown>) => resolveTrainSettings({ train: examples, outDir: '/tmp/unused', ...extra } as TrainOptions);

/** Values just outside a number row's range (and a wrong type), each of which the library must refuse. */
function outside(row: TrainOptionDefinition): unknown[] {
  if (row.kind === 'boolean') return ['yes', 1];
  if (row.kind === 'choice') return ['nonsense'];
  const bad: unknown[] = ['1', Number.NaN, Infinity];
  if (row.min !== undefined) bad.push(row.minExclusive ? row.min : row.min - (row.kind === 'integer' ? 1 : 1e-9));
  if (row.max !== undefined) bad.push(row.maxExclusive ? row.max : row.max + 1);
  if (row.kind === 'integer') bad.push((row.min ?? 0) + 1.5);
  return bad;
}

describe('TRAIN_OPTION_TABLE', () => {
  it('has one row per name, and TRAINING_DEFAULTS are its defaults', () => {
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    const d = TRAINING_DEFAULTS;
    const expected: Record<string, unknown> = {
      seed: d.seed,
      batchSize: d.batchSize,
      bucketChunk: d.bucketChunk,
      epochs: d.epochs,
      clipNorm: d.clipNorm,
      labelSmoothing: d.labelSmoothing,
      scheduledSampling: d.scheduledSampling,
      dataParallel: d.dataParallel,
      logEvery: d.logEvery,
      optimizer: d.optimizer,
      momentum: d.optimizers.sgd.momentum,
      beta1: d.optimizers.adam.beta1,
      beta2: d.optimizers.adam.beta2,
      rho: d.optimizers.rmsprop.rho,
      nesterov: d.optimizers.sgd.nesterov,
      schedule: d.schedule.type,
      decay: d.schedule.decay,
      stepSize: d.schedule.stepSize,
      patience: d.schedule.patience,
      minLearningRate: d.schedule.minLearningRate,
    };
    for (const [name, value] of Object.entries(expected)) expect(rows.find((r) => r.name === name)?.default, name).toBe(value);
    expect(rows.find((r) => r.name === 'schedule')?.choices).toBe(SCHEDULE_TYPES);
  });

  it('resolveTrainSettings applies the defaults of the run rows', () => {
    const settings = resolve({});
    for (const row of runRows) {
      const value = (settings as unknown as Record<string, unknown>)[row.name];
      if (row.default !== undefined && value !== undefined) expect(value, row.name).toBe(row.default);
    }
    expect(settings.optimizer).toEqual({ type: 'adam', learningRate: 0.001 });
    expect(settings.schedule).toEqual({ type: 'constant' });
  });

  it('resolveTrainSettings refuses every value outside a run row, naming the option and the range of the row', () => {
    for (const row of runRows) {
      for (const value of outside(row)) {
        const message = `train option ${row.name} must be ${expectedText(row)}, got ${JSON.stringify(value)}`;
        expect(() => resolve({ [row.name]: value }), `${row.name} ${String(value)}`).toThrow(message);
      }
    }
  });

  it('says the range of scheduledSampling as the command line does: [0, 1)', () => {
    expect(() => resolve({ scheduledSampling: 1 })).toThrow('train option scheduledSampling must be in [0, 1), got 1');
    expect(resolve({ scheduledSampling: 0.99 }).scheduledSampling).toBe(0.99);
  });

  it('marks the settings a resumed run must keep', () => {
    expect([...FIXED_TRAINING_SETTINGS].sort()).toEqual(['batchSize', 'bucketChunk', 'carryState', 'seed']);
    expect(rows.filter((r) => r.fixedOnResume && r.group !== 'run').map((r) => r.name)).toEqual(['optimizer', 'schedule']);
    expect(rows.find((r) => r.name === 'carryState')?.task).toBe('lm');
  });
});

describe('the learning-rate bound', () => {
  it('refuses an Adam or RMSProp rate whose first update makes weights whose products overflow float32 (1e38), not a large finite one', () => {
    expect(learningRateProblem({ type: 'adam', learningRate: 1e38 })).toMatch(
      /adam moves every weight by up to 1\.00e\+38 .*give a learning rate below 1\.84e\+19/,
    );
    expect(learningRateProblem({ type: 'rmsprop', learningRate: 1e38 })).toMatch(/^rmsprop moves every weight/);
    expect(learningRateProblem({ type: 'adam', learningRate: 1e18 })).toBeUndefined();
    expect(learningRateProblem({ type: 'adam', learningRate: 1e308 })).toMatch(/^the update step it makes \(adam: up to 1\.00e\+308 times the gradient\)/);
  });

  it('leaves a finite SGD step to training, and refuses one that momentum makes infinite', () => {
    expect(learningRateProblem({ type: 'sgd', learningRate: 1e38 })).toBeUndefined();
    expect(learningRateProblem({ type: 'sgd', learningRate: 1e38, momentum: 0.9 })).toMatch(/sgd: up to 1\.00e\+39 times the gradient/);
  });

  it('is checked by resolveTrainSettings before anything is allocated', () => {
    expect(() => resolve({ optimizer: { type: 'adam', learningRate: 1e38 } })).toThrow(/^train option optimizer\.learningRate 1e\+38: adam moves every weight/);
  });
});

describe('generation defaults (maxNewTokens)', () => {
  const fallback = DECODE_OPTIONS.find((o) => o.name === 'maxNewTokens')!.default;

  it('a checkpoint saved without its own has the decode package defaults', () => {
    expect(DEFAULT_GENERATION).toEqual({ strategy: 'greedy', maxNewTokens: fallback });
  });

  it('a trained model gets ceil(1.5 × its longest target) + 4, never below the decode default', () => {
    const long = [{ source: [3], targetIn: [1, ...Array.from({ length: 59 }, () => 3)], targetOut: [...Array.from({ length: 59 }, () => 3), 2] }];
    for (const task of ['seq2seq', 'lm'] as const) {
      expect(generationDefaults(task, examples)).toEqual({ strategy: 'greedy', maxNewTokens: fallback });
      expect(generationDefaults(task, long)).toEqual({ strategy: 'greedy', maxNewTokens: 94 });
    }
  });
});
