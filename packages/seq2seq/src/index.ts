// @seqloom/seq2seq under Node: everything of the browser entry (browser.ts:
// configuration, the model, loading checkpoints for inference from a reader,
// a URL or picked files, the text pipeline) plus training, checkpoints on
// disk, the Node backends and evaluation. Building blocks are under the
// subpaths listed in README.md (./model, ./data, ./kernels, ./parallel; the
// command line's own pieces under ./tooling, with no stability promise). The
// export list is pinned by test/public-api.test.ts: adding a name here is a
// decision, not a side effect.

export * from './browser.js';

// Configuration and model
export type { CreateModelOptions, PretrainedEmbedding } from './model/parameters.js';

// Backend: the Node backends (tensorflow, native, threaded wasm) take the place of the browser's setBackend
export { type BackendChoice, describeBackend, setBackend } from './backend.js';

// Training
export { NonFiniteLossError, TrainingError } from './training-error.js';
export type { CheckpointEvent, EvalEvent, TrainCallbacks, TrainOptions, TrainStepEvent } from './train/train-options.js';
export { train, type TrainSummary } from './train/train.js';

// Checkpoints on disk
export { saveCheckpoint } from './checkpoint/save-checkpoint.js';
export { loadCheckpoint } from './checkpoint/load-checkpoint.js';

// Text pipeline: data → tokenizers → examples, loading a folder, evaluation
export { DataError } from './data/data-error.js';
export { prepareTrainingData, type TrainingData } from './pipeline/training-data.js';
export { preprocessTrainingData, type PreprocessOptions } from './pipeline/preprocess-data.js';
export { loadTrainedModel } from './pipeline/trained-model.js';
export { evaluateTrainedModel, readEvaluationData, type EvaluationData, type EvaluationReport } from './pipeline/evaluate-model.js';
