import type { TextSink } from '../cli-io.js';
import {
  type EvalProgress,
  estimateRemaining,
  formatDuration,
  formatRate,
  type ProgressPlan,
  type ProgressReporter,
  type StepProgress,
} from './progress-events.js';

/**
 * Progress for logs and pipes: one plain line at the first step and then at
 * most every `intervalMs`, plus a line per evaluation and checkpoint.
 */
export class PlainProgressLog implements ProgressReporter {
  private plan: ProgressPlan = {};
  private startedAt = 0;
  private lastLine = -Infinity;

  constructor(
    private readonly sink: TextSink,
    private readonly now: () => number,
    private readonly intervalMs = 10_000,
  ) {}

  start(plan: ProgressPlan): void {
    this.plan = plan;
    this.startedAt = this.now();
  }

  step(p: StepProgress): void {
    const t = this.now();
    const isLast = this.plan.totalSteps !== undefined && p.step >= this.plan.totalSteps;
    if (t - this.lastLine < this.intervalMs && !isLast) return;
    this.lastLine = t;
    const eta = estimateRemaining(this.plan, p.step, t - this.startedAt);
    const total = this.plan.totalSteps ? `/${this.plan.totalSteps}` : '';
    const epochs = this.plan.epochs ? `/${this.plan.epochs}` : '';
    const parts = [`step ${p.step}${total}`, `epoch ${p.epoch}${epochs}`, `loss ${p.loss.toFixed(4)}`];
    if (p.learningRate !== undefined) parts.push(`lr ${p.learningRate.toPrecision(3)}`);
    if (p.tokensPerSecond !== undefined) parts.push(`${formatRate(p.tokensPerSecond)} tok/s`);
    if (eta !== undefined) parts.push(`eta ${formatDuration(eta)}`);
    this.sink.write(`${parts.join('  ')}\n`);
  }

  evaluation(e: EvalProgress): void {
    const acc = e.accuracy === undefined ? '' : `  accuracy ${(100 * e.accuracy).toFixed(1)}%`;
    this.sink.write(`eval  step ${e.step}  valid loss ${e.loss.toFixed(4)}  ppl ${e.perplexity.toFixed(2)}${acc}${e.best ? '  (best)' : ''}\n`);
  }

  checkpoint(folder: string, step: number): void {
    this.sink.write(`saved step ${step} → ${folder}\n`);
  }

  note(text: string): void {
    this.sink.write(`${text}\n`);
  }

  finish(): void {}
}
