import type { TrainSummary } from '@seqloom/seq2seq';
import type { CommandContext } from '../cli-command.js';
import { seqloomCommand } from '../install-location.js';
import { formatDuration } from '../progress/progress-events.js';

const REASONS: Record<TrainSummary['stopReason'], string> = {
  epochs: 'all epochs done',
  maxSteps: 'reached --max-steps',
  maxMinutes: 'reached --max-minutes',
  earlyStopping: 'early stopping (no better validation loss within --patience evaluations)',
  aborted: 'interrupted',
};

/** Prints how a training run ended and where its model is. */
export function printTrainSummary(ctx: CommandContext, summary: TrainSummary, out: string): void {
  const result = {
    event: 'done',
    stopReason: summary.stopReason,
    steps: summary.steps,
    epoch: summary.epoch,
    tokensSeen: summary.tokensSeen,
    elapsedMs: summary.elapsedMs,
    lastLoss: summary.lastLoss,
    bestValidLoss: summary.bestValidLoss,
    bestStep: summary.bestStep,
    finalMetrics: summary.finalMetrics,
    lastCheckpoint: summary.lastCheckpoint,
    bestCheckpoint: summary.bestCheckpoint,
    averaged: summary.averaged,
    out,
  };
  if (ctx.out.logJson) {
    ctx.out.json(result);
    return;
  }
  const lines = [
    `${summary.stopReason === 'aborted' ? 'stopped' : 'done'}: ${REASONS[summary.stopReason]} after ${summary.steps} steps in ${formatDuration(summary.elapsedMs / 1000)}`,
  ];
  if (summary.bestValidLoss !== null) {
    lines.push(
      `best validation loss ${summary.bestValidLoss.toFixed(4)} (perplexity ${Math.exp(summary.bestValidLoss).toFixed(2)}) at step ${summary.bestStep}`,
    );
  }
  const saved = `model saved in ${out}${summary.bestCheckpoint ? ' (best/ is used for generation, last/ for --resume)' : ''}`;
  lines.push(saved);
  const avg = summary.averaged;
  if (avg) {
    const loss = avg.validLoss === null ? '' : `, validation loss ${avg.validLoss.toFixed(4)}`;
    lines.push(`averaged the checkpoints of steps ${avg.steps.join(', ')} → ${avg.dir}${loss} (use it with --model ${avg.dir})`);
  }
  const seqloom = seqloomCommand();
  lines.push(summary.stopReason === 'aborted' ? `continue with: ${seqloom} train --resume ${out}` : `try it: ${seqloom} generate --model ${out} "<input>"`);
  if (ctx.out.quiet) ctx.out.result(saved);
  else ctx.out.result(lines.join('\n'));
}
