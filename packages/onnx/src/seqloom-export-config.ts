// config.json of a seqloom ONNX export folder (written by `exportOnnx`, read
// by `loadOnnxSeq2Seq`): which graphs there are, their inputs and outputs,
// the decoder's state pairs, the special ids. See README "Exporting seqloom models".
import type { CellType } from '@seqloom/seq2seq';
import { CELL_TYPES } from '@seqloom/seq2seq/tooling/defaults';
import { describeValue, OnnxModelError } from './errors.js';

/** The `format` field that marks a seqloom export (a Hugging Face export has none). */
export const SEQLOOM_ONNX_FORMAT = 'seqloom-onnx';
export const SEQLOOM_ONNX_VERSION = 1;

/** Graph file names of an export. */
export const EXPORT_FILES = { encoder: 'encoder.onnx', prime: 'prime.onnx', decoder: 'decoder_step.onnx' } as const;

/** Input and output names shared by both sides. */
export const IO = {
  /** Encoder (and prime) inputs: token ids [batch, length] and mask [batch, length] (int64, right-padded: 1s then 0s). */
  ids: 'input_ids',
  mask: 'attention_mask',
  /** Decoder input: the previous token of each row [rows] (int64). */
  previous: 'input_ids',
  /** Decoder input: the encoder's attention_mask of each row's source [rows, source_length] (int64). */
  memoryMask: 'memory_mask',
  /** Decoder outputs: logits [rows, vocab], attention weights [rows, source_length]. */
  logits: 'logits',
  attention: 'attention',
  /** Encoder outputs handed to every decoder step unchanged: outputs [batch, S, H] and their projection [batch, S, H]. */
  memory: 'memory',
  memoryKeys: 'memory_keys',
} as const;

/**
 * The decoder state tensors, each [rows, hidden]: per layer the cell's
 * states (`perLayer`, its definition's `states`: `h`, and `c` for LSTM),
 * then the fed-back attentional vector.
 */
export function stateNames(perLayer: readonly string[], layers: number, inputFeeding: boolean): string[] {
  const names: string[] = [];
  for (let l = 0; l < layers; l++) names.push(...perLayer.map((state) => `state.${state}.${l}`));
  if (inputFeeding) names.push('state.feed');
  return names;
}

/** The decoder output that carries a state input to the next step (`state.h.0` → `next.h.0`). */
export function nextName(state: string): string {
  return `next.${state.slice('state.'.length)}`;
}

/** config.json of a seqloom export. */
export interface SeqloomExportConfig {
  format: typeof SEQLOOM_ONNX_FORMAT;
  formatVersion: number;
  producer: string;
  task: 'seq2seq' | 'lm';
  cell: CellType;
  layers: number;
  hiddenSize: number;
  attention: 'none' | 'dot' | 'general' | 'bahdanau';
  inputFeeding: boolean;
  vocabSize: number;
  sourceVocabSize: number;
  bosId: number;
  eosId: number;
  padId: number;
  sourcePadId: number;
  /** Longest input (tokens) the model is given; longer ones are cut. */
  inputLimit: number;
  /** seqloom's model configuration as trained. */
  model: Record<string, unknown>;
  /** seq2seq: the encoder; lm: the prime graph (the decoder run over a prompt). */
  encoder: GraphIo;
  decoder: GraphIo;
  /** Decoder state: each input and the output that feeds it at the next step. */
  state: { input: string; output: string }[];
  /** Encoder outputs every decoder step takes unchanged (with `memory_mask`). */
  memory: string[];
  files: {
    tokenizer: string;
    sourceTokenizer: string | null;
    tokenizerConfig: string | null;
    sourceTokenizerConfig: string | null;
    generation: string;
  };
}

/** A graph file and its input and output names. */
export interface GraphIo {
  file: string;
  inputs: string[];
  outputs: string[];
}

const MAX = 1 << 24;
type Json = Record<string, unknown>;

function int(config: Json, file: string, key: string, min: number, max: number): number {
  const value = config[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OnnxModelError(`${file}: field "${key}" is ${describeValue(value)}; expected an integer in [${min}, ${max}]`);
  }
  return value;
}

function oneOf<T extends string>(config: Json, file: string, key: string, allowed: readonly T[]): T {
  const value = config[key];
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new OnnxModelError(`${file}: field "${key}" is ${describeValue(value)}; expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function names(value: unknown, file: string, key: string): string[] {
  if (!Array.isArray(value) || value.length > 4096 || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length < 256)) {
    throw new OnnxModelError(`${file}: field "${key}" is ${describeValue(value)}; expected a list of tensor names`);
  }
  return value as string[];
}

function graph(config: Json, file: string, key: string): GraphIo {
  const value = config[key] as Json | undefined;
  if (typeof value !== 'object' || value === null || typeof value.file !== 'string' || !/^[\w.-]+\.onnx$/.test(value.file)) {
    throw new OnnxModelError(`${file}: field "${key}" is ${describeValue(value)}; expected {"file": "<name>.onnx", "inputs": [...], "outputs": [...]}`);
  }
  return { file: value.file, inputs: names(value.inputs, file, `${key}.inputs`), outputs: names(value.outputs, file, `${key}.outputs`) };
}

function fileName(value: unknown, file: string, key: string, optional: boolean): string | null {
  if (optional && (value === null || value === undefined)) return null;
  if (typeof value !== 'string' || !/^[\w.-]+$/.test(value) || value.startsWith('.')) {
    throw new OnnxModelError(`${file}: field "files.${key}" is ${describeValue(value)}; expected a file name inside the folder`);
  }
  return value;
}

/** Whether a parsed config.json is a seqloom export's. */
export function isSeqloomExportConfig(config: Json): boolean {
  return config.format === SEQLOOM_ONNX_FORMAT;
}

/** Checks a parsed config.json of a seqloom export; `file` names it in errors. */
export function readSeqloomExportConfig(config: Json, file: string): SeqloomExportConfig {
  const version = int(config, file, 'formatVersion', 1, MAX);
  if (version > SEQLOOM_ONNX_VERSION)
    throw new OnnxModelError(`${file}: formatVersion ${version} is newer than this seqloom reads (${SEQLOOM_ONNX_VERSION}); update @seqloom/onnx`);
  const vocabSize = int(config, file, 'vocabSize', 2, MAX);
  const sourceVocabSize = int(config, file, 'sourceVocabSize', 0, MAX);
  const files = (config.files ?? {}) as Json;
  const state = config.state;
  if (!Array.isArray(state) || !state.every((s) => typeof (s as Json)?.input === 'string' && typeof (s as Json)?.output === 'string')) {
    throw new OnnxModelError(`${file}: field "state" is ${describeValue(state)}; expected a list of {"input", "output"} tensor names`);
  }
  return {
    format: SEQLOOM_ONNX_FORMAT,
    formatVersion: version,
    producer: typeof config.producer === 'string' ? config.producer : 'unknown',
    task: oneOf(config, file, 'task', ['seq2seq', 'lm'] as const),
    cell: oneOf(config, file, 'cell', CELL_TYPES),
    layers: int(config, file, 'layers', 1, 1024),
    hiddenSize: int(config, file, 'hiddenSize', 1, MAX),
    attention: oneOf(config, file, 'attention', ['none', 'dot', 'general', 'bahdanau'] as const),
    inputFeeding: config.inputFeeding === true,
    vocabSize,
    sourceVocabSize,
    bosId: int(config, file, 'bosId', 0, vocabSize - 1),
    eosId: int(config, file, 'eosId', 0, vocabSize - 1),
    padId: int(config, file, 'padId', 0, vocabSize - 1),
    sourcePadId: int(config, file, 'sourcePadId', 0, MAX),
    inputLimit: int(config, file, 'inputLimit', 1, MAX),
    model: typeof config.model === 'object' && config.model !== null ? (config.model as Record<string, unknown>) : {},
    encoder: graph(config, file, 'encoder'),
    decoder: graph(config, file, 'decoder'),
    state: state as { input: string; output: string }[],
    memory: names(config.memory ?? [], file, 'memory'),
    files: {
      tokenizer: fileName(files.tokenizer, file, 'tokenizer', false)!,
      sourceTokenizer: fileName(files.sourceTokenizer, file, 'sourceTokenizer', true),
      tokenizerConfig: fileName(files.tokenizerConfig, file, 'tokenizerConfig', true),
      sourceTokenizerConfig: fileName(files.sourceTokenizerConfig, file, 'sourceTokenizerConfig', true),
      generation: fileName(files.generation, file, 'generation', false)!,
    },
  };
}
