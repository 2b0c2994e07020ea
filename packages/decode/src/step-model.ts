/**
 * The one contract between models and decoders. A decoder drives any object
 * that implements it; it knows nothing about tfjs, RNNs or tokenizers.
 *
 * Rows: `start` returns a state for `sources.length` rows (row i = source i).
 * Every later call works on the rows the state currently holds; `reorder`
 * selects (and may repeat or drop) rows, e.g. to expand a row into beams or to
 * drop finished hypotheses.
 */
export interface StepModel<S> {
  /** Size of the output distribution; `logits` rows have this length. */
  readonly vocabSize: number;
  /** Token fed at the first step of every row. */
  readonly bosId: number;
  /** The stop token: a row that picks it is finished. */
  readonly eosId: number;
  /** Padding id; never a valid generation. */
  readonly padId: number;
  /** Encode once per batch. `sources[i]` are token ids (may be empty for a language model). */
  start(sources: readonly (readonly number[])[]): Promise<S>;
  /**
   * Advance every row of `state` by one token. `previous[r]` is the token
   * generated last in row r (bosId at the first step). Returns logits as a
   * row-major `[rows × vocabSize]` array and the next state; the input state
   * is consumed (the model may dispose it). `attention`, when present, is
   * `[rows × sourceLength]`.
   */
  step(state: S, previous: Int32Array): Promise<{ logits: Float32Array; state: S; attention?: Float32Array }>;
  /** Build a state whose row i is row `rows[i]` of `state`. Consumes `state`. */
  reorder(state: S, rows: Int32Array): S;
  /** Free everything the state holds. */
  dispose(state: S): void;
}
