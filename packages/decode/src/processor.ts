/**
 * What a logits processor knows about the row it is processing.
 */
export interface ProcessorContext {
  /** Tokens generated so far in this row (bos excluded), oldest first. */
  readonly tokens: readonly number[];
  /** Index of the source (batch element) this row belongs to. */
  readonly source: number;
  /** Size of the vocabulary (the row's length). */
  readonly vocabSize: number;
  /** The model's stop token. */
  readonly eosId: number;
}

/**
 * A logits processor: a pure function of one row of logits (length
 * `vocabSize`) and its context that returns the processed row. It may write
 * the row it is given in place (the decoding loop owns that buffer) and return
 * it, or return a new array of the same length. Masked tokens are
 * `-Infinity`. Processors are composed as a list, applied in order.
 *
 * A function's `name` is used in error messages; the factories in this
 * package name theirs after their arguments, e.g. `topK(5)`.
 */
export type LogitsProcessor = (logits: Float32Array, context: ProcessorContext) => Float32Array;

/** Give a processor (or criterion) a readable name for error messages. */
export function named<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** Name of a processor for messages: its function name, else its position in the list. */
export function processorLabel(p: LogitsProcessor, index: number): string {
  return p.name && p.name !== 'anonymous' ? p.name : `processors[${index}]`;
}

/** Apply `processors` in order to `row` (which may be written in place). */
export function applyProcessors(processors: readonly LogitsProcessor[], row: Float32Array, context: ProcessorContext): Float32Array {
  let current = row;
  for (const p of processors) current = p(current, context);
  return current;
}
