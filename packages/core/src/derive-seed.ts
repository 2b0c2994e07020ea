import { fnv1a } from './fnv1a.js';
import { GOLDEN_GAMMA, mix32 } from './mix32.js';
import { SeqloomError } from './seqloom-error.js';

/** splitmix32's step on one word: add the golden increment, then finalise. */
function splitmix(value: number): number {
  return mix32((value + GOLDEN_GAMMA) >>> 0);
}

/**
 * The project's one seed derivation: a new unsigned 32-bit seed from `seed`
 * and a list of labels (an epoch, a shard, a purpose), so that each use of
 * randomness in a run gets its own stream and the same inputs give the same
 * seed on every machine. Each label is mixed in with splitmix32; a number
 * label is taken as an unsigned 32-bit integer (`x >>> 0`), a string label as
 * its {@link fnv1a} hash. `seed` is taken the same way. A seed or label that is
 * not a finite number (or a string) is a {@link SeqloomError}.
 *
 * @example deriveSeed(runSeed, 0xba7c4, epoch) // the shuffle of one epoch
 */
export function deriveSeed(seed: number, ...labels: readonly (number | string)[]): number {
  checkWord('seed', seed);
  let h = splitmix(seed >>> 0);
  labels.forEach((label, i) => {
    const word = typeof label === 'string' ? fnv1a(label) : checkWord(`label ${i + 1}`, label);
    h = splitmix((h ^ splitmix(word >>> 0)) >>> 0);
  });
  return h;
}

function checkWord(what: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SeqloomError(`deriveSeed: ${what} must be a finite number${what === 'seed' ? '' : ' or a string'}, got ${String(value)}`, { option: what });
  }
  return value;
}
