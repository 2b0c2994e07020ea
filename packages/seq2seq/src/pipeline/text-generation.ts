import { DECODE_OPTIONS, type FinishReason, type GenerateOptions, type GenerationResult, generate, type Hypothesis, stream } from '@seqloom/decode';
import type { DecodingPool } from '../parallel/decoding-pool.js';
import { cutText, fitInput, inputCharacterBudget } from './input-limit.js';
import { longestTokenLength } from './longest-token.js';
import type { TrainedModel } from './trained-model.js';

/** Decoding options of {@link generateTexts}: those of `@seqloom/decode` plus banned texts. */
export type TextGenerationOptions = Omit<GenerateOptions, 'forcedPrefix'> & {
  /** Texts that must not appear in the output (encoded with the target tokenizer). */
  banned?: readonly string[];
  /** Decode on this pool (made from the same model) to use several threads. */
  pool?: DecodingPool;
  /** Add each hypothesis's attention rows (models with attention) [false]. */
  attention?: boolean;
};

/** One hypothesis as text. */
export interface TextHypothesis {
  /** The generated text (for lm: the prime followed by its continuation). */
  text: string;
  /** Generated token ids (without the prime or the stop token). */
  ids: number[];
  /** Score used for ranking (log-probability, length-normalised if asked). */
  score: number;
  logProb: number;
  finishReason: FinishReason;
  /**
   * For models with attention: one row per generated token (the stop token
   * included), each a distribution over the source tokens.
   */
  attention?: number[][];
}

/** The result for one input: the best hypothesis and the n-best list. */
export interface TextGeneration extends TextHypothesis {
  input: string;
  nBest: TextHypothesis[];
}

/**
 * Options of generation.json that apply: those `@seqloom/decode` lists with
 * JSON values, except `forcedPrefix` (the pipeline primes a language model
 * with its input instead).
 */
const SAVED_KEYS: ReadonlySet<string> = new Set(DECODE_OPTIONS.filter((o) => o.value.json && o.name !== 'forcedPrefix').map((o) => o.name));

/** Saved options that belong to some strategies only, dropped when the caller picks another. */
const STRATEGY_KEYS: ReadonlySet<string> = new Set(DECODE_OPTIONS.filter((o) => o.strategies !== undefined).map((o) => o.name));

/**
 * The model's saved decoding defaults (generation.json) overlaid with
 * `options`. When `options` picks another strategy than the saved one, the
 * saved strategy-specific options (beam width, temperature, …) are dropped.
 */
export function decodingOptions(trained: TrainedModel, options: TextGenerationOptions = {}): GenerateOptions {
  const saved: Record<string, unknown> = {};
  const switched = options.strategy !== undefined && options.strategy !== (trained.generation.strategy ?? 'greedy');
  for (const [key, value] of Object.entries(trained.generation)) {
    if (SAVED_KEYS.has(key) && !(switched && STRATEGY_KEYS.has(key))) saved[key] = value;
  }
  const { banned, pool: _pool, attention: _attention, ...rest } = options;
  const merged = { ...saved, ...rest } as GenerateOptions;
  if (banned && banned.length > 0) {
    merged.bannedSequences = [...(merged.bannedSequences ?? []), ...banned.map((t) => trained.targetTokenizer.encode(t))];
  }
  return merged;
}

function sourcesOf(trained: TrainedModel, inputs: readonly string[]): number[][] {
  const { task } = trained.config.model;
  const limit = trained.inputLimit ?? Infinity;
  const budget = inputCharacterBudget(limit, longestTokenLength(trained.sourceTokenizer));
  return inputs.map((input, i) => {
    // cut before tokenising: a huge line costs its characters, not an id array of its length
    const text = cutText(input, budget, task);
    const ids = text === '' && task === 'lm' ? [] : trained.sourceTokenizer.encode(text);
    const what = `input ${JSON.stringify(input.length > 30 ? `${input.slice(0, 30)}…` : input)}${inputs.length > 1 ? ` (#${i + 1} of the batch)` : ''}`;
    return fitInput(ids, limit, task, what, trained.onWarning, text.length < input.length ? input.length : undefined);
  });
}

function toText(trained: TrainedModel, source: number[], h: Hypothesis, withAttention = false): TextHypothesis {
  const ids = h.ids[h.ids.length - 1] === trained.stepModel.eosId ? h.ids.slice(0, -1) : h.ids;
  const full = trained.config.model.task === 'lm' ? [...source, ...ids] : ids;
  const text: TextHypothesis = { text: trained.targetTokenizer.decode(full), ids, score: h.score, logProb: h.logProb, finishReason: h.finishReason };
  if (withAttention && h.attention && h.attention.length > 0) {
    // rows span the batch's longest source; the columns past this source are padding (weight 0)
    text.attention = h.attention.map((row) => Array.from(row.subarray(0, source.length)));
  }
  return text;
}

function toGeneration(trained: TrainedModel, input: string, source: number[], result: GenerationResult, withAttention = false): TextGeneration {
  const nBest = result.hypotheses.map((h) => toText(trained, source, h, withAttention));
  return { input, ...toText(trained, source, result.best, withAttention), nBest };
}

/**
 * Generates from each input with the model's decoding defaults overlaid by
 * `options`. For seq2seq an input is a source text; for lm it is the prime
 * (possibly empty) that the continuation follows.
 */
export async function generateTexts(trained: TrainedModel, inputs: readonly string[], options: TextGenerationOptions = {}): Promise<TextGeneration[]> {
  const sources = sourcesOf(trained, inputs);
  const decoding = decodingOptions(trained, options);
  const results = await (options.pool ? options.pool.generate(sources, decoding) : generate(trained.stepModel, sources, decoding));
  return results.map((result, i) => toGeneration(trained, inputs[i], sources[i], result, options.attention ?? false));
}

/** Events of {@link streamText}: text as it is generated, then the full result. */
export type TextStreamEvent = { type: 'text'; text: string } | { type: 'result'; generation: TextGeneration };

/**
 * Generates from one input and yields text pieces as tokens arrive (greedy
 * and sampling; beam and exhaustive search only know their text at the end),
 * then the complete result.
 */
export async function* streamText(trained: TrainedModel, input: string, options: TextGenerationOptions = {}): AsyncGenerator<TextStreamEvent> {
  const [source] = sourcesOf(trained, [input]);
  const detokenizer = trained.targetTokenizer.createDetokenizer();
  if (trained.config.model.task === 'lm') {
    let primeText = '';
    for (const id of source) primeText += detokenizer.push(id);
    if (primeText) yield { type: 'text', text: primeText };
  }
  for await (const event of stream(trained.stepModel, [source], decodingOptions(trained, options))) {
    if (event.type === 'token' && event.sample === 0 && event.token !== trained.stepModel.eosId) {
      const text = detokenizer.push(event.token);
      if (text) yield { type: 'text', text };
    } else if (event.type === 'result') {
      const rest = detokenizer.flush();
      if (rest) yield { type: 'text', text: rest };
      yield { type: 'result', generation: toGeneration(trained, input, source, event.result, options.attention ?? false) };
    }
  }
}
