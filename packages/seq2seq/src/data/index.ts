// @seqloom/seq2seq/data: readers, splits, encoding, batching and the seeded
// generator that orders batches. Reading files needs node:fs.
export { DataError } from './data-error.js';
export {
  pairFormatOf,
  readPairs,
  streamPairs,
  type SkipListener,
  type PairFormat,
  type ReadPairsOptions,
  type ReadPairsResult,
  type TextPair,
} from './read-pairs.js';
export { readText } from './read-text.js';
export { MAX_DATA_LINE_BYTES } from './data-lines.js';
export { splitTrainValid, type SplitOptions } from './split.js';
export { deriveSeed, SeededRng, type RngState } from '@seqloom/core';
export {
  encodePairs,
  lmWindows,
  shiftTarget,
  type EncodePairsOptions,
  type LmWindowOptions,
  type SequenceExample,
  type TextCodec,
} from './sequence-example.js';
export {
  epochBatches,
  makeBatch,
  planEpoch,
  planEvaluation,
  type BatchPlan,
  type EpochPlanOptions,
  type Examples,
  type PadIds,
} from './batching.js';
export { ListStore, PairStore, WindowStore, type ExampleStore, type OffsetArray, type TokenArray } from './example-store.js';
export { PairStoreBuilder, tokenArrayFor } from './pair-store-builder.js';
export { exampleList, storeOf } from './example-list.js';
export { DATA_DEFAULTS } from './data-defaults.js';
export {
  BINARISED_FILES,
  BINARISED_FORMAT,
  BINARISED_VERSION,
  checkBinarisedHeader,
  type BinarisedHeader,
  type LongestLengths,
} from './binarised-header.js';
export { BinarisedFiles, BinarisedStore } from './binarised-store.js';
export { planStreams } from './stream-batches.js';
export { dataFingerprint, FingerprintBuilder, longestExample } from './data-fingerprint.js';
export { prepareExamples, type PrepareExamplesOptions, type PreparedExamples } from './prepare-examples.js';
