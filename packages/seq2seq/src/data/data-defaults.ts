// Import-light: the command line reads this table for its help without TensorFlow.js.
import { trainOptionDefault } from '../options/train-option-table.js';

/**
 * The defaults of how training data is read, in one table that the library
 * (`prepareTrainingData`, `prepareExamples`, `preprocessTrainingData`) applies
 * and the command line shows as the defaults of its data flags.
 */
export const DATA_DEFAULTS = Object.freeze({
  /** Share of the data held out for validation when no validation data is given (`--valid-fraction`). */
  validFraction: 0.05,
  /** Tokens predicted per language-model training window (`--window`). */
  window: 128,
  /** Seed of the validation split: the run's seed (`--seed`). */
  seed: trainOptionDefault('seed'),
});
