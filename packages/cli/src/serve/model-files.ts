import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isOnnxExportFolder } from '@seqloom/onnx';
import { uncontainedReason } from '@seqloom/seq2seq/tooling';
import { CONTENT_TYPES, type ContentType } from './content-types.js';

/** What a served model folder holds: a seqloom checkpoint, or a Hugging Face ONNX export (Optimum layout). */
export type ModelKind = 'seqloom' | 'onnx';

/** The allow-list of a served model folder: the files the page reads, each with its content type. */
export interface ModelFiles {
  readonly kind: ModelKind;
  /** The content type `name` (a path inside the folder) is sent with, or undefined for a file the page never reads (404). */
  typeOf(name: string): ContentType | undefined;
}

/** The files of a seqloom checkpoint that `loadTrainedModelFromUrl` reads, by the names seqloom writes them under. */
const CHECKPOINT_JSON = [
  'config.json',
  'generation.json',
  'weights.json',
  'state.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'source-tokenizer.json',
  'source-tokenizer_config.json',
];
const CHECKPOINT_BINARY = ['weights.bin'];
/** config.json's `files` fields naming files the page reads. */
const DECLARED_FIELDS = ['tokenizer', 'sourceTokenizer', 'tokenizerConfig', 'sourceTokenizerConfig', 'state'];

/** The files of an ONNX export (Hugging Face's or seqloom's) that `@seqloom/onnx/browser` reads: JSON, and graphs under onnx/ (or at the top). */
const EXPORT_JSON: ReadonlySet<string> = new Set([
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  // a seqloom ONNX export (seqloom export --format onnx) also has these
  'generation.json',
  'source-tokenizer.json',
  'source-tokenizer_config.json',
]);
const EXPORT_GRAPH = /^(onnx\/)?[A-Za-z0-9_][A-Za-z0-9_.-]*\.onnx$/;

const MAX_JSON_BYTES = 16 << 20;

async function isFileIn(dir: string, name: string): Promise<boolean> {
  return (await stat(join(dir, name)).catch(() => null))?.isFile() ?? false;
}

/** Whether `dir` is a Hugging Face ONNX export folder (else it is served as a seqloom checkpoint). */
export async function modelKindOf(dir: string): Promise<ModelKind> {
  return (await isOnnxExportFolder((name) => isFileIn(dir, name))) ? 'onnx' : 'seqloom';
}

/** A small JSON file's value, or undefined when it is missing, too large or not JSON (the page reports those). */
async function readJson(path: string): Promise<unknown> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return undefined;
  try {
    const { size } = await handle.stat();
    if (size > MAX_JSON_BYTES) return undefined;
    return JSON.parse(await handle.readFile('utf8')) as unknown;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The names config.json and weights.json declare for the tokenizers, state and weights (plain relative names of the right extension only). */
async function declaredFiles(dir: string): Promise<{ json: string[]; binary: string[] }> {
  const plain = (name: unknown, extension: string): name is string =>
    typeof name === 'string' && name.endsWith(extension) && uncontainedReason(name) === undefined;
  const config = (await readJson(join(dir, 'config.json'))) as { files?: Record<string, unknown> } | undefined;
  const json = DECLARED_FIELDS.map((field) => config?.files?.[field]).filter((name) => plain(name, '.json'));
  const weights = (await readJson(join(dir, 'weights.json'))) as { weightsManifest?: { paths?: unknown[] }[] } | undefined;
  const bin = Array.isArray(weights?.weightsManifest) ? weights.weightsManifest[0]?.paths?.[0] : undefined;
  return { json, binary: plain(bin, '.bin') ? [bin] : [] };
}

/**
 * The allow-list of the model folder `dir`: for a seqloom checkpoint its
 * config, generation defaults, weights, tokenizers and state (the names
 * seqloom writes and those its config.json and weights.json declare); for an
 * ONNX export its JSON files and `.onnx` graphs. JSON is sent as JSON, weights
 * and graphs as octet-stream; nothing else in the folder is served.
 */
export async function modelFiles(dir: string): Promise<ModelFiles> {
  const kind = await modelKindOf(dir);
  if (kind === 'onnx') {
    return { kind, typeOf: (name) => (EXPORT_JSON.has(name) ? CONTENT_TYPES.json : EXPORT_GRAPH.test(name) ? CONTENT_TYPES.binary : undefined) };
  }
  const declared = await declaredFiles(dir);
  const types = new Map<string, ContentType>([
    ...[...CHECKPOINT_JSON, ...declared.json].map((name) => [name, CONTENT_TYPES.json] as const),
    ...[...CHECKPOINT_BINARY, ...declared.binary].map((name) => [name, CONTENT_TYPES.binary] as const),
  ]);
  return { kind, typeOf: (name) => types.get(name) };
}
