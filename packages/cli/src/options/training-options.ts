import { TRAINING_DEFAULTS as D } from '@seqloom/seq2seq/defaults';
import type { OptionSpec } from '../option-spec.js';
import { backendOptions } from './backend-options.js';

const G = 'Training:';
const { adam, rmsprop, sgd } = D.optimizers;

/** Optimisation and run-length options of `seqloom train`. */
export const TRAINING_OPTIONS: readonly OptionSpec[] = [
  { name: 'optimizer', kind: 'choice', choices: ['adam', 'rmsprop', 'sgd'], default: D.optimizer, describe: 'optimizer', group: G },
  { name: 'lr', alias: 'learning-rate', kind: 'number', min: 0, minExclusive: true, defaultText: `${adam.learningRate} (adam), ${rmsprop.learningRate} (rmsprop), ${sgd.learningRate} (sgd)`, describe: 'learning rate', group: G },
  { name: 'momentum', kind: 'number', min: 0, max: 1, maxExclusive: true, default: sgd.momentum, describe: 'momentum (sgd, rmsprop)', group: G },
  { name: 'beta1', kind: 'number', min: 0, max: 1, maxExclusive: true, default: adam.beta1, describe: 'Adam β1', group: G },
  { name: 'beta2', kind: 'number', min: 0, max: 1, maxExclusive: true, default: adam.beta2, describe: 'Adam β2', group: G },
  { name: 'rho', kind: 'number', min: 0, max: 1, maxExclusive: true, default: rmsprop.rho, describe: 'RMSProp decay of the squared-gradient average', group: G },
  { name: 'nesterov', kind: 'boolean', default: sgd.nesterov, describe: 'Nesterov momentum (sgd)', group: G },
  {
    name: 'lr-schedule',
    kind: 'choice',
    choices: ['constant', 'step', 'plateau', 'inverse-sqrt', 'cosine', 'linear'],
    default: D.schedule.type,
    describe:
      'learning-rate schedule: constant; step (× --lr-decay every --lr-step-size steps); plateau (× --lr-decay when validation stalls); ' +
      'inverse-sqrt (warmup, then ∝ 1/√step); cosine (warmup, then down to --min-lr); linear (warmup, then down to 0) — cosine and linear over the run\'s steps or its --max-minutes',
    group: G,
  },
  {
    name: 'warmup-steps',
    kind: 'integer',
    min: 0,
    defaultText: `0 (inverse-sqrt: ${D.schedule.warmupSteps})`,
    describe: 'steps of linear warmup from 0 to --lr (inverse-sqrt, cosine, linear)',
    group: G,
  },
  {
    name: 'lr-decay-over',
    kind: 'choice',
    choices: ['steps', 'minutes'],
    defaultText: 'minutes with --max-minutes, else steps (the fewer of --max-steps and --epochs × batches)',
    describe: 'horizon of cosine and linear decay: the run\'s steps, or the --max-minutes budget (training time over all resumed runs)',
    group: G,
  },
  { name: 'lr-decay', kind: 'number', min: 0, minExclusive: true, max: 1, default: D.schedule.decay, describe: 'factor the rate is multiplied by (step, plateau)', group: G },
  { name: 'lr-step-size', kind: 'integer', min: 1, default: D.schedule.stepSize, describe: 'steps between decays (step schedule)', group: G },
  { name: 'lr-patience', kind: 'integer', min: 0, default: D.schedule.patience, describe: 'evaluations without improvement before a decay (plateau)', group: G },
  { name: 'min-lr', kind: 'number', min: 0, default: D.schedule.minLearningRate, describe: 'lowest learning rate (plateau, cosine)', group: G },
  { name: 'clip-norm', kind: 'number', min: 0, default: D.clipNorm, describe: 'clip gradients to this global norm (0 = off)', group: G },
  { name: 'label-smoothing', kind: 'number', min: 0, max: 1, maxExclusive: true, default: D.labelSmoothing, describe: 'label smoothing of the NLL loss', group: G },
  {
    name: 'scheduled-sampling',
    kind: 'number',
    min: 0,
    max: 1,
    default: D.scheduledSampling,
    describe: 'probability of feeding the model its own prediction instead of the gold token',
    group: G,
  },
  { name: 'batch-size', kind: 'integer', min: 1, default: D.batchSize, describe: 'examples per batch', group: G },
  {
    name: 'carry-state',
    kind: 'boolean',
    defaultText: 'on for --task lm',
    describe: 'lm: carry the recurrent state across consecutive windows (truncated BPTT: batches are --batch-size parallel streams over the text, in order); --no-carry-state starts every window from zeros',
    group: G,
  },
  { name: 'eval-batch-size', kind: 'integer', min: 1, defaultText: '--batch-size', describe: 'examples per batch when evaluating', group: G },
  { name: 'epochs', kind: 'integer', min: 1, default: D.epochs, describe: 'passes over the training data', group: G },
  { name: 'max-steps', kind: 'integer', min: 1, defaultText: 'no limit', describe: 'stop after this many steps', group: G },
  { name: 'max-minutes', kind: 'number', min: 0, minExclusive: true, defaultText: 'no limit', describe: 'stop after this many minutes (a checkpoint is written)', group: G },
  { name: 'patience', kind: 'integer', min: 0, default: 0, describe: 'stop after this many evaluations without a better validation loss (0 = off); best/ keeps the best model', group: G },
  { name: 'eval-every', kind: 'integer', min: 1, defaultText: 'once per epoch', describe: 'steps between evaluations on the validation data (each writes a checkpoint)', group: G },
  {
    name: 'eval-every-minutes',
    kind: 'number',
    min: 0,
    minExclusive: true,
    defaultText: 'off',
    describe: 'evaluate (and checkpoint) at every multiple of this many minutes of training time; with --eval-every, whichever is due first',
    group: G,
  },
  {
    name: 'average-last',
    kind: 'integer',
    min: 2,
    defaultText: 'off',
    describe: 'keep the checkpoints of the last N evaluations in <out>/evals/ and, when training ends, write the mean of their weights to <out>/averaged',
    group: G,
  },
  {
    name: 'keep-evals',
    kind: 'integer',
    min: 1,
    defaultText: 'none (--average-last: that many)',
    describe: 'keep the checkpoints of the last N evaluations in <out>/evals/step-<step> (weights only), e.g. to score the learning curve',
    group: G,
  },
  { name: 'log-every', kind: 'integer', min: 1, default: D.logEvery, describe: 'steps between the training records of <out>/metrics.jsonl', group: G },
  { name: 'seed', kind: 'integer', min: 0, default: D.seed, describe: 'seed of initialisation, shuffling, dropout and the validation split', group: G },
  ...backendOptions(G),
  {
    name: 'data-parallel',
    kind: 'integer',
    min: 1,
    max: 16,
    default: D.dataParallel,
    describe: 'threads sharing each batch, each with a copy of the model (as fast as --threads for small models; slower, and more memory, for large ones)',
    group: G,
  },
];

/** Where the run is written, or resumed from. */
export const RUN_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'path', defaultText: 'model', describe: 'folder the checkpoint is written to', group: 'Output:' },
  { name: 'resume', kind: 'path', describe: 'continue training from this checkpoint folder (options saved in it are reused)', group: 'Output:' },
  { name: 'overwrite', kind: 'boolean', default: false, describe: 'replace an existing checkpoint in --out', group: 'Output:' },
  {
    name: 'tensorboard',
    kind: 'path',
    defaultText: 'off',
    describe: 'also write TensorBoard event files to this folder (e.g. <out>/tensorboard): the scalars of metrics.jsonl, decoded validation examples, the run options',
    group: 'Output:',
  },
];
