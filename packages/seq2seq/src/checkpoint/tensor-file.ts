import * as tf from '@tensorflow/tfjs';
import { describeJsonSyntaxError } from '@seqloom/tokenizer';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';
import { containedPath } from './contained-path.js';

/** A tfjs weights manifest (as in model.json) plus any extra fields. */
export interface TensorManifest {
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  [extra: string]: unknown;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Writes named tensors as `<name>.json` (a tfjs weights manifest with `extra`
 * fields) and `<name>.bin` (the little-endian data, in manifest order).
 */
export async function writeTensorFile(
  dir: string,
  name: string,
  tensors: ReadonlyMap<string, tf.Tensor>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const named = [...tensors].map(([n, tensor]) => ({ name: n, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const manifest: TensorManifest = { ...extra, weightsManifest: [{ paths: [`${name}.bin`], weights: specs }] };
  await writeFile(join(dir, `${name}.bin`), new Uint8Array(data));
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Where a checkpoint file's name comes from: the field naming it and the file holding that field. */
export interface DeclaredName {
  field: string;
  in: string;
}

/**
 * Reads and parses a JSON file of a checkpoint, naming the file in every
 * error. The name must stay inside `dir` (see {@link containedPath}); `declared`
 * says which field named it, for the error (default: the fixed name itself).
 */
export async function readJsonFile(dir: string, file: string, declared?: DeclaredName): Promise<unknown> {
  const path = await containedPath(dir, file, declared?.field ?? file, declared?.in ?? dir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CheckpointError(
      path,
      code === 'ENOENT'
        ? 'missing; the checkpoint is incomplete (save it again or pick another checkpoint)'
        : code === 'EISDIR' ? 'is a folder; expected a JSON file' : `cannot be read (${code ?? String(error)})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // A file cut short says so; an error inside one says where.
    const message = error instanceof Error ? error.message : '';
    const at = /at position (\d+)/.exec(message);
    const truncated = /end of JSON input|Unterminated string/.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length);
    throw new CheckpointError(
      path,
      truncated
        ? 'not valid JSON (truncated or corrupt); save the checkpoint again'
        : `not valid JSON (${describeJsonSyntaxError(text, error)}); the file is corrupt, save the checkpoint again`,
    );
  }
}

/** A checked tensor manifest: its one group of weight specs and the binary file they describe. */
export interface CheckedManifest {
  manifest: TensorManifest;
  specs: tf.io.WeightsManifestEntry[];
  manifestPath: string;
  binPath: string;
  /** Bytes the specs describe (equal to the binary file's size). */
  bytes: number;
}

function isDimension(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Bytes of the weight specs of a manifest group, each spec checked. */
function describedBytes(specs: unknown[], manifestPath: string): number {
  let total = 0;
  for (const spec of specs as tf.io.WeightsManifestEntry[]) {
    const bytes = BYTES[spec?.dtype as string];
    if (!bytes || !Array.isArray(spec.shape) || !spec.shape.every(isDimension) || typeof spec.name !== 'string') {
      const shown = JSON.stringify(spec)?.slice(0, 200);
      throw new CheckpointError(manifestPath, `bad weight entry ${shown}; expected {name, shape: [non-negative integers], dtype: float32|int32|bool}`);
    }
    total += bytes * spec.shape.reduce((a: number, b: number) => a * b, 1);
  }
  return total;
}

/**
 * Reads and checks `<name>.json` without reading its binary file: the
 * manifest's form, every weight entry, that the binary file it names stays
 * inside `dir`, and that the file's size equals the bytes described.
 */
export async function readTensorManifest(dir: string, name: string): Promise<CheckedManifest> {
  const manifestPath = join(dir, `${name}.json`);
  const manifest = (await readJsonFile(dir, `${name}.json`)) as TensorManifest;
  const group = Array.isArray(manifest?.weightsManifest) ? manifest.weightsManifest[0] : undefined;
  if (!group || !Array.isArray(group.weights) || !Array.isArray(group.paths) || group.paths.length !== 1) {
    throw new CheckpointError(manifestPath, 'expected {"weightsManifest": [{"paths": ["<file>.bin"], "weights": [...]}]}');
  }
  const bytes = describedBytes(group.weights, manifestPath);
  const binPath = await containedPath(dir, group.paths[0], 'weightsManifest[0].paths[0]', manifestPath);
  const info = await stat(binPath).catch(() => null);
  if (!info || !info.isFile()) throw new CheckpointError(binPath, `missing; ${manifestPath} refers to it`);
  if (info.size !== bytes) {
    throw new CheckpointError(binPath, `holds ${info.size} bytes but ${manifestPath} describes ${bytes}; the file is truncated or corrupt`);
  }
  return { manifest, specs: group.weights, manifestPath, binPath, bytes };
}

/**
 * Reads tensors written by {@link writeTensorFile}. The binary file must hold
 * exactly the bytes the manifest describes; otherwise the error names it as
 * truncated or corrupt. `checked` reuses a manifest already read.
 */
export async function readTensorFile(
  dir: string,
  name: string,
  checked?: CheckedManifest,
): Promise<{ manifest: TensorManifest; tensors: Map<string, tf.Tensor> }> {
  const { manifest, specs, manifestPath, binPath, bytes: expected } = checked ?? (await readTensorManifest(dir, name));
  let bytes: Buffer;
  try {
    bytes = await readFile(binPath);
  } catch {
    throw new CheckpointError(binPath, `missing; ${manifestPath} refers to it`);
  }
  if (bytes.length !== expected) {
    throw new CheckpointError(binPath, `holds ${bytes.length} bytes but ${manifestPath} describes ${expected}; the file is truncated or corrupt`);
  }
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new CheckpointError(manifestPath, `names weight "${spec.name}" twice`);
    names.add(spec.name);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  // Only name, shape and dtype: any other field (quantization, group offsets) is not seqloom's.
  const plain = specs.map(({ name: n, shape, dtype }) => ({ name: n, shape, dtype }));
  const decoded = tf.io.decodeWeights(buffer, plain);
  return { manifest, tensors: new Map(Object.entries(decoded)) };
}
