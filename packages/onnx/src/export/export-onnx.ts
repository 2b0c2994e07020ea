import { stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SeqloomError } from '@seqloom/core';
import { loadTrainedModel, type TrainedModel } from '@seqloom/seq2seq';
import { folderFormat, writeDirAtomic } from '@seqloom/seq2seq/tooling';
import type { Tokenizer } from '@seqloom/tokenizer';
import { EXPORT_FILES, type GraphIo, nextName, SEQLOOM_ONNX_FORMAT, SEQLOOM_ONNX_VERSION, type SeqloomExportConfig } from '../seqloom-export-config.js';
import { decoderStepGraph } from './decoder-step-graph.js';
import { encoderGraph, primeGraph } from './encoder-graph.js';
import { ModelWeights } from './model-weights.js';
import { encodeModel, type OnnxGraph } from './onnx-proto.js';

/** The ONNX IR version and default-domain opset the graphs declare (onnxruntime ≥ 1.13 runs them). */
export const ONNX_IR_VERSION = 8;
/** The ONNX opset (default domain) every exported graph declares. */
export const ONNX_OPSET = 17;

/** What `exportOnnx` exports: a loaded model with its tokenizers (a `TrainedModel` is one). */
export type ExportableModel = Pick<TrainedModel, 'model' | 'sourceTokenizer' | 'targetTokenizer'> &
  Partial<Pick<TrainedModel, 'generation' | 'inputLimit' | 'members'>>;

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** Replace `outDir` when it holds an earlier seqloom ONNX export (default false: refuse a non-empty folder). */
  overwrite?: boolean;
  /** With a training output folder: which checkpoint (default "best"). */
  prefer?: 'best' | 'last';
}

/** What {@link exportOnnx} wrote. */
export interface ExportOnnxResult {
  dir: string;
  /** The paths written (inside `dir`), sorted. */
  files: string[];
  config: SeqloomExportConfig;
}

/** The output folder or the model cannot be exported; the message names it and the fix. */
export class OnnxExportError extends SeqloomError {
  override readonly name = 'OnnxExportError';
}

/** protobuf's 2 GiB message limit. */
const MAX_PROTO_BYTES = 2 ** 31 - 1;
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const PRODUCER_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** `dir` may be missing, empty, or (with `overwrite`) an earlier seqloom ONNX export. */
async function checkOutDir(dir: string, overwrite: boolean): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info === null) return;
  if (!info.isDirectory()) throw new OnnxExportError(`${dir} is a file; the ONNX export is a folder: choose another output folder`);
  const format = await folderFormat(dir);
  if (format === null) return;
  if (!overwrite)
    throw new OnnxExportError(
      `${dir} already exists and is not empty; choose another output folder or pass overwrite (--overwrite) to replace an earlier export`,
    );
  if (format !== SEQLOOM_ONNX_FORMAT)
    throw new OnnxExportError(
      `${dir} holds files that are not a seqloom ONNX export (no config.json with "format": "${SEQLOOM_ONNX_FORMAT}"), so it is not replaced; choose a new or empty folder`,
    );
}

function graphIo(graph: OnnxGraph, file: string): GraphIo {
  return { file, inputs: graph.inputs.map((i) => i.name), outputs: graph.outputs.map((o) => o.name) };
}

/** The tokenizer files: the target's, and the source's when it is another tokenizer. */
function tokenizerFiles(model: ExportableModel, lm: boolean): Map<string, unknown> {
  const files = new Map<string, unknown>([
    ['tokenizer.json', model.targetTokenizer.toJSON()],
    ['tokenizer_config.json', model.targetTokenizer.toConfig()],
  ]);
  const source: Tokenizer = model.sourceTokenizer;
  if (!lm && source !== model.targetTokenizer) {
    files.set('source-tokenizer.json', source.toJSON());
    files.set('source-tokenizer_config.json', source.toConfig());
  }
  return files;
}

function exportConfig(model: ExportableModel, encoder: GraphIo, decoder: GraphIo, separateSource: boolean): SeqloomExportConfig {
  const c = model.model.config;
  const state = decoder.inputs.filter((n) => n.startsWith('state.')).map((input) => ({ input, output: nextName(input) }));
  return {
    format: SEQLOOM_ONNX_FORMAT,
    formatVersion: SEQLOOM_ONNX_VERSION,
    producer: `seqloom @seqloom/onnx ${PRODUCER_VERSION}`,
    task: c.task,
    cell: c.cell,
    layers: c.layers,
    hiddenSize: c.hiddenSize,
    attention: c.attention,
    inputFeeding: c.inputFeeding,
    vocabSize: c.targetVocabSize,
    sourceVocabSize: c.sourceVocabSize,
    bosId: c.bosId,
    eosId: c.eosId,
    padId: c.padId,
    sourcePadId: c.sourcePadId,
    inputLimit: Number.isFinite(model.inputLimit) ? model.inputLimit! : 2048,
    model: { ...c },
    encoder,
    decoder,
    state,
    memory: encoder.outputs.filter((n) => n === 'memory' || n === 'memory_keys'),
    files: {
      tokenizer: 'tokenizer.json',
      sourceTokenizer: separateSource ? 'source-tokenizer.json' : null,
      tokenizerConfig: 'tokenizer_config.json',
      sourceTokenizerConfig: separateSource ? 'source-tokenizer_config.json' : null,
      generation: 'generation.json',
    },
  };
}

/** The files of an export of `model`, by name. */
function exportFiles(model: ExportableModel): { files: Map<string, Uint8Array | string>; config: SeqloomExportConfig } {
  const weights = ModelWeights.of(model.model);
  const lm = weights.config.task === 'lm';
  const first = lm ? primeGraph(weights) : encoderGraph(weights);
  const step = decoderStepGraph(weights);
  const encode = (graph: OnnxGraph) => {
    const bytes = graph.initializers.reduce((n, t) => n + t.data.byteLength, 0);
    if (bytes >= MAX_PROTO_BYTES)
      throw new OnnxExportError(
        `the ${graph.name} graph holds ${bytes} bytes of weights; one ONNX file holds less than 2 GiB (external weight files are not written yet): export a smaller model`,
      );
    return encodeModel({ irVersion: ONNX_IR_VERSION, opsetVersion: ONNX_OPSET, producerName: 'seqloom', producerVersion: PRODUCER_VERSION, graph });
  };
  const firstFile = lm ? EXPORT_FILES.prime : EXPORT_FILES.encoder;
  const files = new Map<string, Uint8Array | string>([
    [firstFile, encode(first)],
    [EXPORT_FILES.decoder, encode(step)],
  ]);
  const tokenizers = tokenizerFiles(model, lm);
  for (const [name, value] of tokenizers) files.set(name, json(value));
  files.set('generation.json', json(model.generation ?? {}));
  const config = exportConfig(model, graphIo(first, firstFile), graphIo(step, EXPORT_FILES.decoder), tokenizers.has('source-tokenizer.json'));
  files.set('config.json', json(config));
  return { files, config };
}

/**
 * Exports a seqloom model as ONNX: `encoder.onnx` (seq2seq; `prime.onnx` for a
 * language model) and `decoder_step.onnx` with explicit state inputs and
 * outputs, plus tokenizer.json (and source-tokenizer.json), generation.json and
 * a config.json naming the graphs' inputs, outputs and special ids (see the
 * README, "Exporting seqloom models"). `from` is a checkpoint folder (a
 * training folder stands for its best/) or a loaded model. The folder is
 * written beside `outDir` and renamed into place; a non-empty `outDir` is
 * refused unless it is an earlier export and `overwrite` is set.
 */
export async function exportOnnx(from: string | ExportableModel, outDir: string, options: ExportOnnxOptions = {}): Promise<ExportOnnxResult> {
  await checkOutDir(outDir, options.overwrite === true);
  const loaded = typeof from === 'string' ? await loadTrainedModel(from, options.prefer ? { prefer: options.prefer } : {}) : null;
  const model = loaded ?? (from as ExportableModel);
  try {
    if (model.members && model.members.length > 1)
      throw new OnnxExportError(`an ensemble of ${model.members.length} models cannot be exported as one graph; export each member`);
    const { files, config } = exportFiles(model);
    await writeDirAtomic(
      outDir,
      async (temp) => {
        for (const [name, data] of files) await writeFile(join(temp, name), data);
      },
      (target) => checkOutDir(target, options.overwrite === true),
    );
    return { dir: outDir, files: [...files.keys()].sort().map((name) => join(outDir, name)), config };
  } finally {
    loaded?.dispose();
  }
}
