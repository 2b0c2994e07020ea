import { TRAINING_DEFAULTS as D } from '@seqloom/seq2seq/tooling/defaults';
import { describe, expect, it } from 'vitest';
import { defaultLabel } from '../src/option-spec.js';
import { TRAINING_OPTIONS } from '../src/options/training-options.js';

const byName = new Map(TRAINING_OPTIONS.map((spec) => [spec.name, spec]));

describe('seqloom train option defaults', () => {
  it('are the library defaults (TRAINING_DEFAULTS)', () => {
    const expected: Record<string, unknown> = {
      optimizer: D.optimizer,
      momentum: D.optimizers.sgd.momentum,
      beta1: D.optimizers.adam.beta1,
      beta2: D.optimizers.adam.beta2,
      rho: D.optimizers.rmsprop.rho,
      nesterov: D.optimizers.sgd.nesterov,
      'lr-schedule': D.schedule.type,
      'lr-decay': D.schedule.decay,
      'lr-step-size': D.schedule.stepSize,
      'lr-patience': D.schedule.patience,
      'min-lr': D.schedule.minLearningRate,
      'clip-norm': D.clipNorm,
      'label-smoothing': D.labelSmoothing,
      'scheduled-sampling': D.scheduledSampling,
      'batch-size': D.batchSize,
      epochs: D.epochs,
      seed: D.seed,
      'data-parallel': D.dataParallel,
    };
    for (const [name, value] of Object.entries(expected)) expect(byName.get(name)?.default, `--${name}`).toBe(value);
    expect(D.optimizers.rmsprop.momentum).toBe(D.optimizers.sgd.momentum);
  });

  it('leave --lr to the chosen optimizer and say so in the help', () => {
    const lr = byName.get('lr')!;
    expect(lr.default).toBeUndefined();
    expect(defaultLabel(lr)).toBe('0.001 (adam), 0.001 (rmsprop), 0.01 (sgd)');
    expect(byName.get('momentum')!.default).toBe(0);
  });
});
