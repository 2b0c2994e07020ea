import { TrainingError } from '../../training-error.js';

/** The `tensorboard` option of `train()` in its long form. */
export interface TensorBoardOptions {
  /** Folder of the event files (point `tensorboard --logdir` at it or at a folder above it). */
  dir: string;
  /** Validation examples decoded greedily and shown as text after each evaluation; 0 for none [3]. */
  examples?: number;
}

/** Decoded validation examples per evaluation, unless `examples` says otherwise. */
export const DEFAULT_TENSORBOARD_EXAMPLES = 3;

/** The `tensorboard` option checked and filled in, or null when it is off. */
export function resolveTensorBoardOptions(value: string | TensorBoardOptions | undefined, outDir: string | undefined): Required<TensorBoardOptions> | null {
  if (value === undefined) return null;
  const long = typeof value === 'string' ? { dir: value } : value;
  if (typeof long !== 'object' || long === null || typeof long.dir !== 'string' || long.dir === '') {
    throw new TrainingError(`train option tensorboard must be a folder path or { dir, examples? }, got ${JSON.stringify(value)}`);
  }
  const examples = long.examples ?? DEFAULT_TENSORBOARD_EXAMPLES;
  if (!Number.isInteger(examples) || examples < 0) {
    throw new TrainingError(`train option tensorboard.examples must be an integer >= 0, got ${JSON.stringify(long.examples)}`);
  }
  if (!outDir) throw new TrainingError('train option tensorboard needs outDir: its scalars are the records of <outDir>/metrics.jsonl');
  return { dir: long.dir, examples };
}
