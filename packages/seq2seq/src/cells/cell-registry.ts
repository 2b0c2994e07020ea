import type { CellDefinition } from './cell-definition.js';
import type { CellType } from './cell-types.js';
import { GRU_CELL } from './gru-definition.js';
import { LSTM_CELL } from './lstm-definition.js';
import { RNN_CELL } from './rnn-definition.js';

/**
 * Every recurrent cell type seqloom has, by the name configs, checkpoints,
 * the command line and exports use; each part of seqloom that differs by
 * cell reads the definition here. The type requires one row per name of
 * CELL_TYPES (cell-types.ts, kept import-free for the command line's help)
 * and no other: a new cell is its definition file, its row here and its name
 * there.
 */
export const CELL_REGISTRY: Readonly<Record<CellType, CellDefinition>> = Object.freeze({
  lstm: LSTM_CELL,
  gru: GRU_CELL,
  rnn: RNN_CELL,
});

/** The definition of a cell kind (see {@link CELL_REGISTRY}). */
export function cellDefinition(kind: CellType): CellDefinition {
  return CELL_REGISTRY[kind];
}
