import type { SequenceExample } from '../data/sequence-example.js';

/**
 * Decoding defaults to save with a trained model (generation.json): greedy,
 * with room for the longest training target and half as much again
 * (at least 16 tokens); 200 tokens for a language model.
 */
export function generationDefaults(task: 'seq2seq' | 'lm', train: readonly SequenceExample[]): Record<string, unknown> {
  if (task === 'lm') return { strategy: 'greedy', maxNewTokens: 200 };
  const longest = train.reduce((m, e) => Math.max(m, e.targetOut.length), 0);
  return { strategy: 'greedy', maxNewTokens: Math.max(16, Math.ceil(longest * 1.5) + 4) };
}
