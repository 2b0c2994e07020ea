import type { RngState } from '@seqloom/core';
import type { ScheduleState } from '../optim/lr-schedule.js';

/** One evaluation, as kept in the training history. */
export interface EvaluationRecord {
  step: number;
  epoch: number;
  validLoss: number;
  perplexity: number;
  accuracy: number;
  learningRate: number;
}

/**
 * Where training stands (state.json): enough to continue exactly where it
 * stopped. `epoch`/`batchInEpoch` point at the next batch to train.
 */
export interface TrainingState {
  /** Optimizer steps taken. */
  step: number;
  /** Current epoch (0-based). */
  epoch: number;
  /** Index of the next batch in this epoch's plan. */
  batchInEpoch: number;
  /** Generator of the per-step seeds passed to the model (dropout, scheduled sampling). */
  rng: RngState;
  bestValidLoss: number | null;
  bestStep: number | null;
  /** Evaluations since the best one (early-stopping patience counter). */
  evaluationsWithoutImprovement: number;
  schedule: ScheduleState;
  history: EvaluationRecord[];
  /** Training time so far, over all runs of this training (ms). */
  elapsedMs: number;
  /** Target tokens trained on so far. */
  tokensSeen: number;
  /** Identifies the training examples, so a resume on other data is refused. */
  dataFingerprint: string;
}
