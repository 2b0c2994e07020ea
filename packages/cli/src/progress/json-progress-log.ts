import type { TextSink } from '../cli-io.js';
import type { EvalProgress, ProgressPlan, ProgressReporter, StepProgress } from './progress-events.js';

/** `--log-json`: every event as one JSON object per line, for machines. */
export class JsonProgressLog implements ProgressReporter {
  constructor(private readonly sink: TextSink) {}

  private emit(value: Record<string, unknown>): void {
    this.sink.write(`${JSON.stringify(value)}\n`);
  }

  start(plan: ProgressPlan): void {
    this.emit({ event: 'start', ...plan });
  }

  step(p: StepProgress): void {
    this.emit({ event: 'step', ...p });
  }

  evaluation(e: EvalProgress): void {
    this.emit({ event: 'eval', ...e });
  }

  checkpoint(folder: string, step: number): void {
    this.emit({ event: 'checkpoint', folder, step });
  }

  note(text: string): void {
    this.emit({ event: 'note', message: text });
  }

  finish(): void {}
}

/** `--quiet`: shows nothing. */
export class SilentProgress implements ProgressReporter {
  start(): void {}
  step(): void {}
  evaluation(): void {}
  checkpoint(): void {}
  note(): void {}
  finish(): void {}
}
