import type { CheckpointEvent, EvalEvent, TrainCallbacks, TrainStepEvent } from '@seqloom/seq2seq';
import type { ProgressReporter } from '../progress/progress-events.js';

/**
 * Adapts the training loop's callbacks to a progress display. Tokens per
 * second are smoothed (exponential moving average) so the display is steady.
 */
export function progressCallbacks(reporter: ProgressReporter): Required<TrainCallbacks> {
  let smoothed: number | undefined;
  return {
    onStep(e: TrainStepEvent) {
      smoothed = smoothed === undefined ? e.tokensPerSecond : 0.9 * smoothed + 0.1 * e.tokensPerSecond;
      reporter.step({ step: e.step, epoch: e.epoch + 1, loss: e.loss, learningRate: e.learningRate, tokensPerSecond: smoothed });
    },
    onEval(e: EvalEvent) {
      reporter.evaluation({ step: e.step, epoch: e.epoch + 1, loss: e.loss, perplexity: e.perplexity, accuracy: e.accuracy, best: e.isBest });
    },
    onCheckpoint(e: CheckpointEvent) {
      if (e.kind === 'last') reporter.checkpoint(e.dir, e.step);
    },
  };
}
