import type { StepEvent } from '../events.js';
import type { GenerationResult, Row } from '../hypothesis.js';
import type { Rng } from '../rng.js';
import type { FinishReason } from '../stopping-criteria.js';

/** The `earlyStopping` modes of beam search. */
export const EARLY_STOPPING_MODES = ['bound', 'width', 'heuristic'] as const;

/**
 * When beam search stops: `bound` (default) once `beamWidth` hypotheses are
 * finished and no live beam can still beat the worst of them (exact, given
 * maxNewTokens); `width` as soon as `beamWidth` hypotheses are finished;
 * `heuristic` once `beamWidth` hypotheses are finished and the best live beam,
 * scored at its current length, does not beat the worst of them (Hugging
 * Face's `early_stopping=False`: fast, and may stop before a longer
 * hypothesis would have won under a length penalty).
 */
export type EarlyStopping = (typeof EARLY_STOPPING_MODES)[number];

/** The validated options a strategy reads (see `DECODE_OPTIONS` for their meaning). */
export interface SearchSettings {
  /** Maximum generated length, forced prefix included. */
  readonly maxLength: number;
  readonly beamWidth: number;
  readonly numReturn: number;
  /** Ranking score of a hypothesis from its log-probability and length (the length penalty). */
  readonly score: (logProb: number, length: number) => number;
  readonly earlyStopping: EarlyStopping;
  readonly beamGroups: number;
  readonly diversityStrength: number;
  /** The generator of a strategy that draws random numbers (`random: true`), else null. */
  readonly rng: Rng | null;
  readonly maxSearchSpace: number;
  /** Whose conventions beam search follows (see `COMPAT_MODES`). */
  readonly compat: Compat;
}

/**
 * Whose conventions decoding follows:
 * - `seqloom` (default): processors run on logits and every step's distribution
 *   is renormalised after them; beam search always keeps the greedy
 *   continuation alive, so its best hypothesis never scores below greedy's; the
 *   padding token is never generated;
 * - `hf`: Hugging Face `generate()`'s: beam search applies the processors to
 *   log-probabilities without renormalising (a masked token's mass is lost, a
 *   forced token scores 0), keeps the 2·W best candidates, finishes a stop
 *   token only when ranked within the first W, and at the length limit
 *   finishes the W best candidates; padding is masked only when the options say so.
 */
export const COMPAT_MODES = ['seqloom', 'hf'] as const;

/** See `COMPAT_MODES`. */
export type Compat = (typeof COMPAT_MODES)[number];

/** What the model tells a strategy before it starts. */
export interface ModelShape {
  readonly vocabSize: number;
  readonly eosId: number;
  readonly padId: number;
}

/** What every strategy is built with. */
export interface StrategyContext {
  readonly vocabSize: number;
  readonly eosId: number;
  readonly options: SearchSettings;
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
  /**
   * Each row's largest processed logit, when the loop knows it: a search may
   * skip a row whose best token cannot enter its candidates.
   */
  readonly max?: Float64Array;
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

/**
 * A strategy as the registry (`strategies/registry.ts`) lists it. A new
 * strategy is a file exporting one of these plus one line in the registry;
 * its name then becomes a valid `strategy` option and a `--decoder` choice.
 */
export interface StrategyDefinition {
  /** One line for help texts. */
  readonly help: string;
  /** It draws random numbers: `settings.rng` is made from `seed` or `rng`. */
  readonly random?: boolean;
  /** Checks of option combinations this strategy needs (throw DecodeOptionError). */
  check?(settings: SearchSettings): void;
  /** Checks against the model, before it is started (throw DecodeOptionError). */
  checkModel?(model: ModelShape, settings: SearchSettings): void;
  create(context: StrategyContext): SearchStrategy;
}
