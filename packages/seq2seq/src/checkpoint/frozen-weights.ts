import type { TrainableModel } from '../model-contract.js';
import { CheckpointError } from './checkpoint-error.js';

/** Names of a model's frozen weights (empty when it exposes no `frozen` set). */
export function frozenWeightNames(model: TrainableModel): string[] {
  return [...(model.frozen ?? [])].sort();
}

/**
 * Marks the weights a checkpoint recorded as frozen (config.json "frozen") as
 * frozen in `model` too: added to its `frozen` set and made non-trainable,
 * so the optimizer and its saved state leave them out, as when the checkpoint
 * was written. `configPath` names config.json in errors.
 */
export function applyFrozenWeights(model: TrainableModel, names: readonly string[], configPath: string): void {
  if (names.length === 0) return;
  const file = configPath;
  const frozen = model.frozen;
  if (!(frozen instanceof Set)) {
    throw new CheckpointError(
      file,
      `records frozen weights (${names.join(', ')}) but the model has no mutable \`frozen\` set to mark them in; ` +
        'build the model with those weights frozen',
    );
  }
  const weights = model.namedWeights();
  for (const name of names) {
    const variable = weights.get(name);
    if (!variable) throw new CheckpointError(file, `"frozen" names weight "${name}", which the model does not have`);
    (frozen as Set<string>).add(name);
    variable.trainable = false;
  }
}
