import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';

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

/** Reads and parses a JSON file of a checkpoint, naming the file in every error. */
export async function readJsonFile(dir: string, file: string): Promise<unknown> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CheckpointError(
      path,
      code === 'ENOENT' ? 'missing; the checkpoint is incomplete (save it again or pick another checkpoint)' : String(error),
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CheckpointError(path, 'not valid JSON (truncated or corrupt); save the checkpoint again');
  }
}

/**
 * Reads tensors written by {@link writeTensorFile}. The binary file must hold
 * exactly the bytes the manifest describes; otherwise the error names it as
 * truncated or corrupt.
 */
export async function readTensorFile(
  dir: string,
  name: string,
): Promise<{ manifest: TensorManifest; tensors: Map<string, tf.Tensor> }> {
  const manifestPath = join(dir, `${name}.json`);
  const manifest = (await readJsonFile(dir, `${name}.json`)) as TensorManifest;
  const group = Array.isArray(manifest?.weightsManifest) ? manifest.weightsManifest[0] : undefined;
  if (!group || !Array.isArray(group.weights) || !Array.isArray(group.paths) || group.paths.length !== 1) {
    throw new CheckpointError(manifestPath, 'expected {"weightsManifest": [{"paths": ["<file>.bin"], "weights": [...]}]}');
  }
  let expected = 0;
  for (const spec of group.weights) {
    const bytes = BYTES[spec?.dtype];
    if (!bytes || !Array.isArray(spec.shape) || typeof spec.name !== 'string') {
      throw new CheckpointError(manifestPath, `bad weight entry ${JSON.stringify(spec)}; expected {name, shape, dtype: float32|int32|bool}`);
    }
    expected += bytes * spec.shape.reduce((a: number, b: number) => a * b, 1);
  }
  const binPath = join(dir, group.paths[0]);
  let bytes: Buffer;
  try {
    bytes = await readFile(binPath);
  } catch {
    throw new CheckpointError(binPath, `missing; ${manifestPath} refers to it`);
  }
  if (bytes.length !== expected) {
    throw new CheckpointError(
      binPath,
      `holds ${bytes.length} bytes but ${manifestPath} describes ${expected}; the file is truncated or corrupt`,
    );
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, group.weights);
  return { manifest, tensors: new Map(Object.entries(decoded)) };
}
