import type { EvalEvent, TrainCallbacks } from '@seqloom/seq2seq';
import type { ProgressReporter } from '../progress/progress-events.js';
import { progressCallbacks } from '../train/training-progress.js';

/** What the demo says of its validation passes once training ends. */
export interface DemoEvaluations {
  count: number;
  best?: EvalEvent;
}

/**
 * The demo's training display: the progress lines only. Its many
 * evaluations and checkpoints (every 150 steps) are summed up in one line at
 * the end ({@link evaluationSummary}) instead of a line each; `verbose` (the
 * JSON log) keeps every event.
 */
export function demoProgressCallbacks(reporter: ProgressReporter, verbose: boolean): { callbacks: Required<TrainCallbacks>; evaluations: DemoEvaluations } {
  const callbacks = progressCallbacks(reporter);
  const evaluations: DemoEvaluations = { count: 0 };
  return {
    evaluations,
    callbacks: {
      ...callbacks,
      onEval(e) {
        evaluations.count += 1;
        if (e.isBest) evaluations.best = e;
        if (verbose) callbacks.onEval(e);
      },
      onCheckpoint(e) {
        if (verbose) callbacks.onCheckpoint(e);
      },
    },
  };
}

/** `validation: 71 evaluations; best loss 0.4123 (token accuracy 88.1%) at step 10500`, or undefined before any. */
export function evaluationSummary(evaluations: DemoEvaluations): string | undefined {
  const best = evaluations.best;
  if (evaluations.count === 0 || best === undefined) return undefined;
  const times = evaluations.count === 1 ? '1 evaluation' : `${evaluations.count} evaluations`;
  return `validation: ${times}; best loss ${best.loss.toFixed(4)} (token accuracy ${(100 * best.accuracy).toFixed(1)}%) at step ${best.step}`;
}
