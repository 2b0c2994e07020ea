import { generateTexts, type TrainedModel } from '@seqloom/seq2seq';
import type { SequenceExample } from '@seqloom/seq2seq/data';
import type { TextHypothesis } from '@seqloom/seq2seq/tooling';

/** One validation example as the report shows it. */
export interface ReportExample {
  source: string;
  reference: string;
  greedy: string;
  /** Beam search n-best list, best first. */
  nBest: { text: string; score: number; logProb: number }[];
  /** Attention of the best beam hypothesis: rows = its tokens (stop token last), columns = source tokens; absent without attention. */
  attention?: { rows: number[][]; sourceTokens: string[]; targetTokens: string[] };
}

/** Options of the example section. */
export interface ReportExampleOptions {
  /** Examples shown [5]. */
  count?: number;
  /** Beam width of the n-best lists [4]. */
  beamWidth?: number;
}

function tokenLabels(trained: TrainedModel, side: 'source' | 'target', ids: readonly number[]): string[] {
  const tokenizer = side === 'source' ? trained.sourceTokenizer : trained.targetTokenizer;
  return ids.map((id) => tokenizer.idToToken(id) ?? `<${id}>`);
}

function attentionOf(trained: TrainedModel, input: string, best: TextHypothesis): ReportExample['attention'] {
  if (!best.attention) return undefined;
  const sourceIds = trained.sourceTokenizer.encode(input);
  const targetTokens = tokenLabels(trained, 'target', best.ids);
  if (best.attention.length > best.ids.length) targetTokens.push('</s>');
  return { rows: best.attention, sourceTokens: tokenLabels(trained, 'source', sourceIds), targetTokens };
}

/**
 * Decodes the first `count` validation examples greedily and with beam
 * search; the attention heatmap is that of the best beam hypothesis.
 * Language models (no source side) give no examples.
 */
export async function reportExamples(trained: TrainedModel, valid: readonly SequenceExample[], options: ReportExampleOptions = {}): Promise<ReportExample[]> {
  if (trained.config.model.task === 'lm') return [];
  const picked = valid.slice(0, options.count ?? 5);
  const eos = trained.config.model.eosId;
  const inputs = picked.map((e) => trained.sourceTokenizer.decode([...e.source]));
  if (inputs.length === 0) return [];
  const beamWidth = options.beamWidth ?? 4;
  const greedy = await generateTexts(trained, inputs, { strategy: 'greedy' });
  const beam = await generateTexts(trained, inputs, { strategy: 'beam', beamWidth, numReturn: beamWidth, attention: true });
  return picked.map((example, i) => {
    const reference = trained.targetTokenizer.decode(example.targetOut.filter((id) => id !== eos));
    const best = beam[i]!;
    const attention = attentionOf(trained, inputs[i]!, best);
    return {
      source: inputs[i]!,
      reference,
      greedy: greedy[i]!.text,
      nBest: best.nBest.map((h) => ({ text: h.text, score: h.score, logProb: h.logProb })),
      ...(attention ? { attention } : {}),
    };
  });
}
