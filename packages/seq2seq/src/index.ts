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
export { NonFiniteLossError, TrainingError, type OptionNames } from './training-error.js';
export {
  OPTIMIZER_DEFAULTS,
  resolveOptimizerOptions,
  type AdamOptions,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerState,
  type RmsPropOptions,
  type SgdOptions,
} from './optim/optimizer.js';
export { createOptimizer } from './optim/create-optimizer.js';
export { optimizerOptionsFrom, scheduleOptionsFrom, type FlatOptimizerOptions } from './optim/flat-optimizer-options.js';
export type { StepSettings, Stepper } from './optim/stepper.js';
export { clipByGlobalNorm } from './optim/clip-by-global-norm.js';
export { createSchedule, type LrSchedule, type ScheduleOptions, type ScheduleState } from './optim/lr-schedule.js';
export { evaluate, type EvaluationMetrics } from './train/evaluate.js';
export type { StepResult } from './optim/stepper.js';
export type { EvaluationRecord, TrainingState } from './checkpoint/training-state.js';
export {
  resolveTrainSettings,
  type CheckpointEvent,
  type EvalEvent,
  type ResolvedTrainSettings,
  type StepEvent,
  type TrainCallbacks,
  type TrainOptions,
} from './train/train-options.js';
export { train, trainStep, type StopReason, type TrainSummary } from './train/train.js';
export { TRAINING_DEFAULTS } from './train/training-defaults.js';
export { generationDefaults } from './train/generation-defaults.js';
export { ResumeOptionError, resumeWithSavedOptions, type SavedRunOptions } from './train/saved-options.js';

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
export { openResumePoint, type ResumePoint } from './checkpoint/resume.js';
export { readRunFile, runRoot, writeRunFile, type RunFile } from './checkpoint/run-file.js';

// Named datasets (the built-in ones are in @seqloom/datasets)
export type { CatalogDataset, DatasetCatalog, MultiReferenceExample, SplitName } from './pipeline/dataset-catalog.js';

// Model
export { type BackendChoice, type BackendOptions, BackendUnavailableError, describeBackend, setBackend } from './backend.js';
export { registerUnsortedSegmentSum } from './kernels/unsorted-segment-sum.js';
export { ModelConfigError, validateModelConfig } from './model/config.js';
export { BatchShapeError } from './model/batch-layout.js';
export type { CreateModelOptions, PretrainedEmbedding } from './model/parameters.js';
export { Seq2SeqModel } from './seq2seq-model.js';
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
