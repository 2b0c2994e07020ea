import { type GenerateOptions, type GenerationResult, generate, type StepModel } from '@seqloom/decode';
import { type Tokenizer, tokenizerFromJson } from '@seqloom/tokenizer';
import { describeDecoder } from './decoder-graphs.js';
import { OnnxModelError } from './errors.js';
import { type DecoderLayout, type Dtype, type ExportLayout, type ExportReader, findLayout } from './export-files.js';
import { readJsonObject } from './export-json.js';
import { hfGenerationOptions, MAX_CONFIG_BEAMS, MAX_CONFIG_NEW_TOKENS } from './generation-config.js';
import { loadSeqloomExport, type SeqloomExportParts } from './load-seqloom-export.js';
import { readModelSpec } from './model-spec.js';
import { type OnnxState, OnnxStepModel } from './onnx-step-model.js';
import { type SourceSpecials, sourceSpecials } from './post-processor.js';
import type { InferenceSession, OnnxRuntime } from './runtime.js';
import { isSeqloomExportConfig, type SeqloomExportConfig } from './seqloom-export-config.js';
import type { SeqloomExportState } from './seqloom-export-model.js';

/** Options of `loadOnnxSeq2Seq`. */
export interface LoadOnnxOptions {
  /** Which weight variant to load, by file-name suffix (`fp16` → `encoder_model_fp16.onnx`). Default `fp32` (no suffix). */
  dtype?: Dtype;
  /** Decoder layout: Optimum's merged graph, the unmerged pair, or whichever exists (`auto`: the pair first, onnxruntime runs it faster). */
  decoder?: DecoderLayout;
  /** Passed to onnxruntime for every graph (threads, execution providers). */
  sessionOptions?: InferenceSession.SessionOptions;
}

/** A loaded export: the StepModel every seqloom decoder drives, its tokenizer and its generation defaults. */
export interface OnnxSeq2Seq {
  /** Folder or URL it came from. */
  readonly where: string;
  readonly modelType: string;
  readonly files: ExportLayout;
  /** An `OnnxStepModel` (Hugging Face export) or a `SeqloomExportModel` (seqloom export). */
  readonly model: StepModel<OnnxState | SeqloomExportState>;
  /** The target tokenizer. */
  readonly tokenizer: Tokenizer;
  /** generation_config.json as seqloom options (`compat: 'hf'`), the defaults of `generateTexts`; a seqloom export's generation.json as it is. */
  readonly generation: GenerateOptions;
  /** Set for a seqloom export (seqloom's decoding conventions, not Hugging Face's): its config.json and source tokenizer. */
  readonly seqloom?: { readonly config: SeqloomExportConfig; readonly sourceTokenizer: Tokenizer };
  /** Token ids of a source text as the model takes them (the tokenizer's special tokens added). */
  encode(text: string): number[];
  /** Text of generated ids, special tokens left out. */
  decode(ids: readonly number[]): string;
  /** Frees the onnxruntime sessions. */
  dispose(): Promise<void>;
}

const MAX_GRAPH_BYTES = 2 ** 31 - 1;

const HF_FILES = 'a Hugging Face export folder holds config.json, tokenizer.json and onnx/*.onnx';
const readJson = (reader: ExportReader, name: string, required: boolean) => readJsonObject(reader, name, required ? HF_FILES : null);

async function openGraph(
  ort: OnnxRuntime,
  reader: ExportReader,
  name: string,
  options: InferenceSession.SessionOptions | undefined,
): Promise<InferenceSession> {
  const bytes = await reader.read(name, MAX_GRAPH_BYTES);
  if (bytes === null) throw new OnnxModelError(`${reader.where}/${name} is missing`);
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (error) {
    const message = String((error as Error)?.message ?? error)
      .split('\n')[0]
      .slice(0, 300);
    throw new OnnxModelError(
      `${reader.where}/${name}: onnxruntime could not load the graph (${message}); expected an ONNX model from a Hugging Face/Optimum export`,
    );
  }
}

/** Load an export through `reader` on the onnxruntime `ort` (onnxruntime-node or onnxruntime-web). */
export async function loadExport(ort: OnnxRuntime, reader: ExportReader, options: LoadOnnxOptions = {}): Promise<OnnxSeq2Seq> {
  const config = await readJson(reader, 'config.json', true);
  if (isSeqloomExportConfig(config)) return seqloomExport(reader.where, await loadSeqloomExport(ort, reader, config, options.sessionOptions));
  const generationJson = await readJson(reader, 'generation_config.json', false);
  const spec = readModelSpec(config, generationJson, `${reader.where}/config.json`, `${reader.where}/generation_config.json`);
  // generation_config.json wins over the generation keys of config.json, as in transformers.
  const generation = hfGenerationOptions({ ...pickGenerationKeys(config), ...generationJson }, `${reader.where}/generation_config.json`, {
    maxNewTokens: MAX_CONFIG_NEW_TOKENS,
    beams: Math.min(MAX_CONFIG_BEAMS, spec.vocabSize),
  });
  const tokenizerJson = await readJson(reader, 'tokenizer.json', true);
  const tokenizerConfig = await readJson(reader, 'tokenizer_config.json', false);
  const tokenizerFile = `${reader.where}/tokenizer.json`;
  const tokenizer = tokenizerFromJson(tokenizerJson, hfTokenizerConfig(tokenizerConfig), { source: tokenizerFile });
  const specials: SourceSpecials = sourceSpecials(tokenizerJson, tokenizerFile);
  const layout = await findLayout(reader, options.dtype ?? 'fp32', options.decoder ?? 'auto');
  const sessions: InferenceSession[] = [];
  try {
    const encoder = await openGraph(ort, reader, layout.encoder, options.sessionOptions);
    sessions.push(encoder);
    for (const name of ['input_ids', 'attention_mask']) {
      if (!encoder.inputNames.includes(name)) throw new OnnxModelError(`${reader.where}/${layout.encoder}: the encoder has no input "${name}"`);
    }
    if (!encoder.outputNames.includes('last_hidden_state'))
      throw new OnnxModelError(`${reader.where}/${layout.encoder}: the encoder has no output "last_hidden_state"`);
    const first = await openGraph(ort, reader, layout.decoder[0], options.sessionOptions);
    sessions.push(first);
    const withPast = layout.decoder.length === 2 ? await openGraph(ort, reader, layout.decoder[1], options.sessionOptions) : first;
    if (withPast !== first) sessions.push(withPast);
    const files = [`${reader.where}/${layout.decoder[0]}`, `${reader.where}/${layout.decoder[layout.decoder.length - 1]}`] as const;
    const graphs = describeDecoder(first, withPast, spec.decoderLayers, files);
    const model = new OnnxStepModel(ort, spec, encoder, graphs);
    return {
      where: reader.where,
      modelType: spec.modelType,
      files: layout,
      model,
      tokenizer,
      generation,
      encode: (text) => [...specials.prefix, ...tokenizer.encode(text), ...specials.suffix],
      decode: (ids) => tokenizer.decode(ids.filter((id) => id < tokenizer.vocabSize)),
      dispose: async () => {
        await Promise.all(sessions.map((s) => s.release()));
      },
    };
  } catch (error) {
    await Promise.all(sessions.map((s) => s.release().catch(() => {})));
    throw error;
  }
}

/** A seqloom export (see `exportOnnx`) as a loaded export: sources encoded by its source tokenizer as seqloom encodes them. */
function seqloomExport(where: string, parts: SeqloomExportParts): OnnxSeq2Seq {
  const { config, model, sourceTokenizer, targetTokenizer } = parts;
  return {
    where,
    modelType: 'seqloom',
    files: { encoder: config.encoder.file, decoder: [config.decoder.file] },
    model,
    tokenizer: targetTokenizer,
    generation: parts.generation,
    seqloom: { config, sourceTokenizer },
    encode: (text) => (config.task === 'lm' ? targetTokenizer : sourceTokenizer).encode(text),
    decode: (ids) => targetTokenizer.decode(ids[ids.length - 1] === config.eosId ? ids.slice(0, -1) : ids),
    dispose: async () => {
      await Promise.all(parts.sessions.map((s) => s.release()));
    },
  };
}

/** Generation settings older exports keep in config.json. */
function pickGenerationKeys(config: Record<string, unknown>): Record<string, unknown> {
  const keys = [
    'num_beams',
    'max_length',
    'min_length',
    'length_penalty',
    'early_stopping',
    'no_repeat_ngram_size',
    'bad_words_ids',
    'forced_bos_token_id',
    'forced_eos_token_id',
  ];
  const out: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(config, key)) out[key] = config[key];
  return out;
}

/** tokenizer_config.json's special tokens as plain strings (they may be AddedToken objects). */
function hfTokenizerConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['pad_token', 'bos_token', 'eos_token', 'unk_token']) {
    const v = config[key];
    const text = typeof v === 'string' ? v : typeof (v as { content?: unknown } | null)?.content === 'string' ? (v as { content: string }).content : undefined;
    if (text !== undefined) out[key] = text;
  }
  return out;
}

/** One input's outcome as text. */
export interface TextResult {
  readonly input: string;
  /** The best hypothesis's text. */
  readonly text: string;
  readonly hypotheses: readonly { text: string; ids: number[]; score: number; logProb: number; finishReason: string }[];
}

/**
 * Decode `texts` with the export's generation defaults overridden by
 * `options` (any seqloom decoding option). Ids exclude the decoder start token.
 */
export async function generateTexts(loaded: OnnxSeq2Seq, texts: readonly string[], options: GenerateOptions = {}): Promise<TextResult[]> {
  const results: GenerationResult[] = await generate(
    loaded.model,
    texts.map((t) => loaded.encode(t)),
    { ...loaded.generation, ...options },
  );
  return results.map((r, i) => ({
    input: texts[i],
    text: loaded.decode(r.best.ids),
    hypotheses: r.hypotheses.map((h) => ({ text: loaded.decode(h.ids), ids: h.ids, score: h.score, logProb: h.logProb, finishReason: h.finishReason })),
  }));
}
