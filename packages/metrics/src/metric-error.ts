import { SeqloomError } from '@seqloom/core';

/** A metric was called with inputs it cannot score (mismatched lengths, no references, a bad option). */
export class MetricError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'MetricError';
  }
}

/**
 * Checks that there is one reference list per hypothesis and that every list
 * holds at least one reference.
 */
export function checkReferences(metric: string, hypotheses: readonly unknown[], references: readonly (readonly unknown[])[]): void {
  if (hypotheses.length !== references.length) {
    throw new MetricError(
      `${metric}: got ${hypotheses.length} hypotheses but ${references.length} reference lists; ` +
        'pass one list of references per hypothesis (references[i] is an array of strings for hypotheses[i])',
    );
  }
  references.forEach((refs, i) => {
    if (!Array.isArray(refs) || refs.length === 0) {
      throw new MetricError(`${metric}: hypothesis ${i} has no references; each references[i] must be a non-empty array`);
    }
  });
}
