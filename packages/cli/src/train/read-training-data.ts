import { builtinDatasets } from '@seqloom/datasets';
import { prepareTrainingData, type TrainingData } from '@seqloom/seq2seq';
import { loadCheckpointTokenizers, type ResumePoint } from '@seqloom/seq2seq/tooling';
import type { Tokenizer } from '@seqloom/tokenizer';
import type { CommandContext } from '../cli-command.js';
import type { OptionValues } from '../option-spec.js';
import { flagValue } from './flag-values.js';

const { text, number, choice } = flagValue;

/** Drops the entries whose value is undefined (absent flags leave the library's defaults). */
function given<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The training data the data flags name (a resumed run keeps its checkpoint's tokenizers). */
export async function readTrainingData(ctx: CommandContext, o: OptionValues, point: ResumePoint | undefined): Promise<TrainingData> {
  let tokenizers: { source?: Tokenizer; target: Tokenizer } | undefined;
  if (point) {
    const previous = await loadCheckpointTokenizers(point);
    tokenizers = { source: previous.sourceTokenizer, target: previous.targetTokenizer };
  }
  const data = await prepareTrainingData({
    data: text(o, 'data') ?? '',
    datasets: builtinDatasets,
    cwd: ctx.io.cwd,
    ...given({
      valid: text(o, 'valid'),
      validFraction: number(o, 'validFraction'),
      task: choice(o, 'task', ['seq2seq', 'lm'] as const),
      format: choice(o, 'format', ['tsv', 'jsonl', 'text'] as const),
      tokenizer: text(o, 'tokenizer'),
      sourceTokenizer: text(o, 'sourceTokenizer'),
      targetTokenizer: text(o, 'targetTokenizer'),
      tokenizers,
      lowercase: flagValue.switch(o, 'lowercase'),
      maxSourceLength: number(o, 'maxSourceLength'),
      maxTargetLength: number(o, 'maxTargetLength'),
      window: number(o, 'window'),
      skipBadLines: flagValue.switch(o, 'skipBadLines'),
      seed: number(o, 'seed'),
    }),
  });
  reportData(ctx, data);
  return data;
}

function reportData(ctx: CommandContext, data: TrainingData): void {
  const s = data.stats;
  ctx.out.info(
    `data: ${s.trainExamples} training and ${s.validExamples} validation examples (${data.task}); ` +
      `vocabulary ${data.sourceTokenizer === data.targetTokenizer ? data.targetTokenizer.vocabSize : `${data.sourceTokenizer.vocabSize} → ${data.targetTokenizer.vocabSize}`}`,
  );
  if (s.validExamples === 0)
    ctx.out.warn('no validation data (too few examples to hold some out); give --valid or more data for validation loss and early stopping');
  if (s.skippedLines > 0) ctx.out.warn(`skipped ${s.skippedLines} malformed line(s), e.g. ${s.skippedExamples[0]}`);
  if (s.droppedTooLong > 0) {
    const limits = s.lengthLimits ? ` (--max-source-length ${s.lengthLimits.source}, --max-target-length ${s.lengthLimits.target} tokens)` : '';
    ctx.out.warn(`dropped ${s.droppedTooLong} pair(s) longer than the length limits${limits}, e.g. ${s.droppedExample ?? 'one'}`);
  }
}
