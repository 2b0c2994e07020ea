import type { StepEvent } from '../events.js';
import type { GenerationResult, Row } from '../hypothesis.js';
import type { ResolvedOptions } from '../options.js';
import type { FinishReason } from '../stopping-criteria.js';

/** What every strategy is built with. */
export interface StrategyContext {
  readonly vocabSize: number;
  readonly eosId: number;
  readonly options: ResolvedOptions;
  readonly emit: (event: StepEvent) => void;
  /** False when nobody consumes events (`generate`): per-token events are then not built. */
  readonly listening: boolean;
}

/**
 * Processed log-probabilities of one step, `[rows × vocab]`, kept as the
 * processed logits and one normaliser per row: log p(v | row r) =
 * logits[r·V + v] − shift[r] (float64). Masked entries are −Infinity.
 */
export interface StepLogProbs {
  readonly logits: Float32Array;
  readonly shift: Float64Array;
}

/** log p(v | row r) from a step's log-probabilities. */
export function logProbAt(lp: StepLogProbs, vocabSize: number, r: number, v: number): number {
  return lp.logits[r * vocabSize + v] - lp.shift[r];
}

/** The next live rows, each with the index of the current row it extends. */
export interface Selection {
  rows: Row[];
  parents: number[];
}

/**
 * A decoding strategy only picks: the loop steps the model, applies the
 * processors and stopping criteria, and asks the strategy which rows live on.
 */
export interface SearchStrategy {
  /** The first live rows; `parents[i]` is the source whose start row row i copies. */
  initial(sourceCount: number): Selection;
  /**
   * Choose the next live rows from the step's processed log-probabilities;
   * `attention[r]` is row r's attention or null.
   */
  select(rows: readonly Row[], logProbs: StepLogProbs, attention: readonly (Float32Array | null)[]): Selection;
  /** A live row was stopped by a stopping criterion. */
  finish(row: Row, reason: FinishReason): void;
  /** One result per source, once no row is live. */
  results(sourceCount: number): GenerationResult[];
}
