// Only import-free modules here: the command line reads the table for its help without TensorFlow.js.
import { SCHEDULE_TYPES } from '../optim/lr-schedule.js';
import { OPTIMIZER_DEFAULTS } from '../optim/optimizer-defaults.js';
import { defineTrainOption as row, type TrainOptionDefinition, type TrainOptionValue } from './train-option-definition.js';

/** The optimizers `train` can use. */
export const OPTIMIZER_TYPES = ['adam', 'rmsprop', 'sgd'] as const;

/** Warmup steps of an inverse-sqrt schedule when none are given (cosine and linear: none). */
export const DEFAULT_WARMUP_STEPS = 1000;

const { adam, rmsprop, sgd } = OPTIMIZER_DEFAULTS;

/**
 * Every scalar option of `train`, in the order the command line lists them:
 * its library name, value kind and range, default, the task it applies to and
 * whether a resumed run must keep it. `resolveTrainSettings` validates and
 * defaults the `run` rows from it; the `optimizer` and `schedule` rows are the
 * fields of `FlatOptimizerOptions`, which `optimizerOptionsFrom` and
 * `scheduleOptionsFrom` turn into `TrainOptions.optimizer` and `.schedule`;
 * `TRAINING_DEFAULTS` and the command line's flags are read from it.
 */
export const TRAIN_OPTION_TABLE = [
  row({
    name: 'optimizer',
    kind: 'choice',
    choices: OPTIMIZER_TYPES,
    default: 'adam',
    doc: 'optimizer',
    group: 'optimizer',
    task: 'both',
    fixedOnResume: true,
  }),
  row({
    name: 'learningRate',
    kind: 'number',
    min: 0,
    minExclusive: true,
    defaultText: `${adam.learningRate} (adam), ${rmsprop.learningRate} (rmsprop), ${sgd.learningRate} (sgd)`,
    doc: 'learning rate',
    group: 'optimizer',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'momentum',
    kind: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: sgd.momentum,
    doc: 'momentum (sgd, rmsprop)',
    group: 'optimizer',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'beta1',
    kind: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: adam.beta1,
    doc: 'Adam β1',
    group: 'optimizer',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'beta2',
    kind: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: adam.beta2,
    doc: 'Adam β2',
    group: 'optimizer',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'rho',
    kind: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: rmsprop.rho,
    doc: 'RMSProp decay of the squared-gradient average',
    group: 'optimizer',
    task: 'both',
    fixedOnResume: false,
  }),
  row({ name: 'nesterov', kind: 'boolean', default: sgd.nesterov, doc: 'Nesterov momentum (sgd)', group: 'optimizer', task: 'both', fixedOnResume: false }),
  row({
    name: 'schedule',
    kind: 'choice',
    choices: SCHEDULE_TYPES,
    default: 'constant',
    doc: 'learning-rate schedule',
    group: 'schedule',
    task: 'both',
    fixedOnResume: true,
  }),
  row({
    name: 'warmupSteps',
    kind: 'integer',
    min: 0,
    defaultText: `0 (inverse-sqrt: ${DEFAULT_WARMUP_STEPS})`,
    doc: 'steps of linear warmup from 0 to the learning rate (inverse-sqrt, cosine, linear; fixed on resume for them)',
    group: 'schedule',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'decay',
    kind: 'number',
    min: 0,
    minExclusive: true,
    max: 1,
    default: 0.5,
    doc: 'factor the rate is multiplied by (step; plateau: below 1)',
    group: 'schedule',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'stepSize',
    kind: 'integer',
    min: 1,
    default: 1000,
    doc: 'steps between decays (step schedule)',
    group: 'schedule',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'patience',
    kind: 'integer',
    min: 0,
    default: 2,
    doc: 'evaluations without improvement before a decay (plateau)',
    group: 'schedule',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'minLearningRate',
    kind: 'number',
    min: 0,
    default: 0,
    doc: 'lowest learning rate (plateau, cosine)',
    group: 'schedule',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'clipNorm',
    kind: 'number',
    min: 0,
    default: 5,
    doc: 'clip gradients to this global norm (0 = off)',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'labelSmoothing',
    kind: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 0,
    doc: 'label smoothing of the NLL loss',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'scheduledSampling',
    kind: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 0,
    doc: 'probability of feeding the model its own prediction instead of the gold token',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({ name: 'batchSize', kind: 'integer', min: 1, default: 32, doc: 'examples per batch', group: 'run', task: 'both', fixedOnResume: true }),
  row({ name: 'bucketChunk', kind: 'integer', min: 1, default: 16, doc: 'sort-by-length chunk, in batches', group: 'run', task: 'both', fixedOnResume: true }),
  row({
    name: 'carryState',
    kind: 'boolean',
    defaultText: 'on for lm',
    doc: 'carry the recurrent state across consecutive windows (truncated BPTT)',
    group: 'run',
    task: 'lm',
    fixedOnResume: true,
  }),
  row({
    name: 'evalBatchSize',
    kind: 'integer',
    min: 1,
    defaultText: 'batchSize',
    doc: 'examples per batch when evaluating',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({ name: 'epochs', kind: 'integer', min: 1, default: 10, doc: 'passes over the training data', group: 'run', task: 'both', fixedOnResume: false }),
  row({
    name: 'maxSteps',
    kind: 'integer',
    min: 1,
    defaultText: 'no limit',
    doc: 'stop after this many optimizer steps in total',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'maxMinutes',
    kind: 'number',
    min: 0,
    minExclusive: true,
    defaultText: 'no limit',
    doc: 'stop after this many minutes of training time, over all resumed runs',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'evalEvery',
    kind: 'integer',
    min: 1,
    defaultText: 'once per epoch',
    doc: 'steps between evaluations (each writes a checkpoint)',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'evalEveryMinutes',
    kind: 'number',
    min: 0,
    minExclusive: true,
    defaultText: 'off',
    doc: 'evaluate (and checkpoint) at every multiple of this many minutes of training time',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'averageLast',
    kind: 'integer',
    min: 2,
    expected: 'an integer >= 2 (checkpoints to average)',
    defaultText: 'off',
    doc: 'average the weights of the last N evaluation checkpoints when training ends',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'keepEvaluations',
    kind: 'integer',
    min: 1,
    defaultText: 'none (averageLast: that many)',
    doc: 'keep the checkpoints of the last N evaluations',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'logEvery',
    kind: 'integer',
    min: 1,
    default: 10,
    doc: 'steps between the training records of metrics.jsonl',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
  row({
    name: 'seed',
    kind: 'integer',
    default: 42,
    doc: 'seed of initialisation, shuffling, dropout and the validation split',
    group: 'run',
    task: 'both',
    fixedOnResume: true,
  }),
  row({
    name: 'dataParallel',
    kind: 'integer',
    min: 1,
    max: 16,
    default: 1,
    doc: 'threads sharing each batch, each with a copy of the model',
    group: 'run',
    task: 'both',
    fixedOnResume: false,
  }),
] as const;

/** A row of `TRAIN_OPTION_TABLE`. */
export type TrainOptionRow = (typeof TRAIN_OPTION_TABLE)[number];

/** The name of a training option of the table. */
export type TrainOptionName = TrainOptionRow['name'];

/** The table's options of one group, as optional fields of their value types. */
export type TrainOptionFields<G extends TrainOptionRow['group']> = {
  [R in Extract<TrainOptionRow, { group: G }> as R['name']]?: TrainOptionValue<R>;
};

const BY_NAME: ReadonlyMap<string, TrainOptionDefinition> = new Map(TRAIN_OPTION_TABLE.map((r) => [r.name, r as TrainOptionDefinition]));

/** The row of option `name`. */
export function trainOption<N extends TrainOptionName>(name: N): Extract<TrainOptionRow, { name: N }> {
  return BY_NAME.get(name) as Extract<TrainOptionRow, { name: N }>;
}

/** The default of option `name` (only for rows that have one). */
export function trainOptionDefault<N extends TrainOptionName>(name: N): TrainOptionValue<Extract<TrainOptionRow, { name: N }>> {
  const value = BY_NAME.get(name)?.default;
  if (value === undefined) throw new Error(`train option ${name} has no single default`);
  return value as TrainOptionValue<Extract<TrainOptionRow, { name: N }>>;
}
