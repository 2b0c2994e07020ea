export type { AttentionType, Batch, CellType, LossOptions, ModelConfig, Task, TrainableModel } from './model-contract.js';
export { type BackendChoice, BackendUnavailableError, setBackend } from './backend.js';
export { registerUnsortedSegmentSum } from './kernels/unsorted-segment-sum.js';
export { ModelConfigError, validateModelConfig } from './model/config.js';
export { BatchShapeError } from './model/batch-layout.js';
export type { CreateModelOptions, PretrainedEmbedding } from './model/parameters.js';
export { Seq2SeqModel } from './model/seq2seq-model.js';
export { StepModelUsageError, type StepState } from './adapter/step-model-adapter.js';
