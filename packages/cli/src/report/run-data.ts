import { builtinDatasets } from '@seqloom/datasets';
import { prepareTrainingData, type TrainedModel, type TrainingData } from '@seqloom/seq2seq';
import { readRunFile, type TrainingDataOptions } from '@seqloom/seq2seq/tooling';

/** The data options of `seqloom train` (by their flag names in run.json) that shape the examples. */
function dataOptionsOf(saved: Record<string, unknown>): Omit<TrainingDataOptions, 'data'> {
  const pick = <T>(key: string): T | undefined => saved[key] as T | undefined;
  const entries: [keyof TrainingDataOptions, unknown][] = [
    ['valid', pick<string>('valid')],
    ['validFraction', pick<number>('valid-fraction')],
    ['task', pick<string>('task')],
    ['format', pick<string>('format')],
    ['lowercase', pick<boolean>('lowercase')],
    ['maxSourceLength', pick<number>('max-source-length')],
    ['maxTargetLength', pick<number>('max-target-length')],
    ['window', pick<number>('window')],
    ['skipBadLines', pick<boolean>('skip-bad-lines')],
    ['seed', pick<number>('seed')],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined && value !== null)) as Omit<TrainingDataOptions, 'data'>;
}

/**
 * The run's training and validation examples, read again as `seqloom train`
 * read them (the data options saved in `<run>/run.json`, the model's own
 * tokenizers), or from `data` when given. `null` when neither names data.
 */
export async function readRunData(runDir: string, trained: TrainedModel, data?: Omit<TrainingDataOptions, 'tokenizers'>): Promise<TrainingData | null> {
  const tokenizers = { source: trained.sourceTokenizer, target: trained.targetTokenizer };
  if (data) return prepareTrainingData({ ...data, tokenizers });
  const saved = await readRunFile(runDir);
  if (!saved || typeof saved.data !== 'string') return null;
  return prepareTrainingData({ data: saved.data, datasets: builtinDatasets, ...dataOptionsOf(saved), task: trained.config.model.task, tokenizers });
}

/** Counts of the lengths (tokens) of one side of the examples, for a histogram. */
export function lengthCounts(lengths: readonly number[]): { length: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const length of lengths) counts.set(length, (counts.get(length) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([length, count]) => ({ length, count }));
}
