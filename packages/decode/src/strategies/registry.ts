import { beamStrategy } from './beam-search.js';
import { exhaustiveStrategy } from './exhaustive-search.js';
import { greedyStrategy } from './greedy.js';
import { sampleStrategy } from './sample.js';
import type { StrategyDefinition } from './search-strategy.js';

/**
 * Every decoding strategy by name. The `strategy` option, its `Strategy`
 * type and the command line's `--decoder` choices are these keys, in this order.
 */
export const STRATEGIES = {
  greedy: greedyStrategy,
  beam: beamStrategy,
  sample: sampleStrategy,
  exhaustive: exhaustiveStrategy,
} as const satisfies Record<string, StrategyDefinition>;

/** Decoding strategies. */
export type Strategy = keyof typeof STRATEGIES;

/** The strategy names, in registry order. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as readonly Strategy[];
