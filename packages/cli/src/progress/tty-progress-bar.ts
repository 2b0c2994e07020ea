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

const REDRAW_MS = 100;

/**
 * A one-line progress bar for terminals, redrawn in place at most ten times
 * a second: epoch, bar, step, loss, tokens/s and ETA. Evaluations and notes
 * are printed as permanent lines above it.
 */
export class TtyProgressBar implements ProgressReporter {
  private plan: ProgressPlan = {};
  private startedAt = 0;
  private lastDraw = -Infinity;
  private shown = false;
  private last: StepProgress | undefined;

  constructor(
    private readonly sink: TextSink,
    private readonly now: () => number,
  ) {}

  start(plan: ProgressPlan): void {
    this.plan = plan;
    this.startedAt = this.now();
  }

  step(progress: StepProgress): void {
    this.last = progress;
    const t = this.now();
    if (t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    this.draw(progress, t);
  }

  evaluation(e: EvalProgress): void {
    const acc = e.accuracy === undefined ? '' : ` accuracy ${(100 * e.accuracy).toFixed(1)}%`;
    this.line(`eval  step ${e.step}: valid loss ${e.loss.toFixed(4)} ppl ${e.perplexity.toFixed(2)}${acc}${e.best ? ' (best)' : ''}`);
  }

  checkpoint(folder: string, step: number): void {
    this.line(`saved step ${step} → ${folder}`);
  }

  note(text: string): void {
    this.line(text);
  }

  finish(): void {
    if (this.shown) this.sink.write('\r\x1b[2K');
    this.shown = false;
  }

  /** Prints a permanent line, then redraws the bar under it. */
  private line(text: string): void {
    this.finish();
    this.sink.write(`${text}\n`);
    if (this.last) this.draw(this.last, this.now());
  }

  private draw(p: StepProgress, t: number): void {
    const columns = this.sink.columns && this.sink.columns > 0 ? this.sink.columns : 80;
    const width = Math.max(40, columns - 1);
    const total = this.plan.totalSteps;
    const fraction = total ? Math.min(1, p.step / total) : undefined;
    const eta = estimateRemaining(this.plan, p.step, t - this.startedAt);
    const epochs = this.plan.epochs ? `/${this.plan.epochs}` : '';
    const head = `epoch ${p.epoch}${epochs} `;
    const tail =
      ` ${fraction === undefined ? '' : `${Math.floor(100 * fraction)}% `}step ${p.step}${total ? `/${total}` : ''}` +
      ` loss ${p.loss.toFixed(3)}` +
      (p.tokensPerSecond === undefined ? '' : ` ${formatRate(p.tokensPerSecond)} tok/s`) +
      ` ETA ${eta === undefined ? '?' : formatDuration(eta)}`;
    const barWidth = Math.max(10, Math.min(30, width - head.length - tail.length - 2));
    const filled = Math.round(barWidth * (fraction ?? 0));
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
    const text = `${head}${bar}${tail}`.slice(0, width);
    this.sink.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }
}
