/** What the run is expected to do, for percentages and ETA. */
export interface ProgressPlan {
  /** Steps the run will take in total, when known. */
  totalSteps?: number;
  epochs?: number;
  /** Wall-clock limit of the run. */
  maxMinutes?: number;
  /** Step the run starts from (non-zero when resuming). */
  startStep?: number;
}

/** One optimisation step. */
export interface StepProgress {
  step: number;
  /** 1-based epoch. */
  epoch: number;
  loss: number;
  learningRate?: number;
  tokensPerSecond?: number;
}

/** One pass over the validation data. */
export interface EvalProgress {
  step: number;
  epoch: number;
  loss: number;
  perplexity: number;
  accuracy?: number;
  /** True when this is the best validation loss so far. */
  best?: boolean;
}

/** Receives training progress and shows it in some form. */
export interface ProgressReporter {
  start(plan: ProgressPlan): void;
  step(progress: StepProgress): void;
  evaluation(progress: EvalProgress): void;
  checkpoint(folder: string, step: number): void;
  /** A status line (e.g. "backend: wasm"). */
  note(text: string): void;
  /** Clears any live display. */
  finish(): void;
}

/** `83` → `1m23s`, `3700` → `1h01m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `12345` → `12.3k`. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '?';
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

/**
 * Estimated seconds left: from the average time per step since the start,
 * capped by the time limit; undefined when neither the step count nor a time
 * limit is known.
 */
export function estimateRemaining(plan: ProgressPlan, step: number, elapsedMs: number): number | undefined {
  const done = step - (plan.startStep ?? 0);
  let remaining: number | undefined;
  if (plan.totalSteps !== undefined && done > 0) {
    remaining = ((elapsedMs / done) * Math.max(0, plan.totalSteps - step)) / 1000;
  }
  if (plan.maxMinutes !== undefined) {
    const left = Math.max(0, plan.maxMinutes * 60 - elapsedMs / 1000);
    remaining = remaining === undefined ? left : Math.min(remaining, left);
  }
  return remaining;
}
