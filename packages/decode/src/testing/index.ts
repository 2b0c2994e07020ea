/**
 * Table-driven StepModels for testing decoders without tfjs.
 */
export { TableStepModel, type TableModelSpec, type TableModelStats, type TableState, type LogitsFunction } from './table-model.js';
export { bigramModel, scriptedModel, randomTableModel, type RandomModelOptions, type SpecialIds } from './models.js';
