import { describeValue, OnnxModelError } from './errors.js';

/** The model types whose Optimum exports this package reads. */
export const MODEL_TYPES = ['marian', 'bart', 'mbart', 'm2m_100', 'nllb', 't5', 'mt5', 'longt5'] as const;
/** A `model_type` of config.json this package reads. */
export type ModelType = (typeof MODEL_TYPES)[number];

/** What the decoder loop needs from `config.json`, checked. */
export interface ModelSpec {
  readonly modelType: ModelType;
  readonly vocabSize: number;
  readonly decoderLayers: number;
  readonly decoderHeads: number;
  /** Size of one attention head's keys and values. */
  readonly headDim: number;
  readonly decoderStartId: number;
  readonly eosId: number;
  readonly padId: number;
  /** Other stop tokens `config.json` lists (seqloom decodes with the first; see the README). */
  readonly extraEosIds: readonly number[];
}

const MAX_LAYERS = 1024;
const MAX_HEADS = 4096;
const MAX_WIDTH = 1 << 20;
const MAX_VOCAB = 1 << 24;

type Json = Record<string, unknown>;

function integerField(config: Json, file: string, key: string, min: number, max: number): number | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OnnxModelError(`${file}: field "${key}" is ${describeValue(value)}; expected an integer in [${min}, ${max}]`);
  }
  return value;
}

function required(config: Json, file: string, keys: readonly string[], min: number, max: number): number {
  for (const key of keys) {
    const value = integerField(config, file, key, min, max);
    if (value !== undefined) return value;
  }
  throw new OnnxModelError(`${file}: field "${keys[0]}" is missing; expected an integer in [${min}, ${max}]`);
}

/** A token id field (or a list of them, as `eos_token_id` may be): the ids, first first. */
function tokenIds(config: Json, file: string, key: string, vocabSize: number): number[] | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > 64)
    throw new OnnxModelError(`${file}: field "${key}" is ${describeValue(value)}; expected a token id or a short list of them`);
  return list.map((id, i) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
      const where = Array.isArray(value) ? `${key}[${i}]` : key;
      throw new OnnxModelError(`${file}: field "${where}" is ${describeValue(id)}; expected a token id in [0, ${vocabSize - 1}] (vocab_size ${vocabSize})`);
    }
    return id;
  });
}

/**
 * Read the architecture and special ids of `config.json` (Marian, BART,
 * mBART, M2M100/NLLB, T5, mT5). `generation` (generation_config.json) wins
 * for the special ids where it has them, as in `generate()`.
 */
export function readModelSpec(config: unknown, generation: Json, file: string, generationFile: string): ModelSpec {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new OnnxModelError(`${file}: expected a JSON object (a Hugging Face config.json)`);
  }
  const c = config as Json;
  const modelType = c.model_type;
  if (typeof modelType !== 'string' || !(MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new OnnxModelError(
      `${file}: model_type ${describeValue(modelType)} is not an encoder-decoder this package reads; expected one of ${MODEL_TYPES.join(', ')}`,
    );
  }
  const t5 = modelType === 't5' || modelType === 'mt5' || modelType === 'longt5';
  const vocabSize = required(c, file, ['vocab_size'], 2, MAX_VOCAB);
  const decoderLayers = t5
    ? (integerField(c, file, 'num_decoder_layers', 1, MAX_LAYERS) ?? required(c, file, ['num_layers'], 1, MAX_LAYERS))
    : required(c, file, ['decoder_layers', 'num_hidden_layers'], 1, MAX_LAYERS);
  const decoderHeads = t5
    ? required(c, file, ['num_heads'], 1, MAX_HEADS)
    : required(c, file, ['decoder_attention_heads', 'num_attention_heads'], 1, MAX_HEADS);
  const dModel = required(c, file, ['d_model', 'hidden_size'], 1, MAX_WIDTH);
  const headDim = t5 ? required(c, file, ['d_kv'], 1, MAX_WIDTH) : dModel / decoderHeads;
  if (!Number.isInteger(headDim)) {
    throw new OnnxModelError(`${file}: d_model ${dModel} is not a multiple of decoder_attention_heads ${decoderHeads}`);
  }
  const pick = (key: string): number[] | undefined => tokenIds(generation, generationFile, key, vocabSize) ?? tokenIds(c, file, key, vocabSize);
  const eos = pick('eos_token_id');
  const pad = pick('pad_token_id');
  const start = pick('decoder_start_token_id');
  if (!eos) throw new OnnxModelError(`${file}: eos_token_id is missing (neither ${generationFile} nor ${file} has it)`);
  const padId = pad?.[0] ?? eos[0];
  const decoderStartId = start?.[0] ?? (t5 ? padId : eos[0]);
  return {
    modelType: modelType as ModelType,
    vocabSize,
    decoderLayers,
    decoderHeads,
    headDim,
    decoderStartId,
    eosId: eos[0],
    padId,
    extraEosIds: eos.slice(1),
  };
}
