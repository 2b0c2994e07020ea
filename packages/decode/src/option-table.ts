import { LENGTH_PENALTIES } from './length-penalty.js';
import { type DecodeOptionDefinition, defineOption } from './option-definition.js';
import { choice, functions, integer, number, object, tokenIds, tokenSequences } from './option-values.js';
import type { LogitsProcessor } from './processor.js';
import { bannedSequences } from './processors/banned-sequences.js';
import { forcedPrefix } from './processors/forced-prefix.js';
import { forcedToken } from './processors/forced-token.js';
import { minNewTokens } from './processors/min-new-tokens.js';
import { minP, minPValue } from './processors/min-p.js';
import { noRepeatNgram, noRepeatNgramValue } from './processors/no-repeat-ngram.js';
import { repetitionPenalty, repetitionPenaltyValue } from './processors/repetition-penalty.js';
import { suppressTokens } from './processors/suppress-tokens.js';
import { temperature, temperatureValue } from './processors/temperature.js';
import { topK, topKValue } from './processors/top-k.js';
import { topP, topPValue } from './processors/top-p.js';
import { typicalP, typicalPValue } from './processors/typical-p.js';
import type { Rng } from './rng.js';
import { abortSignal, maxTime, maxTimeValue, type StoppingCriterion } from './stopping-criteria.js';
import { STRATEGY_NAMES } from './strategies/registry.js';
import { COMPAT_MODES, EARLY_STOPPING_MODES } from './strategies/search-strategy.js';

/**
 * Every option of `generate` and `stream`, in the order they are validated
 * and listed (help texts, the command line). A new built-in processor is its
 * file plus one row here: `generate` validates and builds it, the seq2seq
 * pipeline keeps it in generation.json defaults, and the command line gets a
 * flag for it.
 */
export const DECODE_OPTIONS = [
  defineOption({ name: 'strategy', help: 'decoding strategy', value: choice(STRATEGY_NAMES), default: 'greedy' }),
  defineOption({ name: 'beamWidth', help: 'beam width (beam)', value: integer({ min: 1 }), default: 4, strategies: ['beam'] }),
  defineOption({
    name: 'numReturn',
    help: 'hypotheses per input (beam: ≤ beam width; sample: samples)',
    value: integer({ min: 1 }),
    default: 1,
    strategies: ['beam', 'sample', 'exhaustive'],
  }),
  defineOption({ name: 'lengthPenalty', help: 'length normalisation of scores', value: choice(LENGTH_PENALTIES), default: 'none' }),
  defineOption({ name: 'lengthPenaltyAlpha', help: 'α of the wu and power length penalties', value: number({}), default: 0.6 }),
  defineOption({ name: 'earlyStopping', help: 'when beam search stops', value: choice(EARLY_STOPPING_MODES), default: 'bound', strategies: ['beam'] }),
  defineOption({
    name: 'beamGroups',
    help: 'diverse beam search groups (must divide the beam width)',
    value: integer({ min: 1 }),
    default: 1,
    strategies: ['beam'],
  }),
  defineOption({ name: 'diversityStrength', help: 'diverse beam search penalty strength', value: number({ min: 0 }), default: 0, strategies: ['beam'] }),
  defineOption({ name: 'temperature', help: 'sampling temperature', value: temperatureValue, default: 1, strategies: ['sample'], processor: temperature }),
  defineOption({
    name: 'topK',
    help: 'sample from the k most likely tokens',
    value: topKValue,
    defaultText: 'off',
    strategies: ['sample'],
    processor: topK,
  }),
  defineOption({ name: 'topP', help: 'nucleus sampling mass', value: topPValue, default: 1, strategies: ['sample'], processor: topP }),
  defineOption({
    name: 'minP',
    help: 'drop tokens below this share of the top probability',
    value: minPValue,
    default: 0,
    strategies: ['sample'],
    processor: minP,
  }),
  defineOption({ name: 'typicalP', help: 'locally typical sampling mass', value: typicalPValue, default: 1, strategies: ['sample'], processor: typicalP }),
  defineOption({ name: 'suppressTokens', help: 'tokens never generated', value: tokenIds, defaultText: 'none', processor: suppressTokens }),
  defineOption({
    name: 'repetitionPenalty',
    help: 'penalty for tokens already generated (1 = off)',
    value: repetitionPenaltyValue,
    default: 1,
    processor: repetitionPenalty,
  }),
  defineOption({
    name: 'noRepeatNgramSize',
    help: 'forbid repeating n-grams of this size',
    value: noRepeatNgramValue,
    defaultText: 'off',
    processor: noRepeatNgram,
  }),
  defineOption({
    name: 'minNewTokens',
    help: 'tokens before the stop token is allowed',
    value: integer({ min: 0 }),
    default: 0,
    processor: (n, { prefixLength, eosId }) => minNewTokens(n + prefixLength, eosId),
  }),
  defineOption({ name: 'maxNewTokens', help: 'most tokens generated per input', value: integer({ min: 0 }), default: 64 }),
  defineOption({
    name: 'bannedSequences',
    help: 'token sequences that must not be generated',
    value: tokenSequences,
    defaultText: 'none',
    processor: bannedSequences,
  }),
  defineOption({
    name: 'forcedBosId',
    help: 'token forced as the first generated one (Hugging Face forced_bos_token_id)',
    value: integer({ min: 0 }),
    defaultText: 'none',
    processor: (id, { prefixLength }) => forcedToken('forcedBosId', id, prefixLength),
  }),
  defineOption({
    name: 'forcedEosId',
    help: 'token forced when the length limit is reached (Hugging Face forced_eos_token_id)',
    value: integer({ min: 0 }),
    defaultText: 'none',
    processor: (id, { maxLength }) => forcedToken('forcedEosId', id, maxLength - 1),
  }),
  defineOption({
    name: 'compat',
    help: "whose conventions beam search and scores follow: seqloom's or Hugging Face generate()'s",
    value: choice(COMPAT_MODES),
    default: 'seqloom',
  }),
  defineOption({
    name: 'processors',
    help: 'extra logits processors, after the built-in ones and before the sampling filters',
    value: functions<LogitsProcessor>('(logits, context) => logits'),
    default: [],
    processor: (list) => list,
  }),
  defineOption({
    name: 'forcedPrefix',
    help: 'tokens every output starts with (priming a language model)',
    value: tokenIds,
    defaultText: 'none',
    processor: (ids) => (ids.length > 0 ? forcedPrefix(ids) : []),
  }),
  defineOption({
    name: 'signal',
    help: 'an AbortSignal; rows stop with reason "aborted"',
    value: object<AbortSignal>((v) => typeof (v as AbortSignal | null)?.aborted === 'boolean', 'an AbortSignal (e.g. from new AbortController().signal)'),
    criterion: abortSignal,
  }),
  defineOption({
    name: 'maxTimeMs',
    help: 'stop generating after this many milliseconds per call (finish reason "time")',
    value: maxTimeValue,
    defaultText: 'no limit',
    criterion: maxTime,
  }),
  defineOption({
    name: 'maxSearchSpace',
    help: 'most prefixes exhaustive search may expand per input',
    value: integer({ min: 1 }),
    default: 100_000,
    strategies: ['exhaustive'],
  }),
  // Not tied to a strategy: a seed saved with a model keeps sampling
  // reproducible whichever strategy the model's defaults name.
  defineOption({
    name: 'seed',
    help: 'seed for sampling (same seed, same text)',
    value: integer({ min: -Number.MAX_SAFE_INTEGER, expected: 'a safe integer' }),
    defaultText: 'random',
  }),
  defineOption({
    name: 'rng',
    help: 'a generator to draw from instead of createRng(seed)',
    value: object<Rng>((v) => typeof (v as Rng | null)?.next === 'function', 'an object with next(): number in [0, 1), e.g. createRng(seed)'),
    strategies: ['sample'],
  }),
  defineOption({
    name: 'stoppingCriteria',
    help: 'extra stopping criteria, OR-ed with the built-in ones',
    value: functions<StoppingCriterion>('(context) => reason | null'),
    default: [],
    criterion: (list) => list,
  }),
] as const;

/** A row of `DECODE_OPTIONS`. */
export type DecodeOption = (typeof DECODE_OPTIONS)[number];

/** The name of a decoding option. */
export type DecodeOptionName = DecodeOption['name'];

/** The value type of a row. */
type ValueOf<R> = R extends DecodeOptionDefinition<string, infer T> ? T : never;

/** Options of `generate` and `stream`: one optional field per row of `DECODE_OPTIONS`. */
export type GenerateOptions = { [R in DecodeOption as R['name']]?: ValueOf<R> };
