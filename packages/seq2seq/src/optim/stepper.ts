import type { Batch, LossOptions } from '../model-contract.js';

/** The per-step settings of one optimizer step. */
export interface StepSettings {
  learningRate: number;
  /** Global gradient-norm limit; 0 or undefined leaves the gradients as they are. */
  clipNorm: number | undefined;
  loss: LossOptions;
}

/** What one optimizer step produced. */
export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/**
 * Runs optimizer steps: forward + masked NLL → gradients → clip → update, on
 * this thread or shared among worker threads. Training picks one before its
 * loop and calls `step` once per batch.
 */
export interface Stepper {
  step(batch: Batch, settings: StepSettings): Promise<StepResult>;
  /** Releases threads the stepper holds (the model and optimizer stay). */
  close(): Promise<void>;
}
