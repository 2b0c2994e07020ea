import { join } from 'node:path';
import { createRng, deriveSeed, type RngState } from '@seqloom/core';
import { CHECKPOINT_FORMAT_VERSION } from './checkpoint-config.js';
import { CheckpointError } from './checkpoint-error.js';

/** The last format version whose state.json holds the state of the former sfc32 generator. */
const SFC32_FORMAT_VERSION = 1;

/** The parts of state.json a migration reads. */
interface SavedPosition {
  rng: RngState;
  epoch: number;
  batchInEpoch: number;
}

/**
 * Brings the training state of an older checkpoint to this format, before a
 * resume uses it. Format 1 saved the state of the former sfc32 generator and
 * shuffled each epoch with it. At an epoch boundary that state only seeds
 * later draws, so it is converted deterministically into a state of the
 * current generator (the same checkpoint always resumes the same way). In the
 * middle of an epoch the rest of that epoch's batch order cannot be rebuilt, so
 * resuming is refused with what to do. Weights and config.json need nothing.
 */
export function migrateTrainingState<S extends SavedPosition>(state: S, formatVersion: number, dir: string): S {
  if (formatVersion > SFC32_FORMAT_VERSION) return state;
  if (state.batchInEpoch !== 0) {
    throw new CheckpointError(
      join(dir, 'config.json'),
      `checkpoint format version ${formatVersion} stopped within epoch ${state.epoch + 1} (at batch ${state.batchInEpoch}); ` +
        `from format version ${CHECKPOINT_FORMAT_VERSION} on, seqloom shuffles with another generator, so the rest of that epoch ` +
        'cannot be replayed. Resume it with the seqloom version that wrote it, resume from a checkpoint saved at the end of ' +
        'an epoch, or start a fresh run (generate and eval load this checkpoint as it is)',
    );
  }
  const [a, b, c, d] = state.rng;
  return { ...state, rng: createRng(deriveSeed(a, b, c, d)).getState() };
}
