import { DecodeOptionError, checkInteger, checkNumber, checkTokenIds, describe } from './errors.js';
import { makeScorer, type LengthPenalty } from './length-penalty.js';
import type { LogitsProcessor } from './processor.js';
import { bannedSequences } from './processors/banned-sequences.js';
import { forcedPrefix } from './processors/forced-prefix.js';
import { minNewTokens } from './processors/min-new-tokens.js';
import { minP } from './processors/min-p.js';
import { noRepeatNgram } from './processors/no-repeat-ngram.js';
import { repetitionPenalty } from './processors/repetition-penalty.js';
import { suppressTokens } from './processors/suppress-tokens.js';
import { temperature } from './processors/temperature.js';
import { topK } from './processors/top-k.js';
import { topP } from './processors/top-p.js';
import { typicalP } from './processors/typical-p.js';
import { createRng, type Rng } from './rng.js';
import type { StepModel } from './step-model.js';
import { abortSignal, maxNewTokens, maxTime, stopToken, type StoppingCriterion } from './stopping-criteria.js';

/** Decoding strategies. */
export type Strategy = 'greedy' | 'beam' | 'sample' | 'exhaustive';

/**
 * When beam search stops: `bound` (default) once `beamWidth` hypotheses are
 * finished and no live beam can still beat the worst of them (exact, given
 * maxNewTokens); `width` as soon as `beamWidth` hypotheses are finished.
 */
export type EarlyStopping = 'bound' | 'width';

/** Options of `generate` and `stream`. See the package README for the full table. */
export interface GenerateOptions {
  /** Default `greedy`. */
  strategy?: Strategy;
  /** Tokens to generate at most, not counting a forced prefix. Default 64. */
  maxNewTokens?: number;
  /** The stop token is masked until this many tokens (after a forced prefix) are generated. Default 0. */
  minNewTokens?: number;
  /** Beam width (beam search). Default 4. */
  beamWidth?: number;
  /** Hypotheses returned per source: ≤ beamWidth for beam, samples per source for sampling, n-best for exhaustive. Default 1. */
  numReturn?: number;
  /** Default `none`. */
  lengthPenalty?: LengthPenalty;
  /** α of the `wu` length penalty. Default 0.6. */
  lengthPenaltyAlpha?: number;
  /** Default `bound`. */
  earlyStopping?: EarlyStopping;
  /** Diverse beam search: number of groups; must divide beamWidth. Default 1. */
  beamGroups?: number;
  /** Diverse beam search: Hamming diversity penalty λ ≥ 0. Default 0. */
  diversityStrength?: number;
  /** Sampling only (validated but ignored by the other strategies, like every strategy-specific option). */
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  typicalP?: number;
  repetitionPenalty?: number;
  noRepeatNgramSize?: number;
  bannedSequences?: number[][];
  suppressTokens?: number[];
  /** Tokens every output starts with (priming a language model). */
  forcedPrefix?: number[];
  /** Seed of the default generator (sampling). Without seed or rng a random seed is used. */
  seed?: number;
  /** A generator to draw from instead of `createRng(seed)`. */
  rng?: Rng;
  signal?: AbortSignal;
  maxTimeMs?: number;
  /** Exhaustive search: the most prefixes it may expand per source. Default 100,000. */
  maxSearchSpace?: number;
  /** Extra logits processors, applied after the built-in ones and before the sampling filters. */
  processors?: LogitsProcessor[];
  /** Extra stopping criteria, OR-ed with the built-in ones. */
  stoppingCriteria?: StoppingCriterion[];
}

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  strategy: Strategy;
  /** Maximum generated length, forced prefix included. */
  maxLength: number;
  beamWidth: number;
  numReturn: number;
  score: (logProb: number, length: number) => number;
  earlyStopping: EarlyStopping;
  beamGroups: number;
  diversityStrength: number;
  rng: Rng | null;
  maxSearchSpace: number;
  processors: LogitsProcessor[];
  criteria: StoppingCriterion[];
}

const KNOWN = new Set([
  'strategy', 'maxNewTokens', 'minNewTokens', 'beamWidth', 'numReturn', 'lengthPenalty', 'lengthPenaltyAlpha',
  'earlyStopping', 'beamGroups', 'diversityStrength', 'temperature', 'topK', 'topP', 'minP', 'typicalP',
  'repetitionPenalty', 'noRepeatNgramSize', 'bannedSequences', 'suppressTokens', 'forcedPrefix', 'seed', 'rng',
  'signal', 'maxTimeMs', 'maxSearchSpace', 'processors', 'stoppingCriteria',
]);

/** Validate `options` against `model` and fill in defaults. Throws DecodeOptionError. */
export function resolveOptions<S>(model: StepModel<S>, options: GenerateOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new DecodeOptionError('options', `expected an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new DecodeOptionError(key, `unknown option; valid options are ${[...KNOWN].join(', ')}`);
    }
  }
  const strategy = options.strategy ?? 'greedy';
  if (!['greedy', 'beam', 'sample', 'exhaustive'].includes(strategy)) {
    throw new DecodeOptionError('strategy', `expected 'greedy', 'beam', 'sample' or 'exhaustive', got ${describe(strategy)}`);
  }
  const prefix = options.forcedPrefix === undefined ? [] : checkTokenIds('forcedPrefix', options.forcedPrefix, model.vocabSize);
  const maxNew = checkInteger('maxNewTokens', options.maxNewTokens ?? 64, 0);
  const beamWidth = checkInteger('beamWidth', options.beamWidth ?? (strategy === 'beam' ? 4 : 1), 1);
  const numReturn = resolveNumReturn(strategy, options.numReturn, beamWidth);
  const beamGroups = checkInteger('beamGroups', options.beamGroups ?? 1, 1);
  if (strategy === 'beam' && beamWidth % beamGroups !== 0) {
    throw new DecodeOptionError('beamGroups', `must divide beamWidth (${beamWidth}); got ${beamGroups}`);
  }
  const earlyStopping = options.earlyStopping ?? 'bound';
  if (earlyStopping !== 'bound' && earlyStopping !== 'width') {
    throw new DecodeOptionError('earlyStopping', `expected 'bound' or 'width', got ${describe(earlyStopping)}`);
  }
  if (options.seed !== undefined && options.rng !== undefined) {
    throw new DecodeOptionError('seed', 'give either seed or rng, not both');
  }
  if (options.rng !== undefined && typeof options.rng?.next !== 'function') {
    throw new DecodeOptionError('rng', 'expected an object with next(): number in [0, 1), e.g. createRng(seed)');
  }
  // Options of other strategies are validated but unused, so saved defaults
  // (e.g. a generation.json written for beam search) compose with any strategy.
  checkSamplingOptions(options);
  if (options.seed !== undefined) createRng(options.seed);
  const rng = strategy !== 'sample' ? null : (options.rng ?? createRng(options.seed ?? Math.floor(Math.random() * 0x100000000)));
  return {
    strategy,
    maxLength: maxNew + prefix.length,
    beamWidth,
    numReturn,
    score: makeScorer(options.lengthPenalty ?? 'none', options.lengthPenaltyAlpha ?? 0.6),
    earlyStopping,
    beamGroups,
    diversityStrength: checkNumber('diversityStrength', options.diversityStrength ?? 0, (v) => v >= 0, 'a finite number ≥ 0'),
    rng,
    maxSearchSpace: checkInteger('maxSearchSpace', options.maxSearchSpace ?? 100_000, 1),
    processors: buildProcessors(model, options, prefix, strategy),
    criteria: buildCriteria(model, options, maxNew + prefix.length),
  };
}

/** Validate the sampling filters whatever the strategy (a bad value is a bug even when unused). */
function checkSamplingOptions(o: GenerateOptions): void {
  if (o.temperature !== undefined) temperature(o.temperature);
  if (o.topK !== undefined) topK(o.topK);
  if (o.topP !== undefined) topP(o.topP);
  if (o.minP !== undefined) minP(o.minP);
  if (o.typicalP !== undefined) typicalP(o.typicalP);
}

function resolveNumReturn(strategy: Strategy, value: number | undefined, beamWidth: number): number {
  const n = checkInteger('numReturn', value ?? 1, 1);
  if (strategy === 'greedy' && n !== 1) {
    throw new DecodeOptionError('numReturn', `greedy decoding returns one hypothesis; use strategy 'beam' or 'sample' for ${n}`);
  }
  if (strategy === 'beam' && n > beamWidth) {
    throw new DecodeOptionError('numReturn', `must be ≤ beamWidth (${beamWidth}); got ${n}`);
  }
  return n;
}

function buildProcessors<S>(model: StepModel<S>, o: GenerateOptions, prefix: number[], strategy: Strategy): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (model.padId !== model.eosId) list.push(suppressTokens([model.padId]));
  if (o.suppressTokens !== undefined) list.push(suppressTokens(checkTokenIds('suppressTokens', o.suppressTokens, model.vocabSize)));
  if (o.bannedSequences !== undefined) {
    if (!Array.isArray(o.bannedSequences)) throw new DecodeOptionError('bannedSequences', 'expected an array of token-id arrays');
    o.bannedSequences.forEach((s, i) => checkTokenIds(`bannedSequences[${i}]`, s, model.vocabSize));
    list.push(bannedSequences(o.bannedSequences));
  }
  if (o.noRepeatNgramSize !== undefined) list.push(noRepeatNgram(o.noRepeatNgramSize));
  if (o.repetitionPenalty !== undefined) list.push(repetitionPenalty(o.repetitionPenalty));
  if (o.minNewTokens !== undefined) list.push(minNewTokens(checkInteger('minNewTokens', o.minNewTokens, 0) + prefix.length, model.eosId));
  if (o.processors !== undefined) {
    if (!Array.isArray(o.processors) || o.processors.some((p) => typeof p !== 'function')) {
      throw new DecodeOptionError('processors', 'expected an array of functions (logits, context) => logits');
    }
    list.push(...o.processors);
  }
  if (prefix.length > 0) list.push(forcedPrefix(prefix));
  if (strategy === 'sample') {
    if (o.temperature !== undefined) list.push(temperature(o.temperature));
    if (o.topK !== undefined) list.push(topK(o.topK));
    if (o.topP !== undefined) list.push(topP(o.topP));
    if (o.minP !== undefined) list.push(minP(o.minP));
    if (o.typicalP !== undefined) list.push(typicalP(o.typicalP));
  }
  return list;
}

function buildCriteria<S>(model: StepModel<S>, o: GenerateOptions, maxLength: number): StoppingCriterion[] {
  const list: StoppingCriterion[] = [stopToken(model.eosId), maxNewTokens(maxLength)];
  if (o.signal !== undefined) list.push(abortSignal(o.signal));
  if (o.maxTimeMs !== undefined) list.push(maxTime(o.maxTimeMs));
  if (o.stoppingCriteria !== undefined) {
    if (!Array.isArray(o.stoppingCriteria) || o.stoppingCriteria.some((c) => typeof c !== 'function')) {
      throw new DecodeOptionError('stoppingCriteria', 'expected an array of functions (context) => reason | null');
    }
    list.push(...o.stoppingCriteria);
  }
  return list;
}
