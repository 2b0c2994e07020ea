import { checkReferences, MetricError } from './metric-error.js';

/** Options of {@link corpusChrF}: sacreBLEU's, with its defaults. */
export interface ChrFOptions {
  /** Character n-gram orders 1..charOrder, default 6. */
  charOrder?: number;
  /** Word n-gram orders 1..wordOrder, default 0 (chrF); 2 gives chrF++. */
  wordOrder?: number;
  /** Recall weight β, default 2 (chrF2). */
  beta?: number;
  lowercase?: boolean;
}

/** What {@link corpusChrF} returns. */
export interface ChrFScore {
  /** chrF in [0, 100]. */
  score: number;
  /** Averaged n-gram precision and recall in [0, 1] that the score combines. */
  precision: number;
  recall: number;
}

/** Per order: hypothesis n-grams, reference n-grams, matched n-grams. */
type Statistics = number[];

/**
 * Corpus chrF (Popović 2015) as sacreBLEU computes it: character n-grams with
 * whitespace removed (plus word n-grams for chrF++), statistics summed over
 * the corpus, precision and recall averaged over the orders that occur, then
 * an F-β score. With several references, each hypothesis uses the reference
 * that gives it the best sentence-level score.
 */
export function corpusChrF(hypotheses: readonly string[], references: readonly (readonly string[])[], options: ChrFOptions = {}): ChrFScore {
  checkReferences('corpusChrF', hypotheses, references);
  const charOrder = options.charOrder ?? 6;
  const wordOrder = options.wordOrder ?? 0;
  const beta = options.beta ?? 2;
  if (!Number.isInteger(charOrder) || charOrder < 1 || !Number.isInteger(wordOrder) || wordOrder < 0) {
    throw new MetricError(`corpusChrF: charOrder must be an integer >= 1 and wordOrder >= 0, got ${charOrder} and ${wordOrder}`);
  }
  if (!(beta > 0)) throw new MetricError(`corpusChrF: beta must be > 0, got ${beta}`);
  const prepare = (text: string) => (options.lowercase ? text.toLowerCase() : text);
  const total: Statistics = new Array((charOrder + wordOrder) * 3).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const hypGrams = extractAll(prepare(hypothesis), charOrder, wordOrder);
    let best: { stats: Statistics; f: number } | undefined;
    for (const reference of references[i]) {
      const stats = matchStatistics(hypGrams, extractAll(prepare(reference), charOrder, wordOrder));
      const f = fScore(stats, beta).score;
      if (!best || f > best.f) best = { stats, f };
    }
    best!.stats.forEach((value, k) => (total[k] += value));
  });
  return fScore(total, beta);
}

function fScore(stats: Statistics, beta: number): ChrFScore {
  const factor = beta * beta;
  let precisionSum = 0;
  let recallSum = 0;
  let effectiveOrder = 0;
  for (let k = 0; k < stats.length; k += 3) {
    const [hyp, ref, match] = [stats[k], stats[k + 1], stats[k + 2]];
    if (hyp > 0 && ref > 0) {
      precisionSum += match / hyp;
      recallSum += match / ref;
      effectiveOrder++;
    }
  }
  if (effectiveOrder === 0) return { score: 0, precision: 0, recall: 0 };
  const precision = precisionSum / effectiveOrder;
  const recall = recallSum / effectiveOrder;
  const denominator = factor * precision + recall;
  const score = denominator > 0 ? (100 * (1 + factor) * precision * recall) / denominator : 0;
  return { score, precision, recall };
}

function matchStatistics(hyp: Map<string, number>[], ref: Map<string, number>[]): Statistics {
  const stats: Statistics = [];
  hyp.forEach((hypCounts, order) => {
    const refCounts = ref[order];
    let hypTotal = 0;
    let refTotal = 0;
    let matched = 0;
    for (const [gram, count] of hypCounts) {
      hypTotal += count;
      matched += Math.min(count, refCounts.get(gram) ?? 0);
    }
    for (const count of refCounts.values()) refTotal += count;
    // As sacreBLEU: a reference without n-grams of this order (shorter than n) leaves the hypothesis's uncounted.
    stats.push(refTotal > 0 ? hypTotal : 0, refTotal, matched);
  });
  return stats;
}

function extractAll(text: string, charOrder: number, wordOrder: number): Map<string, number>[] {
  const chars = Array.from(text.replace(/\s+/gu, ''));
  const words = splitPunctuation(text);
  const grams: Map<string, number>[] = [];
  for (let n = 1; n <= charOrder; n++) grams.push(ngrams(chars, n, ''));
  for (let n = 1; n <= wordOrder; n++) grams.push(ngrams(words, n, ' '));
  return grams;
}

function ngrams(items: readonly string[], n: number, joiner: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= items.length; i++) {
    const gram = items.slice(i, i + n).join(joiner);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** chrF++ word tokens: whitespace split, one leading or trailing punctuation mark split off. */
function splitPunctuation(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/u)) {
    if (word === '') continue;
    if (word.length > 1 && PUNCTUATION.has(word[word.length - 1])) out.push(word.slice(0, -1), word[word.length - 1]);
    else if (word.length > 1 && PUNCTUATION.has(word[0])) out.push(word[0], word.slice(1));
    else out.push(word);
  }
  return out;
}
