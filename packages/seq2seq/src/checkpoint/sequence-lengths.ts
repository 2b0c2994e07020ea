import { longestExample } from '../data/data-fingerprint.js';
import type { SequenceExample } from '../data/sequence-example.js';
import type { SequenceLengths } from './checkpoint-config.js';

/**
 * The longest source and target among training examples, in tokens without
 * bos and eos (for lm: the longest window), as recorded in config.json.
 */
export function longestLengths(examples: readonly SequenceExample[]): SequenceLengths {
  const longest = longestExample(examples);
  return { source: longest.source, target: Math.max(0, longest.target - 1) };
}
