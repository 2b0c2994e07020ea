import type { FinishReason } from './stopping-criteria.js';

/** One generated sequence. */
export interface Hypothesis {
  /** Generated token ids, bos excluded; ends with the stop token when finishReason is `eos`. */
  ids: number[];
  /** Ranking score: logProb divided by the length penalty (equals logProb with `none`). */
  score: number;
  /** Total natural-log probability of `ids` under the processed distributions. */
  logProb: number;
  /** Log-probability of each token of `ids`. */
  tokenLogProbs: number[];
  finishReason: FinishReason;
  /** One attention row (over the source positions) per token, when the model reports attention. */
  attention?: Float32Array[];
}

/** The outcome for one source. */
export interface GenerationResult {
  /** The highest-scoring hypothesis (`hypotheses[0]`). */
  best: Hypothesis;
  /** All returned hypotheses (`numReturn` of them at most), sorted by score, best first. */
  hypotheses: Hypothesis[];
}

/** A live or finished row as the decoding loop tracks it. */
export interface Row {
  source: number;
  /** Beam group (diverse beam search), or sample index (sampling); -1 for a beam root shared by all groups. */
  slot: number;
  ids: number[];
  tokenLogProbs: number[];
  logProb: number;
  attention: Float32Array[] | null;
  /** Beam search: this row lies on the greedy path. */
  greedy: boolean;
}

/** A fresh row for `source` with no tokens. */
export function rootRow(source: number, slot: number): Row {
  return { source, slot, ids: [], tokenLogProbs: [], logProb: 0, attention: null, greedy: true };
}

/** `parent` extended by one token (a new row; the parent is left unchanged). */
export function extendRow(parent: Row, token: number, logProb: number, attention: Float32Array | null, slot = parent.slot): Row {
  const ids = parent.ids.slice();
  ids.push(token);
  const tokenLogProbs = parent.tokenLogProbs.slice();
  tokenLogProbs.push(logProb);
  let att: Float32Array[] | null = null;
  if (attention) {
    att = parent.attention ? parent.attention.slice() : [];
    att.push(attention);
  }
  return { source: parent.source, slot, ids, tokenLogProbs, logProb: parent.logProb + logProb, attention: att, greedy: false };
}

/** The public form of a finished row. */
export function toHypothesis(row: Row, reason: FinishReason, score: number): Hypothesis {
  const h: Hypothesis = {
    ids: row.ids,
    score,
    logProb: row.logProb,
    tokenLogProbs: row.tokenLogProbs,
    finishReason: reason,
  };
  if (row.attention) h.attention = row.attention;
  return h;
}

/** Sort best first: higher score, then shorter, then lexicographically smaller ids. */
export function compareHypotheses(a: Hypothesis, b: Hypothesis): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.ids.length !== b.ids.length) return a.ids.length - b.ids.length;
  for (let i = 0; i < a.ids.length; i++) if (a.ids[i] !== b.ids[i]) return a.ids[i] - b.ids[i];
  return 0;
}
