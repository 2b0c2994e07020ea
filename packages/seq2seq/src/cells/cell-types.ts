// No imports here: the command line (for its help) and the ONNX loader read
// the cell names without loading TensorFlow.js.

/**
 * The recurrent cell kinds, one per row of CELL_REGISTRY (whose type
 * requires exactly these rows), in the order help texts and error messages
 * list them.
 */
export const CELL_TYPES = Object.freeze(['lstm', 'gru', 'rnn'] as const);

/** Recurrent cell kinds: the names in {@link CELL_TYPES} (CELL_REGISTRY's keys). */
export type CellType = (typeof CELL_TYPES)[number];

/** The cell a model has unless its config names one. */
export const DEFAULT_CELL: CellType = 'lstm';
