import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from './checkpoint-error.js';

/** A tfjs weights manifest (as in model.json) plus any extra fields. */
export interface TensorManifest {
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  [extra: string]: unknown;
}

/** A checked tensor manifest: its one group of weight specs and the binary file they describe. */
export interface CheckedManifest {
  manifest: TensorManifest;
  specs: tf.io.WeightsManifestEntry[];
  manifestPath: string;
  /** The binary file as its reader names it (a path, a URL). */
  binPath: string;
  /** Bytes the specs describe (the binary file must hold exactly these). */
  bytes: number;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

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
 * Checks the form of a parsed `<name>.json` (one group, one binary file, every
 * weight entry) and returns its specs, the binary file's name as written and
 * the bytes it must hold.
 */
export function checkManifestForm(
  value: unknown,
  manifestPath: string,
): { manifest: TensorManifest; specs: tf.io.WeightsManifestEntry[]; binName: unknown; bytes: number } {
  const manifest = value as TensorManifest;
  const group = Array.isArray(manifest?.weightsManifest) ? manifest.weightsManifest[0] : undefined;
  if (!group || !Array.isArray(group.weights) || !Array.isArray(group.paths) || group.paths.length !== 1) {
    throw new CheckpointError(manifestPath, 'expected {"weightsManifest": [{"paths": ["<file>.bin"], "weights": [...]}]}');
  }
  return { manifest, specs: group.weights, binName: group.paths[0], bytes: describedBytes(group.weights, manifestPath) };
}

/**
 * Decodes the binary file of a checked manifest. It must hold exactly the
 * bytes the manifest describes (else it is named as truncated or corrupt),
 * and no weight may be named twice.
 */
export function decodeTensors(bytes: Uint8Array, checked: CheckedManifest): Map<string, tf.Tensor> {
  const { specs, manifestPath, binPath, bytes: expected } = checked;
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
  const plain = specs.map(({ name, shape, dtype }) => ({ name, shape, dtype }));
  return new Map(Object.entries(tf.io.decodeWeights(buffer, plain)));
}
