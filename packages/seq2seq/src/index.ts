// @seqloom/seq2seq: what a user composes. Building blocks are under the
// subpaths listed in README.md (./model, ./data, ./training, ./checkpoint,
// ./pipeline, ./kernels, ./parallel, ./defaults). The export list is pinned by
// test/public-api.test.ts: adding a name here is a decision, not a side effect.

// Configuration and model
export type { AttentionType, CellType, ModelConfig, Task } from './model-contract.js';
export { ModelConfigError, validateModelConfig } from './model/config.js';
export type { CreateModelOptions, PretrainedEmbedding } from './model/parameters.js';
export { Seq2SeqModel } from './seq2seq-model.js';
export { StepModelUsageError } from './adapter/step-model-adapter.js';

// Backend
export { type BackendChoice, BackendUnavailableError, describeBackend, setBackend } from './backend.js';

// Training
export { NonFiniteLossError, TrainingError } from './training-error.js';
export type { CheckpointEvent, EvalEvent, TrainCallbacks, TrainOptions, TrainStepEvent } from './train/train-options.js';
export { train, type TrainSummary } from './train/train.js';

// Checkpoints
export { CheckpointError } from './checkpoint/checkpoint-error.js';
export { saveCheckpoint } from './checkpoint/save-checkpoint.js';
export { loadCheckpoint, type LoadedCheckpoint } from './checkpoint/load-checkpoint.js';

// Text pipeline: data → tokenizers → examples, loading for inference, generation, evaluation
export { DataError } from './data/data-error.js';
export { prepareTrainingData, type TrainingData } from './pipeline/training-data.js';
export { loadTrainedModel, type TrainedModel } from './pipeline/trained-model.js';
export { generateTexts, streamText, type TextGeneration, type TextGenerationOptions } from './pipeline/text-generation.js';
export { evaluateTrainedModel, readEvaluationData, type EvaluationData, type EvaluationReport } from './pipeline/evaluate-model.js';
