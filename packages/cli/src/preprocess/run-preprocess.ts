import { builtinDatasets } from '@seqloom/datasets';
import { preprocessTrainingData } from '@seqloom/seq2seq';
import type { CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { resolvePath } from '../text-inputs.js';

/** `seqloom preprocess`: the library's `preprocessTrainingData` with the data flags of `seqloom train`. */
export async function runPreprocess(ctx: CommandContext): Promise<void> {
  const o = ctx.options;
  if (typeof o.data !== 'string') throw new UsageError('give --data: the pairs file (TSV/JSONL) to binarise');
  if (typeof o.out !== 'string') throw new UsageError('give --out: the folder to write, e.g. --out data.bin');
  const started = performance.now();
  const header = await preprocessTrainingData({
    data: o.data,
    out: resolvePath(ctx.io, o.out),
    overwrite: o.overwrite as boolean,
    datasets: builtinDatasets,
    cwd: ctx.io.cwd,
    ...(o.valid ? { valid: o.valid as string } : {}),
    validFraction: o.validFraction as number,
    ...(o.task ? { task: o.task as 'seq2seq' | 'lm' } : {}),
    ...(o.format ? { format: o.format as 'tsv' | 'jsonl' | 'text' } : {}),
    ...(o.tokenizer ? { tokenizer: o.tokenizer as string } : {}),
    ...(o.sourceTokenizer ? { sourceTokenizer: o.sourceTokenizer as string } : {}),
    ...(o.targetTokenizer ? { targetTokenizer: o.targetTokenizer as string } : {}),
    lowercase: o.lowercase as boolean,
    ...(o.maxSourceLength ? { maxSourceLength: o.maxSourceLength as number } : {}),
    ...(o.maxTargetLength ? { maxTargetLength: o.maxTargetLength as number } : {}),
    skipBadLines: o.skipBadLines as boolean,
    seed: o.seed as number,
  });
  const s = header.stats;
  if (s.skippedLines > 0) ctx.out.warn(`skipped ${s.skippedLines} malformed line(s), e.g. ${s.skippedExamples[0]}`);
  if (s.droppedTooLong > 0) ctx.out.warn(`dropped ${s.droppedTooLong} pair(s) longer than the length limits, e.g. ${s.droppedExample ?? 'one'}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  ctx.out.info(
    `wrote ${o.out}: ${header.split.train} training and ${header.split.valid} validation examples, ` +
      `${header.tokens} tokens (${header.tokenDtype}), vocabulary ${header.tokenizers.target.vocabSize}, in ${seconds} s`,
  );
  ctx.out.event({ event: 'preprocessed', out: resolvePath(ctx.io, o.out), ...header.split, tokens: header.tokens, seconds: Number(seconds) });
}
