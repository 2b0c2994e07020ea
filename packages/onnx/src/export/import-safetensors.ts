import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DecodeOptionError, validateGenerateOptions } from '@seqloom/decode';
import { type CreateModelOptions, Seq2SeqModel, saveCheckpoint } from '@seqloom/seq2seq';
import type { CheckpointTokenizers } from '@seqloom/seq2seq/tooling';
import { readFolderJson, readSafetensorsFolderConfig, type SafetensorsFolderConfig } from './safetensors-folder.js';
import { decodeSafetensors, SafetensorsError } from './safetensors-format.js';
import { fromTorchTensors, seqloomNameOf, torchShapes } from './torch-names.js';

/** What {@link importSafetensors} wrote. */
export interface ImportedSafetensors {
  /** The checkpoint folder written. */
  dir: string;
  /** Tensors read from model.safetensors. */
  tensors: number;
  /** Scalar parameters of the model (a shared embedding counted once). */
  parameters: number;
}

/**
 * Frozen weights are seqloom's frozen pretrained embeddings: rebuild them as
 * such (the only weights a seqloom model can hold frozen).
 */
function frozenEmbeddings(config: SafetensorsFolderConfig, weights: ReadonlyMap<string, Float32Array>, path: string): CreateModelOptions {
  const options: CreateModelOptions = {};
  for (const torch of config.frozen ?? []) {
    const name = seqloomNameOf(config.model, torch);
    const matrix = name === undefined ? undefined : weights.get(name);
    if (matrix === undefined || !['encoder/embedding', 'decoder/embedding', 'embedding'].includes(name as string)) {
      throw new SafetensorsError(path, `"frozen" names "${torch}"; a seqloom model can keep only its embeddings frozen (remove it from "frozen" to train it)`);
    }
    if (name === 'encoder/embedding') options.sourceEmbedding = { matrix, trainable: false };
    else options.targetEmbedding = { matrix, trainable: false };
  }
  return options;
}

/** A tokenizer file (parsed JSON), with its tokenizer_config.json when the folder has one (saveCheckpoint writes both). */
function tokenizerObject(value: unknown, config: unknown): unknown {
  if (config === undefined) return value;
  return { toJSON: () => value, toConfig: () => config as Record<string, unknown> };
}

async function readTokenizers(folder: string, config: SafetensorsFolderConfig): Promise<CheckpointTokenizers> {
  const read = (name: string | null) => (name === null ? Promise.resolve(undefined) : readFolderJson(folder, name));
  const { tokenizer, sourceTokenizer, tokenizerConfig, sourceTokenizerConfig } = config.files;
  const tokenizers: CheckpointTokenizers = {};
  const target = await read(tokenizer);
  if (target !== undefined) tokenizers.target = tokenizerObject(target, await read(tokenizerConfig));
  const source = await read(sourceTokenizer);
  if (source !== undefined) tokenizers.source = tokenizerObject(source, await read(sourceTokenizerConfig));
  return tokenizers;
}

async function readGeneration(folder: string, config: SafetensorsFolderConfig): Promise<Record<string, unknown>> {
  const path = join(folder, config.files.generation);
  const value = await readFolderJson(folder, config.files.generation);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SafetensorsError(path, 'must be a JSON object of decoding options (e.g. {"strategy": "greedy"})');
  try {
    validateGenerateOptions(value as Record<string, unknown>, config.model.targetVocabSize);
  } catch (error) {
    if (!(error instanceof DecodeOptionError)) throw error;
    throw new SafetensorsError(path, `holds invalid decoding options: ${error.message.replace(/[\r\n]+/g, ' ')}; fix them or write {} for the defaults`);
  }
  return value as Record<string, unknown>;
}

async function readWeights(folder: string, config: SafetensorsFolderConfig): Promise<{ weights: Map<string, Float32Array>; tensors: number }> {
  const path = join(folder, config.files.weights);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new SafetensorsError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the folder's weights are missing`);
  }
  const { tensors } = decodeSafetensors(bytes, path, { expected: torchShapes(config.model) });
  return { weights: fromTorchTensors(config.model, tensors), tensors: tensors.size };
}

/**
 * Reads a safetensors folder (written by {@link exportSafetensors} or the
 * PyTorch twin; untrusted: every file is checked) and writes a seqloom
 * checkpoint folder to `outDir` that `loadTrainedModel`, `seqloom generate`
 * and the rest load: weights renamed back (kernels transposed, an LSTM/RNN's
 * `bias_ih + bias_hh` summed), tokenizers, generation options, training
 * options and lengths as exported. Written atomically by `saveCheckpoint`,
 * which never replaces a folder that is not a checkpoint.
 */
export async function importSafetensors(folder: string, outDir: string): Promise<ImportedSafetensors> {
  const config = await readSafetensorsFolderConfig(folder);
  const { weights, tensors } = await readWeights(folder, config);
  const tokenizers = await readTokenizers(folder, config);
  const generation = await readGeneration(folder, config);
  const options = { ...frozenEmbeddings(config, weights, join(folder, 'config.json')), initialValues: weights };
  const model = Seq2SeqModel.create(config.model, options);
  try {
    await saveCheckpoint(outDir, {
      model,
      tokenizers,
      generation,
      training: config.training,
      ...(config.lengths ? { lengths: config.lengths } : {}),
    });
    return { dir: outDir, tensors, parameters: model.parameterCount() };
  } finally {
    model.dispose();
  }
}
