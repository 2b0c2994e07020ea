export {};

// Metrics
export { editDistance } from './metrics/edit-distance.js';
export { MetricError } from './metrics/metric-error.js';
export {
  sequenceErrorRate,
  tokenErrorRate,
  characterErrorRate,
  wordErrorRate,
  type ErrorRate,
} from './metrics/error-rate.js';
export { exactMatch, type ExactMatch } from './metrics/exact-match.js';
export { tokenize13a } from './metrics/tokenize-13a.js';
export { corpusBleu, type BleuOptions, type BleuScore, type BleuSmoothing, type BleuTokenize } from './metrics/bleu.js';
export { corpusChrF, type ChrFOptions, type ChrFScore } from './metrics/chrf.js';
export {
  scoreGenerations,
  type GenerationsToScore,
  type GenerationScores,
} from './metrics/score-generations.js';

// Built-in datasets
export { DatasetError } from './datasets/dataset-error.js';
export { splitOf, type SplitName, type SplitFractions } from './datasets/stable-split.js';
export {
  loadCmudict,
  pronunciationPairs,
  CMUDICT_SPLIT_SEED,
  type CmudictOptions,
  type CmudictSplits,
  type PronunciationEntry,
} from './datasets/cmudict.js';
export { loadMobyDick, loadMobyDickSections, type MobyDickSection } from './datasets/moby-dick.js';
export {
  BUILTIN_DATASETS,
  isBuiltinDataset,
  loadBuiltinDataset,
  type BuiltinDataset,
  type BuiltinPairDataset,
  type BuiltinTextDataset,
  type MultiReferenceExample,
} from './datasets/builtin-datasets.js';
