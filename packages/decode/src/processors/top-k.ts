import { integer } from '../option-values.js';
import { kthLargest } from '../partial-select.js';
import { named, type LogitsProcessor } from '../processor.js';

/** The k of top-k filtering. */
export const topKValue = integer({ min: 1 });

/**
 * Keep the `k` most likely tokens, mask the rest. Tokens tied with the k-th
 * largest logit are all kept. Selection is by quickselect, O(vocab) per row.
 */
export function topK(k: number): LogitsProcessor {
  topKValue.check('topK', k);
  let scratch = new Float64Array(0);
  return named(`topK(${k})`, (logits) => {
    if (k >= logits.length) return logits;
    if (scratch.length < logits.length) scratch = new Float64Array(logits.length);
    const threshold = kthLargest(logits, k, scratch);
    for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
    return logits;
  });
}
