// @seqloom/seq2seq/model: the contracts behind Seq2SeqModel, for a model of
// one's own (TrainableModel) and for calling model.loss / asStepModel directly.
export type { Batch, LossOptions, TrainableModel } from '../model-contract.js';
export { BatchShapeError } from './batch-layout.js';
export { StepModelUsageError, type StepState } from '../adapter/step-model-adapter.js';
export { CELL_REGISTRY, cellDefinition } from '../cells/cell-registry.js';
export type { CellDefinition, CellGraph, CellGraphStep, CellInitOptions, CellOnnxForm } from '../cells/cell-definition.js';
