export type { StepModel } from './step-model.js';
