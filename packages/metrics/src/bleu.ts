import { checkReferences, MetricError } from './metric-error.js';
import { tokenize13a } from './tokenize-13a.js';

/** How text is split into words before counting n-grams. */
export type BleuTokenize = '13a' | 'none' | 'char';
/** Smoothing of zero n-gram matches. `exp` is sacreBLEU's default. */
export type BleuSmoothing = 'exp' | 'floor' | 'none';

/** Options of {@link corpusBleu}: sacreBLEU's, with its defaults. */
export interface BleuOptions {
  /** Default `13a` (sacreBLEU's default); `none` splits on whitespace only; `char` scores characters. */
  tokenize?: BleuTokenize;
  /** Highest n-gram order, default 4. */
  maxOrder?: number;
  /** Default `exp`. */
  smoothing?: BleuSmoothing;
  /** Value used by `floor` smoothing for zero counts, default 0.1. */
  floor?: number;
  /** Compare lowercased text, default false. */
  lowercase?: boolean;
  /**
   * Leave out of the geometric mean the n-gram orders longer than every
   * hypothesis (none of them occur), as sacreBLEU's `use_effective_order`.
   * Default false; useful for short outputs such as phoneme strings.
   */
  effectiveOrder?: boolean;
}

/** What {@link corpusBleu} returns: the score and the statistics sacreBLEU prints beside it. */
export interface BleuScore {
  /** BLEU in [0, 100]. */
  score: number;
  /** Modified n-gram precisions in percent, order 1..maxOrder. */
  precisions: number[];
  brevityPenalty: number;
  /** hypothesisLength / referenceLength. */
  ratio: number;
  hypothesisLength: number;
  referenceLength: number;
}

/**
 * Corpus BLEU (Papineni et al. 2002) as sacreBLEU computes it: n-gram counts
 * clipped by the maximum count over each hypothesis' references, the closest
 * reference length (shorter on ties) for the brevity penalty, statistics summed
 * over the corpus before the geometric mean. Empty reference strings are
 * ignored, so hypotheses may have different numbers of references.
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[], options: BleuOptions = {}): BleuScore {
  checkReferences('corpusBleu', hypotheses, references);
  const maxOrder = options.maxOrder ?? 4;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) {
    throw new MetricError(`corpusBleu: maxOrder must be an integer >= 1, got ${maxOrder}`);
  }
  const split = (text: string) => splitForBleu(text, options);
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let hypothesisLength = 0;
  let referenceLength = 0;
  hypotheses.forEach((hypothesis, i) => {
    const words = split(hypothesis);
    const refs = references[i].filter((r) => r !== '').map(split);
    if (refs.length === 0) {
      throw new MetricError(`corpusBleu: every reference of hypothesis ${i} is empty; give at least one non-empty reference`);
    }
    hypothesisLength += words.length;
    referenceLength += closestLength(words.length, refs);
    for (let n = 1; n <= maxOrder; n++) {
      const hypCounts = countNgrams(words, n);
      const maxRef = maxReferenceCounts(refs, n);
      for (const [gram, count] of hypCounts) {
        matches[n - 1] += Math.min(count, maxRef.get(gram) ?? 0);
      }
      totals[n - 1] += Math.max(0, words.length - n + 1);
    }
  });
  return bleuFromStatistics(matches, totals, hypothesisLength, referenceLength, options);
}

function bleuFromStatistics(matches: number[], totals: number[], hypothesisLength: number, referenceLength: number, options: BleuOptions): BleuScore {
  const smoothing = options.smoothing ?? 'exp';
  const precisions: number[] = [];
  let expFactor = 1;
  for (let n = 0; n < matches.length; n++) {
    if (totals[n] === 0) {
      precisions.push(0);
    } else if (matches[n] > 0 || smoothing === 'none') {
      precisions.push((100 * matches[n]) / totals[n]);
    } else if (smoothing === 'exp') {
      expFactor *= 2;
      precisions.push(100 / (expFactor * totals[n]));
    } else {
      precisions.push((100 * (options.floor ?? 0.1)) / totals[n]);
    }
  }
  const ratio = referenceLength === 0 ? 0 : hypothesisLength / referenceLength;
  const brevityPenalty = hypothesisLength === 0 ? 0 : hypothesisLength >= referenceLength ? 1 : Math.exp(1 - referenceLength / hypothesisLength);
  let used = precisions;
  if (options.effectiveOrder) {
    const order = totals.findIndex((t) => t === 0);
    if (order !== -1) used = precisions.slice(0, order);
  }
  let score = 0;
  if (hypothesisLength > 0 && used.length > 0 && used.every((p) => p > 0)) {
    const logMean = used.reduce((sum, p) => sum + Math.log(p / 100), 0) / used.length;
    score = 100 * brevityPenalty * Math.exp(logMean);
  }
  return { score, precisions, brevityPenalty, ratio, hypothesisLength, referenceLength };
}

function splitForBleu(text: string, options: BleuOptions): string[] {
  const cased = options.lowercase ? text.toLowerCase() : text;
  const tokenize = options.tokenize ?? '13a';
  if (tokenize === 'char') return Array.from(cased.replace(/\s+/gu, ''));
  const tokenized = tokenize === '13a' ? tokenize13a(cased) : cased.trim();
  return tokenized === '' ? [] : tokenized.split(/\s+/u);
}

function closestLength(length: number, refs: readonly string[][]): number {
  let best = refs[0].length;
  for (const ref of refs) {
    const d = Math.abs(ref.length - length);
    const bestD = Math.abs(best - length);
    if (d < bestD || (d === bestD && ref.length < best)) best = ref.length;
  }
  return best;
}

function countNgrams(words: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join('\u0001');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function maxReferenceCounts(refs: readonly string[][], n: number): Map<string, number> {
  const max = new Map<string, number>();
  for (const ref of refs) {
    for (const [gram, count] of countNgrams(ref, n)) {
      if (count > (max.get(gram) ?? 0)) max.set(gram, count);
    }
  }
  return max;
}
