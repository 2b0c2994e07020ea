import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainingError } from '../training-error.js';
import { TRAINING_DEFAULTS } from './training-defaults.js';

/** File name of the metrics log in a run folder. */
export const METRICS_FILE = 'metrics.jsonl';

/** Training steps between two training records, unless `logEvery` says otherwise. */
export const DEFAULT_LOG_EVERY: number = TRAINING_DEFAULTS.logEvery;

/** One line of `metrics.jsonl` written every `logEvery` steps. */
export interface TrainMetricsRecord {
  kind: 'train';
  step: number;
  /** Epoch of the record's last step (0-based). */
  epoch: number;
  /** Training time since the run started, over all resumed runs (seconds). */
  elapsedSeconds: number;
  /** Mean training loss of the steps since the previous training record. */
  loss: number;
  /** Steps the mean is over. */
  steps: number;
  learningRate: number;
  /** Target tokens per second over those steps. */
  tokensPerSecond: number;
  /** Global gradient norm before clipping, mean over those steps. */
  gradNorm: number;
}

/** One line of `metrics.jsonl` written after each evaluation on the validation data. */
export interface EvalMetricsRecord {
  kind: 'eval';
  step: number;
  epoch: number;
  elapsedSeconds: number;
  learningRate: number;
  loss: number;
  perplexity: number;
  accuracy: number;
  tokens: number;
  isBest: boolean;
}

/** One line of `metrics.jsonl`: a training-step record or an evaluation record. */
export type MetricsRecord = TrainMetricsRecord | EvalMetricsRecord;

/**
 * Reads a metrics log. A torn last line (a crash while it was written) is
 * skipped; any other line that is not a record throws, naming file and line.
 */
export function readMetricsLog(path: string): MetricsRecord[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const records: MetricsRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const last = i === lines.length - 1;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      if (last) break; // not newline-terminated: the write was cut off
      throw new TrainingError(`${path} line ${i + 1}: expected a JSON object, got ${JSON.stringify(line.slice(0, 40))}`);
    }
    const r = record as Partial<MetricsRecord> | null;
    if (r === null || typeof r !== 'object' || (r.kind !== 'train' && r.kind !== 'eval') || typeof r.step !== 'number') {
      throw new TrainingError(`${path} line ${i + 1}: expected a record with "kind" ("train" or "eval") and "step"`);
    }
    records.push(r as MetricsRecord);
  }
  return records;
}

/** Sums of the training steps since the last training record. */
interface Pending {
  steps: number;
  loss: number;
  gradNorm: number;
  tokens: number;
  seconds: number;
}

const empty = (): Pending => ({ steps: 0, loss: 0, gradNorm: 0, tokens: 0, seconds: 0 });

/**
 * Appends records to `<dir>/metrics.jsonl`, one `appendFileSync` per line, so a
 * crash loses at most the line being written. Opening it for a run resumed at
 * `step` drops the records after that step (they belong to the lost part of
 * the earlier run) and a torn last line, so no step is logged twice.
 */
export class MetricsLog {
  readonly path: string;
  private pending = empty();

  private constructor(
    path: string,
    readonly every: number,
    private readonly onRecord: ((record: MetricsRecord) => void) | undefined,
  ) {
    this.path = path;
  }

  /**
   * Starts the log of a run writing to `dir`. A resumed run keeps the records
   * up to its step, read from `<dir>/metrics.jsonl`, or from the log of the
   * run it resumes (`resumed.runDir`) when that one is elsewhere. `onRecord`
   * is handed every record this log appends (e.g. to write it elsewhere too).
   */
  static open(dir: string, every: number, resumed: { step: number; runDir: string } | null, onRecord?: (record: MetricsRecord) => void): MetricsLog {
    if (!Number.isInteger(every) || every < 1) throw new TrainingError(`train option logEvery must be a positive integer, got ${JSON.stringify(every)}`);
    const log = new MetricsLog(join(dir, METRICS_FILE), every, onRecord);
    const source = resumed && !existsSync(log.path) ? join(resumed.runDir, METRICS_FILE) : log.path;
    const kept = resumed === null ? [] : readMetricsLog(source).filter((record) => record.step <= resumed.step);
    mkdirSync(dir, { recursive: true });
    writeFileSync(log.path, kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
    return log;
  }

  /** Adds one step; writes a training record when `step` is a multiple of `every`. */
  addStep(step: {
    step: number;
    epoch: number;
    loss: number;
    gradNorm: number;
    tokens: number;
    seconds: number;
    learningRate: number;
    elapsedMs: number;
  }): void {
    const p = this.pending;
    p.steps += 1;
    p.loss += step.loss;
    p.gradNorm += step.gradNorm;
    p.tokens += step.tokens;
    p.seconds += step.seconds;
    if (step.step % this.every !== 0) return;
    this.append({
      kind: 'train',
      step: step.step,
      epoch: step.epoch,
      elapsedSeconds: step.elapsedMs / 1000,
      loss: p.loss / p.steps,
      steps: p.steps,
      learningRate: step.learningRate,
      tokensPerSecond: p.tokens / Math.max(1e-9, p.seconds),
      gradNorm: p.gradNorm / p.steps,
    });
    this.pending = empty();
  }

  addEvaluation(record: Omit<EvalMetricsRecord, 'kind'>): void {
    this.append({ kind: 'eval', ...record });
  }

  private append(record: MetricsRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
    this.onRecord?.(record);
  }
}
