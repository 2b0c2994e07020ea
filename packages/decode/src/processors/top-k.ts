import { integer } from '../option-values.js';
import { kthLargest } from '../partial-select.js';
import { type LogitsProcessor, named } from '../processor.js';
import { markKernelProcessor } from '../simd/simd-row.js';
import { simdKthLargest, simdMaskBelow } from '../simd/simd-row-ops.js';

/** The k of top-k filtering. */
export const topKValue = integer({ min: 1 });

/**
 * Keep the `k` most likely tokens, mask the rest. Tokens tied with the k-th
 * largest logit are all kept. Selection is O(vocab) per row: a SIMD scan
 * against a heap of the k best (k ≤ 256, WebAssembly SIMD), else quickselect.
 */
export function topK(k: number): LogitsProcessor {
  topKValue.check('topK', k);
  let scratch = new Float64Array(0);
  return markKernelProcessor(
    named(`topK(${k})`, (logits) => {
      if (k >= logits.length) return logits;
      if (scratch.length < logits.length) scratch = new Float64Array(logits.length);
      const staged = simdKthLargest(logits, k); // leaves the row staged for the mask
      if (staged !== null && simdMaskBelow(logits, staged, true)) return logits;
      const threshold = kthLargest(logits, k, scratch);
      for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
      return logits;
    }),
  );
}
