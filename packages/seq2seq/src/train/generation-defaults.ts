import { DEFAULT_GENERATION } from '../checkpoint/default-generation.js';
import { longestExample } from '../data/data-fingerprint.js';
import type { SequenceExample } from '../data/sequence-example.js';

/** The decode package's `maxNewTokens` default: the fallback wherever a model names none. */
const FALLBACK_MAX_NEW_TOKENS = DEFAULT_GENERATION.maxNewTokens as number;

/**
 * Decoding defaults to save with a model trained on `train` (its
 * generation.json): greedy, and a `maxNewTokens` computed for this model —
 * room for the longest training target and half as much again, plus 4
 * (`ceil(1.5 × longest) + 4`; for a language model the longest target is a
 * window), never below the decode package's default (the fallback, 64). The
 * rule is the same for both tasks.
 */
export function generationDefaults(task: 'seq2seq' | 'lm', train: readonly SequenceExample[]): Record<string, unknown> {
  void task;
  const longest = longestExample(train).target;
  return { strategy: DEFAULT_GENERATION.strategy, maxNewTokens: Math.max(FALLBACK_MAX_NEW_TOKENS, Math.ceil(longest * 1.5) + 4) };
}
