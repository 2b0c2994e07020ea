import { editDistance } from './edit-distance.js';
import { checkReferences } from './metric-error.js';

/** Corpus-level edit-distance rate: total edits over total reference length. */
export interface ErrorRate {
  /** `errors / referenceLength` (0 when both are 0; may exceed 1 when the hypotheses are long). */
  rate: number;
  /** Sum over sentences of the edit distance to the chosen reference. */
  errors: number;
  /** Sum over sentences of the chosen reference's length. */
  referenceLength: number;
}

/**
 * Corpus error rate between hypotheses and one or more references per
 * hypothesis. With several references, each hypothesis is scored against the
 * reference it is closest to (fewest edits, then lowest per-sentence rate).
 */
export function sequenceErrorRate<T>(hypotheses: readonly (readonly T[])[], references: readonly (readonly (readonly T[])[])[]): ErrorRate {
  checkReferences('sequenceErrorRate', hypotheses, references);
  let errors = 0;
  let referenceLength = 0;
  hypotheses.forEach((hypothesis, i) => {
    let best: { edits: number; length: number } | undefined;
    for (const reference of references[i]) {
      const edits = editDistance(hypothesis, reference);
      const length = reference.length;
      if (!best || edits < best.edits || (edits === best.edits && length > best.length)) {
        best = { edits, length };
      }
    }
    errors += best!.edits;
    referenceLength += best!.length;
  });
  return { rate: referenceLength === 0 ? (errors === 0 ? 0 : Infinity) : errors / referenceLength, errors, referenceLength };
}

/** Token error rate over token id sequences (e.g. phoneme error rate for g2p). */
export function tokenErrorRate(hypotheses: readonly (readonly number[])[], references: readonly (readonly (readonly number[])[])[]): ErrorRate {
  return sequenceErrorRate(hypotheses, references);
}

/** Character error rate over Unicode code points of the texts. */
export function characterErrorRate(hypotheses: readonly string[], references: readonly (readonly string[])[]): ErrorRate {
  checkReferences('characterErrorRate', hypotheses, references);
  return sequenceErrorRate(
    hypotheses.map((h) => Array.from(h)),
    references.map((refs) => refs.map((r) => Array.from(r))),
  );
}

/** Word error rate over whitespace-separated words (the ASR definition). */
export function wordErrorRate(hypotheses: readonly string[], references: readonly (readonly string[])[]): ErrorRate {
  checkReferences('wordErrorRate', hypotheses, references);
  return sequenceErrorRate(
    hypotheses.map(splitWords),
    references.map((refs) => refs.map(splitWords)),
  );
}

function splitWords(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/u);
}
