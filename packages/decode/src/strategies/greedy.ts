import { DecodeOptionError } from '../errors.js';
import { argmax } from '../log-softmax.js';
import { RowwiseSearch, type TokenPicker } from './rowwise-search.js';
import type { StrategyDefinition } from './search-strategy.js';

/** Greedy: the most probable token (lowest id on ties). */
export const pickGreedy: TokenPicker = (logits, _shift, start, vocab) => argmax(logits, start, start + vocab);

/** Greedy decoding: one hypothesis per source, the most probable token at every step. */
export const greedyStrategy: StrategyDefinition = {
  help: 'the most probable token at every step',
  check({ numReturn }) {
    if (numReturn !== 1) {
      throw new DecodeOptionError('numReturn', `greedy decoding returns one hypothesis; use strategy 'beam' or 'sample' for ${numReturn}`);
    }
  },
  create: (context) => new RowwiseSearch(context, pickGreedy),
};
