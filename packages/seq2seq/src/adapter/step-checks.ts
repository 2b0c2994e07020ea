// The argument checks of both step models (tensor path and fused engine).
import { SeqloomError } from '@seqloom/core';

/** A call to the step model broke its contract; the message says which argument and why. */
export class StepModelUsageError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'StepModelUsageError';
  }
}

/** Throws naming the position when an id is not a token of a vocabulary of `vocab` ids. */
export function checkIds(where: string, ids: ArrayLike<number>, vocab: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new StepModelUsageError(`${where}: token id ${id} at position ${i} is outside the vocabulary [0, ${vocab}).`);
    }
  }
}

/** Throws unless `rows` is a non-empty list of rows of a state of `stateRows` rows. */
export function checkReorderRows(rows: Int32Array, stateRows: number): void {
  const bad = rows.findIndex((r) => !Number.isInteger(r) || r < 0 || r >= stateRows);
  if (bad >= 0) throw new StepModelUsageError(`reorder(state, rows): rows[${bad}] = ${rows[bad]} is not a row of the state (0 to ${stateRows - 1}).`);
  if (rows.length === 0) throw new StepModelUsageError('reorder(state, rows): rows is empty; dispose the state instead.');
}
