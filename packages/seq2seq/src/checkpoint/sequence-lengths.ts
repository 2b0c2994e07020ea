import type { SequenceExample } from '../data/sequence-example.js';
import type { SequenceLengths } from './checkpoint-config.js';

/**
 * The longest source and target among training examples, in tokens without
 * bos and eos (for lm: the longest window), as recorded in config.json.
 */
export function longestLengths(examples: readonly SequenceExample[]): SequenceLengths {
  let source = 0;
  let target = 0;
  for (const e of examples) {
    if (e.source.length > source) source = e.source.length;
    if (e.targetIn.length - 1 > target) target = e.targetIn.length - 1;
  }
  return { source, target };
}
