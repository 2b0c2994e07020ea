import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TensorManifest } from './tensor-manifest.js';

/**
 * Writes named tensors as `<name>.json` (a tfjs weights manifest with `extra`
 * fields) and `<name>.bin` (the little-endian data, in manifest order).
 */
export async function writeTensorFile(dir: string, name: string, tensors: ReadonlyMap<string, tf.Tensor>, extra: Record<string, unknown> = {}): Promise<void> {
  const named = [...tensors].map(([n, tensor]) => ({ name: n, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const manifest: TensorManifest = { ...extra, weightsManifest: [{ paths: [`${name}.bin`], weights: specs }] };
  await writeFile(join(dir, `${name}.bin`), new Uint8Array(data));
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
}
