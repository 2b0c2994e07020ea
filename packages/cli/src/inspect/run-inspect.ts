import { join } from 'node:path';
import type { TrainedModel } from '@seqloom/seq2seq';
import { METRICS_FILE, readMetricsLog, runRoot } from '@seqloom/seq2seq/tooling';
import type { CommandContext } from '../cli-command.js';
import { loadModelFromOptions } from '../generate/load-model.js';
import { formatDuration } from '../progress/progress-events.js';

/** Records in the metrics.jsonl of the run a checkpoint belongs to (0 without one). */
function metricRecordCount(dir: string): number {
  return readMetricsLog(join(runRoot(dir), METRICS_FILE)).length;
}

/** Everything `seqloom inspect` reports about a model. */
export function modelSummary(trained: TrainedModel, backend: string): Record<string, unknown> {
  const { model: config, training } = trained.config;
  const state = trained.state;
  return {
    dir: trained.dir,
    formatVersion: trained.config.formatVersion,
    model: config,
    parameters: trained.model.parameterCount(),
    attention: config.attention !== 'none',
    metricRecords: metricRecordCount(trained.dir),
    vocabulary: {
      source: config.task === 'lm' ? null : trained.sourceTokenizer.vocabSize,
      target: trained.targetTokenizer.vocabSize,
      shared: trained.sourceTokenizer === trained.targetTokenizer,
    },
    training,
    history: state
      ? {
          steps: state.step,
          epoch: state.epoch,
          tokensSeen: state.tokensSeen,
          elapsedMs: state.elapsedMs,
          bestValidLoss: state.bestValidLoss,
          bestStep: state.bestStep,
          evaluations: state.history,
        }
      : null,
    generation: trained.generation,
    averagedFrom: trained.config.averagedFrom ?? null,
    backend,
  };
}

/** Runs `seqloom inspect`. */
export async function runInspect(ctx: CommandContext): Promise<number> {
  ctx.options.model = ctx.positionals.model;
  const trained = await loadModelFromOptions(ctx);
  try {
    const summary = modelSummary(trained, trained.backend);
    if (ctx.options.json || ctx.out.logJson) {
      ctx.out.json(summary);
      return 0;
    }
    const c = trained.config.model;
    const s = trained.state;
    const lines = [
      `model:        ${trained.dir}`,
      `task:         ${c.task}`,
      `architecture: ${c.layers}-layer ${c.bidirectional ? 'bidirectional ' : ''}${c.cell.toUpperCase()} encoder-decoder, hidden ${c.hiddenSize}, embedding ${c.embeddingSize}, attention ${c.attention}${c.inputFeeding ? ' with input feeding' : ''}`,
      `regularising: dropout ${c.dropout}, embedding dropout ${c.embeddingDropout}${c.tieEmbeddings ? ', tied output embedding' : ''}${c.shareEmbeddings ? ', shared source/target embedding' : ''}`,
      `parameters:   ${(summary.parameters as number).toLocaleString('en-US')}`,
      `attention:    ${summary.attention ? `yes (${c.attention}): seqloom generate --json --attention prints its rows` : 'no'}`,
      `metrics:      ${summary.metricRecords as number} records in ${join(runRoot(trained.dir), METRICS_FILE)}`,
      `vocabulary:   ${c.task === 'lm' ? `${c.targetVocabSize}` : `source ${c.sourceVocabSize}, target ${c.targetVocabSize}`}`,
      `backend:      ${summary.backend as string}`,
    ];
    if (s) {
      lines.push(
        `training:     ${s.step} steps, ${s.epoch} epochs, ${s.tokensSeen.toLocaleString('en-US')} target tokens, ${formatDuration(s.elapsedMs / 1000)}`,
        `best valid:   ${s.bestValidLoss === null ? 'n/a' : `loss ${s.bestValidLoss.toFixed(4)} (perplexity ${Math.exp(s.bestValidLoss).toFixed(3)}) at step ${s.bestStep}`}`,
      );
      for (const h of s.history.slice(-5)) {
        lines.push(`  step ${h.step}: valid loss ${h.validLoss.toFixed(4)}, accuracy ${(100 * h.accuracy).toFixed(1)}%, lr ${h.learningRate.toPrecision(3)}`);
      }
    }
    const averaged = trained.config.averagedFrom;
    if (averaged) {
      lines.push(`averaged:     mean of ${averaged.length} checkpoints (${averaged.map((a) => (a.step === null ? a.dir : `step ${a.step}`)).join(', ')})`);
    }
    lines.push(`decoding:     ${JSON.stringify(trained.generation)}`);
    ctx.out.result(lines.join('\n'));
    return 0;
  } finally {
    await trained.close();
  }
}
