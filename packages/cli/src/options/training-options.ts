import { TRAIN_OPTION_TABLE, type TrainOptionDefinition, type TrainOptionName } from '@seqloom/seq2seq/tooling/defaults';
import { kebabCase, type OptionSpec } from '../option-spec.js';
import { backendOptions } from './backend-options.js';

const G = 'Training:';

/**
 * Where a training flag differs from the `TRAIN_OPTION_TABLE` row it sets: a
 * flag name of its own, a help text that names other flags, or a narrower
 * lower bound. Range, kind, choices and default always come from the row.
 */
export interface TrainFlagForm {
  /** The flag name, when it is not the kebab-case option name. */
  flag?: string;
  alias?: string;
  describe?: string;
  defaultText?: string;
  /** A lower bound above the row's (the command line's seeds are ≥ 0). */
  min?: number;
}

/** Flag forms of the rows whose command-line spelling predates the option table; `null`: the row has no flag. */
export const TRAIN_FLAG_FORMS: { readonly [K in TrainOptionName]?: TrainFlagForm | null } = {
  learningRate: { flag: 'lr', alias: 'learning-rate' },
  schedule: {
    flag: 'lr-schedule',
    describe:
      'learning-rate schedule: constant; step (× --lr-decay every --lr-step-size steps); plateau (× --lr-decay when validation stalls); ' +
      "inverse-sqrt (warmup, then ∝ 1/√step); cosine (warmup, then down to --min-lr); linear (warmup, then down to 0) — cosine and linear over the run's steps or its --max-minutes",
  },
  warmupSteps: { describe: 'steps of linear warmup from 0 to --lr (inverse-sqrt, cosine, linear)' },
  decay: { flag: 'lr-decay', describe: 'factor the rate is multiplied by (step; plateau: below 1)' },
  stepSize: { flag: 'lr-step-size' },
  patience: { flag: 'lr-patience' },
  minLearningRate: { flag: 'min-lr' },
  bucketChunk: null,
  carryState: {
    defaultText: 'on for --task lm',
    describe:
      'lm: carry the recurrent state across consecutive windows (truncated BPTT: batches are --batch-size parallel streams over the text, in order); --no-carry-state starts every window from zeros',
  },
  evalBatchSize: { defaultText: '--batch-size' },
  maxSteps: { describe: 'stop after this many steps' },
  maxMinutes: { describe: 'stop after this many minutes (a checkpoint is written)' },
  evalEvery: { describe: 'steps between evaluations on the validation data (each writes a checkpoint)' },
  evalEveryMinutes: {
    describe: 'evaluate (and checkpoint) at every multiple of this many minutes of training time; with --eval-every, whichever is due first',
  },
  averageLast: {
    describe: 'keep the checkpoints of the last N evaluations in <out>/evals/ and, when training ends, write the mean of their weights to <out>/averaged',
  },
  keepEvaluations: {
    flag: 'keep-evals',
    defaultText: 'none (--average-last: that many)',
    describe: 'keep the checkpoints of the last N evaluations in <out>/evals/step-<step> (weights only), e.g. to score the learning curve',
  },
  logEvery: { describe: 'steps between the training records of <out>/metrics.jsonl' },
  seed: { min: 0 },
  dataParallel: {
    describe: 'threads sharing each batch, each with a copy of the model (as fast as --threads for small models; slower, and more memory, for large ones)',
  },
};

/** A training flag: its spec and the table row it sets. */
export interface TrainFlag {
  readonly spec: OptionSpec;
  readonly row: TrainOptionDefinition;
}

function flagSpec(row: TrainOptionDefinition, form: TrainFlagForm): OptionSpec {
  const spec: OptionSpec = { name: form.flag ?? kebabCase(row.name), kind: row.kind, describe: form.describe ?? row.doc, group: G };
  if (form.alias) spec.alias = form.alias;
  if (row.choices) spec.choices = row.choices;
  const min = form.min ?? row.min;
  if (min !== undefined) spec.min = min;
  if (row.minExclusive && form.min === undefined) spec.minExclusive = true;
  if (row.max !== undefined) spec.max = row.max;
  if (row.maxExclusive) spec.maxExclusive = true;
  const defaultText = form.defaultText ?? row.defaultText;
  if (defaultText !== undefined) spec.defaultText = defaultText;
  else if (row.default !== undefined) spec.default = row.default as string | number | boolean;
  return spec;
}

/** One flag per row of `TRAIN_OPTION_TABLE` (except those whose form is `null`), in table order. */
export function trainFlags(
  table: readonly TrainOptionDefinition[] = TRAIN_OPTION_TABLE,
  forms: { readonly [name: string]: TrainFlagForm | null | undefined } = TRAIN_FLAG_FORMS,
): TrainFlag[] {
  return table.filter((row) => forms[row.name] !== null).map((row) => ({ spec: flagSpec(row, forms[row.name] ?? {}), row }));
}

/** The flags of `seqloom train` that set a row of `TRAIN_OPTION_TABLE`. */
export const TRAIN_FLAGS: readonly TrainFlag[] = trainFlags();

/** Training flags of the command line alone, each listed after the flag named first. */
const CLI_ONLY: readonly (readonly [after: string, spec: OptionSpec])[] = [
  [
    'warmup-steps',
    {
      name: 'lr-decay-over',
      kind: 'choice',
      choices: ['steps', 'minutes'],
      defaultText: 'minutes with --max-minutes, else steps (the fewer of --max-steps and --epochs × batches)',
      describe: "horizon of cosine and linear decay: the run's steps, or the --max-minutes budget (training time over all resumed runs)",
      group: G,
    },
  ],
  [
    'max-minutes',
    {
      name: 'patience',
      kind: 'integer',
      min: 0,
      default: 0,
      describe: 'stop after this many evaluations without a better validation loss (0 = off); best/ keeps the best model',
      group: G,
    },
  ],
  ...backendOptions(G).map((spec) => ['seed', spec] as const),
];

function withCliOnly(specs: readonly OptionSpec[]): OptionSpec[] {
  const out: OptionSpec[] = [];
  for (const spec of specs) {
    out.push(spec);
    out.push(...CLI_ONLY.filter(([after]) => after === spec.name).map(([, extra]) => extra));
  }
  return out;
}

/** Optimisation and run-length options of `seqloom train`: the flags of `TRAIN_OPTION_TABLE`, and those of the command line alone. */
export const TRAINING_OPTIONS: readonly OptionSpec[] = withCliOnly(TRAIN_FLAGS.map((f) => f.spec));

/** Where the run is written, or resumed from. */
export const RUN_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'path', defaultText: 'model', describe: 'folder the checkpoint is written to', group: 'Output:' },
  { name: 'resume', kind: 'path', describe: 'continue training from this checkpoint folder (options saved in it are reused)', group: 'Output:' },
  { name: 'overwrite', kind: 'boolean', default: false, describe: 'replace an existing checkpoint in --out', group: 'Output:' },
  {
    name: 'tensorboard',
    kind: 'path',
    defaultText: 'off',
    describe:
      'also write TensorBoard event files to this folder (e.g. <out>/tensorboard): the scalars of metrics.jsonl, decoded validation examples, the run options',
    group: 'Output:',
  },
];
