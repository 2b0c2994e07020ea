export type {
  AttentionType,
  Batch,
  CellType,
  LossOptions,
  ModelConfig,
  Task,
  TrainableModel,
} from './model-contract.js';

// Data
export { DataError } from './data/data-error.js';
export { readLines, type NumberedLine } from './data/read-lines.js';
export {
  pairFormatOf,
  readPairs,
  type PairFormat,
  type ReadPairsOptions,
  type ReadPairsResult,
  type TextPair,
} from './data/read-pairs.js';
export { readText } from './data/read-text.js';
export { splitTrainValid, type SplitOptions } from './data/split.js';
export { deriveSeed, SeededRng, type RngState } from './data/seeded-rng.js';
export {
  encodePairs,
  lmWindows,
  shiftTarget,
  type EncodePairsOptions,
  type LmWindowOptions,
  type SequenceExample,
  type TextEncoder,
} from './data/sequence-example.js';
export {
  makeBatch,
  planEpoch,
  planEvaluation,
  type EpochPlanOptions,
  type PadIds,
} from './data/batching.js';
export { dataFingerprint } from './data/data-fingerprint.js';
export { prepareExamples, type PrepareExamplesOptions, type PreparedExamples } from './data/prepare-examples.js';

// Training
export { TrainingError } from './train/training-error.js';
export {
  resolveOptimizerOptions,
  type AdamOptions,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerState,
  type RmsPropOptions,
  type SgdOptions,
} from './train/optimizer.js';
export { createOptimizer } from './train/create-optimizer.js';
export { clipByGlobalNorm } from './train/clip-by-global-norm.js';
export { createSchedule, type LrSchedule, type ScheduleOptions, type ScheduleState } from './train/lr-schedule.js';
export { evaluate, type EvaluationMetrics } from './train/evaluate.js';
export { trainStep, type StepResult } from './train/train-step.js';
export type { EvaluationRecord, TrainingState } from './train/training-state.js';
export {
  resolveTrainSettings,
  type CheckpointEvent,
  type EvalEvent,
  type ResolvedTrainSettings,
  type StepEvent,
  type TrainCallbacks,
  type TrainOptions,
} from './train/train-options.js';
export { train, type StopReason, type TrainSummary } from './train/train.js';

// Checkpoints
export { CheckpointError } from './checkpoint/checkpoint-error.js';
export { CHECKPOINT_FORMAT_VERSION, type CheckpointConfig, type SequenceLengths } from './checkpoint/checkpoint-config.js';
export { seq2seqWeightShapes, type WeightShapes } from './checkpoint/check-shapes.js';
export {
  DEFAULT_GENERATION,
  saveCheckpoint,
  type CheckpointContents,
  type CheckpointTokenizers,
} from './checkpoint/save-checkpoint.js';
export {
  loadCheckpoint,
  loadWeightsInto,
  readCheckpointConfig,
  readOptimizerState,
  readTrainingState,
  resolveCheckpointDir,
  type LoadCheckpointOptions,
  type LoadedCheckpoint,
} from './checkpoint/load-checkpoint.js';
export { writeDirAtomic } from './checkpoint/atomic-dir.js';

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
  loadCmudictSubset,
  pronunciationPairs,
  type CmudictSubsetSizes,
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

// Model
export { type BackendChoice, type BackendOptions, BackendUnavailableError, describeBackend, setBackend } from './backend.js';
export { registerUnsortedSegmentSum } from './kernels/unsorted-segment-sum.js';
export { ModelConfigError, validateModelConfig } from './model/config.js';
export { BatchShapeError } from './model/batch-layout.js';
export type { CreateModelOptions, PretrainedEmbedding } from './model/parameters.js';
export { Seq2SeqModel } from './model/seq2seq-model.js';
export { StepModelUsageError, type StepState } from './adapter/step-model-adapter.js';

// Pipelines: data → tokenizers → examples, loading for inference, text generation, evaluation
export {
  prepareTrainingData,
  groupReferences,
  dataKind,
  type TrainingData,
  type TrainingDataOptions,
} from './pipeline/training-data.js';
export { loadCheckpointTokenizers, loadTrainedModel, type LoadTrainedModelOptions, type TrainedModel } from './pipeline/trained-model.js';
export { DEFAULT_MAX_SEQUENCE_LENGTH, inputTokenLimit } from './pipeline/input-limit.js';
export {
  generateTexts,
  streamText,
  decodingOptions,
  type TextGeneration,
  type TextGenerationOptions,
  type TextHypothesis,
  type TextStreamEvent,
} from './pipeline/text-generation.js';
export {
  readEvaluationData,
  evaluateTrainedModel,
  type EvaluationData,
  type EvaluationReport,
  type EvaluatedExample,
} from './pipeline/evaluate-model.js';
export { registerSeqloomWasmKernels } from './kernels/register-wasm-kernels.js';
export { registerThreadedWasmBackend, threadedWasmThreads, ThreadedWasmError, type ThreadedWasmOptions } from './kernels/threaded-wasm.js';
export { DecodingPool, type DecodingPoolOptions } from './parallel/decoding-pool.js';
export { WorkerPoolError } from './parallel/worker-thread.js';
export { TrainingPool, type TrainingPoolOptions } from './parallel/training-pool.js';
export { splitBatch } from './parallel/split-batch.js';
