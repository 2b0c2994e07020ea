import { DecodeOptionError, validateGenerateOptions } from '@seqloom/decode';
import { outputTokenLimit } from '../pipeline/input-limit.js';
import type { SequenceLengths } from './checkpoint-config.js';

/**
 * Checks default decoding options (saved as generation.json) with
 * `@seqloom/decode`'s own validation, so that a misspelt or out-of-range
 * option is reported when training starts or a checkpoint is saved, not when
 * the checkpoint is first used. `fail` builds the error from the message.
 */
export function checkGenerationOptions(generation: Record<string, unknown> | undefined, vocabSize: number, fail: (message: string) => Error): void {
  if (generation === undefined) return;
  try {
    validateGenerateOptions(generation, vocabSize);
  } catch (error) {
    if (!(error instanceof DecodeOptionError)) throw error;
    // One line: an option name may hold line breaks.
    const message = error.message.replace(/[\r\n]+/g, (m) => JSON.stringify(m).slice(1, -1));
    throw fail(`generation options (generation.json) are invalid: ${message}; fix them or leave them out for the defaults`);
  }
}

/**
 * Bounds of generation.json values relative to the model, beyond the ranges
 * `@seqloom/decode` checks: a beam (and an n-best list) no wider than the
 * vocabulary, and no more new tokens (also as a minimum) than
 * {@link outputTokenLimit}. A model folder is data from anywhere: without
 * these, `{"beamWidth": 1e9}` or `{"maxNewTokens": 1e9}` would pin a plain
 * `generate` for as long as memory lasts. (Options given by the caller are
 * not bounded here.)
 */
export function checkGenerationBounds(
  generation: Record<string, unknown>,
  limits: { vocabSize: number; lengths: SequenceLengths | undefined },
  fail: (message: string) => Error,
): void {
  const tokens = outputTokenLimit(limits.lengths);
  const bounds: [string, number, string][] = [
    ['beamWidth', limits.vocabSize, `the vocabulary size (${limits.vocabSize} tokens)`],
    ['numReturn', limits.vocabSize, `the vocabulary size (${limits.vocabSize} tokens)`],
    [
      'maxNewTokens',
      tokens,
      `${tokens} tokens (${limits.lengths ? 'twice the longest target the model was trained on, at least 256' : 'twice the default training limit'})`,
    ],
    ['minNewTokens', tokens, `${tokens} tokens, as maxNewTokens`],
  ];
  for (const [key, max, why] of bounds) {
    const value = generation[key];
    if (typeof value === 'number' && value > max) {
      throw fail(`"${key}" is ${value}, more than this model allows: at most ${why}; lower it, or leave it out for the default`);
    }
  }
}
