// @seqloom/seq2seq in a browser (the "browser" condition of the exports map,
// also importable as @seqloom/seq2seq/browser): inference only. Load a
// checkpoint from a base URL or from picked files (checked exactly as a
// folder on disk), run it on the wasm backend (setBackend('wasm', { wasmPaths })),
// decode through the StepModel adapter or the text pipeline. No node: module
// is imported; training, file IO, worker pools and threaded wasm are Node's.

// Configuration and model
export type { AttentionType, CellType, ModelConfig, Task } from './model-contract.js';
export { ModelConfigError, validateModelConfig } from './model/config.js';
export { Seq2SeqModel } from './seq2seq-model.js';
export { StepModelUsageError, type StepState } from './adapter/step-model-adapter.js';

// Backend
export { BackendUnavailableError } from './backend-error.js';
export { describeBackend, setBackend, type BrowserBackendChoice, type BrowserBackendOptions } from './browser-backend.js';

// Checkpoints
export { CheckpointError } from './checkpoint/checkpoint-error.js';
export type { CheckpointConfig } from './checkpoint/checkpoint-config.js';
export type { CheckpointReader, DeclaredName } from './checkpoint/checkpoint-reader.js';
export { readCheckpointFrom, type LoadedCheckpoint, type ReadCheckpointOptions } from './checkpoint/read-checkpoint.js';
export { filesReader, urlReader, type CheckpointFile, type UrlReaderOptions } from './checkpoint/web-readers.js';
export { seq2seqWeightShapes } from './checkpoint/check-shapes.js';

// Text pipeline: loading for inference, generation
export { openTrainedModel, type OpenTrainedModelOptions, type TrainedModel } from './pipeline/open-trained-model.js';
export { loadTrainedModelFromFiles, loadTrainedModelFromUrl, type UrlModelOptions } from './pipeline/web-trained-model.js';
export {
  decodingOptions,
  generateTexts,
  streamText,
  type TextGeneration,
  type TextGenerationOptions,
  type TextHypothesis,
  type TextStreamEvent,
} from './pipeline/text-generation.js';
