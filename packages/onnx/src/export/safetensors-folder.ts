// The folder `seqloom export --format safetensors` writes and `seqloom
// import` reads back: model.safetensors (PyTorch names), config.json
// (seqloom's checkpoint config, format "seqloom-safetensors"), the
// tokenizer files and generation.json. The PyTorch twin reads and writes it too.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelConfig, validateModelConfig } from '@seqloom/seq2seq';
import { uncontainedReason } from '@seqloom/seq2seq/tooling';
import { SafetensorsError } from './safetensors-format.js';
import { torchShapes } from './torch-names.js';

export const SAFETENSORS_FOLDER_FORMAT = 'seqloom-safetensors';
export const SAFETENSORS_FOLDER_VERSION = 1;

/** The files of the folder (null: absent). */
export interface SafetensorsFolderFiles {
  weights: string;
  generation: string;
  tokenizer: string | null;
  sourceTokenizer: string | null;
  tokenizerConfig: string | null;
  sourceTokenizerConfig: string | null;
}

/** config.json of a safetensors folder: a seqloom checkpoint's config with PyTorch weight names. */
export interface SafetensorsFolderConfig {
  format: typeof SAFETENSORS_FOLDER_FORMAT;
  formatVersion: number;
  /** The naming of model.safetensors (see torch-names.ts). */
  names: 'pytorch';
  model: ModelConfig;
  training: Record<string, unknown>;
  /** Frozen weights, by PyTorch name (the twin sets `requires_grad = False`). */
  frozen?: string[];
  lengths?: { source: number; target: number };
  files: SafetensorsFolderFiles;
}

/** The file names written by the export (and the twin). */
export const FOLDER_FILES = {
  weights: 'model.safetensors',
  generation: 'generation.json',
  tokenizer: 'tokenizer.json',
  sourceTokenizer: 'source-tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  sourceTokenizerConfig: 'source-tokenizer_config.json',
} as const;

/** Reads a JSON file of the folder; the error names the file. */
export async function readFolderJson(folder: string, name: string): Promise<unknown> {
  const path = join(folder, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SafetensorsError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a folder written by seqloom export --format safetensors or the PyTorch twin`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(path, `is not valid JSON (${(error as Error).message})`);
  }
}

function checkFiles(value: unknown, path: string): SafetensorsFolderFiles {
  if (typeof value !== 'object' || value === null)
    throw new SafetensorsError(path, `"files" must be an object naming the folder's files, e.g. {"weights": "model.safetensors", …}`);
  const files = value as Record<string, unknown>;
  for (const field of Object.keys(FOLDER_FILES)) {
    const name = files[field] ?? null;
    if ((field === 'weights' || field === 'generation') && name === null)
      throw new SafetensorsError(path, `files.${field} is missing; expected "${FOLDER_FILES[field as keyof typeof FOLDER_FILES]}"`);
    const reason = name === null ? undefined : uncontainedReason(name);
    if (reason !== undefined)
      throw new SafetensorsError(path, `files.${field} is ${JSON.stringify(name)}, which ${reason}; the folder may only name files inside itself`);
  }
  return Object.fromEntries(Object.keys(FOLDER_FILES).map((field) => [field, files[field] ?? null])) as unknown as SafetensorsFolderFiles;
}

function checkLengths(value: unknown, path: string): SafetensorsFolderConfig['lengths'] {
  if (value === undefined) return undefined;
  const lengths = value as { source?: unknown; target?: unknown } | null;
  const ok = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (typeof lengths !== 'object' || lengths === null || !ok(lengths.source) || !ok(lengths.target)) {
    throw new SafetensorsError(path, `"lengths" is ${JSON.stringify(value)}; expected {"source": <tokens>, "target": <tokens>} (or leave it out)`);
  }
  return { source: lengths.source as number, target: lengths.target as number };
}

function checkFrozen(value: unknown, model: ModelConfig, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  const names = torchShapes(model);
  if (!Array.isArray(value) || !value.every((n) => typeof n === 'string' && names.has(n))) {
    throw new SafetensorsError(
      path,
      `"frozen" is ${JSON.stringify(value)?.slice(0, 120)}; expected a list of PyTorch tensor names of the model (e.g. ["decoder.embedding.weight"])`,
    );
  }
  return value as string[];
}

/** Reads and validates config.json of a safetensors folder (untrusted: every field is checked). */
export async function readSafetensorsFolderConfig(folder: string): Promise<SafetensorsFolderConfig> {
  const path = join(folder, 'config.json');
  const raw = (await readFolderJson(folder, 'config.json')) as Record<string, unknown> | null;
  if (typeof raw !== 'object' || raw === null || raw.format !== SAFETENSORS_FOLDER_FORMAT) {
    throw new SafetensorsError(
      path,
      `is not the config of a seqloom safetensors folder (expected "format": "${SAFETENSORS_FOLDER_FORMAT}"); write one with seqloom export --format safetensors`,
    );
  }
  if (raw.formatVersion !== SAFETENSORS_FOLDER_VERSION) {
    throw new SafetensorsError(
      path,
      `"formatVersion" is ${JSON.stringify(raw.formatVersion)}; this seqloom reads version ${SAFETENSORS_FOLDER_VERSION} (use the seqloom version that wrote it)`,
    );
  }
  let model: ModelConfig;
  try {
    model = validateModelConfig((raw.model ?? {}) as Partial<ModelConfig>);
  } catch (error) {
    throw new SafetensorsError(path, `"model": ${(error as Error).message}`);
  }
  const training = raw.training ?? {};
  if (typeof training !== 'object' || training === null || Array.isArray(training))
    throw new SafetensorsError(path, '"training" must be an object (the training options) or absent');
  const frozen = checkFrozen(raw.frozen, model, path);
  const lengths = checkLengths(raw.lengths, path);
  return {
    format: SAFETENSORS_FOLDER_FORMAT,
    formatVersion: SAFETENSORS_FOLDER_VERSION,
    names: 'pytorch',
    model,
    training: training as Record<string, unknown>,
    ...(frozen ? { frozen } : {}),
    ...(lengths ? { lengths } : {}),
    files: checkFiles(raw.files, path),
  };
}
