import { builtinDatasets, isPronunciationDataset } from '@seqloom/datasets';
import { type EvaluationData, evaluateTrainedModel, readEvaluationData } from '@seqloom/seq2seq';
import { abortable } from '../abortable.js';
import type { CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { asFlagError, decodeOptionsFromFlags } from '../decode-options-from-flags.js';
import { loadModelFromOptions } from '../generate/load-model.js';
import { printReport, reportJson } from './print-report.js';

function limited(data: EvaluationData, limit: number | undefined): EvaluationData {
  if (limit === undefined || data.task === 'lm') return data;
  return { task: 'seq2seq', examples: data.examples.slice(0, limit) };
}

/** Runs `seqloom eval` (loaded on demand: it pulls in TensorFlow.js). */
export async function runEval(ctx: CommandContext): Promise<number> {
  const o = ctx.options;
  if (!o.data) throw new UsageError('--data is required: TSV/JSONL pairs, a text file (lm) or a built-in dataset (cmudict, cmudict:g2p-seq2seq, moby-dick)');
  const trained = await loadModelFromOptions(ctx, { onnx: true });
  try {
    const data = limited(
      await abortable(
        readEvaluationData(o.data as string, {
          task: trained.config.model.task,
          split: o.split as 'train' | 'valid' | 'test',
          ...(o.format ? { format: o.format as 'tsv' | 'jsonl' } : {}),
          skipBadLines: o.skipBadLines as boolean,
          cwd: ctx.io.cwd,
          datasets: builtinDatasets,
        }),
        ctx.signal,
      ),
      o.limit as number | undefined,
    );
    const decoding = { ...decodeOptionsFromFlags(o, ctx.given), signal: ctx.signal };
    let lastProgress = ctx.io.now();
    const g2p = (o.g2p as boolean | undefined) ?? isPronunciationDataset(o.data as string);
    const report = await evaluateTrainedModel(trained, data, {
      decoding: { ...decoding, ...(trained.pool ? { pool: trained.pool } : {}) },
      g2p: g2p && data.task === 'seq2seq',
      batchSize: o.batchSize as number,
      window: o.window as number,
      ...(typeof o.carryState === 'boolean' ? { carryState: o.carryState } : {}),
      onProgress: (done, total) => {
        // At most one line every 5 seconds, and the last one.
        if (done < total && ctx.io.now() - lastProgress < 5000) return;
        lastProgress = ctx.io.now();
        ctx.out.info(`decoded ${done}/${total}`);
      },
    });
    const { signal: _signal, ...shown } = decoding;
    const decoderName = String(shown.strategy ?? trained.generation.strategy ?? 'greedy');
    if (o.json || ctx.out.logJson) ctx.out.json(reportJson(report, { strategy: decoderName, ...shown }));
    else printReport(ctx.out, report, decoderName, o.show as number);
    return 0;
  } catch (error) {
    throw asFlagError(error);
  } finally {
    await trained.close();
  }
}
