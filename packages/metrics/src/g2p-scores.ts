import { editDistance } from './edit-distance.js';
import { checkReferences, MetricError } from './metric-error.js';

/** Grapheme-to-phoneme scores of one test set (several pronunciations per word allowed). */
export interface G2pScores {
  /** Words scored. */
  words: number;
  /** Words whose hypothesis equals none of their reference pronunciations. */
  wordErrors: number;
  /** `wordErrors / words` (0 for no words): the G2P word error rate. */
  wordErrorRate: number;
  /** Sum over words of the phoneme edit distance to the closest reference. */
  phonemeErrors: number;
  /** Sum over words of that closest reference's length in phonemes. */
  referencePhonemes: number;
  /** `phonemeErrors / referencePhonemes`: the phoneme error rate. */
  phonemeErrorRate: number;
  /** Per word: whether the hypothesis equals one of its references. */
  correct: boolean[];
  /** With n-best lists: a word counts as right if any of its n-best equals any reference. */
  oracle?: { nBest: number; wordErrors: number; wordErrorRate: number; correct: boolean[] };
}

/** Options of {@link g2pScores}. */
export interface G2pScoreOptions {
  /** Each word's n-best list (best first), for the oracle word error rate. */
  nBest?: readonly (readonly string[])[];
}

/** Phonemes of a pronunciation: whitespace-separated symbols (`K AE T`). */
export function phonemesOf(pronunciation: string): string[] {
  const trimmed = pronunciation.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/u);
}

const key = (pronunciation: string) => phonemesOf(pronunciation).join(' ');

/**
 * Word and phoneme error rates of G2P output as the g2p-seq2seq literature
 * reports them: a word is wrong when its hypothesis equals none of the word's
 * reference pronunciations (compared phoneme by phoneme); the phoneme error
 * rate sums, over words, the edit distance to the closest reference (fewest
 * edits; a tie goes to the longer reference) and divides by the sum of those
 * references' lengths. With `nBest`, the oracle word error rate counts a word
 * as right when any of its n-best equals any reference.
 */
export function g2pScores(hypotheses: readonly string[], references: readonly (readonly string[])[], options: G2pScoreOptions = {}): G2pScores {
  checkReferences('g2pScores', hypotheses, references);
  const referenceKeys = references.map((refs) => new Set(refs.map(key)));
  const correct = hypotheses.map((h, i) => referenceKeys[i].has(key(h)));
  let phonemeErrors = 0;
  let referencePhonemes = 0;
  hypotheses.forEach((h, i) => {
    const closest = closestReference(phonemesOf(h), references[i].map(phonemesOf));
    phonemeErrors += closest.edits;
    referencePhonemes += closest.length;
  });
  const words = hypotheses.length;
  const wordErrors = correct.filter((c) => !c).length;
  const scores: G2pScores = {
    words,
    wordErrors,
    wordErrorRate: words === 0 ? 0 : wordErrors / words,
    phonemeErrors,
    referencePhonemes,
    phonemeErrorRate: referencePhonemes === 0 ? (phonemeErrors === 0 ? 0 : Infinity) : phonemeErrors / referencePhonemes,
    correct,
  };
  if (options.nBest) scores.oracle = oracleOf(options.nBest, referenceKeys, words);
  return scores;
}

function closestReference(hypothesis: readonly string[], references: readonly (readonly string[])[]): { edits: number; length: number } {
  let best = { edits: Infinity, length: 0 };
  for (const reference of references) {
    const edits = editDistance(hypothesis, reference);
    if (edits < best.edits || (edits === best.edits && reference.length > best.length)) best = { edits, length: reference.length };
  }
  return best;
}

function oracleOf(nBest: readonly (readonly string[])[], referenceKeys: readonly Set<string>[], words: number): NonNullable<G2pScores['oracle']> {
  if (nBest.length !== words) {
    throw new MetricError(`g2pScores: got ${words} hypotheses but ${nBest.length} n-best lists; pass one n-best list per word (options.nBest[i])`);
  }
  nBest.forEach((list, i) => {
    if (!Array.isArray(list) || list.length === 0) {
      throw new MetricError(`g2pScores: word ${i} has an empty n-best list; each options.nBest[i] must hold at least its best hypothesis`);
    }
  });
  const correct = nBest.map((list, i) => list.some((h) => referenceKeys[i].has(key(h))));
  const wordErrors = correct.filter((c) => !c).length;
  return {
    nBest: nBest.reduce((most, l) => Math.max(most, l.length), 0),
    wordErrors,
    wordErrorRate: words === 0 ? 0 : wordErrors / words,
    correct,
  };
}
