import { createRng as createCoreRng, type Rng, SeqloomError } from '@seqloom/core';
import { DecodeOptionError } from './errors.js';

export type { Rng, RngState } from '@seqloom/core';

/**
 * The project's one seeded generator, from `@seqloom/core` (xoshiro128**
 * seeded by splitmix32: the same seed gives the same draws on every engine),
 * with decode's errors: a seed that is not a safe integer, or a state that is
 * not four unsigned 32-bit words (not all zero), is a {@link DecodeOptionError}.
 */
export function createRng(seed: number): Rng {
  const rng = asOptionError(() => createCoreRng(seed));
  return {
    next: rng.next,
    getState: rng.getState,
    setState: (state) => asOptionError(() => rng.setState(state)),
  };
}

/** Runs `work`, turning core's errors about an option into decode's. */
function asOptionError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof SeqloomError) || error.option === undefined) throw error;
    const detail = error.message.startsWith(`${error.option}: `) ? error.message.slice(error.option.length + 2) : error.message;
    throw new DecodeOptionError(error.option, detail);
  }
}
