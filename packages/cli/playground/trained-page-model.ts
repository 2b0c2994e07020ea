// A seqloom checkpoint in the page: tfjs on the wasm backend, text streamed
// by streamText, and the attention heatmap of models with attention.
import { describeBackend, streamText, type TextGeneration, type TrainedModel } from '@seqloom/seq2seq/browser';
import { clearHeatmap, drawHeatmap } from './attention-heatmap.js';
import type { PageEvent, PageModel, PageResult } from './page-model.js';

function tokensOf(trained: TrainedModel, ids: readonly number[], side: 'source' | 'target'): string[] {
  const tokenizer = side === 'source' ? trained.sourceTokenizer : trained.targetTokenizer;
  return ids.map((id) => tokenizer.idToToken(id) ?? `#${id}`);
}

/** A generation as the page shows it: ids without the stop token (as `seqloom generate --json`), heatmaps on request. */
function pageResult(trained: TrainedModel, generation: TextGeneration): PageResult {
  const source = trained.config.model.task === 'lm' ? [] : trained.sourceTokenizer.encode(generation.input);
  return {
    text: generation.text,
    finishReason: generation.finishReason,
    nBest: generation.nBest,
    drawAttention(figure, index) {
      const chosen = generation.nBest[index]!;
      if (trained.config.model.attention === 'none') return clearHeatmap(figure, 'This model has no attention.');
      if (!chosen.attention || chosen.attention.length === 0) return clearHeatmap(figure, 'No attention rows for this hypothesis.');
      const stop = chosen.attention.length > chosen.ids.length ? [trained.stepModel.eosId] : [];
      drawHeatmap(figure, chosen.attention, tokensOf(trained, source, 'source'), tokensOf(trained, [...chosen.ids, ...stop], 'target'));
    },
  };
}

function summaryOf(trained: TrainedModel): string {
  const { task, cell, layers, hiddenSize, attention } = trained.config.model;
  const kind = task === 'lm' ? 'language model' : `seq2seq, ${attention === 'none' ? 'no' : attention} attention`;
  return `${kind} · ${layers}×${cell.toUpperCase()} ${hiddenSize} · vocabulary ${trained.targetTokenizer.vocabSize} · ${describeBackend()}`;
}

/** A loaded seqloom checkpoint as the page's model. */
export function trainedPageModel(trained: TrainedModel): PageModel {
  const lm = trained.config.model.task === 'lm';
  const attention = trained.config.model.attention !== 'none';
  return {
    summary: summaryOf(trained),
    inputLabel: lm ? 'Prime (text the model continues; may be empty)' : 'Input',
    generation: trained.generation,
    noAttention: lm || !attention ? 'This model has no attention.' : undefined,
    async *run(input, options): AsyncGenerator<PageEvent> {
      for await (const event of streamText(trained, input, { ...options, attention })) {
        if (event.type === 'text') yield event;
        else yield { type: 'result', result: pageResult(trained, event.generation) };
      }
    },
    dispose: () => trained.dispose(),
  };
}
