// Part of @seqloom/seq2seq/tooling (tooling.ts): the option and result types of the root's text
// pipeline, dataset catalogs, and the helpers the command line uses.
export type { CatalogDataset, DatasetCatalog, MultiReferenceExample, SplitName } from './dataset-catalog.js';
export {
  dataKind,
  groupReferences,
  type TrainingDataOptions,
  type TrainingDataStats,
} from './training-data.js';
export { loadCheckpointTokenizers, type LoadTrainedModelOptions } from './trained-model.js';
export { DEFAULT_MAX_SEQUENCE_LENGTH, inputTokenLimit, outputTokenLimit } from './input-limit.js';
export { decodingOptions, type TextHypothesis, type TextStreamEvent } from './text-generation.js';
export type { EvaluatedExample, EvaluationOptions } from './evaluate-model.js';
export { fullBeam } from './full-beam.js';
export { EnsembleError, ensembleTrainedModels } from './ensemble-model.js';
export { scoreWithStepModel } from './step-model-scoring.js';
export { isBinarisedFolder, readBinarisedHeader, tokenizerFingerprint } from './binarised-data.js';
export { estimateTrainingMemory, type OptimizerKind, type TrainingMemoryEstimate } from './training-memory.js';
