import { checkReferences } from './metric-error.js';

/** Share of hypotheses equal to at least one of their references. */
export interface ExactMatch {
  /** `matches / total`, in [0, 1] (0 for an empty corpus). */
  accuracy: number;
  matches: number;
  total: number;
  /** Per hypothesis: whether it matched any reference. */
  correct: boolean[];
}

/**
 * Exact match against one or more references per hypothesis: a hypothesis
 * counts as correct if it equals any reference. Texts are compared after
 * trimming and collapsing whitespace runs to one space.
 */
export function exactMatch(hypotheses: readonly string[], references: readonly (readonly string[])[]): ExactMatch {
  checkReferences('exactMatch', hypotheses, references);
  const correct = hypotheses.map((hypothesis, i) => {
    const h = normalizeSpaces(hypothesis);
    return references[i].some((r) => normalizeSpaces(r) === h);
  });
  const matches = correct.filter(Boolean).length;
  const total = hypotheses.length;
  return { accuracy: total === 0 ? 0 : matches / total, matches, total, correct };
}

function normalizeSpaces(text: string): string {
  return text.trim().replace(/\s+/gu, ' ');
}
