import type { OptionSpec } from '../option-spec.js';

const G = 'Decoding:';

/**
 * Options of `@seqloom/decode`, shared by `generate`, `eval` and `demo`. Those
 * not given on the command line come from the model's generation.json, then
 * from these defaults.
 */
export const DECODER_OPTIONS: readonly OptionSpec[] = [
  { name: 'decoder', kind: 'choice', choices: ['greedy', 'beam', 'sample', 'exhaustive'], defaultText: "the model's generation.json, else greedy", describe: 'decoding strategy', group: G },
  { name: 'beam-width', kind: 'integer', min: 1, default: 4, describe: 'beam width (beam)', group: G },
  { name: 'n-best', kind: 'integer', min: 1, default: 1, describe: 'hypotheses per input (beam: ≤ beam width; sample: samples)', group: G },
  { name: 'length-penalty', kind: 'choice', choices: ['none', 'avg', 'wu'], default: 'none', describe: 'length normalisation of scores', group: G },
  { name: 'alpha', kind: 'number', min: 0, default: 0.6, describe: 'α of the wu length penalty', group: G },
  { name: 'early-stopping', kind: 'choice', choices: ['bound', 'width'], default: 'bound', describe: 'when beam search stops', group: G },
  { name: 'beam-groups', kind: 'integer', min: 1, default: 1, describe: 'diverse beam search groups (must divide the beam width)', group: G },
  { name: 'diversity', kind: 'number', min: 0, default: 0, describe: 'diverse beam search penalty strength', group: G },
  { name: 'temperature', kind: 'number', min: 0, minExclusive: true, default: 1, describe: 'sampling temperature', group: G },
  { name: 'top-k', kind: 'integer', min: 0, default: 0, describe: 'sample from the k most likely tokens (0 = off)', group: G },
  { name: 'top-p', kind: 'number', min: 0, minExclusive: true, max: 1, default: 1, describe: 'nucleus sampling mass', group: G },
  { name: 'min-p', kind: 'number', min: 0, max: 1, default: 0, describe: 'drop tokens below this share of the top probability', group: G },
  { name: 'typical-p', kind: 'number', min: 0, minExclusive: true, max: 1, default: 1, describe: 'locally typical sampling mass', group: G },
  { name: 'repetition-penalty', kind: 'number', min: 0, minExclusive: true, default: 1, describe: 'penalty for tokens already generated (1 = off)', group: G },
  { name: 'no-repeat-ngram', kind: 'integer', min: 0, default: 0, describe: 'forbid repeating n-grams of this size (0 = off)', group: G },
  { name: 'min-length', kind: 'integer', min: 0, default: 0, describe: 'tokens before the stop token is allowed', group: G },
  { name: 'max-length', kind: 'integer', min: 1, defaultText: "the model's generation.json, else 64", describe: 'most tokens generated per input', group: G },
  { name: 'ban', kind: 'string', array: true, describe: 'text that must not be generated (repeatable)', group: G },
  { name: 'max-time', kind: 'number', min: 0, minExclusive: true, defaultText: 'no limit', describe: 'stop generating after this many seconds per call (finish reason "time")', group: G },
  { name: 'max-search-space', kind: 'integer', min: 1, default: 100000, describe: 'most prefixes exhaustive search may expand per input', group: G },
  { name: 'seed', kind: 'integer', min: 0, defaultText: 'random', describe: 'seed for sampling (same seed, same text)', group: G },
];
