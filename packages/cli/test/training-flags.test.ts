import { DECODE_OPTIONS } from '@seqloom/decode';
import { DEFAULT_GENERATION, SCHEDULE_TYPES } from '@seqloom/seq2seq/tooling';
import { TRAIN_OPTION_TABLE, type TrainOptionDefinition } from '@seqloom/seq2seq/tooling/defaults';
import { describe, expect, it } from 'vitest';
import { checkValue, kebabCase } from '../src/option-spec.js';
import { DECODER_OPTIONS } from '../src/options/decoder-options.js';
import { TRAIN_FLAG_FORMS, TRAIN_FLAGS, TRAINING_OPTIONS } from '../src/options/training-options.js';
import { FIXED_ON_RESUME } from '../src/train/run-options.js';
import { trainFlagValues } from '../src/train/train-settings.js';

const rows: readonly TrainOptionDefinition[] = TRAIN_OPTION_TABLE;
const flagOf = (name: string) => TRAIN_FLAGS.find((f) => f.row.name === name)!.spec;

describe('seqloom train flags from TRAIN_OPTION_TABLE', () => {
  it('has a flag for every row but bucketChunk, with the row’s kind, range and default', () => {
    expect(TRAIN_FLAGS.map((f) => f.row.name)).toEqual(rows.map((r) => r.name).filter((n) => n !== 'bucketChunk'));
    for (const { spec, row } of TRAIN_FLAGS) {
      const form = TRAIN_FLAG_FORMS[row.name as keyof typeof TRAIN_FLAG_FORMS];
      expect(spec.name, row.name).toBe(form?.flag ?? kebabCase(row.name));
      expect(spec.kind, row.name).toBe(row.kind);
      expect(spec.max, row.name).toBe(row.max);
      expect(spec.maxExclusive ?? false, row.name).toBe(row.maxExclusive ?? false);
      if (form?.min === undefined) expect([spec.min, spec.minExclusive ?? false], row.name).toEqual([row.min, row.minExclusive ?? false]);
      if (row.default !== undefined && row.defaultText === undefined && form?.defaultText === undefined) expect(spec.default, row.name).toBe(row.default);
    }
    expect(TRAINING_OPTIONS.filter((s) => s.name === 'lr-decay-over' || s.name === 'patience' || s.name === 'backend')).toHaveLength(3);
  });

  it('--scheduled-sampling takes the library range [0, 1): 1 is refused', () => {
    const spec = flagOf('scheduledSampling');
    expect(checkValue(spec, '0.5')).toBe(0.5);
    expect(() => checkValue(spec, '1')).toThrow('--scheduled-sampling must be a number in [0, 1), got 1');
  });

  it('--lr-schedule offers SCHEDULE_TYPES', () => {
    expect(flagOf('schedule')).toMatchObject({ name: 'lr-schedule', choices: SCHEDULE_TYPES });
  });

  it('sets each library option from its flag, by group, with no flag left over', () => {
    const values = trainFlagValues({
      lr: 0.02,
      lrSchedule: 'step',
      lrStepSize: 7,
      keepEvals: 3,
      scheduledSampling: 0.25,
      nesterov: true,
      lrDecayOver: 'steps',
    });
    expect(values).toEqual({
      run: { keepEvaluations: 3, scheduledSampling: 0.25 },
      flat: { learningRate: 0.02, schedule: 'step', stepSize: 7, nesterov: true },
      decayOver: 'steps',
    });
  });

  it('refuses on resume a change of every flag whose row is fixed on resume', () => {
    for (const name of ['seed', 'batch-size', 'optimizer', 'lr-schedule', 'carry-state', 'hidden', 'task', 'window'])
      expect(FIXED_ON_RESUME.has(name), name).toBe(true);
    for (const name of ['lr', 'epochs', 'max-steps', 'scheduled-sampling']) expect(FIXED_ON_RESUME.has(name), name).toBe(false);
  });
});

describe('the maxNewTokens default', () => {
  it('is the decode table’s, for --max-length, and for a checkpoint saved without generation defaults', () => {
    const fallback = DECODE_OPTIONS.find((o) => o.name === 'maxNewTokens')!.default;
    const maxLength = DECODER_OPTIONS.find((s) => s.name === 'max-length')!;
    expect(maxLength.defaultText).toBe(`the model's generation.json, else ${fallback}`);
    expect(DEFAULT_GENERATION.maxNewTokens).toBe(fallback);
  });
});
