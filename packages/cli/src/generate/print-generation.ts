import type { TextGeneration } from '@seqloom/seq2seq';
import type { Output } from '../output.js';

/** One JSON object per input: the best hypothesis and the n-best list. */
export function generationJson(g: TextGeneration): Record<string, unknown> {
  return {
    input: g.input,
    text: g.text,
    ids: g.ids,
    score: g.score,
    logProb: g.logProb,
    finishReason: g.finishReason,
    nBest: g.nBest.map((h) => ({ text: h.text, ids: h.ids, score: h.score, logProb: h.logProb, finishReason: h.finishReason })),
    ...(g.attention ? { attention: g.attention } : {}),
  };
}

/**
 * Prints a result: its text (one line per input), or with several
 * hypotheses one `text<TAB>score` line each followed by a blank line.
 */
export function printGeneration(out: Output, g: TextGeneration, json: boolean): void {
  if (json) {
    out.json(generationJson(g));
    return;
  }
  if (g.nBest.length <= 1) {
    out.result(g.text);
    return;
  }
  out.result(`${g.nBest.map((h) => `${h.text}\t${h.score.toFixed(4)}`).join('\n')}\n`);
}
