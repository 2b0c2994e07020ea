import { type BleuOptions, type BleuScore, corpusBleu } from './bleu.js';
import { type ChrFOptions, type ChrFScore, corpusChrF } from './chrf.js';
import { characterErrorRate, type ErrorRate, tokenErrorRate, wordErrorRate } from './error-rate.js';
import { type ExactMatch, exactMatch } from './exact-match.js';
import { checkReferences, MetricError } from './metric-error.js';

/** What {@link scoreGenerations} scores: texts, and optionally the same as token ids. */
export interface GenerationsToScore {
  hypotheses: readonly string[];
  /** One or more references per hypothesis. */
  references: readonly (readonly string[])[];
  /** Token ids of each hypothesis (for the token error rate). */
  hypothesisTokens?: readonly (readonly number[])[];
  /** Token ids of each reference, same shape as `references`. */
  referenceTokens?: readonly (readonly (readonly number[])[])[];
}

/** Every text metric of one evaluation. */
export interface GenerationScores {
  count: number;
  exactMatch: ExactMatch;
  /** Present when token ids were given. */
  tokenErrorRate?: ErrorRate;
  characterErrorRate: ErrorRate;
  wordErrorRate: ErrorRate;
  bleu: BleuScore;
  chrF: ChrFScore;
}

/**
 * Scores generated texts against references with exact match, token /
 * character / word error rate, corpus BLEU and chrF. Several references per
 * hypothesis are allowed everywhere (a hypothesis is correct if it matches any).
 */
export function scoreGenerations(input: GenerationsToScore, options: { bleu?: BleuOptions; chrF?: ChrFOptions } = {}): GenerationScores {
  const { hypotheses, references } = input;
  checkReferences('scoreGenerations', hypotheses, references);
  let tokens: ErrorRate | undefined;
  if (input.hypothesisTokens || input.referenceTokens) {
    if (!input.hypothesisTokens || !input.referenceTokens) {
      throw new MetricError('scoreGenerations: give both hypothesisTokens and referenceTokens, or neither');
    }
    tokens = tokenErrorRate(input.hypothesisTokens, input.referenceTokens);
  }
  const nonEmpty = references.map((refs) => (refs.some((r) => r !== '') ? refs : [' ']));
  return {
    count: hypotheses.length,
    exactMatch: exactMatch(hypotheses, references),
    ...(tokens ? { tokenErrorRate: tokens } : {}),
    characterErrorRate: characterErrorRate(hypotheses, references),
    wordErrorRate: wordErrorRate(hypotheses, references),
    bleu: hypotheses.length === 0 ? emptyBleu() : corpusBleu(hypotheses, nonEmpty, options.bleu),
    chrF: corpusChrF(hypotheses, references, options.chrF),
  };
}

function emptyBleu(): BleuScore {
  return { score: 0, precisions: [0, 0, 0, 0], brevityPenalty: 0, ratio: 0, hypothesisLength: 0, referenceLength: 0 };
}
