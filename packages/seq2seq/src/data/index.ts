// @seqloom/seq2seq/data: readers, splits, encoding, batching and the seeded
// generator that orders batches. Reading files needs node:fs.
export { DataError } from './data-error.js';
export {
  pairFormatOf,
  readPairs,
  type PairFormat,
  type ReadPairsOptions,
  type ReadPairsResult,
  type TextPair,
} from './read-pairs.js';
export { readText } from './read-text.js';
export { splitTrainValid, type SplitOptions } from './split.js';
export { deriveSeed, SeededRng, type RngState } from './seeded-rng.js';
export {
  encodePairs,
  lmWindows,
  shiftTarget,
  type EncodePairsOptions,
  type LmWindowOptions,
  type SequenceExample,
  type TextCodec,
} from './sequence-example.js';
export { makeBatch, planEpoch, planEvaluation, type EpochPlanOptions, type PadIds } from './batching.js';
export { planStreams } from './stream-batches.js';
export { dataFingerprint } from './data-fingerprint.js';
export { prepareExamples, type PrepareExamplesOptions, type PreparedExamples } from './prepare-examples.js';
