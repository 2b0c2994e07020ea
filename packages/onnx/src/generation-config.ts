import type { GenerateOptions } from '@seqloom/decode';
import { describeValue, OnnxModelError } from './errors.js';

type Json = Record<string, unknown>;

/** The most new tokens a folder's generation_config.json may ask for (a user's option may ask for more). */
export const MAX_CONFIG_NEW_TOKENS = 4096;
/** The widest beam a folder's generation_config.json may ask for. */
export const MAX_CONFIG_BEAMS = 64;

function field<T>(hf: Json, key: string, where: string, check: (v: unknown) => v is T, expected: string): T | undefined {
  const v = hf[key];
  if (v === undefined || v === null) return undefined;
  if (!check(v)) throw new OnnxModelError(`${where}: field "${key}" is ${describeValue(v)}; expected ${expected}`);
  return v;
}
const isInt =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (v: unknown): v is number =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isEarly = (v: unknown): v is boolean | 'never' => typeof v === 'boolean' || v === 'never';
const isIds = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 100_000 && v.every(isInt(0));
const isIdLists = (v: unknown): v is number[][] => Array.isArray(v) && v.length <= 100_000 && v.every(isIds);

/**
 * Hugging Face generation settings (a generation_config.json, or the keyword
 * arguments of `generate()`) as seqloom decoding options that reproduce them
 * (`compat: 'hf'`). `limits` bounds what an untrusted file may ask for.
 * Settings without a seqloom counterpart are left out (see the README).
 */
export function hfGenerationOptions(
  hf: Json,
  where: string,
  limits = { maxNewTokens: Number.MAX_SAFE_INTEGER, beams: Number.MAX_SAFE_INTEGER },
): GenerateOptions {
  const beams = field(hf, 'num_beams', where, isInt(1, limits.beams), `an integer in [1, ${limits.beams}]`) ?? 1;
  const sample = field(hf, 'do_sample', where, isBool, 'true or false') ?? false;
  const maxNew = field(hf, 'max_new_tokens', where, isInt(0, limits.maxNewTokens), `an integer in [0, ${limits.maxNewTokens}]`);
  const maxLength = field(hf, 'max_length', where, isInt(1, limits.maxNewTokens + 1), `an integer in [1, ${limits.maxNewTokens + 1}]`);
  const minNew = field(hf, 'min_new_tokens', where, isInt(0), 'an integer ≥ 0');
  const minLength = field(hf, 'min_length', where, isInt(0), 'an integer ≥ 0');
  const early = field(hf, 'early_stopping', where, isEarly, 'true, false or "never"') ?? false;
  const options: GenerateOptions = {
    compat: 'hf',
    strategy: beams > 1 ? 'beam' : sample ? 'sample' : 'greedy',
    beamWidth: beams,
    numReturn: field(hf, 'num_return_sequences', where, isInt(1, Math.max(beams, sample ? 1024 : 1)), 'an integer ≥ 1 (≤ num_beams for beam search)') ?? 1,
    lengthPenalty: 'power',
    lengthPenaltyAlpha: field(hf, 'length_penalty', where, isNum, 'a number') ?? 1,
    earlyStopping: early === true ? 'width' : early === 'never' ? 'bound' : 'heuristic',
    // max_length counts the decoder start token.
    maxNewTokens: maxNew ?? Math.max(0, (maxLength ?? 20) - 1),
  };
  const min = minNew ?? (minLength !== undefined ? Math.max(0, minLength - 1) : 0);
  if (min > 0) options.minNewTokens = min;
  const ngram = field(hf, 'no_repeat_ngram_size', where, isInt(0), 'an integer ≥ 0');
  if (ngram) options.noRepeatNgramSize = ngram;
  const bad = field(hf, 'bad_words_ids', where, isIdLists, 'a list of token-id lists');
  if (bad && bad.length > 0) options.bannedSequences = bad;
  const suppress = field(hf, 'suppress_tokens', where, isIds, 'a list of token ids');
  if (suppress && suppress.length > 0) options.suppressTokens = suppress;
  const bos = field(hf, 'forced_bos_token_id', where, isInt(0), 'a token id');
  if (bos !== undefined) options.forcedBosId = bos;
  const eos = field(hf, 'forced_eos_token_id', where, (v): v is number | number[] => isInt(0)(v) || (isIds(v) && v.length > 0), 'a token id');
  if (eos !== undefined) options.forcedEosId = Array.isArray(eos) ? eos[0] : eos;
  const repetition = field(hf, 'repetition_penalty', where, isNum, 'a number > 0');
  if (repetition !== undefined && repetition !== 1) options.repetitionPenalty = repetition;
  if (options.strategy === 'sample') Object.assign(options, samplingOptions(hf, where));
  return options;
}

/** do_sample's settings; top_k defaults to 50 as in transformers. */
function samplingOptions(hf: Json, where: string): GenerateOptions {
  const out: GenerateOptions = {};
  const temperature = field(hf, 'temperature', where, isNum, 'a number ≥ 0');
  if (temperature !== undefined) out.temperature = temperature;
  const topK = field(hf, 'top_k', where, isInt(0), 'an integer ≥ 0') ?? 50;
  if (topK > 0) out.topK = topK;
  const topP = field(hf, 'top_p', where, isNum, 'a number in (0, 1]');
  if (topP !== undefined && topP < 1) out.topP = topP;
  const minP = field(hf, 'min_p', where, isNum, 'a number in [0, 1]');
  if (minP !== undefined && minP > 0) out.minP = minP;
  const typical = field(hf, 'typical_p', where, isNum, 'a number in (0, 1]');
  if (typical !== undefined && typical < 1) out.typicalP = typical;
  return out;
}
