import type { CheckpointTokenizers } from '../../checkpoint/tokenizer-files.js';
import type { SequenceExample } from '../../data/sequence-example.js';
import type { TrainableModel } from '../../model-contract.js';
import type { MetricsRecord } from '../metrics-log.js';
import { EventFileWriter } from './event-file-writer.js';
import type { SummaryValue } from './event-proto.js';
import { optionsTable } from './markdown-table.js';
import type { TensorBoardOptions } from './tensorboard-options.js';
import { trimEventFiles } from './trim-event-files.js';
import { validationExamples } from './validation-examples.js';

/** TensorBoard tags of the numbers of metrics.jsonl's training records. */
export const TRAIN_SCALARS = {
  loss: 'train/loss',
  learningRate: 'train/learning_rate',
  tokensPerSecond: 'train/tokens_per_second',
  gradNorm: 'train/grad_norm',
} as const;

/** TensorBoard tags of the numbers of metrics.jsonl's evaluation records. */
export const EVAL_SCALARS = {
  loss: 'valid/loss',
  perplexity: 'valid/perplexity',
  accuracy: 'valid/accuracy',
} as const;

/** Text tags: the run's options (at its first step) and decoded validation examples (each evaluation). */
export const TEXT_TAGS = { options: 'run/options', examples: 'valid/examples' } as const;

/** What a run's TensorBoard log is opened with. */
export interface TensorBoardRun {
  options: Required<TensorBoardOptions>;
  /** Step of the checkpoint a resumed run starts from; null for a fresh run. */
  resumedStep: number | null;
  /** The run's options, shown as a table. */
  runOptions: Readonly<Record<string, unknown>>;
  model: TrainableModel;
  valid: readonly SequenceExample[];
  tokenizers: CheckpointTokenizers | undefined;
}

/**
 * A training run's TensorBoard event file, fed the records of metrics.jsonl
 * as they are appended: the same scalars (one tag per number), the decoded
 * validation examples of each evaluation, and the run's options as text.
 *
 * Each run (a resumed one too) writes a new file beside the earlier ones, so
 * no step is written twice: a resumed run first drops from the earlier files
 * what they hold past its checkpoint (as metrics.jsonl does), and starts its
 * own with `SessionLog.START` at its first step, which tells a TensorBoard
 * that has already read those events to drop them too. Events are buffered
 * and written at each checkpoint, so the file holds what the checkpoint holds.
 */
export class TensorBoardLog {
  private constructor(
    private readonly writer: EventFileWriter,
    private readonly firstStep: number,
    private readonly run: TensorBoardRun,
  ) {}

  /** The file written to. */
  get path(): string {
    return this.writer.path;
  }

  static open(run: TensorBoardRun): TensorBoardLog {
    if (run.resumedStep !== null) trimEventFiles(run.options.dir, run.resumedStep);
    const writer = EventFileWriter.create(run.options.dir);
    const firstStep = run.resumedStep === null ? 0 : run.resumedStep + 1;
    const wallTime = Date.now() / 1000;
    writer.add({ wallTime, step: firstStep, content: { sessionStart: true } });
    writer.add({ wallTime, step: firstStep, content: { summary: [{ tag: TEXT_TAGS.options, text: optionsTable(run.runOptions) }] } });
    writer.flush();
    return new TensorBoardLog(writer, firstStep, run);
  }

  /** The scalars of one metrics.jsonl record (only of steps this run took). */
  addRecord(record: MetricsRecord): void {
    if (record.step < this.firstStep) return;
    const summary: SummaryValue[] =
      record.kind === 'train'
        ? Object.entries(TRAIN_SCALARS).map(([key, tag]) => ({ tag, scalar: record[key as keyof typeof TRAIN_SCALARS] }))
        : Object.entries(EVAL_SCALARS).map(([key, tag]) => ({ tag, scalar: record[key as keyof typeof EVAL_SCALARS] }));
    this.writer.add({ wallTime: Date.now() / 1000, step: record.step, content: { summary } });
  }

  /** Greedy outputs for the first validation examples, as a table at `step`. */
  async addExamples(step: number): Promise<void> {
    const { options, model, valid, tokenizers } = this.run;
    if (options.examples === 0 || step < this.firstStep) return;
    const table = await validationExamples(model, valid, options.examples, tokenizers);
    if (table !== null) this.writer.add({ wallTime: Date.now() / 1000, step, content: { summary: [{ tag: TEXT_TAGS.examples, text: table }] } });
  }

  /** Writes what was queued (after each evaluation and when training ends). */
  flush(): void {
    this.writer.flush();
  }
}
